DROP INDEX signatures_confirmed;
DROP INDEX signatures_surname;
ALTER TABLE signatures DROP COLUMN sort_key;
