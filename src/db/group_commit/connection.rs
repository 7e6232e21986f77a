//! A writer thread's own connection, opened again when it is lost.

use super::{writer_connection, Refusal};
use crate::db::cached::Fixed;
use crate::db::{DbConn, DbError, DbManager};
use diesel::r2d2::ManageConnection;
use diesel::RunQueryDsl;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A writer's connection after this long unused is checked before a
/// batch: the database may have restarted meanwhile, and a batch sent on a
/// dead connection would fail every job in it. Under load, batches follow
/// each other closer than this and pay nothing.
const IDLE_CHECK: Duration = Duration::from_secs(1);

/// A writer thread's connection, opened again when it is lost.
pub(super) struct Connection {
    pub(super) manager: DbManager,
    pub(super) conn: Option<DbConn>,
    pub(super) last_used: Instant,
    /// Counts the batches, over every writer, that found the database
    /// gone: an outage kills every writer's connection, not only the one
    /// that saw it, so each checks its own before its next batch.
    pub(super) outages: Arc<AtomicU64>,
    /// The count when this writer's connection last answered.
    pub(super) checked_at: u64,
    /// The pool beside the writers, told of what they find.
    pub(super) pool: Option<PoolHealth>,
}

/// The request pool and its checkouts: an outage a writer finds killed the
/// pool's connections too, and a writer that reconnects knows the database
/// is back before any request does.
#[derive(Clone)]
pub struct PoolHealth {
    pub pool: crate::db::Pool,
    pub checkout: Arc<crate::db::reconnect::Checkout>,
}

impl Connection {
    /// The connection, opened again if it was lost or does not answer.
    pub(super) fn ready(&mut self) -> Result<&mut DbConn, DbError> {
        let outages = self.outages.load(Ordering::Acquire);
        let suspect = self.last_used.elapsed() >= IDLE_CHECK || outages != self.checked_at;
        self.last_used = Instant::now();
        if let Some(conn) = &mut self.conn {
            if suspect && Fixed("SELECT 1").execute(conn).is_err() {
                tracing::warn!("a writer connection was lost; opening another");
                self.conn = None;
            }
        }
        self.checked_at = outages;
        if self.conn.is_none() {
            self.conn = Some(writer_connection(&self.manager)?);
            if let Some(health) = &self.pool {
                health.checkout.answering_again(&health.pool);
            }
        }
        self.conn
            .as_mut()
            .ok_or_else(|| DbError::Writer("no writer connection".into()))
    }

    /// The database was found gone: every writer checks its connection
    /// before its next batch, and the pool its own before use.
    pub(super) fn outage(&self) {
        self.outages.fetch_add(1, Ordering::AcqRel);
        if let Some(health) = &self.pool {
            health.checkout.lost_elsewhere();
        }
    }

    /// After a batch: drops a connection that failed, so the next batch
    /// starts on a fresh one rather than fail like this one.
    pub(super) fn after(&mut self, committed: &Result<(), Refusal>) {
        if matches!(committed, Err(Refusal::Unavailable(_))) {
            self.outage();
        }
        if let Some(conn) = &mut self.conn {
            if committed.is_err() || self.manager.has_broken(conn) {
                self.conn = None;
            }
        }
    }
}
