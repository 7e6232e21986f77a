ALTER TABLE mailing_texts DROP COLUMN letter_title;
ALTER TABLE mailings DROP COLUMN language;
ALTER TABLE mailings DROP COLUMN reply_to;
ALTER TABLE mailings DROP COLUMN sender_name;
