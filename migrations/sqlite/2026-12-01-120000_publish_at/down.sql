ALTER TABLE letters DROP COLUMN publish_at;
