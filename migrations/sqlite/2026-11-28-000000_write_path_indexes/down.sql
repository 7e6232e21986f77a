DROP INDEX IF EXISTS outbox_due;
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX signatures_list ON signatures(letter_id, status, tier, is_public, confirmed_at, id);
