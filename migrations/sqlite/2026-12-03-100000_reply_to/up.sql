-- Where a reply to a letter's message goes: the letter's contact person,
-- since the sender's own address is the site's and nobody reads it. NULL:
-- no Reply-To header.
ALTER TABLE outbox ADD COLUMN reply_to TEXT;
