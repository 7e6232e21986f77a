-- Readiness probes commit a write here, so that "the database takes
-- writes" is checked by a real commit, not assumed.
CREATE TABLE probes (
    id TEXT PRIMARY KEY NOT NULL,
    probed_at TIMESTAMP NOT NULL
);
INSERT INTO probes (id, probed_at) VALUES ('readiness', CURRENT_TIMESTAMP);
