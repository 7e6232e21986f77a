ALTER TABLE letters DROP COLUMN share_summary;
