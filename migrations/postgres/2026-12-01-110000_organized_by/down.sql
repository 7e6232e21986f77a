ALTER TABLE letters DROP COLUMN organized_by;
