//! The one way to write: a transaction that only this module opens. A use
//! case takes `&mut Tx`, so it runs inside exactly one transaction and has
//! no way to open a second one inside it (`write_tx` wants the pooled
//! connection, which a `Tx` does not hand out).

use super::{DbConn, PooledConn};
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::Connection;
use std::ops::{Deref, DerefMut};

/// A write transaction in progress.
///
/// A use case runs in the transaction it is handed:
///
/// ```
/// use undersigned::db::{write_tx, DbError, Pool, Tx};
/// fn use_case(_tx: &mut Tx<'_>) -> Result<(), DbError> {
///     Ok(())
/// }
/// fn run(pool: &Pool) -> Result<(), DbError> {
///     let mut conn = pool.get()?;
///     write_tx(&mut conn, use_case)
/// }
/// ```
///
/// and cannot open another inside it: a `Tx` is not a pooled connection.
///
/// ```compile_fail
/// use undersigned::db::{write_tx, DbError, Pool, Tx};
/// fn use_case(tx: &mut Tx<'_>) -> Result<(), DbError> {
///     write_tx(tx, |_| Ok::<(), DbError>(()))
/// }
/// ```
pub struct Tx<'a> {
    conn: &'a mut DbConn,
}

impl Deref for Tx<'_> {
    type Target = DbConn;
    fn deref(&self) -> &DbConn {
        self.conn
    }
}

impl DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut DbConn {
        self.conn
    }
}

/// Runs `f` in a write transaction on a pooled connection.
pub fn write_tx<T, E, F>(conn: &mut PooledConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut Tx<'_>) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    in_write_tx(conn, f)
}

/// SQLite admits one writer at a time. Writers that find the file locked
/// wait in SQLite's busy handler, which sleeps 1 to 100 ms between tries, so
/// under load most of the time went to sleeping while the lock sat free.
/// Queueing on this mutex first hands the lock over as soon as it is
/// released. It is per process, not per file: the only process that holds
/// several SQLite databases at once is the test suite, where serialising
/// their writes costs nothing that matters. A thread never takes it twice:
/// inside a `Tx` there is no pooled connection to call `write_tx` with.
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Runs `f` while no other thread of this process writes to SQLite: every
/// write transaction, and a checkpoint that holds writers out, which would
/// otherwise wait in SQLite's busy handler for a gap between transactions,
/// and under a stream of them find none for seconds while the log grew.
pub(super) fn holding_sqlite_writers<T>(f: impl FnOnce() -> T) -> T {
    // A poisoned lock only means another writer panicked; its
    // transaction was rolled back by SQLite, so carry on.
    let _writer = SQLITE_WRITER.lock().unwrap_or_else(|e| e.into_inner());
    f()
}

/// Runs `f` in a write transaction. On SQLite it begins with
/// `BEGIN IMMEDIATE`, so the write lock is taken up front and two writers
/// queue on the busy timeout instead of failing half-way with SQLITE_BUSY.
pub(super) fn in_write_tx<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut Tx<'_>) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConn::Pg(_) => conn.transaction(|conn| f(&mut Tx { conn })),
        DbConn::Sqlite(_) => holding_sqlite_writers(|| {
            let DbConn::Sqlite(inner) = &mut *conn else {
                unreachable!("matched as SQLite just above")
            };
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
            let result = f(&mut Tx { conn: &mut *conn });
            let DbConn::Sqlite(inner) = conn else {
                unreachable!("the connection variant cannot change inside a transaction")
            };
            match result {
                Ok(value) => {
                    AnsiTransactionManager::commit_transaction(inner)?;
                    Ok(value)
                }
                Err(e) => {
                    AnsiTransactionManager::rollback_transaction(inner)?;
                    Err(e)
                }
            }
        }),
    }
}
