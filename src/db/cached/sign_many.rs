//! On PostgreSQL, the first signatures of many addresses as one statement.

use crate::model::{LetterStatus, OutboxStatus, SignatureStatus, Tier, TokenPurpose};
use chrono::NaiveDateTime;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Bool, Nullable, Text, Timestamp};
use diesel::{QueryResult, RunQueryDsl};

/// One address's first signature of a letter, as a [`SignManyOnPg`] stores
/// it: the signature, the three links of its confirmation email and that
/// email's row in the outbox.
pub struct FirstSignature<'a> {
    pub id: &'a str,
    pub letter_id: &'a str,
    pub at: NaiveDateTime,
    pub name: &'a str,
    pub sort_key: &'a str,
    pub titles: &'a str,
    pub email: &'a str,
    pub email_key: &'a str,
    pub city: Option<&'a str>,
    pub is_public: bool,
    pub wants_updates: bool,
    pub language: &'a str,
    pub consent_version: &'a str,
    /// The confirmation link: its hash, when it expires, the content it
    /// confirms and the key its manage and withdrawal links derive from.
    pub confirm_hash: &'a str,
    pub confirm_expires: NaiveDateTime,
    pub content: &'a str,
    pub links_key: Option<i64>,
    pub manage_hash: &'a str,
    pub withdraw_hash: &'a str,
    pub outbox_id: &'a str,
    /// The links the confirmation email carries, as the outbox keeps them.
    pub links: &'a str,
}

/// The first signatures of many addresses in one statement, so one round
/// trip and one plan for a whole batch where each took three: every
/// signature that the letter still takes and whose address has not signed
/// it (the same conditions and the same `ON CONFLICT` as one submission's
/// insert), and for each signature stored, its three links and its
/// confirmation email. It returns the ids it stored. As with
/// [`super::ConfirmManyOnPg`], the rows travel as one array a column, so
/// the text is the same for any number of them and stays prepared.
///
/// Signatures go in by letter and address, whatever the batch's order:
/// each takes its address's entry in the unique index, so two writers'
/// batches with addresses in common meet at the first of them, the later
/// waiting for the earlier, instead of each holding what the other needs
/// next until the deadlock check (a second) rolls one of them back.
pub struct SignManyOnPg<'a> {
    texts: [Vec<&'a str>; 15],
    city: Vec<Option<&'a str>>,
    flags: [Vec<bool>; 2],
    times: [Vec<NaiveDateTime>; 2],
    links_key: Vec<Option<i64>>,
}

impl<'a> SignManyOnPg<'a> {
    pub fn new(rows: &'a [FirstSignature<'a>]) -> SignManyOnPg<'a> {
        let texts = |f: fn(&FirstSignature<'a>) -> &'a str| rows.iter().map(f).collect();
        SignManyOnPg {
            texts: [
                texts(|r| r.id),
                texts(|r| r.letter_id),
                texts(|r| r.name),
                texts(|r| r.sort_key),
                texts(|r| r.titles),
                texts(|r| r.email),
                texts(|r| r.email_key),
                texts(|r| r.language),
                texts(|r| r.consent_version),
                texts(|r| r.confirm_hash),
                texts(|r| r.content),
                texts(|r| r.manage_hash),
                texts(|r| r.withdraw_hash),
                texts(|r| r.outbox_id),
                texts(|r| r.links),
            ],
            city: rows.iter().map(|r| r.city).collect(),
            flags: [
                rows.iter().map(|r| r.is_public).collect(),
                rows.iter().map(|r| r.wants_updates).collect(),
            ],
            times: [
                rows.iter().map(|r| r.at).collect(),
                rows.iter().map(|r| r.confirm_expires).collect(),
            ],
            links_key: rows.iter().map(|r| r.links_key).collect(),
        }
    }
}

/// The static query id of [`SignManyOnPg`], whose text never varies.
pub struct SignManyOnPgQuery;

impl QueryId for SignManyOnPg<'_> {
    type QueryId = SignManyOnPgQuery;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl diesel::query_builder::Query for SignManyOnPg<'_> {
    type SqlType = Text;
}

impl QueryFragment<Pg> for SignManyOnPg<'_> {
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        pass.push_sql("WITH i AS MATERIALIZED (SELECT * FROM unnest(");
        for (n, texts) in self.texts.iter().enumerate() {
            if n > 0 {
                pass.push_sql(", ");
            }
            pass.push_bind_param::<Array<Text>, _>(texts)?;
        }
        pass.push_sql(", ");
        pass.push_bind_param::<Array<Nullable<Text>>, _>(&self.city)?;
        for flags in &self.flags {
            pass.push_sql(", ");
            pass.push_bind_param::<Array<Bool>, _>(flags)?;
        }
        for times in &self.times {
            pass.push_sql(", ");
            pass.push_bind_param::<Array<Timestamp>, _>(times)?;
        }
        pass.push_sql(", ");
        pass.push_bind_param::<Array<Nullable<BigInt>>, _>(&self.links_key)?;
        pass.push_sql(
            ") AS i(id, letter_id, name, sort_key, titles, email, email_key, language, consent_version, \
             confirm_hash, content, manage_hash, withdraw_hash, outbox_id, links, city, is_public, \
             wants_updates, at, confirm_expires, links_key)), \
             s AS (INSERT INTO signatures (id, letter_id, name, sort_key, titles, email, email_key, city, \
             is_public, tier, status, language, consent_version, wants_updates, confirmation_sends, \
             sends_window_start, consent_at, consent_letter_version, created_at, updated_at) \
             SELECT i.id, l.id, i.name, i.sort_key, i.titles, i.email, i.email_key, i.city, i.is_public, ",
        );
        pass.push_bind_param::<Text, _>(Tier::Public.as_str())?;
        pass.push_sql(", ");
        pass.push_bind_param::<Text, _>(SignatureStatus::Pending.as_str())?;
        pass.push_sql(
            ", i.language, i.consent_version, i.wants_updates, 1, i.at, i.at, l.current_version, i.at, i.at \
             FROM i JOIN letters AS l ON l.id = i.letter_id AND l.status = ",
        );
        pass.push_bind_param::<Text, _>(LetterStatus::Published.as_str())?;
        pass.push_sql(
            " AND (l.close_at IS NULL OR l.close_at > i.at) \
             ORDER BY i.letter_id, i.email_key \
             ON CONFLICT (letter_id, email_key) DO NOTHING RETURNING id), \
             d AS (SELECT i.* FROM i JOIN s ON s.id = i.id), \
             t AS (INSERT INTO tokens (token_hash, signature_id, purpose, expires_at, created_at, content, \
             links_key) SELECT k.hash, d.id, k.purpose, k.expires_at, d.at, k.content, k.links_key FROM d \
             CROSS JOIN LATERAL (VALUES (d.confirm_hash, ",
        );
        pass.push_bind_param::<Text, _>(TokenPurpose::Confirm.as_str())?;
        pass.push_sql(", d.confirm_expires, d.content, d.links_key), (d.manage_hash, ");
        pass.push_bind_param::<Text, _>(TokenPurpose::Manage.as_str())?;
        pass.push_sql(", NULL, NULL, NULL), (d.withdraw_hash, ");
        pass.push_bind_param::<Text, _>(TokenPurpose::Withdraw.as_str())?;
        pass.push_sql(
            ", NULL, NULL, NULL)) AS k(hash, purpose, expires_at, content, links_key)), \
             o AS (INSERT INTO outbox (id, kind, recipient, subject, body_text, body_html, status, \
             attempts, next_attempt_at, created_at, signature_id, links) \
             SELECT d.outbox_id, ",
        );
        pass.push_bind_param::<Text, _>(crate::db::outbox::CONFIRMATION_KIND)?;
        pass.push_sql(", d.email, '', '', '', ");
        pass.push_bind_param::<Text, _>(OutboxStatus::Pending.as_str())?;
        pass.push_sql(", 0, d.at, d.at, d.id, d.links FROM d) SELECT id FROM s");
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for SignManyOnPg<'_> {}
