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
