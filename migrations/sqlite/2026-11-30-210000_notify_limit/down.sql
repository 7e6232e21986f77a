ALTER TABLE letters DROP COLUMN notified_at;
