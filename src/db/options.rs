//! How each new connection is set up: how long a PostgreSQL connection or
//! statement may take, how long it may wait for a lock, and how hard SQLite
//! holds on to a commit. Every connection the service opens (its pool, the
//! replacements `reconnect` makes, SQLite's group writer) gets the same.

use std::time::Duration;

/// What SQLite waits for before a commit returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteSync {
    /// Every commit reaches the disk before the signer is answered: a power
    /// loss loses nothing that was acknowledged. One fsync per group commit.
    Full,
    /// Commits reach the disk at checkpoints: a crash of the process loses
    /// nothing, a power loss or kernel panic may lose the last commits.
    Normal,
}

impl SqliteSync {
    pub fn parse(value: &str) -> Option<SqliteSync> {
        match value.trim().to_ascii_lowercase().as_str() {
            "full" => Some(SqliteSync::Full),
            "normal" => Some(SqliteSync::Normal),
            _ => None,
        }
    }

    pub fn pragma(self) -> &'static str {
        match self {
            SqliteSync::Full => "FULL",
            SqliteSync::Normal => "NORMAL",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbOptions {
    /// Longest wait for a new PostgreSQL connection (libpq's
    /// `connect_timeout`).
    pub connect_timeout: Duration,
    /// PostgreSQL cancels a statement that runs longer (its
    /// `statement_timeout`); zero turns it off.
    pub statement_timeout: Duration,
    /// PostgreSQL gives up a lock wait after this long (its
    /// `lock_timeout`); SQLite's busy timeout plays that part there.
    pub lock_timeout: Duration,
    pub sqlite_sync: SqliteSync,
    /// SQLite's page cache per connection, in KiB: the pool's connections
    /// times this is most of the server's memory on SQLite.
    pub sqlite_cache_kib: u32,
    /// PostgreSQL: the writer threads that group signing and confirming
    /// into shared transactions (`db::group_commit`), each with a
    /// connection of its own besides the pool's; zero for a transaction
    /// per write.
    pub pg_writers: u32,
}

impl Default for DbOptions {
    fn default() -> DbOptions {
        DbOptions {
            connect_timeout: Duration::from_secs(5),
            // Long enough for a million-row export, short enough that a
            // runaway query does not hold a connection for good.
            statement_timeout: Duration::from_secs(60),
            lock_timeout: Duration::from_secs(10),
            // FULL cost about a fifth of the signing rate in bench/run
            // (bench/RESULTS.md, 2026-11-30), over the tenth we allow: the
            // operator who needs power-loss durability chooses it.
            sqlite_sync: SqliteSync::Normal,
            // 4 MiB: bench/run at 1M signatories served the letter page,
            // the search and signing as fast as with 16 MiB, with the
            // server's peak RSS at 108 MiB instead of 200-218 (bench/
            // RESULTS.md, 2026-12-01).
            sqlite_cache_kib: 4 * 1024,
            // Two: on the 2-core benchmark host four writers' transactions
            // contended for the same index pages (the confirmed indexes
            // grow at one end), and PostgreSQL spent 246-295 us per
            // confirmation against 196-231 with two; eight halved the
            // rate. Signing was the same either way (bench/RESULTS.md,
            // 2026-12-03). Larger hosts may raise it.
            pg_writers: 2,
        }
    }
}

impl DbOptions {
    /// `url` with libpq's `connect_timeout` added, unless it names one.
    /// libpq counts whole seconds and reads 1 as 2, so the least is 2.
    pub fn postgres_url(&self, url: &str) -> String {
        if url.contains("connect_timeout=") {
            return url.to_string();
        }
        let seconds = self.connect_timeout.as_secs().max(2);
        let joiner = if url.contains('?') { '&' } else { '?' };
        format!("{url}{joiner}connect_timeout={seconds}")
    }

    /// Statements run on each new PostgreSQL connection.
    pub fn postgres_session(&self) -> String {
        format!(
            "SET statement_timeout = {}; SET lock_timeout = {};",
            self.statement_timeout.as_millis(),
            self.lock_timeout.as_millis()
        )
    }

    /// Pragmas run on each new SQLite connection.
    ///
    /// WAL lets readers run beside the single writer; the busy timeout makes
    /// concurrent writers queue instead of failing, and comes first because
    /// setting the journal mode takes a lock too: r2d2 opens a pool's
    /// connections side by side, and without it one of them failed at once
    /// with "database is locked"; checkpoints run on their own thread (see
    /// `checkpoint`). A page cache of its own per connection
    /// (`sqlite_cache_mib`, 4 MiB by default): under load,
    /// profiles showed a good share of time in `pread` for pages the
    /// default 2 MB cache had dropped. (Memory-mapped reads helped too but
    /// made each connection's mapping of a large database count in the
    /// resident size, 2 GB for eight connections.) The WAL file keeps its
    /// size after a checkpoint, up to a limit (see `checkpoint`).
    pub fn sqlite_pragmas(&self) -> String {
        format!(
            "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
             PRAGMA synchronous = {}; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 0; \
             PRAGMA cache_size = -{}; PRAGMA journal_size_limit = {};",
            self.sqlite_sync.pragma(),
            self.sqlite_cache_kib.max(1),
            super::checkpoint::WAL_KEEP_BYTES
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_a_connect_timeout_unless_the_url_has_one() {
        let o = DbOptions::default();
        assert_eq!(
            o.postgres_url("postgres://u@h/db"),
            "postgres://u@h/db?connect_timeout=5"
        );
        assert_eq!(
            o.postgres_url("postgres://u@h/db?sslmode=disable"),
            "postgres://u@h/db?sslmode=disable&connect_timeout=5"
        );
        assert_eq!(
            o.postgres_url("postgres://u@h/db?connect_timeout=1"),
            "postgres://u@h/db?connect_timeout=1"
        );
    }

    #[test]
    fn session_settings_are_in_milliseconds() {
        let o = DbOptions {
            statement_timeout: Duration::from_millis(1500),
            lock_timeout: Duration::from_secs(2),
            ..DbOptions::default()
        };
        assert_eq!(
            o.postgres_session(),
            "SET statement_timeout = 1500; SET lock_timeout = 2000;"
        );
    }

    #[test]
    fn reads_the_sync_setting() {
        assert_eq!(SqliteSync::parse(" Full "), Some(SqliteSync::Full));
        assert_eq!(SqliteSync::parse("normal"), Some(SqliteSync::Normal));
        assert_eq!(SqliteSync::parse("off"), None);
    }
}
