-- An outbox row holds its whole rendered email (text and HTML, some 5 KB),
-- which PostgreSQL compresses on insert once a row passes 2 KB. With its
-- default method, pglz, that compression was the costliest step of a
-- signature in a profile of the server's CPU; lz4 compresses as well here
-- at a fraction of the cost (signing went from about 2,280 to 2,700-3,400 a
-- second on this 2-core machine). Only new values use it: no rewrite.
-- A server built without lz4 keeps pglz rather than fail the migration.
DO $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM pg_settings
        WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)
    ) THEN
        ALTER TABLE outbox
            ALTER COLUMN body_text SET COMPRESSION lz4,
            ALTER COLUMN body_html SET COMPRESSION lz4;
    END IF;
END
$$;
