ALTER TABLE letters DROP COLUMN privacy_officer_email;
ALTER TABLE letters DROP COLUMN privacy_officer_name;
ALTER TABLE letters DROP COLUMN contact_email;
ALTER TABLE letters DROP COLUMN contact_name;
