-- The organizer's one-sentence summary for link previews (og:description).
-- Empty: previews take the first paragraph of the body that says something.
ALTER TABLE letters ADD COLUMN share_summary TEXT NOT NULL DEFAULT '';
