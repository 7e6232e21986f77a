-- The CSV export needs the most title lines of any listed row for its
-- header, before its first row. With that count at the end of the list's
-- index, it is read from the index alone instead of from every row of the
-- table: a sixth of a million-row export. The expression is
-- `export_rows::TITLE_LINES`, word for word (SQLite uses an indexed
-- expression only where a query spells the same one), and never fails: a
-- text that is not JSON counts as no lines.
DROP INDEX signatures_shown;
CREATE INDEX signatures_shown ON signatures(letter_id, status, tier, is_public, moderation, confirmed_at, id,
    (CASE WHEN json_valid(titles) THEN json_array_length(titles) ELSE 0 END));
