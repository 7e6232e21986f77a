-- Who is behind a letter and how to reach them: a contact person for the
-- press and readers, and the person responsible for personal information
-- (Quebec's Law 25). Empty: not named; a letter without an officer shows
-- the site's.
ALTER TABLE letters ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE letters ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE letters ADD COLUMN privacy_officer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE letters ADD COLUMN privacy_officer_email TEXT NOT NULL DEFAULT '';
