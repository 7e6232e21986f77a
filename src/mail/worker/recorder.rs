//! Writes a round's outcomes as the senders learn them, a few per
//! transaction.
//!
//! Each sender waits until its own outcome is written before it takes
//! another message, so a crash repeats at most the message each connection
//! has in flight. On SQLite the outcomes go to the group writer, which
//! writes them in the transactions it writes the signatures in. On
//! PostgreSQL whichever sender gets the worker's connection writes every
//! outcome queued by then in one transaction.
//!
//! Measured on SQLite while a signing wave and the outbox's backlog of its
//! emails ran together: outcomes written in autocommits of their own
//! waited in SQLite's busy handler behind the group writer, so the outbox
//! sent about 12 emails a second; transactions of their own that queued
//! with the group writer sent 150 a second, but each hand-over of the
//! write lock waited for a thread on two busy cores, and signing fell by
//! a third. Inside the group writer's batches the outcomes cost a few
//! statements and no hand-over.

use crate::db::group_commit::GroupWriter;
use crate::db::{self, outbox, PooledConn};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

pub(super) struct Recorder<'c> {
    writes: Writes<'c>,
    refused: Mutex<Option<db::DbError>>,
    halted: AtomicBool,
    /// Deliveries the database refused to record (`unrecorded` metric).
    unrecorded: Arc<AtomicU64>,
    /// Writes made (transactions of its own, or jobs handed to the group
    /// writer), for the tests.
    commits: AtomicUsize,
}

enum Writes<'c> {
    /// Through the writer that writes everything else (SQLite).
    Shared(GroupWriter),
    /// In transactions of their own on the worker's connection.
    Own {
        queue: Mutex<Queue>,
        conn: Mutex<&'c mut PooledConn>,
        /// Outcomes with a ticket up to this one are written, or were
        /// refused.
        done: AtomicU64,
    },
}

#[derive(Default)]
struct Queue {
    outcomes: Vec<(String, outbox::Outcome)>,
    /// Tickets handed out so far; the last queued outcome holds this one.
    issued: u64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A sender that panicked while holding a lock left nothing half
    // written: its transaction rolled back.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl<'c> Recorder<'c> {
    /// Writes through `writer` when there is one, else on `conn`.
    pub(super) fn new(
        writer: Option<GroupWriter>,
        conn: &'c mut PooledConn,
        unrecorded: Arc<AtomicU64>,
    ) -> Recorder<'c> {
        let writes = match writer {
            Some(writer) => Writes::Shared(writer),
            None => Writes::Own {
                queue: Mutex::default(),
                conn: Mutex::new(conn),
                done: AtomicU64::new(0),
            },
        };
        Recorder {
            writes,
            refused: Mutex::new(None),
            halted: AtomicBool::new(false),
            unrecorded,
            commits: AtomicUsize::new(0),
        }
    }

    /// Whether the database refused an outcome: senders stop, since a
    /// send it cannot record would go out again when its lease runs out.
    pub(super) fn halted(&self) -> bool {
        self.halted.load(Ordering::SeqCst)
    }

    /// Writes `outcome` for message `id` and returns once it is written or
    /// refused.
    pub(super) fn record(&self, id: &str, outcome: outbox::Outcome) {
        match &self.writes {
            Writes::Shared(writer) => {
                // Shared with the job rather than copied: the refusal
                // names what it refused.
                let outcomes: Arc<[(String, outbox::Outcome)]> = Arc::new([(id.to_owned(), outcome)]);
                let job = outcomes.clone();
                let written = writer.write_blocking(move |tx| outbox::record(tx, &job));
                self.ended(written, &outcomes);
            }
            Writes::Own { queue, conn, done } => {
                let ticket = {
                    let mut queue = lock(queue);
                    queue.outcomes.push((id.to_owned(), outcome));
                    queue.issued += 1;
                    queue.issued
                };
                let mut conn = lock(conn);
                if done.load(Ordering::SeqCst) >= ticket {
                    // Another sender wrote it while this one waited.
                    return;
                }
                let (outcomes, last) = {
                    let mut queue = lock(queue);
                    (std::mem::take(&mut queue.outcomes), queue.issued)
                };
                let written = db::write_tx(&mut conn, |tx| outbox::record(tx, &outcomes));
                done.store(last, Ordering::SeqCst);
                self.ended(written, &outcomes);
            }
        }
    }

    /// Counts a write, or stops the senders when the database refused
    /// `outcomes`.
    fn ended(&self, written: Result<(), db::DbError>, outcomes: &[(String, outbox::Outcome)]) {
        let Err(e) = written else {
            self.commits.fetch_add(1, Ordering::Relaxed);
            return;
        };
        let delivered = outcomes
            .iter()
            .filter(|(_, o)| matches!(o, outbox::Outcome::Sent { .. }))
            .count();
        self.unrecorded.fetch_add(delivered as u64, Ordering::Relaxed);
        let ids: Vec<&str> = outcomes.iter().map(|(id, _)| id.as_str()).collect();
        tracing::error!(?ids, error = %e, "cannot record deliveries; sending stops until the database takes writes");
        self.halted.store(true, Ordering::SeqCst);
        lock(&self.refused).get_or_insert(e);
    }

    /// Writes made so far (transactions, or the group writer's jobs).
    #[cfg(test)]
    pub(super) fn commits(&self) -> usize {
        self.commits.load(Ordering::Relaxed)
    }

    /// The first refusal, if the database refused any outcome.
    pub(super) fn into_refusal(self) -> Option<db::DbError> {
        self.refused.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::schema::{mailings, outbox as table};
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;

    const SENDERS: usize = 8;

    /// A pool on a migrated SQLite file, and `SENDERS` messages of one
    /// mailing, claimed: what a round hands its senders.
    fn claimed(dir: &tempfile::TempDir) -> (db::Pool, Vec<String>) {
        let url = db::DatabaseUrl::Sqlite(dir.path().join("outbox.db"));
        let pool = db::connect(&url, SENDERS as u32 + 2).expect("pool");
        let mut conn = pool.get().expect("connection");
        db::migrations::run(&mut conn).expect("migrations");
        // The mailing's letter does not matter here.
        conn.batch_execute(
            "PRAGMA foreign_keys = OFF; \
             INSERT INTO mailings (id, letter_id, status, created_at, updated_at, recipients, \
             queued, sent, failed, sender_name, reply_to) VALUES ('m', 'l', 'sending', \
             '2026-12-03 00:00:00', '2026-12-03 00:00:00', 8, 8, 0, 0, '', ''); \
             PRAGMA foreign_keys = ON;",
        )
        .expect("a mailing");
        for i in 0..SENDERS {
            let email = super::super::tests::written(&format!("r{i}@example.org"));
            outbox::insert(&mut conn, &email, db::now()).expect("queue");
        }
        diesel::update(table::table)
            .set(table::mailing_id.eq(Some("m")))
            .execute(&mut *conn)
            .expect("of the mailing");
        let claimed = db::write_tx(&mut conn, |tx| {
            outbox::claim_due(tx, db::now(), 100, chrono::Duration::minutes(2))
        })
        .expect("claim");
        (pool, claimed.into_iter().map(|m| m.id).collect())
    }

    fn status(conn: &mut db::DbConn, id: &str) -> String {
        table::table
            .find(id)
            .select(table::status)
            .first(conn)
            .expect("row")
    }

    fn wait_for(done: impl Fn() -> bool) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while !done() {
            assert!(std::time::Instant::now() < deadline, "timed out");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }

    fn counted(conn: &mut db::DbConn) -> (i32, i32) {
        mailings::table
            .select((mailings::sent, mailings::failed))
            .first(conn)
            .expect("mailing")
    }

    fn group_writer(dir: &tempfile::TempDir) -> GroupWriter {
        let url = db::DatabaseUrl::Sqlite(dir.path().join("outbox.db"));
        GroupWriter::spawn(&url, &db::DbOptions::default())
            .expect("writer")
            .expect("one on SQLite")
    }

    /// Every sender records at once while another process holds the write
    /// lock; each must find its own outcome written when it goes on.
    /// Returns how many writes the recorder made.
    fn all_at_once(pool: &db::Pool, ids: &[String], writer: Option<GroupWriter>) -> usize {
        let mut recording = pool.get().expect("connection");
        let recorder = Recorder::new(writer, &mut recording, Arc::default());
        let mut other = pool.get().expect("connection");
        other.batch_execute("BEGIN IMMEDIATE").expect("the write lock");
        let queued = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|s| {
            for (i, id) in ids.iter().enumerate() {
                let (recorder, queued) = (&recorder, &queued);
                s.spawn(move || {
                    let outcome = if i == 0 {
                        outbox::Outcome::Failed {
                            error: "refused".into(),
                        }
                    } else {
                        outbox::Outcome::Sent { at: db::now() }
                    };
                    queued.fetch_add(1, Ordering::SeqCst);
                    recorder.record(id, outcome);
                    let mut conn = pool.get().expect("connection");
                    let want = if i == 0 { "failed" } else { "sent" };
                    assert_eq!(status(&mut conn, id), want, "written before the sender goes on");
                });
            }
            wait_for(|| queued.load(Ordering::SeqCst) == ids.len());
            other.batch_execute("COMMIT").expect("release the lock");
        });
        let commits = recorder.commits();
        assert!(recorder.into_refusal().is_none());
        let mut conn = pool.get().expect("connection");
        assert_eq!(counted(&mut conn), (SENDERS as i32 - 1, 1));
        commits
    }

    /// On its own connection, senders who finish while the database is
    /// busy share one transaction.
    #[test]
    fn waiting_senders_share_a_commit_and_each_returns_once_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (pool, ids) = claimed(&dir);
        let commits = all_at_once(&pool, &ids, None);
        assert!(commits <= 2, "{commits} commits");
    }

    /// Through the group writer, as on SQLite, with the same promise.
    #[test]
    fn through_the_group_writer_each_returns_once_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (pool, ids) = claimed(&dir);
        let commits = all_at_once(&pool, &ids, Some(group_writer(&dir)));
        assert_eq!(commits, SENDERS, "one job a sender");
    }

    /// A delivery is counted in its mailing exactly when its message is
    /// recorded as sent: a refused write leaves both as they were, on
    /// either path.
    #[test]
    fn a_refused_outcome_leaves_its_mailing_uncounted() {
        for shared in [false, true] {
            let dir = tempfile::tempdir().expect("temp dir");
            let (pool, ids) = claimed(&dir);
            let writer = || shared.then(|| group_writer(&dir));
            let mut conn = pool.get().expect("connection");
            conn.batch_execute(
                "CREATE TRIGGER full BEFORE UPDATE ON outbox WHEN NEW.status = 'sent' \
                 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
            )
            .expect("a full disk");
            let unrecorded = Arc::new(AtomicU64::new(0));
            let mut recording = pool.get().expect("connection");
            let recorder = Recorder::new(writer(), &mut recording, unrecorded.clone());
            recorder.record(&ids[0], outbox::Outcome::Sent { at: db::now() });
            assert!(recorder.halted());
            assert!(recorder.into_refusal().is_some());
            assert_eq!(unrecorded.load(Ordering::SeqCst), 1);
            assert_eq!(counted(&mut conn), (0, 0), "not counted (shared: {shared})");
            assert_eq!(status(&mut conn, &ids[0]), "pending");

            conn.batch_execute("DROP TRIGGER full").expect("room again");
            let recorder = Recorder::new(writer(), &mut recording, unrecorded.clone());
            recorder.record(&ids[0], outbox::Outcome::Sent { at: db::now() });
            assert!(recorder.into_refusal().is_none());
            assert_eq!(counted(&mut conn), (1, 0), "counted once (shared: {shared})");
            assert_eq!(status(&mut conn, &ids[0]), "sent");
        }
    }
}
