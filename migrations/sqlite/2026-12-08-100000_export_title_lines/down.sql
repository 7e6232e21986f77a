DROP INDEX signatures_shown;
CREATE INDEX signatures_shown ON signatures(letter_id, status, tier, is_public, moderation, confirmed_at, id);
