-- The display name a message is sent under: the body behind the letter
-- ("La Coalition des coopératives d’habitation" <noreply@…>); NULL for the
-- site's own name.
ALTER TABLE outbox ADD COLUMN sender_name TEXT;
