-- The organizing body's logo for a letter's press kit: PNG or JPEG only
-- (an SVG can carry script), checked and kept here so that every server
-- sharing the database serves the same bytes. The digest names the
-- version in its address, which is cached for a year.
CREATE TABLE letter_logos (
    letter_id TEXT PRIMARY KEY NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    digest TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    data BYTEA NOT NULL,
    uploaded_at TIMESTAMP NOT NULL
);
