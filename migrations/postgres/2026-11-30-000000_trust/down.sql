DROP INDEX outbox_signature;
ALTER TABLE outbox DROP COLUMN signature_id;
ALTER TABLE signatures DROP COLUMN approved_at;
ALTER TABLE tokens DROP COLUMN replaced_at;
ALTER TABLE tokens DROP COLUMN content;
