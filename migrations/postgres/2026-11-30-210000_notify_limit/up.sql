-- When the letter's signers were last emailed about a changed text: one
-- round per letter per `notify_interval_hours` at most.
ALTER TABLE letters ADD COLUMN notified_at TIMESTAMP;
