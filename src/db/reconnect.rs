//! Connections a database outage left dead, found and replaced before the
//! pool hands them out again.
//!
//! diesel's PostgreSQL connection does not notice that its socket died: its
//! `is_broken`, which r2d2 asks when a connection comes back, looks only at
//! the transaction state. And a test query on every checkout would cost a
//! round trip per request. So checkouts are trusted until a query fails
//! for want of its connection; from then on each checkout pings first and
//! replaces a dead connection with a new one, and the first checkout that
//! finds the database answering again checks every idle connection too.

use super::{lost_connection, DatabaseUrl, DbConn, DbError, DbManager, DbOptions, Pool, PooledConn};
use diesel::r2d2::{ManageConnection, R2D2Connection};
use std::sync::atomic::{AtomicBool, Ordering};

pub struct Checkout {
    manager: DbManager,
    /// A connection was seen lost and not every idle one checked since.
    suspect: AtomicBool,
}

impl Checkout {
    pub fn new(url: &DatabaseUrl, options: &DbOptions) -> Checkout {
        Checkout {
            manager: DbManager::new(url, options),
            suspect: AtomicBool::new(false),
        }
    }

    /// A connection from `pool`, alive if an outage was seen.
    pub fn get(&self, pool: &Pool) -> Result<PooledConn, DbError> {
        self.get_timeout(pool, pool.connection_timeout())
    }

    /// [`Checkout::get`], waiting at most `wait` for a free connection.
    pub fn get_timeout(&self, pool: &Pool, wait: std::time::Duration) -> Result<PooledConn, DbError> {
        let mut conn = pool.get_timeout(wait)?;
        if self.suspect.load(Ordering::Acquire) {
            self.heal(&mut conn)?;
            // The database answers again: check the idle connections now,
            // rather than each on the request it would fail.
            if self.suspect.swap(false, Ordering::AcqRel) {
                self.sweep(pool);
            }
        }
        Ok(conn)
    }

    /// Takes note of an error a query on a pooled connection returned.
    pub fn saw(&self, e: &DbError) {
        if matches!(e, DbError::Query(q) if lost_connection(q)) && !self.suspect.swap(true, Ordering::AcqRel)
        {
            tracing::warn!(error = %e, "a database connection was lost; checking connections before use");
        }
    }

    /// Another connection to the same database (a group writer's) was
    /// lost: the pool's may be dead too.
    pub fn lost_elsewhere(&self) {
        if !self.suspect.swap(true, Ordering::AcqRel) {
            tracing::warn!("a database connection was lost; checking connections before use");
        }
    }

    /// The database answers again on another connection: checks the idle
    /// ones of `pool` now, if an outage was seen, rather than each on the
    /// request it would fail.
    pub fn answering_again(&self, pool: &Pool) {
        if self.suspect.swap(false, Ordering::AcqRel) {
            self.sweep(pool);
        }
    }

    /// Replaces `conn` with a new connection if it no longer answers.
    fn heal(&self, conn: &mut PooledConn) -> Result<(), DbError> {
        let dead: &mut DbConn = conn;
        if dead.ping().is_ok() {
            return Ok(());
        }
        *dead = self.manager.connect()?;
        tracing::info!("a lost database connection was replaced");
        Ok(())
    }

    fn sweep(&self, pool: &Pool) {
        let mut checked = Vec::new();
        while let Some(mut conn) = pool.try_get() {
            if let Err(e) = self.heal(&mut conn) {
                tracing::warn!(error = %e, "the database went away again");
                self.suspect.store(true, Ordering::Release);
                break;
            }
            checked.push(conn);
        }
        tracing::info!(
            connections = checked.len(),
            "idle database connections checked after an outage"
        );
    }
}
