-- PostgreSQL only (compression of the outbox's email bodies); SQLite does
-- not compress rows. Kept so that both backends list the same versions.
SELECT 1;
