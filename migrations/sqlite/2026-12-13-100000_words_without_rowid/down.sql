DROP TRIGGER signature_words_follow;
CREATE TABLE signature_words_old (
    signature_id TEXT NOT NULL REFERENCES signatures(id) ON DELETE CASCADE,
    letter_id TEXT NOT NULL,
    word TEXT NOT NULL,
    PRIMARY KEY (signature_id, word)
);
INSERT INTO signature_words_old (signature_id, letter_id, word)
    SELECT signature_id, letter_id, word FROM signature_words;
DROP TABLE signature_words;
ALTER TABLE signature_words_old RENAME TO signature_words;
CREATE INDEX signature_words_prefix ON signature_words(letter_id, word, signature_id);
