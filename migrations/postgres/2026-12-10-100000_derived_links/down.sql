-- Confirmation pages then issue a stored pair, as before derivation.
ALTER TABLE tokens DROP COLUMN links_key;
