-- Messages an owner writes to the signers who asked for news. Sending is
-- resumable: `next_after` is the last signature queued, written in the same
-- transaction as the queued emails, so a restart picks up after it.
CREATE TABLE mailings (
    id TEXT PRIMARY KEY NOT NULL,
    letter_id TEXT NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
    created_by TEXT REFERENCES organizers(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    recipients INTEGER NOT NULL DEFAULT 0,
    queued INTEGER NOT NULL DEFAULT 0,
    sent INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    next_after TEXT
);
CREATE INDEX mailings_letter ON mailings(letter_id, created_at);
CREATE INDEX mailings_status ON mailings(status);

-- A message's subject and Markdown body, one row per language.
CREATE TABLE mailing_texts (
    mailing_id TEXT NOT NULL REFERENCES mailings(id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (mailing_id, language)
);

-- Which message an email belongs to, so its delivery counts in the
-- message's progress.
ALTER TABLE outbox ADD COLUMN mailing_id TEXT;
