-- A CSV file of signatures collected elsewhere, kept between its preview
-- and its import so the organizer uploads it once. Keyed by the letter and
-- the SHA-256 of the file's bytes: the same file uploaded again finds its
-- row, and once imported (imported_at set) it imports nothing more. The
-- text is erased at import; only the hash and the counts stay.
CREATE TABLE csv_uploads (
    id TEXT PRIMARY KEY NOT NULL,
    letter_id TEXT NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
    file_hash TEXT NOT NULL,
    file_name TEXT NOT NULL,
    content TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    imported_at TIMESTAMP,
    imported_by TEXT,
    imported_mode TEXT,
    imported_count INTEGER
);
CREATE UNIQUE INDEX csv_uploads_file ON csv_uploads(letter_id, file_hash);

-- Signatures an organizer entered from paper or an event ("collected in
-- person"): they count at once, and the organizer's exports show this
-- evidence beside them.
CREATE TABLE collected_signatures (
    signature_id TEXT PRIMARY KEY NOT NULL REFERENCES signatures(id) ON DELETE CASCADE,
    letter_id TEXT NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
    upload_id TEXT NOT NULL,
    collected_by TEXT NOT NULL,
    collected_on DATE NOT NULL,
    collected_how TEXT NOT NULL
);
CREATE INDEX collected_signatures_letter ON collected_signatures(letter_id);
