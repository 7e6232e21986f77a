-- A confirmed signature's search words, as before, in one b-tree fewer and
-- without a key check per word. Profiles of a wave of confirmations put a
-- third of the group writer's time in writing the words: each word went
-- into the table's rowid b-tree, its primary key's index and the prefix
-- index, after a lookup of its signature for the foreign key. A table
-- without rowid is its primary key's b-tree, and the prefix index holds
-- the key's columns already. Words are only ever written beside their
-- signature's own update, in its transaction, so the key's check found
-- nothing to refuse; a trigger deletes a signature's words with it, as the
-- key's cascade did (PostgreSQL made the same change in
-- 2026-12-11-100000_words_follow_signatures).
CREATE TABLE signature_words_new (
    signature_id TEXT NOT NULL,
    letter_id TEXT NOT NULL,
    word TEXT NOT NULL,
    PRIMARY KEY (signature_id, word)
) WITHOUT ROWID;
INSERT INTO signature_words_new (signature_id, letter_id, word)
    SELECT signature_id, letter_id, word FROM signature_words ORDER BY signature_id, word;
DROP TABLE signature_words;
ALTER TABLE signature_words_new RENAME TO signature_words;
CREATE INDEX signature_words_prefix ON signature_words(letter_id, word, signature_id);

CREATE TRIGGER signature_words_follow AFTER DELETE ON signatures
BEGIN
    DELETE FROM signature_words WHERE signature_id = OLD.id;
END;
