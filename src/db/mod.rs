//! Storage over SQLite or PostgreSQL from one codebase. The backend is picked
//! from the URL scheme, explicitly, so that a connection error names the real
//! problem instead of the last backend tried.
//!
//! Lookups by a unique key end in `get_result`, not `first`: `first` binds
//! its `LIMIT` as a parameter, and SQLite (3.53) reads a bound `LIMIT` while
//! planning, so it prepares the statement again every time the parameter is
//! bound. On the signing path that was a fifth of the time.

pub mod affiliations;
pub mod audit;
pub mod cached;
pub mod checkpoint;
pub mod collected;
pub mod confirmed;
pub mod contacts;
pub mod csv_uploads;
pub mod dashboard;
pub mod editors;
pub mod export_rows;
pub mod group_commit;
pub mod health;
pub mod initial;
pub mod letters;
pub mod logos;
pub mod mailings;
pub mod maintenance;
pub mod migrations;
pub mod moderation;
pub mod options;
pub mod organizers;
pub mod outbox;
pub mod press;
pub mod rate_limits;
pub mod reconnect;
pub mod schema;
pub mod sessions;
pub mod signatures;
pub mod sort_keys;
pub mod stats;
pub mod tokens;
pub mod translations;
mod tx;
pub mod versions;
pub mod visibility;

pub use options::{DbOptions, SqliteSync};
pub use tx::{write_tx, Tx};

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::{Connection, PgConnection, SqliteConnection};
use std::path::PathBuf;
use std::time::Duration;

/// Runs `$run` with `$c` bound to the backend's own connection.
///
/// Diesel's multi-backend connection writes a query's SQL text anew at
/// every run, even for a statement it keeps prepared (its wrapper builds
/// the text to ask whether the statement may be kept). On the busiest
/// paths that was a sixth of the SQLite writer thread's time while
/// confirming; on a backend's own connection a query with a static id is
/// found in the statement cache by its type alone. The same query is
/// written once and runs on either backend.
macro_rules! on_backend {
    ($conn:expr, $c:ident => $run:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $run,
            $crate::db::DbConn::Pg($c) => $run,
        }
    };
}
pub(crate) use on_backend;

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

pub type Pool = r2d2::Pool<DbManager>;
pub type PooledConn = r2d2::PooledConnection<DbManager>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("cannot create the folder for the SQLite database {path}: {source}")]
    CreateDir { path: String, source: std::io::Error },
    #[error("cannot connect to the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error("database query: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("database migration: {0}")]
    Migration(String),
    #[error("database writer: {0}")]
    Writer(String),
    /// A grouped write's commit failed for want of room or of its
    /// connection: the outage, not the write.
    #[error("database could not commit: {0}")]
    CommitRefused(String),
    #[error(
        "the database {database} does not take writes ({source}): check that the \
         user running undersigned may write the file and its folder, that the \
         disk has room, and that the server is not a read-only standby"
    )]
    NoWrites { database: String, source: Box<DbError> },
    /// Concurrent writers kept changing what a write depends on; trying
    /// again later will do.
    #[error("database contention: {0}")]
    Contended(&'static str),
    /// A stored value this build cannot read: refused rather than read as a
    /// default.
    #[error("stored data cannot be read: {0}")]
    Corrupt(String),
}

impl DbError {
    /// The database could not be reached, or the connection died under the
    /// query: an outage to answer with 503, not a fault of this request.
    pub fn is_unavailable(&self) -> bool {
        match self {
            DbError::Pool(_) | DbError::Connect(_) | DbError::CommitRefused(_) => true,
            DbError::Query(e) => lost_connection(e) || disk_full(e),
            _ => false,
        }
    }
}

/// The database has no room left for the write. Neither backend reaches
/// diesel with its own code for it (SQLITE_FULL, SQLSTATE 53100), only
/// with the message, which both have kept for decades.
pub(crate) fn disk_full(e: &diesel::result::Error) -> bool {
    match e {
        diesel::result::Error::DatabaseError(_, info) => {
            let message = info.message();
            message.contains("database or disk is full") || message.contains("No space left on device")
        }
        _ => false,
    }
}

/// The query failed because its connection is gone.
pub(crate) fn lost_connection(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::ClosedConnection
                | diesel::result::DatabaseErrorKind::UnableToSendCommand,
            _
        )
    )
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<DatabaseUrl, DbError> {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err(DbError::UnsupportedUrl(url.to_string()));
            }
            Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(url.to_string()))
        } else {
            Err(DbError::UnsupportedUrl(redact_url(url)))
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            DatabaseUrl::Sqlite(_) => "sqlite",
            DatabaseUrl::Postgres(_) => "postgres",
        }
    }

    /// The URL with any password removed, for logs.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
            DatabaseUrl::Postgres(u) => redact_url(u),
        }
    }
}

/// Drops the password of a `scheme://user:password@host` URL.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            if userinfo.contains(':') {
                format!("{scheme}://{user}:***@{host}")
            } else {
                format!("{scheme}://{user}@{host}")
            }
        }
        None => url.to_string(),
    }
}

/// The r2d2 manager: connects to the backend named by the URL and sets
/// each new connection up as `options` says.
#[derive(Debug, Clone)]
pub struct DbManager {
    url: DatabaseUrl,
    options: DbOptions,
}

impl DbManager {
    pub fn new(url: &DatabaseUrl, options: &DbOptions) -> DbManager {
        DbManager {
            url: url.clone(),
            options: options.clone(),
        }
    }
}

impl ManageConnection for DbManager {
    type Connection = DbConn;
    type Error = DbError;

    fn connect(&self) -> Result<DbConn, DbError> {
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                conn.batch_execute(&self.options.sqlite_pragmas())?;
                Ok(DbConn::Sqlite(conn))
            }
            DatabaseUrl::Postgres(url) => {
                let mut conn = PgConnection::establish(&self.options.postgres_url(url))?;
                conn.batch_execute(&self.options.postgres_session())?;
                Ok(DbConn::Pg(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), DbError> {
        conn.ping().map_err(DbError::Query)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        conn.is_broken()
    }
}

/// Opens a pool with the default connection options.
pub fn connect(url: &DatabaseUrl, max_size: u32) -> Result<Pool, DbError> {
    connect_with(url, &DbOptions::default(), max_size)
}

/// Opens a pool. A SQLite file's folder is created when missing.
pub fn connect_with(url: &DatabaseUrl, options: &DbOptions, max_size: u32) -> Result<Pool, DbError> {
    if let DatabaseUrl::Sqlite(path) = url {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| DbError::CreateDir {
                path: parent.display().to_string(),
                source,
            })?;
        }
    }
    let manager = DbManager::new(url, options);
    // Connect once outside r2d2, whose own error on a failed first connection
    // is only a timeout; this one says what went wrong.
    let mut probe = manager.connect()?;
    manager.is_valid(&mut probe)?;
    drop(probe);
    // No test query on each checkout: it was one more statement for every
    // request. A connection the server dropped fails its next query, and
    // r2d2 then discards it through `has_broken`.
    let pool = r2d2::Pool::builder()
        .test_on_check_out(false)
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .build(manager)?;
    Ok(pool)
}

/// Current UTC time, truncated to microseconds so that what is written
/// compares equal to what both backends read back.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::{SubsecRound, Utc};
    Utc::now().naive_utc().trunc_subsecs(6)
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/u.db").unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("data/u.db"))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/u.db").unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("/tmp/u.db"))
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://u@h/db").unwrap(),
            DatabaseUrl::Postgres(_)
        ));
        assert!(DatabaseUrl::parse("mysql://root:pw@h/db").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    /// A new connection meets a lock held by another: it waits for it
    /// instead of failing, even while it switches the file to WAL.
    #[test]
    fn a_new_connection_waits_for_a_lock_while_it_sets_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locked.db");
        let mut holder = SqliteConnection::establish(&path.to_string_lossy()).unwrap();
        holder
            .batch_execute("PRAGMA journal_mode = DELETE; CREATE TABLE t (x INTEGER); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);")
            .unwrap();
        let manager = DbManager::new(&DatabaseUrl::Sqlite(path.clone()), &DbOptions::default());
        let opening = std::thread::spawn(move || manager.connect().map(|_| ()));
        // Long enough for the new connection to meet the lock: it fails at
        // once unless it waits.
        std::thread::sleep(Duration::from_millis(300));
        holder.batch_execute("COMMIT").unwrap();
        opening
            .join()
            .unwrap()
            .expect("the connection waited for the lock");
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://me:secret@db:5432/x"),
            "postgres://me:***@db:5432/x"
        );
        assert_eq!(redact_url("postgres://me@db/x"), "postgres://me@db/x");
        let err = DatabaseUrl::parse("mysql://root:pw@h/db")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("pw"), "{err}");
    }
}
