//! A letter's figures (by region, by day, listed and count-only), kept in
//! memory for `FIGURES_TTL`, then served stale for as long again while one
//! caller computes them anew (for the figures page, behind its reader).
//! Computing them reads every counted signature's index entry once, so at a
//! million signatures it is done at most once per letter in that time,
//! however many readers ask: moka makes concurrent misses of one letter
//! wait for the one computation. After a confirmation they go stale once
//! older than the count may be, so a wave of signatures does not recompute
//! them more often than that. An organizer's change to the letter drops
//! them at once, and figures whose computation began before it are not
//! kept. Only a letter with no figures held (its first read, after an
//! organizer's change, or a minute unread) makes a reader wait.

use crate::db::signatures::pages::count_listed;
use crate::db::stats::{figures, Figures};
use crate::db::{press, DbConn, DbError};
use crate::domain::SiteZone;
use crate::model::LetterId;
use moka::sync::Cache;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
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
    /// Ticks at every invalidation. Figures whose computation began before
    /// the last tick may predate an organizer's change (a batch of names
    /// excluded, the letter taken down): they answer the request that
    /// computed them, but are not kept.
    invalidations: AtomicU64,
}

/// Figures and whether a request is already computing their successor.
struct Entry {
    figures: Arc<LetterFigures>,
    stored: std::time::Instant,
    refreshing: AtomicBool,
    /// Signatures of the letter changed since they were computed, counted,
    /// so that a change made while their successor is computed is told from
    /// one made before (`Refresh`).
    changes: AtomicU64,
}

impl Entry {
    fn new(figures: Arc<LetterFigures>, changes: u64) -> Arc<Entry> {
        Arc::new(Entry {
            figures,
            stored: std::time::Instant::now(),
            refreshing: AtomicBool::new(false),
            changes: AtomicU64::new(changes),
        })
    }
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
            invalidations: AtomicU64::new(0),
        }
    }

    /// The figures, computed here when none are held or when this caller
    /// is the first to find them stale (the others get them as they are).
    pub fn get(&self, conn: &mut DbConn, letter_id: &LetterId) -> Result<Arc<LetterFigures>, DbError> {
        match self.serve_or_claim(letter_id) {
            Held::Serve(figures) => return Ok(figures),
            Held::ServeAndRefresh(_, refresh) => return self.refresh(conn, refresh),
            Held::Nothing => {}
        }
        let began = self.invalidations.load(Ordering::Acquire);
        let mut failed = None;
        let found = self.entries.optionally_get_with_by_ref(letter_id.as_str(), || {
            match compute(conn, letter_id, self.zone) {
                Ok(f) => Some(Entry::new(Arc::new(f), 0)),
                Err(e) => {
                    failed = Some(e);
                    None
                }
            }
        });
        self.unkeep_if_invalidated(letter_id, began);
        match (found, failed) {
            (Some(e), _) => Ok(e.figures.clone()),
            (None, Some(e)) => Err(e),
            // This caller waited on another one's computation, which
            // failed; its error is not ours to return: compute here.
            (None, None) => compute(conn, letter_id, self.zone).map(Arc::new),
        }
    }

    /// What a page kept for many readers is rendered from, without waiting
    /// on a computation when any figures are held: the fresh ones, or the
    /// stale ones while a computation runs behind, claimed by the first
    /// caller to find them stale. (The page is rendered once for everyone
    /// who asks meanwhile, so waiting on figures there would hold them all.)
    pub fn serve_or_claim(&self, letter_id: &LetterId) -> Held {
        let Some(entry) = self.entries.get(letter_id.as_str()) else {
            return Held::Nothing;
        };
        let figures = entry.figures.clone();
        if !self.is_stale(&entry) || entry.refreshing.swap(true, Ordering::AcqRel) {
            return Held::Serve(figures);
        }
        let refresh = Refresh {
            letter_id: letter_id.clone(),
            invalidations: self.invalidations.load(Ordering::Acquire),
            changes: entry.changes.load(Ordering::Acquire),
            entry,
        };
        Held::ServeAndRefresh(figures, refresh)
    }

    /// Computes the figures a [`Refresh`] claimed, and keeps them unless an
    /// invalidation came meanwhile. A signature change made meanwhile may
    /// be missing from them: they are then kept as changed already.
    pub fn refresh(&self, conn: &mut DbConn, refresh: Refresh) -> Result<Arc<LetterFigures>, DbError> {
        let figures = Arc::new(compute(conn, &refresh.letter_id, self.zone)?);
        let since = refresh.entry.changes.load(Ordering::Acquire) - refresh.changes;
        self.entries
            .insert(refresh.letter_id.to_string(), Entry::new(figures.clone(), since));
        self.unkeep_if_invalidated(&refresh.letter_id, refresh.invalidations);
        Ok(figures)
    }

    /// Drops what was just kept for a letter if an invalidation came since
    /// `began`. Checked after keeping, and `invalidate` ticks before it
    /// drops: whichever way the two interleave, figures from before the
    /// change do not stay.
    fn unkeep_if_invalidated(&self, letter_id: &LetterId, began: u64) {
        if self.invalidations.load(Ordering::Acquire) != began {
            self.entries.invalidate(letter_id.as_str());
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
        age >= self.fresh_for || (entry.changes.load(Ordering::Acquire) > 0 && age >= self.changed_after)
    }

    /// An organizer's change: the letter's figures are dropped, and any
    /// being computed are not kept.
    pub fn invalidate(&self, letter_id: &LetterId) {
        self.invalidations.fetch_add(1, Ordering::AcqRel);
        self.entries.invalidate(letter_id.as_str());
    }

    /// A signature of the letter changed: its figures go stale once they
    /// are older than the count may be, and are then computed anew by one
    /// request while the others still get them.
    pub fn signatures_changed(&self, letter_id: &LetterId) {
        if let Some(e) = self.entries.get(letter_id.as_str()) {
            e.changes.fetch_add(1, Ordering::AcqRel);
        }
    }
}

/// A letter's figures for [`FigureCache::serve_or_claim`].
pub enum Held {
    /// Fresh, or stale while another caller computes the next.
    Serve(Arc<LetterFigures>),
    /// Stale, and this caller claimed computing the next: serve these, and
    /// give the claim to [`FigureCache::refresh`] behind the reader.
    ServeAndRefresh(Arc<LetterFigures>, Refresh),
    /// None held: compute them ([`FigureCache::get`]).
    Nothing,
}

/// The claim on computing a letter's next figures. Given back when dropped,
/// whether the computation ran, failed, or never ran (a task dropped at
/// shutdown, a pool that gave no connection), so the next reader to find
/// the figures stale claims it again.
pub struct Refresh {
    letter_id: LetterId,
    entry: Arc<Entry>,
    /// The invalidation clock when claimed.
    invalidations: u64,
    /// The entry's signature changes when claimed.
    changes: u64,
}

impl Refresh {
    /// The letter whose figures it computes.
    pub fn letter_id(&self) -> &LetterId {
        &self.letter_id
    }
}

impl Drop for Refresh {
    fn drop(&mut self) {
        self.entry.refreshing.store(false, Ordering::Release);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db;

    fn migrated(dir: &tempfile::TempDir) -> db::PooledConn {
        let url = db::DatabaseUrl::Sqlite(dir.path().join("figures.db"));
        let pool = db::connect(&url, 1).expect("pool");
        let mut conn = pool.get().expect("connection");
        db::migrations::run(&mut conn).expect("migrations");
        conn
    }

    fn figures_of(held: Held) -> (Arc<LetterFigures>, Option<Refresh>) {
        match held {
            Held::Serve(f) => (f, None),
            Held::ServeAndRefresh(f, refresh) => (f, Some(refresh)),
            Held::Nothing => panic!("figures were held"),
        }
    }

    #[test]
    fn a_page_is_rendered_from_stale_figures_while_one_claim_computes_the_next() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut conn = migrated(&dir);
        let letter = LetterId::generate();
        // Fresh for an hour; stale as soon as a signature changes.
        let cache = FigureCache::new(Duration::from_secs(3600), Duration::ZERO, SiteZone::default());
        assert!(
            matches!(cache.serve_or_claim(&letter), Held::Nothing),
            "nothing held yet"
        );
        let first = cache.get(&mut conn, &letter).expect("figures");
        let (served, claim) = figures_of(cache.serve_or_claim(&letter));
        assert!(
            Arc::ptr_eq(&served, &first) && claim.is_none(),
            "fresh: served as they are"
        );

        cache.signatures_changed(&letter);
        let (served, claim) = figures_of(cache.serve_or_claim(&letter));
        assert!(Arc::ptr_eq(&served, &first), "stale, still served at once");
        let claim = claim.expect("the first to find them stale claims the next");
        let (served, second_claim) = figures_of(cache.serve_or_claim(&letter));
        assert!(
            Arc::ptr_eq(&served, &first) && second_claim.is_none(),
            "one claim at a time"
        );

        // A claim dropped unrun (a task dropped, no connection) is given
        // back: the next reader claims it again.
        drop(claim);
        let (_, claim) = figures_of(cache.serve_or_claim(&letter));
        let claim = claim.expect("claimed again after the first was dropped");
        cache.refresh(&mut conn, claim).expect("computed");
        let (served, claim) = figures_of(cache.serve_or_claim(&letter));
        assert!(!Arc::ptr_eq(&served, &first), "the new figures are served");
        assert!(claim.is_none(), "and they are fresh");
        assert!(served.as_of >= first.as_of);

        // A signature changed while the next figures were computed: they
        // may lack it, so they are kept as changed already (stale at once
        // here).
        cache.signatures_changed(&letter);
        let (_, claim) = figures_of(cache.serve_or_claim(&letter));
        let claim = claim.expect("stale after a change");
        cache.signatures_changed(&letter);
        let computed = cache.refresh(&mut conn, claim).expect("computed");
        let (served, claim) = figures_of(cache.serve_or_claim(&letter));
        assert!(Arc::ptr_eq(&served, &computed), "kept");
        let claim = claim.expect("kept as changed: stale again");

        // An organizer's change while they were computed: they answer the
        // caller, but are not kept, since they may predate the change.
        cache.invalidate(&letter);
        cache.refresh(&mut conn, claim).expect("computed");
        assert!(
            matches!(cache.serve_or_claim(&letter), Held::Nothing),
            "figures computed across an invalidation are not kept"
        );
    }
}
