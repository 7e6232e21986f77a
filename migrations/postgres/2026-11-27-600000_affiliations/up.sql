-- An affiliation an organizer vouches for by email domain: a signer who
-- confirms from the domain and names the affiliation in a title line gets
-- that line marked "verified by email".
CREATE TABLE affiliation_domains (
    id TEXT PRIMARY KEY NOT NULL,
    letter_id TEXT NOT NULL REFERENCES letters(id) ON DELETE CASCADE,
    affiliation TEXT NOT NULL,
    domain TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX affiliation_domains_letter ON affiliation_domains(letter_id);

-- JSON array of the 0-based indexes of the verified title lines.
ALTER TABLE signatures ADD COLUMN verified_lines TEXT;
