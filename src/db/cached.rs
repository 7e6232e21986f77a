//! Statements kept prepared that diesel would prepare anew on every run.
//!
//! Diesel keeps a statement prepared only when it can prove the SQL text is
//! the same every time. It never does for an `UPDATE` (a changeset of
//! `Option`s can leave columns out, so one Rust type can stand for several
//! texts) nor for raw SQL. Profiles of the confirmation path showed SQLite
//! parsing its `UPDATE`s and the group writer's savepoints again for every
//! signature; PostgreSQL likewise parses and plans an unprepared statement
//! each time. So the statements on that path are written here by hand,
//! with fixed texts that diesel caches under their SQL.
//!
//! Each type's SQL must be the same on every run. `Fixed` stands for many
//! texts, so diesel looks it up by its text; the others have one text each
//! and a static query id, so that on a backend's own connection
//! (`db::on_backend!`) diesel finds them by type without writing the text.

mod sign_many;
pub use sign_many::{FirstSignature, SignManyOnPg};

use super::{on_backend, DbConn};
use crate::model::SignatureStatus;
use chrono::NaiveDateTime;
use diesel::backend::Backend;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{Bool, HasSqlType, Integer, Nullable, Text, Timestamp};
use diesel::{ExpressionMethods, QueryDsl, QueryResult, RunQueryDsl};

/// A statement without parameters: savepoints and the like.
#[derive(Debug, Clone, Copy)]
pub struct Fixed(pub &'static str);

impl QueryId for Fixed {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<DB: Backend> QueryFragment<DB> for Fixed {
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        pass.push_sql(self.0);
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for Fixed {}

/// A pending signature becomes confirmed, with the content its link
/// confirmed and the moderation state that content gets. Written one by
/// one ([`run`](Self::run)) or many at once on PostgreSQL
/// ([`ConfirmManyOnPg`]).
#[derive(Debug, Clone, Copy)]
pub struct ConfirmSignature<'a> {
    pub id: &'a str,
    pub at: NaiveDateTime,
    pub moderation: &'a str,
    pub name: &'a str,
    pub sort_key: &'a str,
    pub titles: &'a str,
    pub city: Option<&'a str>,
    pub is_public: bool,
    pub wants_updates: bool,
    pub language: &'a str,
    pub consent_version: &'a str,
    pub consent_at: NaiveDateTime,
    pub consent_letter_version: Option<i32>,
    pub verified_lines: Option<&'a str>,
}

impl ConfirmSignature<'_> {
    /// Writes it, if the row is still pending; `stored` is the moderation
    /// state the pending row holds. Returns the rows written (0 or 1).
    ///
    /// The state has a statement of its own, run only when it changes:
    /// SQLite rewrites the entry of every index on a column that the `SET`
    /// names, changed or not, and `signatures_moderation` (keyed by when
    /// the signature was made) then took a random page of the log per
    /// confirmation.
    pub fn run(&self, conn: &mut DbConn, stored: &str) -> QueryResult<usize> {
        use super::schema::signatures;
        let updated = on_backend!(conn, c => ConfirmRow(self).execute(c))?;
        if updated > 0 && stored != self.moderation {
            let place = diesel::update(signatures::table.find(self.id))
                .set(signatures::moderation.eq(self.moderation));
            on_backend!(conn, c => place.execute(c))?;
        }
        Ok(updated)
    }
}

/// [`ConfirmSignature`]'s statement, all but its moderation state.
struct ConfirmRow<'s, 'a>(&'s ConfirmSignature<'a>);

/// The static query id of [`ConfirmRow`], whose text never varies.
pub struct ConfirmSignatureQuery;

impl QueryId for ConfirmRow<'_, '_> {
    type QueryId = ConfirmSignatureQuery;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<DB> QueryFragment<DB> for ConfirmRow<'_, '_>
where
    DB: Backend + HasSqlType<Text> + HasSqlType<Timestamp> + HasSqlType<Bool> + HasSqlType<Integer>,
    str: ToSql<Text, DB>,
    NaiveDateTime: ToSql<Timestamp, DB>,
    bool: ToSql<Bool, DB>,
    i32: ToSql<Integer, DB>,
{
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let row = self.0;
        pass.push_sql("UPDATE signatures SET status = ");
        pass.push_bind_param::<Text, _>(SignatureStatus::Confirmed.as_str())?;
        pass.push_sql(", confirmed_at = ");
        pass.push_bind_param::<Timestamp, _>(&row.at)?;
        pass.push_sql(", updated_at = ");
        pass.push_bind_param::<Timestamp, _>(&row.at)?;
        pass.push_sql(", name = ");
        pass.push_bind_param::<Text, _>(row.name)?;
        pass.push_sql(", sort_key = ");
        pass.push_bind_param::<Text, _>(row.sort_key)?;
        pass.push_sql(", titles = ");
        pass.push_bind_param::<Text, _>(row.titles)?;
        pass.push_sql(", city = ");
        pass.push_bind_param::<Nullable<Text>, _>(&row.city)?;
        pass.push_sql(", is_public = ");
        pass.push_bind_param::<Bool, _>(&row.is_public)?;
        pass.push_sql(", wants_updates = ");
        pass.push_bind_param::<Bool, _>(&row.wants_updates)?;
        pass.push_sql(", language = ");
        pass.push_bind_param::<Text, _>(row.language)?;
        pass.push_sql(", consent_version = ");
        pass.push_bind_param::<Text, _>(row.consent_version)?;
        pass.push_sql(", consent_at = ");
        pass.push_bind_param::<Timestamp, _>(&row.consent_at)?;
        pass.push_sql(", consent_letter_version = ");
        pass.push_bind_param::<Nullable<Integer>, _>(&row.consent_letter_version)?;
        pass.push_sql(", verified_lines = ");
        pass.push_bind_param::<Nullable<Text>, _>(&row.verified_lines)?;
        pass.push_sql(", approved_at = NULL WHERE id = ");
        pass.push_bind_param::<Text, _>(row.id)?;
        // Only a pending row: on PostgreSQL a withdrawal that committed
        // since this transaction read the row must not be undone.
        pass.push_sql(" AND status = ");
        pass.push_bind_param::<Text, _>(SignatureStatus::Pending.as_str())?;
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for ConfirmRow<'_, '_> {}

/// A single-use token is spent.
#[derive(Debug, Clone, Copy)]
pub struct SpendToken<'a> {
    pub hash: &'a str,
    pub at: NaiveDateTime,
}

/// The static query id of [`SpendToken`], whose text never varies.
pub struct SpendTokenQuery;

impl QueryId for SpendToken<'_> {
    type QueryId = SpendTokenQuery;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<DB> QueryFragment<DB> for SpendToken<'_>
where
    DB: Backend + HasSqlType<Text> + HasSqlType<Timestamp>,
    str: ToSql<Text, DB>,
    NaiveDateTime: ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        pass.push_sql("UPDATE tokens SET used_at = ");
        pass.push_bind_param::<Timestamp, _>(&self.at)?;
        pass.push_sql(" WHERE token_hash = ");
        pass.push_bind_param::<Text, _>(self.hash)?;
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for SpendToken<'_> {}

/// A confirmed signature's search words, on PostgreSQL: one text for any
/// number of words, so it stays prepared. A multi-row `VALUES` has a text
/// per row count, which PostgreSQL parsed and planned again for every
/// confirmation.
#[derive(Debug, Clone, Copy)]
pub struct InsertWords<'a> {
    pub signature_id: &'a str,
    pub letter_id: &'a str,
    pub words: &'a [String],
}

/// The static query id of [`InsertWords`], whose text never varies.
pub struct InsertWordsQuery;

impl QueryId for InsertWords<'_> {
    type QueryId = InsertWordsQuery;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl QueryFragment<diesel::pg::Pg> for InsertWords<'_> {
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        pass.push_sql("INSERT INTO signature_words (signature_id, letter_id, word) SELECT ");
        pass.push_bind_param::<Text, _>(self.signature_id)?;
        pass.push_sql(", ");
        pass.push_bind_param::<Text, _>(self.letter_id)?;
        pass.push_sql(", unnest(");
        pass.push_bind_param::<diesel::sql_types::Array<Text>, _>(self.words)?;
        pass.push_sql(")");
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for InsertWords<'_> {}

/// One signature of a [`ConfirmManyOnPg`]: its update, its search words
/// and the link that confirms it.
pub struct ConfirmedRow<'a> {
    pub update: ConfirmSignature<'a>,
    pub words: Vec<String>,
    pub hash: &'a str,
}

/// On PostgreSQL, the writes of many confirmations as one statement, so
/// one round trip and one plan for a whole batch: each signature's update,
/// its search words and spending its link, the words and the spending
/// only where the update found the signature still pending (a withdrawal
/// that committed since this transaction read the row must not be
/// undone). It returns
/// the ids it updated. The rows travel as one array a column, so the text
/// is the same for any number of them and stays prepared.
pub struct ConfirmManyOnPg<'a> {
    id: Vec<&'a str>,
    at: Vec<NaiveDateTime>,
    moderation: Vec<&'a str>,
    name: Vec<&'a str>,
    sort_key: Vec<&'a str>,
    titles: Vec<&'a str>,
    city: Vec<Option<&'a str>>,
    is_public: Vec<bool>,
    wants_updates: Vec<bool>,
    language: Vec<&'a str>,
    consent_version: Vec<&'a str>,
    consent_at: Vec<NaiveDateTime>,
    consent_letter_version: Vec<Option<i32>>,
    verified_lines: Vec<Option<&'a str>>,
    hash: Vec<&'a str>,
    word_of: Vec<&'a str>,
    word: Vec<&'a str>,
}

impl<'a> ConfirmManyOnPg<'a> {
    pub fn new(rows: &'a [ConfirmedRow<'a>]) -> ConfirmManyOnPg<'a> {
        let column = |f: fn(&ConfirmSignature<'a>) -> &'a str| rows.iter().map(|r| f(&r.update)).collect();
        let (word_of, word) = rows
            .iter()
            .flat_map(|r| r.words.iter().map(move |w| (r.update.id, w.as_str())))
            .unzip();
        ConfirmManyOnPg {
            id: column(|u| u.id),
            at: rows.iter().map(|r| r.update.at).collect(),
            moderation: column(|u| u.moderation),
            name: column(|u| u.name),
            sort_key: column(|u| u.sort_key),
            titles: column(|u| u.titles),
            city: rows.iter().map(|r| r.update.city).collect(),
            is_public: rows.iter().map(|r| r.update.is_public).collect(),
            wants_updates: rows.iter().map(|r| r.update.wants_updates).collect(),
            language: column(|u| u.language),
            consent_version: column(|u| u.consent_version),
            consent_at: rows.iter().map(|r| r.update.consent_at).collect(),
            consent_letter_version: rows.iter().map(|r| r.update.consent_letter_version).collect(),
            verified_lines: rows.iter().map(|r| r.update.verified_lines).collect(),
            hash: rows.iter().map(|r| r.hash).collect(),
            word_of,
            word,
        }
    }
}

/// The static query id of [`ConfirmManyOnPg`], whose text never varies.
pub struct ConfirmManyOnPgQuery;

impl QueryId for ConfirmManyOnPg<'_> {
    type QueryId = ConfirmManyOnPgQuery;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl diesel::query_builder::Query for ConfirmManyOnPg<'_> {
    type SqlType = Text;
}

impl QueryFragment<diesel::pg::Pg> for ConfirmManyOnPg<'_> {
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        use diesel::sql_types::Array;
        // The pending status travels as a column of `i`, a join clause:
        // as a constant it let PostgreSQL drive the update from the index
        // of unconfirmed signatures, and under a wave of signing, with
        // statistics taken before it, it scanned every pending row of
        // every batch (180 confirmations a second in bench/run).
        // `MATERIALIZED` keeps the planner from folding the column back
        // into a constant; the signatures are then found by primary key.
        pass.push_sql("WITH i AS MATERIALIZED (SELECT *, ");
        pass.push_bind_param::<Text, _>(SignatureStatus::Pending.as_str())?;
        pass.push_sql(" AS pending FROM unnest(");
        pass.push_bind_param::<Array<Text>, _>(&self.id)?;
        pass.push_sql(", ");
        pass.push_bind_param::<Array<Timestamp>, _>(&self.at)?;
        for texts in [&self.moderation, &self.name, &self.sort_key, &self.titles] {
            pass.push_sql(", ");
            pass.push_bind_param::<Array<Text>, _>(texts)?;
        }
        pass.push_sql(", ");
        pass.push_bind_param::<Array<Nullable<Text>>, _>(&self.city)?;
        pass.push_sql(", ");
        pass.push_bind_param::<Array<Bool>, _>(&self.is_public)?;
        pass.push_sql(", ");
        pass.push_bind_param::<Array<Bool>, _>(&self.wants_updates)?;
        pass.push_sql(", ");
        pass.push_bind_param::<Array<Text>, _>(&self.language)?;
        pass.push_sql(", ");
        pass.push_bind_param::<Array<Text>, _>(&self.consent_version)?;
        pass.push_sql(", ");
        pass.push_bind_param::<Array<Timestamp>, _>(&self.consent_at)?;
        pass.push_sql(", ");
        pass.push_bind_param::<Array<Nullable<Integer>>, _>(&self.consent_letter_version)?;
        pass.push_sql(", ");
        pass.push_bind_param::<Array<Nullable<Text>>, _>(&self.verified_lines)?;
        pass.push_sql(", ");
        pass.push_bind_param::<Array<Text>, _>(&self.hash)?;
        pass.push_sql(
            ") AS i(id, at, moderation, name, sort_key, titles, city, is_public, wants_updates, \
             language, consent_version, consent_at, consent_letter_version, verified_lines, hash)), \
             s AS (UPDATE signatures AS g SET status = ",
        );
        pass.push_bind_param::<Text, _>(SignatureStatus::Confirmed.as_str())?;
        pass.push_sql(
            ", confirmed_at = i.at, updated_at = i.at, moderation = i.moderation, name = i.name, \
             sort_key = i.sort_key, titles = i.titles, city = i.city, is_public = i.is_public, \
             wants_updates = i.wants_updates, language = i.language, consent_version = i.consent_version, \
             consent_at = i.consent_at, consent_letter_version = i.consent_letter_version, \
             verified_lines = i.verified_lines, approved_at = NULL FROM i \
             WHERE g.id = i.id AND g.status = i.pending \
             RETURNING g.id, g.letter_id, i.hash, i.at), \
             w AS (INSERT INTO signature_words (signature_id, letter_id, word) \
             SELECT s.id, s.letter_id, x.word FROM unnest(",
        );
        pass.push_bind_param::<Array<Text>, _>(&self.word_of)?;
        pass.push_sql(", ");
        pass.push_bind_param::<Array<Text>, _>(&self.word)?;
        pass.push_sql(
            ") AS x(id, word) JOIN s ON s.id = x.id), \
             t AS (UPDATE tokens SET used_at = s.at FROM s WHERE tokens.token_hash = s.hash) \
             SELECT id FROM s",
        );
        Ok(())
    }
}

impl<Conn> RunQueryDsl<Conn> for ConfirmManyOnPg<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::{Connection, InstrumentationEvent, SimpleConnection};
    use diesel::SqliteConnection;
    use std::sync::{Arc, Mutex};

    /// A connection with the two tables, that records the statements it
    /// prepares and the ones it keeps.
    fn counting() -> (DbConn, Arc<Mutex<Vec<String>>>) {
        let mut conn = DbConn::Sqlite(SqliteConnection::establish(":memory:").unwrap());
        conn.batch_execute(
            "CREATE TABLE signatures (id TEXT PRIMARY KEY, status TEXT NOT NULL, confirmed_at TEXT, \
             updated_at TEXT NOT NULL, moderation TEXT NOT NULL, name TEXT, sort_key TEXT, titles TEXT, \
             city TEXT, is_public BOOL, wants_updates BOOL, language TEXT, consent_version TEXT, \
             consent_at TEXT, consent_letter_version INTEGER, verified_lines TEXT, approved_at TEXT); \
             INSERT INTO signatures (id, status, updated_at, moderation) \
             VALUES ('s1', 'pending', 'then', 'none'), ('s2', 'pending', 'then', 'none'); \
             CREATE TABLE tokens (token_hash TEXT PRIMARY KEY, used_at TEXT); \
             INSERT INTO tokens VALUES ('h1', NULL), ('h2', NULL);",
        )
        .unwrap();
        let kept = Arc::new(Mutex::new(Vec::new()));
        let seen = kept.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::CacheQuery { sql, .. } = event {
                seen.lock().unwrap().push(sql.to_string());
            }
        });
        (conn, kept)
    }

    #[derive(diesel::QueryableByName, Debug, PartialEq)]
    struct Row {
        #[diesel(sql_type = Text)]
        v: String,
    }

    fn read(conn: &mut DbConn, sql: &str) -> Vec<String> {
        diesel::sql_query(sql)
            .load::<Row>(conn)
            .unwrap()
            .into_iter()
            .map(|r| r.v)
            .collect()
    }

    #[test]
    fn each_statement_is_prepared_once_and_does_what_it_says() {
        let (mut conn, kept) = counting();
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 27)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        for (id, moderation) in [("s1", "none"), ("s2", "queued")] {
            ConfirmSignature {
                id,
                at,
                moderation,
                name: "Zoé",
                sort_key: "zoe",
                titles: "[]",
                city: None,
                is_public: true,
                wants_updates: false,
                language: "fr",
                consent_version: "v1",
                consent_at: at,
                consent_letter_version: Some(1),
                verified_lines: None,
            }
            .run(&mut conn, "none")
            .unwrap();
        }
        for hash in ["h1", "h2"] {
            SpendToken { hash, at }.execute(&mut conn).unwrap();
        }
        conn.batch_execute("BEGIN").unwrap();
        for _ in 0..3 {
            Fixed("SAVEPOINT s").execute(&mut conn).unwrap();
            Fixed("RELEASE s").execute(&mut conn).unwrap();
        }
        conn.batch_execute("COMMIT").unwrap();

        assert_eq!(
            read(
                &mut conn,
                "SELECT id || ' ' || status || ' ' || moderation || ' ' || name || ' ' || (confirmed_at = updated_at) AS v \
                 FROM signatures ORDER BY id"
            ),
            ["s1 confirmed none Zoé 1", "s2 confirmed queued Zoé 1"]
        );
        assert_eq!(
            read(
                &mut conn,
                "SELECT token_hash AS v FROM tokens WHERE used_at IS NOT NULL ORDER BY 1"
            ),
            ["h1", "h2"]
        );
        let kept = kept.lock().unwrap();
        let mut texts: Vec<&str> = kept
            .iter()
            .map(String::as_str)
            .filter(|s| s.starts_with("UPDATE") || s.starts_with("SAVEPOINT") || s.starts_with("RELEASE"))
            .collect();
        texts.sort_unstable();
        assert_eq!(texts.len(), 4, "one prepared statement per text, kept: {texts:?}");
        assert!(texts[2].starts_with("UPDATE signatures") && texts[3].starts_with("UPDATE tokens"));
    }

    #[test]
    fn statements_of_one_text_are_found_by_type() {
        // Without a static id, every run writes the SQL text to look the
        // statement up; `Fixed` has many texts and must not have one.
        assert!(ConfirmRow::query_id().is_some());
        assert!(SpendToken::query_id().is_some());
        assert!(Fixed::query_id().is_none());
    }
}
