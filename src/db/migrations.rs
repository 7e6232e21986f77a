use super::{DbConn, DbError};
use diesel::connection::SimpleConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// An arbitrary constant shared by every process of this service, so that two
/// servers starting together on one PostgreSQL database migrate one at a time.
const MIGRATION_LOCK: i64 = 0x756e_6465_7273_6967;

/// Applies the pending migrations and returns how many ran.
pub fn run(conn: &mut DbConn) -> Result<usize, DbError> {
    let applied = apply(conn)?;
    if applied
        .iter()
        .any(|v| v.starts_with(super::sort_keys::SORT_KEY_MIGRATION))
    {
        let filled = super::sort_keys::backfill(conn)?;
        tracing::info!(filled, "surname sort keys filled");
    }
    if applied
        .iter()
        .any(|v| v.starts_with(super::signatures::search::SEARCH_MIGRATION))
    {
        let indexed = super::signatures::search::backfill(conn)?;
        tracing::info!(indexed, "signatures indexed for search");
    }
    Ok(applied.len())
}

fn apply(conn: &mut DbConn) -> Result<Vec<String>, DbError> {
    let to_err = |e: Box<dyn std::error::Error + Send + Sync>| DbError::Migration(e.to_string());
    match conn {
        DbConn::Sqlite(c) => {
            let applied = c.run_pending_migrations(SQLITE).map_err(to_err)?;
            Ok(applied.iter().map(|v| v.to_string()).collect())
        }
        DbConn::Pg(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
            let result = c
                .run_pending_migrations(POSTGRES)
                .map(|v| v.iter().map(|v| v.to_string()).collect())
                .map_err(to_err);
            c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
            result
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::db;
    use diesel::sql_types::{BigInt, Text};
    use diesel::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Sql {
        #[diesel(sql_type = Text)]
        sql: String,
    }

    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    /// The search words' table on SQLite is its key's b-tree and checks no
    /// key per word (`2026-12-13-100000_words_without_rowid`): a word
    /// written under a wave of confirmations is two b-tree entries.
    #[test]
    fn search_words_are_two_b_trees_and_no_key_check_on_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::connect(&db::DatabaseUrl::Sqlite(dir.path().join("m.db")), 1).unwrap();
        let mut conn = pool.get().unwrap();
        super::run(&mut conn).unwrap();
        let conn: &mut db::DbConn = &mut conn;
        let table: Sql = diesel::sql_query("SELECT sql FROM sqlite_master WHERE name = 'signature_words'")
            .get_result(conn)
            .unwrap();
        assert!(table.sql.contains("WITHOUT ROWID"), "{}", table.sql);
        let keys: Count =
            diesel::sql_query("SELECT count(*) AS n FROM pragma_foreign_key_list('signature_words')")
                .get_result(conn)
                .unwrap();
        assert_eq!(keys.n, 0);
        let indexes: Count = diesel::sql_query(
            "SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND tbl_name = 'signature_words'",
        )
        .get_result(conn)
        .unwrap();
        assert_eq!(indexes.n, 1, "the prefix index alone beside the key");
    }
}
