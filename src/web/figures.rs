//! A letter's figures (by region, by day, listed and count-only), kept in
//! memory for `FIGURES_TTL`, then served stale for as long again while one
//! request computes them anew. Computing them reads every counted signature's
//! index entry once, so at a million signatures it is done at most once per
//! letter in that time, however many readers ask: moka makes concurrent
//! misses of one letter wait for the one computation. An organizer's change
//! to the letter drops them at once; after a confirmation they go stale
//! once older than the count may be, so a wave of signatures does not
//! recompute them more often than that, and never makes readers wait.

use crate::db::signatures::pages::count_listed;
use crate::db::stats::{figures, Figures};
use crate::db::{press, DbConn, DbError};
use crate::domain::SiteZone;
use crate::model::LetterId;
use moka::sync::Cache;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How old the figures page may be.
pub const FIGURES_TTL: Duration = Duration::from_secs(30);

/// The breakdown and the list's own counts, from one moment.
#[derive(Debug, Clone)]
pub struct LetterFigures {
    pub figures: Figures,
    pub listed: i64,
    pub count_only: i64,
    /// When they were computed (UTC).
    pub as_of: chrono::NaiveDateTime,
}

pub struct FigureCache {
    entries: Cache<String, Arc<Entry>>,
    zone: SiteZone,
    fresh_for: Duration,
    /// After a signature changed, figures this old are stale.
    changed_after: Duration,
}

/// Figures and whether a request is already computing their successor.
struct Entry {
    figures: Arc<LetterFigures>,
    stored: std::time::Instant,
    refreshing: AtomicBool,
    /// A signature of the letter changed since they were computed.
    changed: AtomicBool,
}

impl FigureCache {
    /// Figures are fresh for `fresh_for`; a stale copy is still served, for
    /// as long again, while one request computes the next.
    pub fn new(fresh_for: Duration, changed_after: Duration, zone: SiteZone) -> FigureCache {
        FigureCache {
            entries: Cache::builder()
                .max_capacity(1000)
                .time_to_live(fresh_for * 2)
                .build(),
            zone,
            fresh_for,
            changed_after,
        }
    }

    pub fn get(&self, conn: &mut DbConn, letter_id: &LetterId) -> Result<Arc<LetterFigures>, DbError> {
        if let Some(entry) = self.entries.get(letter_id.as_str()) {
            // At a million signatures computing takes a while: the readers
            // who come meanwhile get the previous figures, not a wait.
            if !self.is_stale(&entry) || entry.refreshing.swap(true, Ordering::AcqRel) {
                return Ok(entry.figures.clone());
            }
            let result = compute(conn, letter_id, self.zone);
            entry.refreshing.store(false, Ordering::Release);
            let figures = Arc::new(result?);
            self.store(letter_id, figures.clone());
            return Ok(figures);
        }
        let mut failed = None;
        let found = self.entries.optionally_get_with_by_ref(letter_id.as_str(), || {
            match compute(conn, letter_id, self.zone) {
                Ok(f) => Some(Arc::new(Entry {
                    figures: Arc::new(f),
                    stored: std::time::Instant::now(),
                    refreshing: AtomicBool::new(false),
                    changed: AtomicBool::new(false),
                })),
                Err(e) => {
                    failed = Some(e);
                    None
                }
            }
        });
        match (found, failed) {
            (Some(e), _) => Ok(e.figures.clone()),
            (None, Some(e)) => Err(e),
            // This caller waited on another one's computation, which
            // failed; its error is not ours to return: compute here.
            (None, None) => compute(conn, letter_id, self.zone).map(Arc::new),
        }
    }

    /// The figures of a letter if this process holds a copy fresh enough
    /// to serve without computing anything.
    pub fn held(&self, letter_id: &LetterId) -> Option<Arc<LetterFigures>> {
        let entry = self.entries.get(letter_id.as_str())?;
        (!self.is_stale(&entry)).then(|| entry.figures.clone())
    }

    /// Past their freshness, or changed and older than the count may be.
    fn is_stale(&self, entry: &Entry) -> bool {
        let age = entry.stored.elapsed();
        age >= self.fresh_for || (entry.changed.load(Ordering::Acquire) && age >= self.changed_after)
    }

    fn store(&self, letter_id: &LetterId, figures: Arc<LetterFigures>) {
        self.entries.insert(
            letter_id.to_string(),
            Arc::new(Entry {
                figures,
                stored: std::time::Instant::now(),
                refreshing: AtomicBool::new(false),
                changed: AtomicBool::new(false),
            }),
        );
    }

    pub fn invalidate(&self, letter_id: &LetterId) {
        self.entries.invalidate(letter_id.as_str());
    }

    /// A signature of the letter changed: its figures go stale once they
    /// are older than the count may be, and are then computed anew by one
    /// request while the others still get them.
    pub fn signatures_changed(&self, letter_id: &LetterId) {
        if let Some(e) = self.entries.get(letter_id.as_str()) {
            e.changed.store(true, Ordering::Release);
        }
    }
}

fn compute(conn: &mut DbConn, letter_id: &LetterId, zone: SiteZone) -> Result<LetterFigures, DbError> {
    Ok(LetterFigures {
        figures: figures(conn, letter_id, zone)?,
        listed: count_listed(conn, letter_id)?,
        count_only: press::count_only(conn, letter_id)?,
        as_of: crate::db::now(),
    })
}
