-- What an audit row says beyond its action, as JSON named values, so that
-- the log reads as sentences in the reader's language and time zone; and
-- the signature a row is about, so that a withdrawal can erase the names
-- such a row holds.
ALTER TABLE audit_log ADD COLUMN args TEXT;
ALTER TABLE audit_log ADD COLUMN signature_id TEXT;
CREATE INDEX audit_log_signature ON audit_log (signature_id) WHERE signature_id IS NOT NULL;
