-- The one-click unsubscribe address (RFC 8058) of a message sent to signers
-- who asked for news; NULL for every other message.
ALTER TABLE outbox ADD COLUMN unsubscribe_url TEXT;
