DROP TABLE audit_log;
ALTER TABLE signatures DROP COLUMN verified_how;
ALTER TABLE signatures DROP COLUMN verified_at;
ALTER TABLE signatures DROP COLUMN verified_by;
ALTER TABLE letters DROP COLUMN close_at;
ALTER TABLE letters DROP COLUMN archived;
ALTER TABLE tokens DROP COLUMN organizer_id;
DROP TABLE letter_editors;
DROP TABLE organizers;
