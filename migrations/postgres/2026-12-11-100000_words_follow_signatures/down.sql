DROP TRIGGER signature_words_follow ON signatures;
DROP FUNCTION signature_words_follow();
-- Words whose signature is gone would refuse the key: none should be, but
-- a key is only put back over rows that satisfy it.
DELETE FROM signature_words w WHERE NOT EXISTS (SELECT 1 FROM signatures s WHERE s.id = w.signature_id);
ALTER TABLE signature_words ADD CONSTRAINT signature_words_signature_id_fkey
    FOREIGN KEY (signature_id) REFERENCES signatures(id) ON DELETE CASCADE;
