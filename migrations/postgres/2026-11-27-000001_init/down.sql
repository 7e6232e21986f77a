DROP TABLE outbox;
DROP TABLE tokens;
DROP TABLE signatures;
DROP TABLE letters;
