DROP INDEX signatures_unconfirmed;
DROP INDEX signatures_surname;
CREATE INDEX signatures_surname ON signatures(letter_id, status, sort_key, id);
DROP INDEX signatures_confirmed;
CREATE INDEX signatures_confirmed ON signatures(letter_id, status, tier, confirmed_at, id);
DROP INDEX signatures_shown;
CREATE INDEX signatures_shown ON signatures(letter_id, status, tier, is_public, moderation, confirmed_at, id,
    (CASE WHEN json_valid(titles) THEN json_array_length(titles) ELSE 0 END));
DROP INDEX signatures_count_day;
CREATE INDEX signatures_count_day ON signatures(letter_id, status, excluded, confirmed_at);
DROP INDEX signatures_count_city;
CREATE INDEX signatures_count_city ON signatures(letter_id, status, excluded, city);
