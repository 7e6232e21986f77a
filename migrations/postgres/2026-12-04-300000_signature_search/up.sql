-- Finding a name: every confirmed signature's name and title lines as
-- folded words (no case, no accents; see src/domain/search.rs), one row a
-- word, so a word-start search is a range scan of an index at any size.
-- Which signatures the public may find is not decided here: a search joins
-- back to signatures through the public list's own filter. Words leave
-- with the signature (cascade) and with a withdrawal (erased in its
-- transaction). Rows confirmed before this migration get theirs at start-up.
CREATE TABLE signature_words (
    signature_id TEXT NOT NULL REFERENCES signatures(id) ON DELETE CASCADE,
    letter_id TEXT NOT NULL,
    word TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (signature_id, word)
);
CREATE INDEX signature_words_prefix ON signature_words(letter_id, word, signature_id);

-- The figures page: counted signatures grouped by city, and counted per day
-- by ranges of confirmation time, both read from an index alone. The day
-- index replaces the count index, whose columns it begins with.
DROP INDEX signatures_count;
CREATE INDEX signatures_count_day ON signatures(letter_id, status, excluded, confirmed_at);
CREATE INDEX signatures_count_city ON signatures(letter_id, status, excluded, city);
