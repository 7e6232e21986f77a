DROP TABLE letter_translations;
