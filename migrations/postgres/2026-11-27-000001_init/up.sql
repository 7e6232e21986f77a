-- Identifiers are UUID text and times are UTC, so both backends store the
-- same values.
CREATE TABLE letters (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    place TEXT NOT NULL,
    letter_date DATE NOT NULL,
    addressees TEXT NOT NULL,
    preamble TEXT NOT NULL,
    body_markdown TEXT NOT NULL,
    goal BIGINT,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP
);

CREATE TABLE signatures (
    id TEXT PRIMARY KEY NOT NULL,
    letter_id TEXT NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    titles TEXT NOT NULL,
    email TEXT,
    city TEXT,
    is_public BOOLEAN NOT NULL,
    tier TEXT NOT NULL,
    position INTEGER,
    status TEXT NOT NULL,
    language TEXT NOT NULL,
    consent_version TEXT,
    wants_updates BOOLEAN NOT NULL,
    confirmation_sends INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    withdrawn_at TIMESTAMP
);
-- One row per address and letter, whatever its status.
CREATE UNIQUE INDEX signatures_letter_email ON signatures(letter_id, email);
-- The count reads a prefix of this index; the public list reads all of it
-- in signing order.
CREATE INDEX signatures_list ON signatures(letter_id, status, tier, is_public, confirmed_at, id);

CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    signature_id TEXT REFERENCES signatures(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    expires_at TIMESTAMP,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX tokens_signature ON tokens(signature_id);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
