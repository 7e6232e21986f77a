DROP TABLE letter_logos;
