//! "The signature is confirmed", written into a query's text instead of
//! bound as a parameter.
//!
//! The indexes behind the public count, list, search, figures and exports
//! hold confirmed signatures only (partial indexes, `WHERE status =
//! 'confirmed'`, migration `2026-12-09-100000_confirmed_indexes`). A pending
//! signature, most of which are written once by the signing form and never
//! looked at by those pages, then costs four index entries instead of nine,
//! and its confirmation inserts entries instead of moving them.
//!
//! A planner uses a partial index only when the query's own text implies
//! the index's condition. With `status = ?` SQLite compares the bound value
//! while planning and so prepares the statement again at every execution,
//! and PostgreSQL's cached generic plans cannot use the index at all. Every
//! query that reads those indexes filters with [`CONFIRMED`] (or
//! [`UNCONFIRMED`] for the index of the others); a lib test checks that the
//! busy reads find an index on SQLite. On PostgreSQL the indexes leave
//! `status` out of their columns: it drops a condition the index's
//! predicate implies from the index conditions, and a `status` column
//! would end every range at `letter_id`.

use super::schema::signatures;
use diesel::backend::Backend;
use diesel::expression::{is_aggregate, AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::Bool;
use diesel::QueryResult;

/// `signatures.status = 'confirmed'` when `C`, `<> 'confirmed'` otherwise.
#[derive(Debug, Clone, Copy)]
pub struct StatusConfirmed<const C: bool>;

/// The signature is confirmed: the filter of every public read.
pub const CONFIRMED: StatusConfirmed<true> = StatusConfirmed;
/// The signature is pending or withdrawn.
pub const UNCONFIRMED: StatusConfirmed<false> = StatusConfirmed;

/// The type of [`CONFIRMED`], for the query types that name it.
pub type IsConfirmed = StatusConfirmed<true>;

impl<const C: bool> Expression for StatusConfirmed<C> {
    type SqlType = Bool;
}

impl<const C: bool, GB> ValidGrouping<GB> for StatusConfirmed<C> {
    type IsAggregate = is_aggregate::Never;
}

impl<const C: bool, QS> AppearsOnTable<QS> for StatusConfirmed<C> where signatures::status: AppearsOnTable<QS> {}

impl<const C: bool, QS> SelectableExpression<QS> for StatusConfirmed<C> where
    signatures::status: SelectableExpression<QS>
{
}

impl<const C: bool> QueryId for StatusConfirmed<C> {
    type QueryId = Self;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<const C: bool, DB: Backend> QueryFragment<DB> for StatusConfirmed<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        // Must read as the indexes' own condition, `status = 'confirmed'`:
        // both planners compare the column and the literal, not the text.
        out.push_sql(if C {
            "\"signatures\".\"status\" = 'confirmed'"
        } else {
            "\"signatures\".\"status\" <> 'confirmed'"
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SignatureStatus;

    #[test]
    fn the_literal_is_the_stored_name_of_the_status() {
        // The migration's indexes and this text must name the same value.
        assert_eq!(SignatureStatus::Confirmed.as_str(), "confirmed");
        let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&CONFIRMED).to_string();
        assert!(
            sql.starts_with("\"signatures\".\"status\" = 'confirmed'"),
            "{sql}"
        );
        let sql = diesel::debug_query::<diesel::pg::Pg, _>(&UNCONFIRMED).to_string();
        assert!(
            sql.starts_with("\"signatures\".\"status\" <> 'confirmed'"),
            "{sql}"
        );
    }

    /// Runs `run` on an empty migrated database and returns, for each
    /// statement it ran that `keep` takes, its text and SQLite's plan.
    fn plans_of(
        run: impl FnOnce(&mut crate::db::DbConn),
        keep: impl Fn(&str) -> bool,
    ) -> Vec<(String, Vec<String>)> {
        use crate::db;
        use diesel::connection::{Connection, InstrumentationEvent};
        use diesel::RunQueryDsl;
        use std::sync::{Arc, Mutex};

        let dir = tempfile::tempdir().unwrap();
        let pool = db::connect(&db::DatabaseUrl::Sqlite(dir.path().join("plans.db")), 1).unwrap();
        let mut conn = pool.get().unwrap();
        db::migrations::run(&mut conn).unwrap();
        let seen = Arc::new(Mutex::new(Vec::<String>::new()));
        let log = seen.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { query, .. } = event {
                log.lock().unwrap().push(query.to_string());
            }
        });
        let conn: &mut db::DbConn = &mut conn;
        run(conn);
        let statements = seen.lock().unwrap().clone();
        statements
            .into_iter()
            .map(|q| q.split(" -- binds:").next().unwrap_or_default().to_string())
            .filter(|sql| keep(sql))
            .map(|sql| {
                let plan: Vec<String> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
                    .load::<PlanLine>(conn)
                    .unwrap()
                    .into_iter()
                    .map(|l| l.detail)
                    .collect();
                (sql, plan)
            })
            .collect()
    }

    /// The public reads (and the dashboard's), each statement on
    /// `signatures` with its plan.
    fn plans_of_the_reads() -> Vec<(String, Vec<String>)> {
        // The reads by status: a lookup by address or id has its own index.
        plans_of(the_reads, |sql| {
            sql.starts_with("SELECT") && sql.contains("`signatures`") && sql.contains("status")
        })
    }

    fn the_reads(conn: &mut crate::db::DbConn) {
        use crate::db::signatures::pages::{self, ListOrder, Seek};
        use crate::db::{self, dashboard, export_rows, press, signatures, stats};
        let letter = crate::model::LetterId::from_raw("l");
        let now = db::now();
        signatures::count_confirmed(conn, &letter).unwrap();
        signatures::initial_signatories(conn, &letter).unwrap();
        signatures::latest_public(conn, &letter, 5).unwrap();
        signatures::public_page(conn, &letter, None, 50).unwrap();
        for order in [ListOrder::Signed, ListOrder::Name] {
            pages::list_page(conn, &letter, order, &Seek::First, 50).unwrap();
        }
        pages::count_listed(conn, &letter).unwrap();
        let words = crate::domain::search::SearchQuery::parse("tremblay 42").unwrap();
        signatures::search::search_page(conn, &letter, &words, None, 20).unwrap();
        stats::figures(conn, &letter, Default::default()).unwrap();
        dashboard::status_counts(conn, &letter).unwrap();
        dashboard::breakdown(conn, &letter).unwrap();
        dashboard::confirmed_since(conn, &letter, now).unwrap();
        press::listed(conn, &letter, now).unwrap();
        press::count_only(conn, &letter).unwrap();
        for who in [export_rows::Who::All, export_rows::Who::Public] {
            let sel = export_rows::Selection {
                letter_id: letter.clone(),
                who,
                order: export_rows::Order::List,
                initial_first: true,
                as_of: now,
            };
            export_rows::count(conn, &sel).unwrap();
            export_rows::max_titles(conn, &sel).unwrap();
        }
        let name = crate::domain::csv_rows::PersonKey::Name("tremblay marie".into(), None);
        signatures::imported::known_keys(conn, &letter, &[&name]).unwrap();
    }

    /// The purge of expired pending signatures finds them in the index of
    /// unconfirmed ones, not among every signature.
    #[test]
    fn the_purge_reads_the_index_of_unconfirmed_signatures() {
        let plans = plans_of(
            |conn| {
                let cutoff = crate::db::now();
                crate::db::tx::in_write_tx(conn, |tx| {
                    crate::db::maintenance::purge_expired_pending(tx, cutoff)
                })
                .unwrap();
            },
            |sql| sql.starts_with("DELETE") && sql.contains("`signatures`"),
        );
        assert_eq!(plans.len(), 3, "tokens, outbox, signatures: {plans:#?}");
        for (sql, plan) in &plans {
            let on_signatures: Vec<&String> = plan.iter().filter(|l| l.contains("signatures")).collect();
            assert!(
                on_signatures
                    .iter()
                    .any(|l| l.contains("signatures_unconfirmed_age")),
                "not through the index of unconfirmed signatures\n{sql}\n{plan:#?}"
            );
            assert!(
                !on_signatures.iter().any(|l| l.trim() == "SCAN signatures"),
                "through every row\n{sql}\n{plan:#?}"
            );
        }
    }

    #[derive(diesel::QueryableByName)]
    struct PlanLine {
        #[diesel(sql_type = diesel::sql_types::Text)]
        detail: String,
    }

    /// The indexes of confirmed signatures only serve queries that say so
    /// in their text; a read that lost the literal would fall back to the
    /// letter's every row, through the address index or the table.
    #[test]
    fn the_public_reads_find_the_indexes_of_confirmed_signatures() {
        let plans = plans_of_the_reads();
        assert!(plans.len() >= 15, "the reads ran: {plans:#?}");
        let partial = [
            "signatures_shown",
            "signatures_confirmed",
            "signatures_surname",
            "signatures_count_day",
            "signatures_count_city",
            "signatures_unconfirmed",
        ];
        for (sql, plan) in &plans {
            let on_signatures: Vec<&String> = plan.iter().filter(|l| l.contains("signatures")).collect();
            assert!(
                on_signatures
                    .iter()
                    .any(|l| partial.iter().any(|i| l.contains(i))),
                "no index of confirmed signatures for\n{sql}\n{plan:#?}"
            );
            assert!(
                !on_signatures
                    .iter()
                    .any(|l| l.contains("signatures_letter_email_key") || l.trim() == "SCAN signatures"),
                "a read through every row\n{sql}\n{plan:#?}"
            );
        }
    }
}
