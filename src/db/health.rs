//! What a readiness probe, and the start-up check, ask of the database.

use super::schema::probes;
use super::{outbox, write_tx, DbConn, DbError, PooledConn};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The one row probes write; every node writes the same one.
const PROBE_ROW: &str = "readiness";

/// The outbox as a probe sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outbox {
    /// Messages waiting to go out.
    pub waiting: i64,
    /// When the oldest of them was queued.
    pub oldest: Option<NaiveDateTime>,
}

/// Reads the outbox: a round trip to the database that touches no lock.
pub fn read(conn: &mut PooledConn) -> Result<Outbox, DbError> {
    let (waiting, oldest) = outbox::depth(conn)?;
    Ok(Outbox { waiting, oldest })
}

/// Commits a write, so that a read-only file, a full disk or a standby
/// shows here rather than on a signer's form.
pub fn write(conn: &mut PooledConn, now: NaiveDateTime) -> Result<(), DbError> {
    write_tx(conn, |tx| {
        let tx: &mut DbConn = tx;
        let updated = diesel::update(probes::table.find(PROBE_ROW))
            .set(probes::probed_at.eq(now))
            .execute(tx)?;
        if updated == 0 {
            diesel::insert_into(probes::table)
                .values((probes::id.eq(PROBE_ROW), probes::probed_at.eq(now)))
                .execute(tx)?;
        }
        Ok(())
    })
}
