//! Background maintenance: the privacy promises that hold even when nobody
//! visits. It runs on its own thread because diesel blocks.

use crate::config::Settings;
use crate::db::{self, maintenance, Pool};
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
}

/// One maintenance pass, also callable from the command line and tests.
/// Each step is a transaction of its own, so a long one never holds back
/// the others' work.
pub fn run_once(conn: &mut db::PooledConn, config: &MaintenanceConfig) -> Result<PassReport, db::DbError> {
    let now = db::now();
    let ttl = ChronoDuration::from_std(config.confirm_ttl).unwrap_or(ChronoDuration::days(7));
    let mut report = PassReport {
        purged_pending: db::write_tx(conn, |tx| maintenance::purge_expired_pending(tx, now - ttl))?,
        purged_outbox: maintenance::purge_old_outbox(
            conn,
            now - ChronoDuration::days(OUTBOX_RETENTION_DAYS),
        )?,
        ..Default::default()
    };
    for letter_id in db::write_tx(conn, |tx| crate::actions::letters::close_due(tx, now))? {
        tracing::info!(letter = %letter_id, "letter closed on schedule");
        report.closed_letters += 1;
    }
    for letter_id in maintenance::letters_due_for_anonymisation(conn, now, config.anonymise_after_days)? {
        let erased = db::write_tx(conn, |tx| maintenance::anonymise_letter(tx, &letter_id, now))?;
        tracing::info!(letter = %letter_id, erased, "letter anonymised on schedule");
        report.anonymised_letters += 1;
    }
    Ok(report)
}

/// How long to wait for the next pass: the interval, or less when a
/// letter's scheduled closing comes sooner, so that the audit log and the
/// stored status follow within a second of it (readers see it closed at the
/// instant itself: `Letter::status`).
fn next_pass(pool: &Pool, interval: Duration) -> Duration {
    let now = db::now();
    let next = pool
        .get_timeout(Duration::from_secs(1))
        .ok()
        .and_then(|mut conn| db::letters::next_closing(&mut conn, now).ok().flatten());
    match next.and_then(|at| (at - now).to_std().ok()) {
        Some(wait) => interval.min(wait + Duration::from_millis(500)),
        None => interval,
    }
}

pub fn spawn_maintenance(pool: Pool, settings: &Settings) -> std::io::Result<MaintenanceHandle> {
    let config = MaintenanceConfig {
        interval: settings.purge_interval,
        confirm_ttl: settings.confirm_ttl,
        anonymise_after_days: settings.anonymise_after_days,
    };
    MaintenanceHandle::spawn("maintenance", "maintenance", move |rx| loop {
        match pool.get_timeout(Duration::from_secs(1)) {
            Ok(mut conn) => match run_once(&mut conn, &config) {
                Ok(r) if r != PassReport::default() => tracing::info!(?r, "maintenance pass"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "maintenance pass failed"),
            },
            Err(e) => tracing::warn!(error = %e, "maintenance: no database connection"),
        }
        match rx.recv_timeout(next_pass(&pool, config.interval)) {
            Err(RecvTimeoutError::Timeout) => continue,
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
        }
    })
}
