-- A confirmation email of the signing form is written when it leaves
-- (src/mail/deferred.rs): until then its row holds the three links it will
-- carry, not its subject and bodies. Erased with the bodies once sent.
ALTER TABLE outbox ADD COLUMN links TEXT;
