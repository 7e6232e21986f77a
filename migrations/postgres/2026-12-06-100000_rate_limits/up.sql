-- The shared rate limit (rate_limit_store = "database"): one row per quota
-- and client, holding the GCRA's theoretical arrival time in microseconds
-- since the Unix epoch (UTC), so that the statement that checks a request
-- compares and adds integers, the same on both backends. The client is an
-- HMAC of its address (or of the account typed at sign-in) under the
-- site's secret key, never the address itself. `allowed` is the verdict of
-- the last check, written by the statement that made it so that it can
-- return it.
--
-- UNLOGGED: the state lives minutes and losing it forgets who is resting,
-- which is what a restart of the process store does too. Without WAL a
-- check does not wait for a flush to disk at commit. After a crash the
-- table comes back empty; it is not copied to standbys.
-- No index on `tat_us`: every check moves it, and with no index on it the
-- update can stay on its page (HOT); the purge that reads it runs once a
-- minute over a table of live clients only.
CREATE UNLOGGED TABLE rate_limits (
    action TEXT NOT NULL,
    key_hash BYTEA NOT NULL,
    tat_us BIGINT NOT NULL,
    allowed BOOLEAN NOT NULL,
    PRIMARY KEY (action, key_hash)
);
