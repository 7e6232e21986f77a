DROP INDEX audit_log_signature;
ALTER TABLE audit_log DROP COLUMN signature_id;
ALTER TABLE audit_log DROP COLUMN args;
