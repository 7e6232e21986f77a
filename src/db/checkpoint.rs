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
//! and under constant load they always do: once the file passes
//! `WAL_LIMIT_BYTES` a RESTART checkpoint waits for them, so that the next
//! commit writes from the start of the file again, pausing writers for one
//! fsync instead of one fsync every few requests. It does not truncate the
//! file: appending to a file the checkpoint had emptied cost the writer
//! a block allocation and the zeroing of a page for every frame (a third
//! of its commit time in a profile of a stream of confirmations, which ran
//! a fifth faster writing over the file instead). Connections keep at most
//! `WAL_KEEP_BYTES` of it on disk after a restart (`journal_size_limit`).

use super::{DatabaseUrl, Pool};
use diesel::connection::SimpleConnection;
use std::path::PathBuf;
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
    let DatabaseUrl::Sqlite(path) = url else {
        return Ok(None);
    };
    let mut wal = path.clone().into_os_string();
    wal.push("-wal");
    let wal = PathBuf::from(wal);
    let handle = CheckpointHandle::spawn("sqlite-checkpoint", "checkpoint", move |rx| {
        // Woken by the timeout; a message or a dropped sender means stop.
        while let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(every) {
            let too_big = std::fs::metadata(&wal).is_ok_and(|m| m.len() > WAL_LIMIT_BYTES);
            let mode = if too_big { "RESTART" } else { "PASSIVE" };
            let result = pool.get().map_err(|e| e.to_string()).and_then(|mut conn| {
                conn.batch_execute(&format!("PRAGMA wal_checkpoint({mode})"))
                    .map_err(|e| e.to_string())
            });
            if let Err(error) = result {
                tracing::warn!(%error, "SQLite checkpoint failed; will retry");
            }
        }
    })?;
    Ok(Some(handle))
}
