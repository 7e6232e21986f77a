-- A version holds the letter's text in every language: the original in
-- letter_versions, each other language here. Editing any language of a
-- published letter adds a version, so a signature's version names the very
-- text its signer read, in the language recorded on the signature.
CREATE TABLE letter_version_translations (
    letter_id TEXT NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    place TEXT NOT NULL,
    addressees TEXT NOT NULL,
    preamble TEXT NOT NULL,
    body_markdown TEXT NOT NULL,
    PRIMARY KEY (letter_id, number, language)
);

-- The current version of each letter holds the translations it has now;
-- what older versions were shown in other languages was not recorded.
INSERT INTO letter_version_translations (letter_id, number, language, title, place, addressees, preamble, body_markdown)
SELECT t.letter_id, l.current_version, t.language, t.title, t.place, t.addressees, t.preamble, t.body_markdown
FROM letter_translations t
JOIN letters l ON l.id = t.letter_id
JOIN letter_versions v ON v.letter_id = l.id AND v.number = l.current_version;
