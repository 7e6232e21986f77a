CREATE TABLE organizers (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    -- NULL until the person chooses a password from their setup link.
    password_hash TEXT,
    is_admin BOOLEAN NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Who may edit a letter: its owners and the co-editors they invite.
CREATE TABLE letter_editors (
    letter_id TEXT NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
    organizer_id TEXT NOT NULL REFERENCES organizers(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (letter_id, organizer_id)
);
CREATE INDEX letter_editors_organizer ON letter_editors(organizer_id);

-- Setup and reset links belong to an organizer, not a signature.
ALTER TABLE tokens ADD COLUMN organizer_id TEXT REFERENCES organizers(id) ON DELETE CASCADE;

ALTER TABLE letters ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE letters ADD COLUMN close_at TIMESTAMP;

ALTER TABLE signatures ADD COLUMN verified_by TEXT;
ALTER TABLE signatures ADD COLUMN verified_at TIMESTAMP;
ALTER TABLE signatures ADD COLUMN verified_how TEXT;

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY NOT NULL,
    organizer_id TEXT,
    letter_id TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_letter ON audit_log(letter_id, created_at);
