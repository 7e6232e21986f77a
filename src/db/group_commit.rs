//! Group commit for SQLite: the writes of busy request paths (signing,
//! confirming) run on one writer thread, many to a transaction.
//!
//! SQLite admits one writer at a time, so those writes queued anyway. What a
//! queue of single-row transactions paid for, each time, was the commit: every
//! index page the row touched written to the WAL again (the signatures table
//! has nine indexes), plus `BEGIN` and `COMMIT` themselves. Profiles of a
//! stream of signatures showed a third of the time there. And since in WAL
//! mode a connection drops its whole page cache whenever another connection
//! has written, writes spread over the pool read their pages back from the
//! file every time; one writer connection keeps its cache.
//!
//! Each job runs inside a savepoint, so a job that fails is undone alone and
//! the others in its batch still commit. A caller hears back only once its
//! batch is committed: nothing is reported stored before it is.

use super::cached::Fixed;
use super::tx::in_write_tx;
use super::{DatabaseUrl, DbConn, DbError, DbManager, DbOptions, Tx};
use diesel::connection::SimpleConnection;
use diesel::r2d2::ManageConnection;
use diesel::RunQueryDsl;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;

/// At most this many jobs share a transaction, so that one batch never
/// holds the write lock for long.
const MAX_BATCH: usize = 256;

/// What a job hands back to be told, once the batch is over, whether its
/// transaction committed.
type Reply = Box<dyn FnOnce(Result<(), Refusal>) + Send>;
/// A job: runs on the writer's connection inside the open transaction
/// (in a savepoint when the bool says so); returns whether it succeeded.
type Job = Box<dyn FnOnce(&mut Tx<'_>, bool) -> (bool, Reply) + Send>;

/// A handle on the writer thread; cheap to clone. The thread stops once
/// every handle is dropped and the queue is empty.
#[derive(Clone)]
pub struct GroupWriter {
    jobs: mpsc::Sender<Job>,
}

impl GroupWriter {
    /// Starts the writer for a SQLite database; `None` on PostgreSQL, whose
    /// concurrent transactions already share their WAL flushes.
    pub fn spawn(url: &DatabaseUrl, options: &DbOptions) -> Result<Option<GroupWriter>, DbError> {
        if !matches!(url, DatabaseUrl::Sqlite(_)) {
            return Ok(None);
        }
        let manager = DbManager::new(url, options);
        let conn = writer_connection(&manager)?;
        let (jobs, queue) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run(manager, conn, queue))
            .map_err(|e| DbError::Writer(e.to_string()))?;
        Ok(Some(GroupWriter { jobs }))
    }

    /// Runs `f` in a write transaction shared with other jobs, and returns
    /// its result once that transaction has committed.
    pub async fn write<T, F>(&self, f: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut Tx<'_>) -> Result<T, DbError> + Send + 'static,
        T: Send + 'static,
    {
        let (job, rx) = job(f);
        self.jobs
            .send(job)
            .map_err(|_| DbError::Writer("the writer thread has stopped".into()))?;
        rx.await
            .map_err(|_| DbError::Writer("the write was abandoned before its commit".into()))?
    }
}

/// The writer's own connection. Each job's savepoint, and each statement
/// that may fail half-way, first copies the pages it changes to a statement
/// journal: a temporary file by default, where profiles found half of the
/// writer's file writes. In memory it costs a few pages per job. Only this
/// connection keeps temporary data in memory, so that a large sort on a
/// reading connection still spills to disk.
fn writer_connection(manager: &DbManager) -> Result<DbConn, DbError> {
    let mut conn = manager.connect()?;
    conn.batch_execute("PRAGMA temp_store = MEMORY;")?;
    Ok(conn)
}

/// `f` as a job, and where its result arrives once its batch has ended.
fn job<T, F>(f: F) -> (Job, tokio::sync::oneshot::Receiver<Result<T, DbError>>)
where
    F: FnOnce(&mut Tx<'_>) -> Result<T, DbError> + Send + 'static,
    T: Send + 'static,
{
    let (tx, rx) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move |conn: &mut Tx<'_>, savepoint: bool| {
        let result = in_savepoint(conn, savepoint, f);
        let ok = result.is_ok();
        let reply: Reply = Box::new(move |committed: Result<(), Refusal>| {
            let outcome = match committed {
                Ok(()) => result,
                Err(Refusal::Unavailable(message)) => Err(DbError::CommitRefused(message)),
                Err(Refusal::Other(message)) => Err(DbError::Writer(message)),
            };
            // The caller may have gone (client disconnected); its write
            // stands all the same.
            let _ = tx.send(outcome);
        });
        (ok, reply)
    });
    (job, rx)
}

fn in_savepoint<T>(
    conn: &mut Tx<'_>,
    savepoint: bool,
    f: impl FnOnce(&mut Tx<'_>) -> Result<T, DbError>,
) -> Result<T, DbError> {
    // Prepared once per connection (see `cached`): two of these run for
    // every grouped write.
    let exec = |conn: &mut DbConn, sql: &'static str| -> Result<(), DbError> {
        Fixed(sql).execute(conn)?;
        Ok(())
    };
    if savepoint {
        exec(conn, "SAVEPOINT grouped")?;
    }
    let result = catch_unwind(AssertUnwindSafe(|| f(conn)))
        .unwrap_or_else(|_| Err(DbError::Writer("a grouped write panicked".into())));
    if savepoint {
        if result.is_err() {
            exec(conn, "ROLLBACK TO grouped")?;
        }
        exec(conn, "RELEASE grouped")?;
    }
    result
}

fn run(manager: DbManager, mut conn: DbConn, queue: mpsc::Receiver<Job>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let failed = run_batch(&mut conn, batch);
        // The connection may be what failed: start the next batch on a
        // fresh one rather than fail every batch after it.
        if failed || manager.has_broken(&mut conn) {
            match writer_connection(&manager) {
                Ok(fresh) => conn = fresh,
                Err(e) => tracing::error!(error = %e, "cannot reopen the writer connection"),
            }
        }
    }
}

/// Runs `batch` in one transaction and tells each job how it ended;
/// true when the transaction failed.
fn run_batch(conn: &mut DbConn, mut batch: Vec<Job>) -> bool {
    let alone = batch.len() == 1;
    let mut replies = Vec::with_capacity(batch.len());
    let ended = in_write_tx(conn, |conn| {
        let mut any_ok = false;
        for job in batch.drain(..) {
            let (ok, reply) = job(conn, !alone);
            any_ok |= ok;
            replies.push(reply);
        }
        // When every job failed there is nothing to keep; a lone job
        // ran without a savepoint, so this also undoes its half-write.
        if any_ok {
            Ok(())
        } else {
            Err(End::NothingToCommit)
        }
    });
    let committed = match ended {
        Ok(()) | Err(End::NothingToCommit) => Ok(()),
        Err(End::Failed(e)) => {
            tracing::error!(error = %e, jobs = replies.len(), "grouped write transaction failed");
            // Each job's caller gets its own copy: `diesel`'s error cannot
            // be cloned, so it travels as its text and what it means.
            if super::lost_connection(&e) || super::disk_full(&e) {
                Err(Refusal::Unavailable(e.to_string()))
            } else {
                Err(Refusal::Other(e.to_string()))
            }
        }
    };
    let failed = committed.is_err();
    for reply in replies {
        reply(committed.clone());
    }
    failed
}

/// Why a batch's commit failed, as each of its jobs hears it.
#[derive(Clone)]
enum Refusal {
    /// No room or no connection: the database, not the write.
    Unavailable(String),
    Other(String),
}

/// How a batch's transaction ended, when it did not commit.
enum End {
    NothingToCommit,
    Failed(diesel::result::Error),
}

impl From<diesel::result::Error> for End {
    fn from(e: diesel::result::Error) -> Self {
        End::Failed(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::prelude::*;
    use diesel::sql_types::BigInt;

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    fn count(conn: &mut DbConn, sql: &str) -> i64 {
        diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
    }

    fn insert(conn: &mut DbConn, x: i64) -> Result<(), DbError> {
        diesel::sql_query(format!("INSERT INTO t (x) VALUES ({x})")).execute(conn)?;
        Ok(())
    }

    fn setup() -> (tempfile::TempDir, DatabaseUrl, DbConn) {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("g.db"));
        let mut conn = DbManager::new(&url, &DbOptions::default()).connect().unwrap();
        conn.batch_execute("CREATE TABLE t (x INTEGER NOT NULL UNIQUE)")
            .unwrap();
        (dir, url, conn)
    }

    #[tokio::test]
    async fn a_failing_job_is_undone_alone_and_the_rest_commit() {
        let (_dir, _url, mut conn) = setup();
        let mut jobs = Vec::new();
        let mut results = Vec::new();
        for i in 0..10 {
            let (j, rx) = job(move |conn| {
                // Job 7 writes a row, then fails: its row must go too.
                if i == 7 {
                    insert(conn, 10_000)?;
                    return insert(conn, 3);
                }
                insert(conn, i)
            });
            jobs.push(j);
            results.push(rx);
        }
        assert!(!run_batch(&mut conn, jobs));
        for (i, rx) in results.into_iter().enumerate() {
            let r = rx.await.expect("every job hears back");
            assert_eq!(r.is_ok(), i != 7, "job {i}: {r:?}");
        }
        assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM t"), 9);
        assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM t WHERE x = 10000"), 0);
    }

    #[tokio::test]
    async fn concurrent_writes_all_land() {
        let (_dir, url, mut reader) = setup();
        let writer = GroupWriter::spawn(&url, &DbOptions::default()).unwrap().unwrap();
        let writes = (0..300).map(|i| {
            let writer = writer.clone();
            async move { writer.write(move |conn| insert(conn, i)).await }
        });
        let results = futures_util::future::join_all(writes).await;
        assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
        assert_eq!(count(&mut reader, "SELECT count(*) AS n FROM t"), 300);
    }

    #[tokio::test]
    async fn a_lone_failing_job_leaves_nothing_behind() {
        let (_dir, url, mut reader) = setup();
        let writer = GroupWriter::spawn(&url, &DbOptions::default()).unwrap().unwrap();
        writer.write(|conn| insert(conn, 1)).await.unwrap();
        let failed = writer
            .write(|conn| {
                insert(conn, 2)?;
                insert(conn, 1)
            })
            .await;
        assert!(failed.is_err());
        assert_eq!(count(&mut reader, "SELECT count(*) AS n FROM t"), 1);
        // The writer carries on after a failure.
        writer.write(|conn| insert(conn, 3)).await.unwrap();
        assert_eq!(count(&mut reader, "SELECT count(*) AS n FROM t"), 2);
    }

    #[test]
    fn postgres_needs_no_group_writer() {
        let url = DatabaseUrl::Postgres("postgres://nobody@127.0.0.1:1/x".into());
        assert!(GroupWriter::spawn(&url, &DbOptions::default()).unwrap().is_none());
    }
}
