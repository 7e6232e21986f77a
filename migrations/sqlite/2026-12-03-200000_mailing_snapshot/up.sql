-- What a message is sent as, fixed when its sending starts: the name it
-- goes out under (the letter's organizing body), where replies go (the
-- letter's contact), the letter's own language (the text a reader without
-- one of their own gets) and, per text, the letter's title in that
-- language. A co-editor editing the letter mid-send changes none of them.
ALTER TABLE mailings ADD COLUMN sender_name TEXT NOT NULL DEFAULT '';
ALTER TABLE mailings ADD COLUMN reply_to TEXT NOT NULL DEFAULT '';
ALTER TABLE mailings ADD COLUMN language TEXT;
ALTER TABLE mailing_texts ADD COLUMN letter_title TEXT NOT NULL DEFAULT '';

-- Messages started before this version: what their letter says now.
UPDATE mailings SET
    sender_name = (SELECT l.organized_by FROM letters l WHERE l.id = mailings.letter_id),
    reply_to = (SELECT l.contact_email FROM letters l WHERE l.id = mailings.letter_id),
    language = (SELECT l.language FROM letters l WHERE l.id = mailings.letter_id)
WHERE status <> 'draft';
UPDATE mailing_texts SET letter_title = COALESCE(
    (SELECT l.title FROM mailings m JOIN letters l ON l.id = m.letter_id
      WHERE m.id = mailing_texts.mailing_id AND l.language = mailing_texts.language),
    (SELECT t.title FROM mailings m JOIN letter_translations t ON t.letter_id = m.letter_id
      WHERE m.id = mailing_texts.mailing_id AND t.language = mailing_texts.language),
    (SELECT l.title FROM mailings m JOIN letters l ON l.id = m.letter_id
      WHERE m.id = mailing_texts.mailing_id),
    '')
WHERE mailing_id IN (SELECT id FROM mailings WHERE status <> 'draft');
