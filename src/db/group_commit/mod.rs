//! Group commit: the writes of busy request paths (signing, confirming)
//! run on writer threads, many to a transaction.
//!
//! SQLite admits one writer at a time, so those writes queued anyway. What a
//! queue of single-row transactions paid for, each time, was the commit: every
//! index page the row touched written to the WAL again (the signatures table
//! has nine indexes), plus `BEGIN` and `COMMIT` themselves. Profiles of a
//! stream of signatures showed a third of the time there. And since in WAL
//! mode a connection drops its whole page cache whenever another connection
//! has written, writes spread over the pool read their pages back from the
//! file every time; one writer connection keeps its cache. On SQLite every
//! write of the web layer goes through the one writer thread.
//!
//! On PostgreSQL a transaction of its own per signature paid a commit (and
//! a wait for the WAL flush) per signature, over a pool of connections that
//! each sat idle while it waited. There a few writer threads, each with
//! its own connection, share the busy paths' writes (`pg_writers`); the
//! other writes keep their own transactions on the pool, so that a long one
//! (a CSV import) holds no signature up.
//!
//! A batch first runs its jobs one after the other in one transaction. If
//! one fails, that transaction is rolled back and the batch runs again with
//! each job in a savepoint, so the failing job is undone alone and the
//! others still commit; a job that met a unique index runs once more there,
//! seeing the row another transaction committed first. Failures are rare on
//! these paths, so most batches pay no savepoint. A job may therefore run
//! more than once, and must be a function of the database alone. A caller
//! hears back only once its batch is committed: nothing is reported stored
//! before it is.
//!
//! The confirmations of a batch run first, together, as one use case
//! (`signatures::confirm_many`): on PostgreSQL that is two statements for
//! the lot instead of two a confirmation, where each statement is a round
//! trip and a plan. The submissions of the signing form follow, together
//! too (`signatures::submit_many`: one statement for the first signature
//! of every address in the lot, instead of three each). Jobs of a batch
//! arrived together and none is answered before the commit, so running
//! them by kind is as good an order as the queue's: each job sees what
//! the ones run before it wrote.

mod confirmations;
mod connection;
mod submissions;

use super::cached::Fixed;
use super::signatures::{Confirmed, LinkError, Submission, SubmitOutcome};
use super::tx::in_write_tx;
use super::{DatabaseUrl, DbConn, DbError, DbManager, DbOptions, Tx};
use crate::domain::{LinkKey, Token};
use confirmations::Confirmation;
use connection::Connection;
pub use connection::PoolHealth;
use diesel::connection::SimpleConnection;
use diesel::r2d2::ManageConnection;
use diesel::RunQueryDsl;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::AtomicU64;
use std::sync::{mpsc, Arc, Mutex};
use std::time::Instant;
use submissions::Submitting;

/// At most this many jobs share a transaction, so that one batch never
/// holds the write lock for long.
const MAX_BATCH: usize = 256;

/// A queued write, with where its outcome goes.
trait Work: Send {
    /// Runs the write in the open transaction; true when it succeeded.
    /// May run more than once (see the module's comment).
    fn run(&mut self, tx: &mut Tx<'_>) -> bool;
    /// Whether its last run met a unique index, and is worth one more.
    fn met_unique_index(&self) -> bool;
    /// Tells the caller how its write ended, once the batch is over.
    fn reply(self: Box<Self>, committed: Result<(), Refusal>);
    /// Whether its batch runs it with the others of its kind.
    fn kind(&mut self) -> Kind<'_> {
        Kind::Alone
    }
}

/// The kinds of job a batch runs all at once, and the others.
enum Kind<'a> {
    Alone,
    Confirmation(&'a mut Confirmation),
    Submission(&'a mut Submitting),
}

/// Runs the jobs of `batch` that `pick` takes, all at once through `all`,
/// in the open transaction, and gives each its outcome, in order; false
/// when that failed, and the batch must run again job by job. One such job
/// alone runs as any other.
fn run_together<J: Work, T>(
    tx: &mut Tx<'_>,
    batch: &mut [Job],
    what: &str,
    pick: fn(Kind<'_>) -> Option<&mut J>,
    slot: fn(&mut J) -> &mut Slot<T>,
    all: impl FnOnce(&mut Tx<'_>, &[&mut J]) -> Result<Vec<T>, DbError>,
) -> bool {
    let mut jobs: Vec<&mut J> = batch.iter_mut().filter_map(|job| pick(job.kind())).collect();
    if jobs.len() < 2 {
        return jobs.into_iter().all(|job| job.run(tx));
    }
    match caught(what, || all(tx, &jobs)) {
        Ok(outcomes) => {
            for (job, outcome) in jobs.iter_mut().zip(outcomes) {
                slot(job).result = Some(Ok(outcome));
            }
            true
        }
        Err(e) => {
            tracing::warn!(error = %e, jobs = jobs.len(), "{what} failed; running them one by one");
            false
        }
    }
}

/// What every kind of job keeps: its last run's result, until its batch
/// ends, and where that result goes.
struct Slot<T> {
    result: Option<Result<T, DbError>>,
    to: tokio::sync::oneshot::Sender<Result<T, DbError>>,
}

impl<T> Slot<T> {
    fn new() -> (Slot<T>, tokio::sync::oneshot::Receiver<Result<T, DbError>>) {
        let (to, rx) = tokio::sync::oneshot::channel();
        (Slot { result: None, to }, rx)
    }

    /// Keeps what `run` gave, a panic as a failure; true when it succeeded.
    fn record(&mut self, run: impl FnOnce() -> Result<T, DbError>) -> bool {
        let result = caught("a grouped write", run);
        let ok = result.is_ok();
        self.result = Some(result);
        ok
    }

    fn met_unique_index(&self) -> bool {
        matches!(&self.result, Some(Err(e)) if super::signatures::is_unique_violation(e))
    }

    /// Sends the result to the caller, or why its batch did not commit.
    fn deliver(self, committed: Result<(), Refusal>) {
        let result = self
            .result
            .unwrap_or_else(|| Err(DbError::Writer("a grouped write never ran".into())));
        let outcome = match committed {
            Ok(()) => result,
            Err(Refusal::Unavailable(message)) => Err(DbError::CommitRefused(message)),
            Err(Refusal::Other(message)) => Err(DbError::Writer(message)),
        };
        // The caller may have gone (client disconnected); its write stands
        // all the same.
        let _ = self.to.send(outcome);
    }
}

/// `run`'s result, or a failure if it panicked: a writer thread outlives
/// the jobs it runs.
fn caught<T>(what: &str, run: impl FnOnce() -> Result<T, DbError>) -> Result<T, DbError> {
    catch_unwind(AssertUnwindSafe(run)).unwrap_or_else(|_| Err(DbError::Writer(format!("{what} panicked"))))
}

struct Pending<T, F> {
    f: F,
    slot: Slot<T>,
}

impl<T, F> Work for Pending<T, F>
where
    F: Fn(&mut Tx<'_>) -> Result<T, DbError> + Send,
    T: Send,
{
    fn run(&mut self, tx: &mut Tx<'_>) -> bool {
        let f = &self.f;
        self.slot.record(|| f(tx))
    }

    fn met_unique_index(&self) -> bool {
        self.slot.met_unique_index()
    }

    fn reply(self: Box<Self>, committed: Result<(), Refusal>) {
        self.slot.deliver(committed);
    }
}

type Job = Box<dyn Work>;

/// A handle on the writer threads; cheap to clone. The threads stop once
/// every handle is dropped and the queue is empty.
#[derive(Clone)]
pub struct GroupWriter {
    jobs: mpsc::Sender<Job>,
    takes_all: bool,
}

impl std::fmt::Debug for GroupWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupWriter")
            .field("takes_all", &self.takes_all)
            .finish_non_exhaustive()
    }
}

impl GroupWriter {
    /// Starts the writers: one on SQLite, `pg_writers` on PostgreSQL
    /// (`None` when that is zero).
    pub fn spawn(url: &DatabaseUrl, options: &DbOptions) -> Result<Option<GroupWriter>, DbError> {
        GroupWriter::spawn_beside(url, options, None)
    }

    /// [`spawn`](Self::spawn), telling `pool` of the outages the writers
    /// find and of the database answering again.
    pub fn spawn_beside(
        url: &DatabaseUrl,
        options: &DbOptions,
        pool: Option<PoolHealth>,
    ) -> Result<Option<GroupWriter>, DbError> {
        let (threads, takes_all) = match url {
            DatabaseUrl::Sqlite(_) => (1, true),
            DatabaseUrl::Postgres(_) => (options.pg_writers as usize, false),
        };
        if threads == 0 {
            return Ok(None);
        }
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let outages = Arc::new(AtomicU64::new(0));
        for n in 0..threads {
            let manager = DbManager::new(url, options);
            let writer = Connection {
                conn: Some(writer_connection(&manager)?),
                manager,
                last_used: Instant::now(),
                outages: outages.clone(),
                checked_at: 0,
                pool: pool.clone(),
            };
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("db-writer-{n}"))
                .spawn(move || run(writer, &queue))
                .map_err(|e| DbError::Writer(e.to_string()))?;
        }
        Ok(Some(GroupWriter { jobs, takes_all }))
    }

    /// Whether every write should go through the writers (SQLite's single
    /// writer), or only the busy paths' (PostgreSQL).
    pub fn takes_all(&self) -> bool {
        self.takes_all
    }

    /// Runs `f` in a write transaction shared with other jobs, and returns
    /// its result once that transaction has committed. `f` may run more
    /// than once, each time in a transaction (or savepoint) that left no
    /// trace of the runs before.
    pub async fn write<T, F>(&self, f: F) -> Result<T, DbError>
    where
        F: Fn(&mut Tx<'_>) -> Result<T, DbError> + Send + 'static,
        T: Send + 'static,
    {
        let (job, rx) = job(f);
        self.queue(job, rx).await
    }

    /// [`write`](Self::write) for a thread outside the async runtime (the
    /// outbox's senders), which waits for the commit by blocking.
    pub fn write_blocking<T, F>(&self, f: F) -> Result<T, DbError>
    where
        F: Fn(&mut Tx<'_>) -> Result<T, DbError> + Send + 'static,
        T: Send + 'static,
    {
        let (job, rx) = job(f);
        self.jobs
            .send(job)
            .map_err(|_| DbError::Writer("the writer thread has stopped".into()))?;
        rx.blocking_recv()
            .map_err(|_| DbError::Writer("the write was abandoned before its commit".into()))?
    }

    /// Confirms the signature `token` links to, as
    /// [`signatures::confirm_in_tx`] does, together with the other
    /// confirmations of its batch.
    pub async fn confirm(&self, token: Token, key: LinkKey) -> Result<Result<Confirmed, LinkError>, DbError> {
        let (job, rx) = Confirmation::new(token, key);
        self.queue(Box::new(job), rx).await
    }

    /// Stores a submission of the signing form, as
    /// [`signatures::submit_in_tx`] does, together with the other
    /// submissions of its batch.
    pub async fn submit(&self, submission: Submission) -> Result<SubmitOutcome, DbError> {
        let (job, rx) = Submitting::new(submission);
        self.queue(Box::new(job), rx).await
    }

    async fn queue<T>(
        &self,
        job: Job,
        rx: tokio::sync::oneshot::Receiver<Result<T, DbError>>,
    ) -> Result<T, DbError> {
        self.jobs
            .send(job)
            .map_err(|_| DbError::Writer("the writer thread has stopped".into()))?;
        rx.await
            .map_err(|_| DbError::Writer("the write was abandoned before its commit".into()))?
    }
}

/// A writer's own connection. On SQLite, each job's savepoint, and each
/// statement that may fail half-way, first copies the pages it changes to
/// a statement journal: a temporary file by default, where profiles found
/// half of the writer's file writes. In memory it costs a few pages per
/// job. Only this connection keeps temporary data in memory, so that a
/// large sort on a reading connection still spills to disk.
fn writer_connection(manager: &DbManager) -> Result<DbConn, DbError> {
    let mut conn = manager.connect()?;
    if matches!(conn, DbConn::Sqlite(_)) {
        conn.batch_execute("PRAGMA temp_store = MEMORY;")?;
    }
    Ok(conn)
}

/// `f` as a job, and where its result arrives once its batch has ended.
fn job<T, F>(f: F) -> (Job, tokio::sync::oneshot::Receiver<Result<T, DbError>>)
where
    F: Fn(&mut Tx<'_>) -> Result<T, DbError> + Send + 'static,
    T: Send + 'static,
{
    let (slot, rx) = Slot::new();
    (Box::new(Pending { f, slot }), rx)
}

/// Prepared once per connection (see `cached`): these run for every job
/// of a batch that had a failure.
fn exec(conn: &mut DbConn, sql: &'static str) -> Result<(), diesel::result::Error> {
    Fixed(sql).execute(conn).map(|_| ())
}

/// Runs `job` in a savepoint, undone if it fails; once more if it met a
/// unique index. True when it succeeded.
fn in_savepoint(conn: &mut Tx<'_>, job: &mut Job) -> Result<bool, diesel::result::Error> {
    for attempt in 0..2 {
        exec(conn, "SAVEPOINT grouped")?;
        let ok = job.run(conn);
        if !ok {
            exec(conn, "ROLLBACK TO grouped")?;
        }
        exec(conn, "RELEASE grouped")?;
        if ok || attempt == 1 || !job.met_unique_index() {
            return Ok(ok);
        }
    }
    Ok(false)
}

fn run(mut writer: Connection, queue: &Mutex<mpsc::Receiver<Job>>) {
    loop {
        let batch = {
            // A poisoned lock only means another writer panicked while
            // taking jobs; the queue itself is whole.
            let queue = queue.lock().unwrap_or_else(|e| e.into_inner());
            let Ok(first) = queue.recv() else { return };
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match queue.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            batch
        };
        match writer.ready() {
            Ok(conn) => {
                let committed = run_batch(conn, batch);
                writer.after(&committed);
            }
            Err(e) => {
                tracing::error!(error = %e, jobs = batch.len(), "cannot open the writer connection");
                writer.outage();
                for job in batch {
                    job.reply(Err(Refusal::Unavailable(e.to_string())));
                }
            }
        }
    }
}

/// Runs `batch` in one transaction and tells each job how it ended, as
/// it returns.
fn run_batch(conn: &mut DbConn, mut batch: Vec<Job>) -> Result<(), Refusal> {
    // Every job at once, no savepoints: what nearly every batch does.
    // The confirmations run first, all together, then the submissions.
    let first = in_write_tx(conn, |tx| {
        if !confirmations::run_together(tx, &mut batch) || !submissions::run_together(tx, &mut batch) {
            return Err(End::OneFailed);
        }
        for job in batch.iter_mut() {
            if !matches!(job.kind(), Kind::Alone) {
                continue;
            }
            if !job.run(tx) {
                return Err(End::OneFailed);
            }
        }
        Ok(())
    });
    let ended = match first {
        Err(End::OneFailed) => in_write_tx(conn, |tx| {
            let mut any_ok = false;
            for job in batch.iter_mut() {
                any_ok |= in_savepoint(tx, job)?;
            }
            // When every job failed there is nothing to keep.
            if any_ok {
                Ok(())
            } else {
                Err(End::NothingToCommit)
            }
        }),
        other => other,
    };
    let committed = match ended {
        Ok(()) | Err(End::NothingToCommit) | Err(End::OneFailed) => Ok(()),
        Err(End::Failed(e)) => {
            tracing::error!(error = %e, jobs = batch.len(), "grouped write transaction failed");
            // Each job's caller gets its own copy: `diesel`'s error cannot
            // be cloned, so it travels as its text and what it means.
            if super::lost_connection(&e) || super::disk_full(&e) {
                Err(Refusal::Unavailable(e.to_string()))
            } else {
                Err(Refusal::Other(e.to_string()))
            }
        }
    };
    for job in batch {
        job.reply(committed.clone());
    }
    committed
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
    /// A job failed in the first pass: the batch runs again in savepoints.
    OneFailed,
    NothingToCommit,
    Failed(diesel::result::Error),
}

impl From<diesel::result::Error> for End {
    fn from(e: diesel::result::Error) -> Self {
        End::Failed(e)
    }
}

#[cfg(test)]
mod tests;
