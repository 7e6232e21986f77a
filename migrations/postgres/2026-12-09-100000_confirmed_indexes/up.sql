-- The indexes behind the public count, list, search, figures and exports
-- hold confirmed signatures only. A pending signature, which those pages
-- never read, cost an entry in each of them when the form stored it, and
-- its confirmation moved every entry; now it costs four index entries,
-- and its confirmation adds the five these pages read. Columns are as
-- before, `status` included, so that each index still answers its queries
-- alone. Queries name the condition in their text (`db::confirmed`):
-- a planner uses a partial index only where the query implies it.
DROP INDEX signatures_surname;
CREATE INDEX signatures_surname ON signatures(letter_id, sort_key, id)
    WHERE status = 'confirmed';
DROP INDEX signatures_confirmed;
CREATE INDEX signatures_confirmed ON signatures(letter_id, tier, confirmed_at, id)
    WHERE status = 'confirmed';
DROP INDEX signatures_shown;
CREATE INDEX signatures_shown ON signatures(letter_id, tier, is_public, moderation, confirmed_at, id)
    WHERE status = 'confirmed';
DROP INDEX signatures_count_day;
CREATE INDEX signatures_count_day ON signatures(letter_id, excluded, confirmed_at)
    WHERE status = 'confirmed';
DROP INDEX signatures_count_city;
CREATE INDEX signatures_count_city ON signatures(letter_id, excluded, city)
    WHERE status = 'confirmed';
-- The dashboard's count of pending and withdrawn signatures per letter.
CREATE INDEX signatures_unconfirmed ON signatures(letter_id, status)
    WHERE status <> 'confirmed';
