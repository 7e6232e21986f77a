//! Background maintenance: the privacy promises that hold even when nobody
//! visits. It runs on its own thread because diesel blocks.

use crate::actions::schedule;
use crate::config::Settings;
use crate::db::{self, maintenance, Pool};
use crate::model::LetterId;
use chrono::Duration as ChronoDuration;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

/// Outbox rows are kept this long after delivery, for troubleshooting.
pub const OUTBOX_RETENTION_DAYS: i64 = 30;

pub type MaintenanceHandle = crate::background::BackgroundThread;

#[derive(Debug, Clone)]
pub struct MaintenanceConfig {
    pub interval: Duration,
    pub confirm_ttl: Duration,
    pub anonymise_after_days: Option<u32>,
}

/// What one pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PassReport {
    pub purged_pending: usize,
    pub purged_outbox: usize,
    pub anonymised_letters: usize,
    pub closed_letters: usize,
    pub published_letters: usize,
    /// CSV files never imported, forgotten after a day.
    pub purged_uploads: usize,
    /// The letters this pass closed, published or anonymised, whose cached
    /// copies the server must drop.
    pub changed: Vec<LetterId>,
}

/// One maintenance pass, also callable from the command line and tests.
/// Each step is a transaction of its own, so a long one never holds back
/// the others' work.
pub fn run_once(conn: &mut db::PooledConn, config: &MaintenanceConfig) -> Result<PassReport, db::DbError> {
    run_once_telling(conn, config, &|_| {})
}

/// [`run_once`], telling `changed` of each letter as soon as its
/// transaction commits: a step that fails later must not keep the server
/// from dropping the copies of letters already changed.
pub fn run_once_telling(
    conn: &mut db::PooledConn,
    config: &MaintenanceConfig,
    changed: &dyn Fn(&LetterId),
) -> Result<PassReport, db::DbError> {
    let now = db::now();
    let ttl = ChronoDuration::from_std(config.confirm_ttl).unwrap_or(ChronoDuration::days(7));
    let mut report = PassReport {
        purged_pending: db::write_tx(conn, |tx| maintenance::purge_expired_pending(tx, now - ttl))?,
        purged_outbox: maintenance::purge_old_outbox(
            conn,
            now - ChronoDuration::days(OUTBOX_RETENTION_DAYS),
        )?,
        purged_uploads: db::write_tx(conn, |tx| {
            db::csv_uploads::purge_stale(tx, crate::actions::imports::kept_since(now))
        })?,
        ..Default::default()
    };
    for letter_id in db::write_tx(conn, |tx| schedule::close_due(tx, now))? {
        tracing::info!(letter = %letter_id, "letter closed on schedule");
        changed(&letter_id);
        report.closed_letters += 1;
        report.changed.push(letter_id);
    }
    let published = db::write_tx(conn, |tx| schedule::publish_due(tx, now))?;
    published.iter().for_each(changed);
    report.published_letters = published.len();
    report.changed.extend(published);
    for letter_id in maintenance::letters_due_for_anonymisation(conn, now, config.anonymise_after_days)? {
        let erased = db::write_tx(conn, |tx| schedule::anonymise_due(tx, &letter_id, now))?;
        tracing::info!(letter = %letter_id, erased, "letter anonymised on schedule");
        changed(&letter_id);
        report.anonymised_letters += 1;
        report.changed.push(letter_id);
    }
    Ok(report)
}

/// The thread that runs `run_once` every `purge_interval`. It closes and
/// publishes what is due as the schedule thread does (whichever comes
/// first does it), so it too tells `changed` of each letter it changed.
pub fn spawn_maintenance(
    pool: Pool,
    settings: &Settings,
    changed: impl Fn(&LetterId) + Send + 'static,
) -> std::io::Result<MaintenanceHandle> {
    let config = MaintenanceConfig {
        interval: settings.purge_interval,
        confirm_ttl: settings.confirm_ttl,
        anonymise_after_days: settings.anonymise_after_days,
    };
    MaintenanceHandle::spawn("maintenance", "maintenance", move |rx| loop {
        match pool.get_timeout(Duration::from_secs(1)) {
            Ok(mut conn) => match run_once_telling(&mut conn, &config, &changed) {
                Ok(r) if r != PassReport::default() => tracing::info!(?r, "maintenance pass"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "maintenance pass failed"),
            },
            Err(e) => tracing::warn!(error = %e, "maintenance: no database connection"),
        }
        match rx.recv_timeout(config.interval) {
            Err(RecvTimeoutError::Timeout) => continue,
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
        }
    })
}

/// How often the schedule thread looks for what is due: a letter appears
/// or closes within this of its set time.
pub const SCHEDULE_TICK: Duration = Duration::from_secs(1);

/// Publishes the drafts whose embargo has ended and writes down the
/// closings that have come, through their use cases. It reads first, so a
/// second with nothing due takes no write lock. Returns the letters changed.
pub fn run_due(conn: &mut db::PooledConn, now: chrono::NaiveDateTime) -> Result<Vec<LetterId>, db::DbError> {
    let nothing = db::letters::due_to_publish(conn, now)?.is_empty()
        && db::letters::due_to_close(conn, now)?.is_empty();
    if nothing {
        return Ok(Vec::new());
    }
    db::write_tx(conn, |tx| {
        let mut changed = schedule::publish_due(tx, now)?;
        changed.extend(schedule::close_due(tx, now)?);
        Ok(changed)
    })
}

/// The thread that runs `run_due` every `SCHEDULE_TICK`; `changed` hears of
/// each letter it changed (the server drops its cached copies). With several
/// servers on one database each runs it; the use cases change only what is
/// still due, inside their transaction, so each letter changes once.
pub fn spawn_schedule(
    pool: Pool,
    changed: impl Fn(&LetterId) + Send + 'static,
) -> std::io::Result<MaintenanceHandle> {
    MaintenanceHandle::spawn("schedule", "schedule", move |rx| loop {
        match pool.get_timeout(SCHEDULE_TICK) {
            Ok(mut conn) => match run_due(&mut conn, db::now()) {
                Ok(letters) => {
                    for letter in &letters {
                        tracing::info!(%letter, "scheduled publication or closing done");
                        changed(letter);
                    }
                }
                Err(e) => tracing::error!(error = %e, "schedule pass failed"),
            },
            Err(e) => tracing::warn!(error = %e, "schedule: no database connection"),
        }
        match rx.recv_timeout(SCHEDULE_TICK) {
            Err(RecvTimeoutError::Timeout) => continue,
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
        }
    })
}

/// Queues the next batch of each message being sent to signers, at most
/// `quota` emails, and records how far each got, so a restart resumes
/// where it stopped. Returns how many were queued.
pub fn queue_mailings(
    conn: &mut db::PooledConn,
    composer: &crate::mail::to_signers::Composer,
    quota: i64,
    now: chrono::NaiveDateTime,
) -> Result<usize, db::DbError> {
    if quota <= 0 || !db::mailings::any_sending(conn)? {
        return Ok(0);
    }
    let compose = |o: &crate::actions::mailings::Outgoing| composer.email(o);
    db::write_tx(conn, |tx| {
        crate::actions::mailings::queue_due(tx, quota, &compose, now)
    })
}

/// The throttle: `per_minute` emails a minute, spread over the ticks. The
/// credit a tick brings is spent on what it queues; it never builds up
/// beyond one tick's worth (or one email), so an idle hour is no burst.
#[derive(Debug, Clone, Copy)]
pub struct Throttle {
    per_tick: f64,
    credit: f64,
}

impl Throttle {
    pub fn per_minute(per_minute: u32) -> Throttle {
        Throttle {
            per_tick: f64::from(per_minute) * SCHEDULE_TICK.as_secs_f64() / 60.0,
            credit: 0.0,
        }
    }

    /// This tick's quota.
    pub fn tick(&mut self) -> i64 {
        self.credit = (self.credit + self.per_tick).min(self.per_tick.max(1.0));
        self.credit.floor() as i64
    }

    pub fn spent(&mut self, n: usize) {
        self.credit = (self.credit - n as f64).max(0.0);
    }
}

/// The thread that runs `queue_mailings` every `SCHEDULE_TICK`, throttled;
/// `queued` hears when it queued mail (the outbox worker is woken).
pub fn spawn_mailings(
    pool: Pool,
    composer: crate::mail::to_signers::Composer,
    mut throttle: Throttle,
    queued: impl Fn() + Send + 'static,
) -> std::io::Result<MaintenanceHandle> {
    MaintenanceHandle::spawn("mailings", "mailings", move |rx| loop {
        let quota = throttle.tick();
        if quota > 0 {
            match pool.get_timeout(SCHEDULE_TICK) {
                Ok(mut conn) => match queue_mailings(&mut conn, &composer, quota, db::now()) {
                    Ok(0) => {}
                    Ok(n) => {
                        throttle.spent(n);
                        tracing::info!(emails = n, "message to signers: batch queued");
                        queued();
                    }
                    Err(e) => tracing::error!(error = %e, "message to signers: batch failed"),
                },
                Err(e) => tracing::warn!(error = %e, "mailings: no database connection"),
            }
        }
        match rx.recv_timeout(SCHEDULE_TICK) {
            Err(RecvTimeoutError::Timeout) => continue,
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
        }
    })
}

#[cfg(test)]
mod throttle_tests {
    use super::Throttle;

    #[test]
    fn a_slow_rate_sends_one_email_every_so_many_ticks_and_idle_time_is_no_burst() {
        let mut t = Throttle::per_minute(20);
        let quotas: Vec<i64> = (0..6)
            .map(|_| {
                let q = t.tick();
                t.spent(q as usize);
                q
            })
            .collect();
        assert_eq!(quotas, [0, 0, 1, 0, 0, 1]);
        let mut fast = Throttle::per_minute(600);
        for _ in 0..100 {
            fast.tick();
        }
        assert_eq!(fast.tick(), 10, "nothing saved up while idle");
    }
}
