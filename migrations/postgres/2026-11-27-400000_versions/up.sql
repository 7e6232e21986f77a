-- Once published, a letter's text changes only by adding a version; each
-- signature records the version it was given for (consent_letter_version).
ALTER TABLE letters ADD COLUMN current_version INTEGER NOT NULL DEFAULT 1;
-- When the published text last changed, for "modified on" on the page.
ALTER TABLE letters ADD COLUMN modified_at TIMESTAMP;

CREATE TABLE letter_versions (
    id TEXT PRIMARY KEY NOT NULL,
    letter_id TEXT NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    place TEXT NOT NULL,
    letter_date DATE NOT NULL,
    addressees TEXT NOT NULL,
    preamble TEXT NOT NULL,
    body_markdown TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (letter_id, number)
);

-- Letters published before versions existed start at version 1.
INSERT INTO letter_versions (id, letter_id, number, language, title, place, letter_date, addressees, preamble, body_markdown, created_at)
SELECT id || ':1', id, 1, language, title, place, letter_date, addressees, preamble, body_markdown, COALESCE(published_at, created_at)
FROM letters WHERE status <> 'draft';
