-- Every public list query also filters on moderation, so signatures_shown
-- serves them all; this older index only cost every signature an update.
DROP INDEX IF EXISTS signatures_list;

-- The outbox worker claims due messages in (next_attempt_at, id) order:
-- with id in the index the claim reads them in order instead of sorting
-- the backlog.
DROP INDEX IF EXISTS outbox_due;
CREATE INDEX outbox_due ON outbox(status, next_attempt_at, id);
