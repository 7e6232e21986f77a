ALTER TABLE signatures DROP COLUMN verified_lines;
DROP TABLE affiliation_domains;
