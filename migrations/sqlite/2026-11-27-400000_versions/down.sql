DROP TABLE letter_versions;
ALTER TABLE letters DROP COLUMN modified_at;
ALTER TABLE letters DROP COLUMN current_version;
