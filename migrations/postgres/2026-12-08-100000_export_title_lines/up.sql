-- SQLite only (the title-line count in the list's index, for the CSV
-- export's header): PostgreSQL 15 has no `IS JSON` to keep such an index
-- from failing on a text that is not JSON, and counts the lines as it
-- reads them. Kept so that both backends list the same versions.
SELECT 1;
