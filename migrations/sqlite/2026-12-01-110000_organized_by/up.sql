-- Who is behind a letter ("La Coalition des coopératives d’habitation"):
-- the emails about it are signed with this name. Empty: signed as the
-- letter's organizers.
ALTER TABLE letters ADD COLUMN organized_by TEXT NOT NULL DEFAULT '';
