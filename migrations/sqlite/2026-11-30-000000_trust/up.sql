-- A confirmation link confirms the content it was issued for, and only
-- that: name, titles, city, visibility, news, language. NULL on links
-- issued before this column, which confirm the row as stored.
ALTER TABLE tokens ADD COLUMN content TEXT;
-- Set on a confirmation link when a later submission for the same address
-- proposed other content: the link then says it was replaced.
ALTER TABLE tokens ADD COLUMN replaced_at TIMESTAMP;

-- When an organizer approved the signature's current content. Any change
-- of what the public would see clears it.
ALTER TABLE signatures ADD COLUMN approved_at TIMESTAMP;

-- Which signature an email is about, so that withdrawal and anonymisation
-- can cancel and erase it.
ALTER TABLE outbox ADD COLUMN signature_id TEXT;
CREATE INDEX outbox_signature ON outbox(signature_id);
