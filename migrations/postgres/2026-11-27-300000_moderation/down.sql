DROP TABLE protected_names;
DROP INDEX signatures_moderation;
DROP INDEX signatures_shown;
DROP INDEX signatures_count;
ALTER TABLE signatures DROP COLUMN moderated_at;
ALTER TABLE signatures DROP COLUMN moderated_by;
ALTER TABLE signatures DROP COLUMN excluded;
ALTER TABLE signatures DROP COLUMN moderation;
ALTER TABLE letters DROP COLUMN moderation;
