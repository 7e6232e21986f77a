-- The purge of expired pending signatures read `signatures_status_created`
-- (status, created_at), which held every signature: each confirmation
-- moved its entry from among the pending to among the confirmed, a page
-- of the log each, at a place as random as when the signature was made.
-- This index holds only the unconfirmed, by the time the purge compares:
-- a confirmation deletes an entry and adds none. The purge names the
-- condition in its text (`db::confirmed::UNCONFIRMED`), as a planner
-- uses a partial index only when the query implies its condition.
DROP INDEX signatures_status_created;
CREATE INDEX signatures_unconfirmed_age ON signatures(updated_at)
    WHERE status <> 'confirmed';
