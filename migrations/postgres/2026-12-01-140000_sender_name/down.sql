ALTER TABLE outbox DROP COLUMN sender_name;
