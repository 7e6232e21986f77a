DROP INDEX signatures_count_city;
DROP INDEX signatures_count_day;
CREATE INDEX signatures_count ON signatures(letter_id, status, excluded);
DROP TABLE signature_words;
