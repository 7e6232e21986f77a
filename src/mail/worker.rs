//! Delivers the outbox. It runs on its own thread because diesel and
//! lettre's SMTP client both block.

use super::reachability::{Gate, Reachability};
use super::transport::{Mailer, SendError};
use crate::db::{self, outbox, Pool};
use chrono::{Duration as ChronoDuration, NaiveDateTime};
use lettre::message::Mailbox;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Default of [`WorkerConfig::connections`] (`smtp_connections`): few
/// enough for relays that cap connections per client. Released lettre
/// leaves Nagle on, so each connection sends about 22 emails/s; the
/// benchmark, on loopback, runs 32 (about 670/s).
pub const DEFAULT_SMTP_CONNECTIONS: usize = 8;

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub from: Mailbox,
    /// Messages claimed per round.
    pub batch: i64,
    /// SMTP connections sending a round's messages in parallel. lettre
    /// 0.11.23 leaves Nagle's algorithm on, so one message on one loopback
    /// connection waits about 40 ms for the server's delayed ACK; over a
    /// real network each message waits several round trips. Either way a
    /// connection is mostly idle, and throughput grows with their number.
    pub connections: usize,
    /// First retry delay; it doubles with each failed attempt.
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// After this many attempts a message is marked failed. With the
    /// defaults that is several days of outage.
    pub max_attempts: i32,
    /// How long a claim holds before another worker may take the message.
    pub lease: Duration,
    /// Longest sleep between two looks at the table when nobody wakes it.
    pub poll: Duration,
    /// Counts failed delivery attempts, for the metrics endpoint.
    pub failures: Arc<std::sync::atomic::AtomicU64>,
    /// Counts delivered emails, for the metrics endpoint.
    pub sent: Arc<std::sync::atomic::AtomicU64>,
    /// Counts deliveries the database could not record: each will go out
    /// again.
    pub unrecorded: Arc<std::sync::atomic::AtomicU64>,
    /// Signs each email, when a DKIM key is configured.
    pub dkim: Option<crate::config::DkimSigner>,
    /// Writes the confirmations queued as links (`mail::deferred`).
    /// Without it such a message cannot be written, and is marked failed.
    pub deferred: Option<Arc<super::deferred::Deferred>>,
    /// Where outcomes are written when one writer writes everything
    /// (SQLite's group writer); `None`: on the worker's own connection.
    pub writer: Option<crate::db::group_commit::GroupWriter>,
}

impl WorkerConfig {
    pub fn new(from: Mailbox) -> WorkerConfig {
        WorkerConfig {
            from,
            batch: 100,
            connections: DEFAULT_SMTP_CONNECTIONS,
            retry_base: Duration::from_secs(10),
            retry_max: Duration::from_secs(30 * 60),
            max_attempts: 250,
            lease: Duration::from_secs(120),
            poll: Duration::from_secs(5),
            failures: Arc::default(),
            sent: Arc::default(),
            unrecorded: Arc::default(),
            dkim: None,
            deferred: None,
            writer: None,
        }
    }

    /// Delay before attempt number `attempts + 1`.
    pub fn backoff(&self, attempts: i32) -> Duration {
        let factor = 2u32.saturating_pow(attempts.clamp(0, 20) as u32);
        self.retry_base.saturating_mul(factor).min(self.retry_max)
    }
}

/// Wakes the worker when a new message is queued, so delivery does not wait
/// for the next poll. Cheap to clone and to call.
#[derive(Clone)]
pub struct Waker(SyncSender<()>);

impl Waker {
    pub fn wake(&self) {
        match self.0.try_send(()) {
            Ok(()) | Err(TrySendError::Full(())) | Err(TrySendError::Disconnected(())) => {}
        }
    }
}

pub struct OutboxWorker {
    pool: Pool,
    mailer: Mailer,
    config: WorkerConfig,
    server: Reachability,
}

pub struct WorkerHandle {
    stopper: Stopper,
    thread: Option<JoinHandle<()>>,
}

/// Asks the worker to stop, without waiting for it: cheap to clone, so a
/// signal handler can tell it as soon as the HTTP drain starts.
#[derive(Clone)]
pub struct Stopper {
    stop: Arc<AtomicBool>,
    waker: Waker,
}

impl Stopper {
    pub fn stop(&self) {
        if !self.stop.swap(true, Ordering::SeqCst) {
            tracing::info!("outbox worker stopping after the messages in hand");
        }
        self.waker.wake();
    }
}

/// How long a stop waits for the worker at most, on top of the HTTP drain:
/// the worker was told to stop when the drain began, and systemd's unit
/// kills at 40 s, 30 s of drain plus this and a margin.
pub const STOP_WAIT: Duration = Duration::from_secs(5);

impl WorkerHandle {
    pub fn waker(&self) -> Waker {
        self.stopper.waker.clone()
    }

    pub fn stopper(&self) -> Stopper {
        self.stopper.clone()
    }

    /// Stops after the message in hand: a message is either marked sent or
    /// left pending, never half done. Gives up waiting after `wait` (an SMTP
    /// server that hangs mid-message); the message it was sending is then
    /// sent again by whichever node claims it after its lease.
    pub fn shutdown(mut self, wait: Duration) {
        self.stopper.stop();
        let Some(thread) = self.thread.take() else { return };
        let (done, finished) = sync_channel(1);
        // Joined on a thread of its own, so that this wait can end; if it
        // does, the joiner is left to finish with the process.
        std::thread::spawn(move || {
            join(thread);
            let _ = done.send(());
        });
        if finished.recv_timeout(wait).is_err() {
            tracing::warn!(waited = ?wait, "outbox worker still sending; stopping without it");
        }
    }
}

fn join(thread: JoinHandle<()>) {
    if thread.join().is_err() {
        tracing::error!("outbox worker thread panicked");
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.stopper.stop();
        if let Some(thread) = self.thread.take() {
            join(thread);
        }
    }
}

fn to_chrono(d: Duration) -> ChronoDuration {
    ChronoDuration::from_std(d).unwrap_or(ChronoDuration::MAX)
}

impl OutboxWorker {
    pub fn new(pool: Pool, mailer: Mailer, config: WorkerConfig) -> OutboxWorker {
        OutboxWorker {
            pool,
            mailer,
            config,
            server: Reachability::default(),
        }
    }

    pub fn spawn(self) -> std::io::Result<WorkerHandle> {
        let (tx, rx) = sync_channel(1);
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = stop.clone();
        let thread = std::thread::Builder::new()
            .name("outbox-worker".into())
            .spawn(move || self.run(rx, thread_stop))?;
        Ok(WorkerHandle {
            stopper: Stopper {
                stop,
                waker: Waker(tx),
            },
            thread: Some(thread),
        })
    }

    fn run(self, wake: Receiver<()>, stop: Arc<AtomicBool>) {
        tracing::info!(transport = %self.mailer.describe(), "outbox worker started");
        while !stop.load(Ordering::SeqCst) {
            let sleep = match self.round(&stop) {
                Ok(Round::Full) => continue,
                Ok(Round::Wait(wait)) => wait,
                Ok(Round::Idle { next_due }) => {
                    let until_due = next_due
                        .map(|due| (due - db::now()).to_std().unwrap_or(Duration::ZERO))
                        .unwrap_or(self.config.poll);
                    until_due.min(self.config.poll)
                }
                Err(e) => {
                    tracing::error!(error = %e, "outbox worker cannot reach the database");
                    self.config.poll
                }
            };
            match wake.recv_timeout(sleep) {
                Ok(()) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        tracing::info!("outbox worker stopped");
    }

    /// Delivers one batch of due messages.
    fn round(&self, stop: &AtomicBool) -> Result<Round, db::DbError> {
        if let Gate::Wait(wait) = self.server.gate(&self.mailer, self.config.poll) {
            return Ok(Round::Wait(wait));
        }
        // A short wait for a connection, so that a stop request is seen
        // promptly even while the database is unreachable.
        let wait = self
            .config
            .poll
            .clamp(Duration::from_millis(50), Duration::from_secs(1));
        let mut conn = self.pool.get_timeout(wait).map_err(db::DbError::Pool)?;
        let now = db::now();
        let limit = self.claim_size();
        let lease = to_chrono(self.config.lease);
        let batch = crate::db::write_tx(&mut conn, |tx| outbox::claim_due(tx, now, limit, lease))?;
        let full = batch.len() as i64 == limit;
        let batch = self.write_deferred(&mut conn, batch)?;
        // Each outcome is recorded before its sender takes another message
        // (`recorder`): a crash (kill -9, an out-of-memory kill) then
        // repeats at most the message each connection has in flight, whose
        // acceptance the server may have sent as the process died. SMTP
        // offers no better.
        let recorder = recorder::Recorder::new(
            self.config.writer.clone(),
            &mut conn,
            self.config.unrecorded.clone(),
        );
        let taken = self.send_batch(
            &batch,
            &|| !stop.load(Ordering::SeqCst) && !recorder.halted() && !self.server.is_down(),
            &|message, result| {
                let result = match result {
                    Err(SendError::Unreachable(e)) if !self.server.confirm_down(&self.mailer) => {
                        Err(SendError::Transient(e))
                    }
                    other => other,
                };
                let outcome = match result {
                    Ok(()) => outbox::Outcome::Sent { at: db::now() },
                    Err(e) => self.failed(message, e),
                };
                recorder.record(&message.id, outcome);
            },
        );
        if let Some(e) = recorder.into_refusal() {
            return Err(e);
        }
        if taken < batch.len() {
            // Stopping: the messages not tried go back to the queue now
            // rather than when their lease runs out, for whichever node
            // takes them next.
            let untried: Vec<&str> = batch[taken..].iter().map(|m| m.id.as_str()).collect();
            db::write_tx(&mut conn, |tx| outbox::release(tx, &untried))?;
            tracing::info!(released = untried.len(), "claims on unsent emails released");
        }
        if full {
            return Ok(Round::Full);
        }
        Ok(Round::Idle {
            next_due: outbox::next_due(&mut conn)?,
        })
    }

    /// Messages claimed per round: at least `batch`, rounded up to the same
    /// number for every connection, so that none idles while the others
    /// finish the round.
    fn claim_size(&self) -> i64 {
        let batch = self.config.batch.max(1);
        if self.mailer.is_file() {
            return batch;
        }
        let connections = self.config.connections.max(1) as u64;
        let size = (batch as u64).div_ceil(connections).saturating_mul(connections);
        i64::try_from(size).unwrap_or(batch)
    }

    /// Hands each claimed message to the mailer once, from up to
    /// `connections` threads: lettre's pool gives each its own SMTP
    /// connection. Each thread passes each outcome to `record` before it
    /// takes the next message, and takes none once `go_on` says no. Returns
    /// how many were taken: the first that many of `batch`, all tried.
    fn send_batch(
        &self,
        batch: &[outbox::OutboxMessage],
        go_on: &(dyn Fn() -> bool + Sync),
        record: &(dyn Fn(&outbox::OutboxMessage, Result<(), SendError>) + Sync),
    ) -> usize {
        // Each message is taken exactly once, by whichever thread is free.
        let next = AtomicUsize::new(0);
        let send_some = || {
            while go_on() {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(message) = batch.get(i) else { break };
                record(message, self.send(message));
            }
        };
        let threads = if self.mailer.is_file() {
            1
        } else {
            self.config.connections.min(batch.len())
        };
        if threads <= 1 {
            send_some();
        } else {
            self.send_in_parallel(threads, &send_some);
        }
        // Every index handed out was sent: `go_on` is asked before taking one.
        next.load(Ordering::SeqCst).min(batch.len())
    }

    fn send_in_parallel(&self, threads: usize, send_some: &(dyn Fn() + Sync)) {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map_while(|_| {
                    std::thread::Builder::new()
                        .name("outbox-sender".into())
                        .spawn_scoped(s, send_some)
                        .map_err(|e| tracing::error!(error = %e, "cannot start an outbox sender thread"))
                        .ok()
                })
                .collect();
            // If no thread could start, this one sends the round alone.
            if handles.is_empty() {
                send_some();
            }
            for handle in handles {
                // Its message in hand keeps its claim and is tried again
                // when the lease runs out.
                if handle.join().is_err() {
                    tracing::error!("an outbox sender thread panicked");
                }
            }
        });
    }

    fn send(&self, message: &outbox::OutboxMessage) -> Result<(), SendError> {
        let result = self.mailer.send(
            &self.config.from,
            message,
            self.config.dkim.as_ref().map(|d| d.config()),
        );
        match &result {
            Ok(()) => {
                tracing::info!(id = %message.id, kind = %message.kind, "email sent");
                self.config.sent.fetch_add(1, Ordering::Relaxed);
            }
            Err(_) => {
                self.config.failures.fetch_add(1, Ordering::Relaxed);
            }
        }
        result
    }

    /// Writes the claimed emails that hold their links instead
    /// (`mail::deferred`). One that cannot be written is marked failed:
    /// nothing would ever write it.
    fn write_deferred(
        &self,
        conn: &mut db::PooledConn,
        batch: Vec<outbox::OutboxMessage>,
    ) -> Result<Vec<outbox::OutboxMessage>, db::DbError> {
        let mut letters = super::deferred::Letters::new();
        let mut ready = Vec::with_capacity(batch.len());
        let mut settled: Vec<(String, outbox::Outcome)> = Vec::new();
        for mut message in batch {
            if message.links.is_some() {
                let written = match &self.config.deferred {
                    Some(writer) => match writer.write(conn, &mut letters, &mut message) {
                        Ok(written) => written,
                        // A read that failed holds up this message only: its
                        // claim goes back for the next round, the others go.
                        Err(e) => {
                            tracing::warn!(id = %message.id, error = %e, "email not written this round");
                            settled.push((message.id, outbox::Outcome::Released));
                            continue;
                        }
                    },
                    None => false,
                };
                if !written {
                    tracing::error!(id = %message.id, kind = %message.kind, "email cannot be written: its signature or letter is gone");
                    let error = "nothing left to write the email from".to_owned();
                    settled.push((message.id, outbox::Outcome::Failed { error }));
                    continue;
                }
            }
            ready.push(message);
        }
        if !settled.is_empty() {
            db::write_tx(conn, |tx| outbox::record(tx, &settled))?;
        }
        Ok(ready)
    }

    /// What a failed send means for its message, logged.
    fn failed(&self, message: &outbox::OutboxMessage, e: SendError) -> outbox::Outcome {
        match e {
            SendError::Permanent(error) => {
                tracing::error!(id = %message.id, kind = %message.kind, %error, "email refused for good");
                outbox::Outcome::Failed { error }
            }
            SendError::Unreachable(error) => {
                tracing::info!(id = %message.id, %error, "email back in the queue until the SMTP server answers");
                outbox::Outcome::Released
            }
            SendError::Transient(error) if message.attempts + 1 >= self.config.max_attempts => {
                tracing::error!(id = %message.id, attempts = message.attempts + 1, %error, "email given up after too many attempts");
                outbox::Outcome::Failed { error }
            }
            SendError::Transient(error) => {
                let delay = self.config.backoff(message.attempts);
                let next_attempt_at: NaiveDateTime = db::now() + to_chrono(delay);
                tracing::warn!(id = %message.id, attempts = message.attempts + 1, retry_in = ?delay, %error, "email delivery failed; will retry");
                outbox::Outcome::Retry {
                    next_attempt_at,
                    error,
                }
            }
        }
    }
}

enum Round {
    Full,
    /// The SMTP server is down and was tried too recently.
    Wait(Duration),
    Idle {
        next_due: Option<NaiveDateTime>,
    },
}

mod recorder;
#[cfg(test)]
mod tests;
