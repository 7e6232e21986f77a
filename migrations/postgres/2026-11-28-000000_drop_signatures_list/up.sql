-- Every public list query also filters on moderation, so signatures_shown
-- serves them all; this older index only cost every signature an update.
DROP INDEX IF EXISTS signatures_list;
