-- Duplicates are found on a canonical form of the address (dots and +tags
-- removed where the provider ignores them), kept apart from the address
-- mail is sent to.
ALTER TABLE signatures ADD COLUMN email_key TEXT;
UPDATE signatures SET email_key = email;
DROP INDEX signatures_letter_email;
CREATE UNIQUE INDEX signatures_letter_email_key ON signatures(letter_id, email_key);

-- Emails per address and letter are capped per day.
ALTER TABLE signatures ADD COLUMN sends_window_start TIMESTAMP;
-- What was consented to, when, for which version of the letter.
ALTER TABLE signatures ADD COLUMN consent_at TIMESTAMP;
ALTER TABLE signatures ADD COLUMN consent_letter_version INTEGER;
-- The purge job looks for old pending signatures.
CREATE INDEX signatures_status_created ON signatures(status, created_at);

ALTER TABLE letters ADD COLUMN closed_at TIMESTAMP;
ALTER TABLE letters ADD COLUMN anonymise_after_days INTEGER;
ALTER TABLE letters ADD COLUMN anonymised_at TIMESTAMP;
