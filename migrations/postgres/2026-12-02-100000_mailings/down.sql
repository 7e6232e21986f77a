ALTER TABLE outbox DROP COLUMN mailing_id;
DROP TABLE mailing_texts;
DROP TABLE mailings;
