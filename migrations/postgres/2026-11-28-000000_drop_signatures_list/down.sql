CREATE INDEX signatures_list ON signatures(letter_id, status, tier, is_public, confirmed_at, id);
