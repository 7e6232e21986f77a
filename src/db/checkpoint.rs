//! Moves SQLite's WAL checkpoints off the request path.
//!
//! By default the connection whose commit fills the WAL past 1,000 pages
//! copies it back into the database file and fsyncs, inside that request:
//! under a stream of signatures nearly all the time spent waiting went to
//! those fsyncs (measured with perf: `sqlite3WalDefaultHook` → `fsync`).
//! Connections therefore run with `wal_autocheckpoint = 0` and this thread
//! checkpoints in PASSIVE mode, which never blocks readers or writers.
//! When the last connection closes, SQLite checkpoints on its own, so short
//! command-line runs need no checkpointer.
//!
//! A passive checkpoint cannot rewind the WAL while readers keep using it,
//! and under constant load they always do. So when a passive checkpoint
//! reports more than `WAL_LIMIT_BYTES` of frames in the log, a RESTART
//! follows, so that the next commit writes from the start of the file
//! again. A RESTART holds writers out while it copies and syncs, so up to
//! three more passive rounds go first, each copying what was written
//! during the one before: the RESTART is left a few hundred frames, and
//! holds writers out for some 15 ms instead of 50 to 80 (measured under a
//! stream of confirmations). It queues for the write lock with this
//! process's writers: waiting in SQLite's busy handler instead, it found
//! no gap between the group writer's transactions for seconds while the
//! log grew past what the file keeps (a generation of 360 MB). The log's
//! length comes from the checkpoint's own report: the file's size, which
//! stays put after a restart, had a RESTART run on every tick.
//!
//! It does not truncate the file: appending to a file the checkpoint had
//! emptied cost the writer a block allocation and the zeroing of a page
//! for every frame (a third of its commit time in a profile of a stream
//! of confirmations, which ran a fifth faster writing over the file
//! instead). Connections keep at most `WAL_KEEP_BYTES` of it on disk after
//! a restart (`journal_size_limit`).

use super::{DatabaseUrl, Pool};
use diesel::sql_types::{BigInt, Integer};
use diesel::RunQueryDsl;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

pub type CheckpointHandle = crate::background::BackgroundThread;

pub const WAL_LIMIT_BYTES: u64 = 64 * 1024 * 1024;

/// The size the WAL file keeps on disk after a restart, for the next
/// commits to write over. Under a stream of writes the file grows to a few
/// hundred MB before a checkpoint can restart it.
pub const WAL_KEEP_BYTES: u64 = 256 * 1024 * 1024;

/// Starts the checkpointer for a SQLite database; `None` on PostgreSQL.
pub fn spawn(pool: Pool, url: &DatabaseUrl, every: Duration) -> std::io::Result<Option<CheckpointHandle>> {
    let DatabaseUrl::Sqlite(_) = url else {
        return Ok(None);
    };
    let handle = CheckpointHandle::spawn("sqlite-checkpoint", "checkpoint", move |rx| {
        let mut page_size = None;
        // Woken by the timeout; a message or a dropped sender means stop.
        while let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(every) {
            let result = pool.get().map_err(|e| e.to_string()).and_then(|mut conn| {
                tick(&mut conn, &mut page_size, WAL_LIMIT_BYTES).map_err(|e| e.to_string())
            });
            if let Err(error) = result {
                tracing::warn!(%error, "SQLite checkpoint failed; will retry");
            }
        }
    })?;
    Ok(Some(handle))
}

/// Passive rounds before a RESTART, at most, and the number of frames
/// written during one below which the next round is the RESTART.
const CATCH_UP_ROUNDS: usize = 3;
const CATCH_UP_FRAMES: i32 = 512;

/// What `PRAGMA wal_checkpoint` reports: whether it was kept from
/// finishing, the frames in the log, and how many of them are now in the
/// database file.
#[derive(diesel::QueryableByName)]
struct Progress {
    #[diesel(sql_type = Integer)]
    busy: i32,
    #[diesel(sql_type = Integer)]
    log: i32,
    #[diesel(sql_type = Integer)]
    checkpointed: i32,
}

#[derive(diesel::QueryableByName)]
struct PageSize {
    #[diesel(sql_type = BigInt)]
    page_size: i64,
}

/// One round: a passive checkpoint, and a restart after it when the log
/// holds more than `limit` bytes of frames. Says which mode ran last.
fn tick(
    conn: &mut super::DbConn,
    page_size: &mut Option<u64>,
    limit: u64,
) -> Result<&'static str, diesel::result::Error> {
    let passive = checkpoint(conn, "PASSIVE")?;
    let size = match *page_size {
        Some(size) => size,
        None => {
            let read: PageSize = diesel::sql_query("PRAGMA page_size").get_result(conn)?;
            *page_size.insert(u64::try_from(read.page_size).unwrap_or(4096))
        }
    };
    let frames = u64::try_from(passive.log).unwrap_or(0);
    if frames.saturating_mul(size) <= limit {
        return Ok("PASSIVE");
    }
    // Each passive round copies what the commits wrote during the one
    // before, a fraction of it: what is left for the RESTART, and the time
    // it holds writers out, shrinks with each.
    let mut last = passive.log;
    for _ in 0..CATCH_UP_ROUNDS {
        let again = checkpoint(conn, "PASSIVE")?;
        let written = again.log.saturating_sub(last);
        last = again.log;
        if written <= CATCH_UP_FRAMES {
            break;
        }
    }
    let started = std::time::Instant::now();
    let restart = super::tx::holding_sqlite_writers(|| checkpoint(conn, "RESTART"))?;
    let held_ms = started.elapsed().as_secs_f64() * 1000.0;
    if restart.busy != 0 {
        // A reader outlasted the busy timeout: the next tick tries again.
        tracing::debug!(
            frames = restart.log,
            held_ms,
            "SQLite WAL not restarted: still read"
        );
        return Ok("RESTART");
    }
    tracing::debug!(
        frames = passive.log,
        copied_first = passive.checkpointed,
        copied_then = restart.checkpointed,
        held_ms,
        "SQLite WAL restarted"
    );
    Ok("RESTART")
}

fn checkpoint(conn: &mut super::DbConn, mode: &str) -> Result<Progress, diesel::result::Error> {
    diesel::sql_query(format!("PRAGMA wal_checkpoint({mode})")).get_result(conn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::SimpleConnection;

    fn frames(conn: &mut super::super::DbConn) -> i32 {
        checkpoint(conn, "PASSIVE").unwrap().log
    }

    /// Under the limit a tick only copies, and while a reader keeps an
    /// older snapshot the log piles up. Past the limit the tick restarts
    /// it: the next commit's frames are the only ones in it.
    #[test]
    fn restarts_the_log_only_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("c.db"));
        let pool = crate::db::connect(&url, 2).unwrap();
        let mut conn = pool.get().unwrap();
        let mut reader = pool.get().unwrap();
        let write = |conn: &mut super::super::DbConn| {
            conn.batch_execute(
                "INSERT INTO t (v) SELECT zeroblob(3000) FROM (SELECT 1 UNION SELECT 2 UNION SELECT 3)",
            )
            .unwrap()
        };
        conn.batch_execute("CREATE TABLE t (v BLOB)").unwrap();
        write(&mut conn);
        reader.batch_execute("BEGIN; SELECT count(*) FROM t;").unwrap();
        write(&mut conn);
        let mut page_size = None;
        assert_eq!(tick(&mut conn, &mut page_size, u64::MAX).unwrap(), "PASSIVE");
        let before = frames(&mut conn);
        write(&mut conn);
        let piled = frames(&mut conn);
        assert!(
            piled > before,
            "{piled} frames after a third write, {before} before"
        );
        reader.batch_execute("COMMIT").unwrap();

        assert_eq!(tick(&mut conn, &mut page_size, 0).unwrap(), "RESTART");
        assert_eq!(page_size, Some(4096));
        write(&mut conn);
        let fresh = frames(&mut conn);
        assert!(
            fresh < piled && fresh > 0,
            "{fresh} frames after the restart, {piled} before"
        );
    }
}
