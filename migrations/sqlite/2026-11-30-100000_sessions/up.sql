-- Workspace sessions live on the server, so that one can be ended: by
-- signing out, by a password change or reset (all of the account's), or by
-- an admin disabling the account. The cookie holds a random token; only its
-- SHA-256 is kept here, so a copy of the database opens no session.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    organizer_id TEXT NOT NULL REFERENCES organizers(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    -- Moved forward at most once a minute, not on every request.
    last_seen_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP
);
CREATE INDEX sessions_organizer ON sessions(organizer_id, created_at);
