-- A letter's text in its other language. Signatures count for the letter,
-- whichever text the signer read.
CREATE TABLE letter_translations (
    letter_id TEXT NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    place TEXT NOT NULL,
    addressees TEXT NOT NULL,
    preamble TEXT NOT NULL,
    body_markdown TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (letter_id, language)
);
