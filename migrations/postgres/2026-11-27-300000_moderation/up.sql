-- 'immediate': confirmed public signatures show at once; 'review': they
-- wait in the organizers' queue.
ALTER TABLE letters ADD COLUMN moderation TEXT NOT NULL DEFAULT 'immediate';

-- 'shown', 'queued' (waiting for review) or 'hidden'. A hidden signature
-- still counts unless it is also excluded.
ALTER TABLE signatures ADD COLUMN moderation TEXT NOT NULL DEFAULT 'shown';
ALTER TABLE signatures ADD COLUMN excluded BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE signatures ADD COLUMN moderated_by TEXT;
ALTER TABLE signatures ADD COLUMN moderated_at TIMESTAMP;

-- The count and the public list read these, never the table.
CREATE INDEX signatures_count ON signatures(letter_id, status, excluded);
CREATE INDEX signatures_shown ON signatures(letter_id, status, tier, is_public, moderation, confirmed_at, id);
CREATE INDEX signatures_moderation ON signatures(letter_id, moderation, created_at);

-- Names a prankster would sign as: held for review. letter_id NULL means
-- every letter of the site.
CREATE TABLE protected_names (
    id TEXT PRIMARY KEY NOT NULL,
    letter_id TEXT REFERENCES letters(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    folded TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX protected_names_letter ON protected_names(letter_id);
