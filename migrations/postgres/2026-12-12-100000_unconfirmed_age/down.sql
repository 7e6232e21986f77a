DROP INDEX signatures_unconfirmed_age;
CREATE INDEX signatures_status_created ON signatures(status, created_at);
