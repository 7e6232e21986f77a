-- Confirmations still queued as links would leave blank from a build
-- that cannot write them: they are given up on first, links erased.
UPDATE outbox SET status = 'failed', last_error = 'queued as links; the build that writes them was rolled back',
    links = NULL
    WHERE links IS NOT NULL AND status = 'pending';
ALTER TABLE outbox DROP COLUMN links;
