-- A signature's search words go with it, as before, but by a trigger on the
-- signatures table rather than a foreign key. The key made PostgreSQL check
-- the signature of every word inserted, a query per word (a twentieth of
-- its work per confirmation); words are only ever written in the
-- transaction that writes their signature (confirming, editing or
-- importing it), which holds that signature's row, so the check found
-- nothing to refuse. A deleted
-- signature still takes its words with it, whatever deleted it (a purge,
-- a letter deleted with its signatures): the trigger runs once per
-- statement, over the rows it deleted.
ALTER TABLE signature_words DROP CONSTRAINT signature_words_signature_id_fkey;

CREATE FUNCTION signature_words_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM signature_words w USING gone g WHERE w.signature_id = g.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER signature_words_follow AFTER DELETE ON signatures
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION signature_words_follow();
