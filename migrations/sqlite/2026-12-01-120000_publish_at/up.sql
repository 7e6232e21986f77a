-- An embargo: a draft that publishes itself at this time (UTC). Until
-- then it is a draft, and nothing of it is public.
ALTER TABLE letters ADD COLUMN publish_at TIMESTAMP;
