-- The surname order of exports: a folded key filled when a signature is
-- stored (see src/domain/sort_key.rs), so a million rows sort through an
-- index. Rows stored before this migration get their key at start-up.
ALTER TABLE signatures ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
CREATE INDEX signatures_surname ON signatures(letter_id, status, sort_key, id);
-- Organizer exports list count-only signers too, in confirmation order; the
-- public list index filters on is_public before confirmed_at and cannot
-- serve that order.
CREATE INDEX signatures_confirmed ON signatures(letter_id, status, tier, confirmed_at, id);
