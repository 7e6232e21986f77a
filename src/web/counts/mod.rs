//! The signature count shown everywhere. It is counted through an index, not
//! kept in a counter column that every signature would update: that single
//! hot row is what brought down the UK Parliament petitions site. The figure
//! is cached briefly, and moved or dropped as soon as this process changes
//! it.
//!
//! A `moka::sync::Cache`: the count is read inside `run_db` closures, on the
//! blocking pool, with a connection in hand, so the loader is a plain call.
//! Requests that miss one letter's count at once wait for the one that
//! counts, rather than all counting a million rows together.
//!
//! A count past its freshness is counted again by the first reader to find
//! it so, while the others get the count as it was. When the letter's last
//! count was slow (a big letter: a million signatures took 0.7-1.3 s on the
//! slowest bench machine, 70 ms on SQLite on a fast one), that first reader
//! does not wait either: the count is
//! taken again behind it, on a pooled connection of its own, and the reader
//! gets the count as it was. Without this, every reader who came after a
//! quiet spell waited for a recount. Such a count lags by the time it takes
//! to count; this process's own changes still move it at once (`adjust`),
//! and a count that lands keeps those made after it began reading. Two such
//! counts run at most (`MAX_BEHIND`), and a count is never left marked as
//! being taken (`Claim`).

use crate::db::{signatures, DbConn, DbError};
use crate::model::LetterId;
use moka::sync::Cache;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

#[cfg(test)]
mod tests;

/// Letters whose count is kept. An entry is a few dozen bytes; only letters
/// that exist get one (the callers found the letter first).
const MAX_LETTERS: u64 = 10_000;

/// A count that took longer than this is taken again behind its reader.
/// Below it, the reader who finds the count stale counts: a fresh figure
/// costs that reader less than the blink of a page.
pub const SLOW_COUNT: Duration = Duration::from_millis(20);

/// A count unread for this long is forgotten, and one older than this is not
/// shown while it is taken again: its reader counts.
pub const KEEP: Duration = Duration::from_secs(3600);

/// Counts a letter's signatures on a connection of its own, away from any
/// request: how a count is taken behind its reader. It calls `reading` once
/// it holds the connection, just before the count reads: the moves made
/// before that are in what it reads, those made after are added when it
/// lands. (Read earlier, while the count waited for a connection, a
/// signature confirmed in between was counted twice.)
pub type Recount = Arc<dyn Fn(&LetterId, &dyn Fn()) -> Result<i64, DbError> + Send + Sync>;

/// Counts taken behind readers at once, per process: each holds a pooled
/// connection and a blocking thread, and a home page listing many big
/// letters would otherwise take the pool for as long as they run. A reader
/// who finds them all busy gets the count as it was; a later one tries.
const MAX_BEHIND: usize = 2;

pub struct CountCache {
    ttl: Duration,
    keep: Duration,
    /// The count sits in an atomic so that `adjust` can move it in place:
    /// moka has no atomic update of a stored value, and replacing the entry
    /// would also restart its time to live.
    entries: Cache<String, Arc<Held>>,
    /// None (tests, tools): every stale count is taken by its reader.
    recount: Option<Recount>,
    /// Counts running behind their readers now.
    behind_now: Arc<AtomicUsize>,
}

/// One letter's count and what is known of how it was taken.
struct Held {
    count: AtomicI64,
    /// When the count landed, in [`now_ms`]: it is fresh for `ttl` from
    /// then, as a cached count was before. (From when it began, a count
    /// that takes longer than `ttl` would land stale and a letter read
    /// without pause would be counted without pause.)
    counted_at: AtomicU64,
    /// How long the last count took, in milliseconds.
    took_ms: AtomicU64,
    /// A reader is taking the count again.
    refreshing: AtomicBool,
    /// The sum of the moves `adjust` made. A count that lands adds the moves
    /// made since it began (their signatures may be missing from what it
    /// read); moves and landings hold the lock, so neither is lost.
    moved: Mutex<i64>,
}

/// Milliseconds since this process first asked: a clock an atomic can hold.
fn now_ms() -> u64 {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    u64::try_from(EPOCH.get_or_init(Instant::now).elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl Held {
    fn new(count: i64, took: Duration) -> Held {
        Held {
            count: AtomicI64::new(count),
            counted_at: AtomicU64::new(now_ms()),
            took_ms: AtomicU64::new(millis(took)),
            refreshing: AtomicBool::new(false),
            moved: Mutex::new(0),
        }
    }

    fn value(&self) -> i64 {
        self.count.load(Ordering::Relaxed)
    }

    fn age(&self) -> Duration {
        Duration::from_millis(now_ms().saturating_sub(self.counted_at.load(Ordering::Relaxed)))
    }

    fn slow(&self) -> bool {
        self.took_ms.load(Ordering::Relaxed) > millis(SLOW_COUNT)
    }

    /// The moves so far, read before a count begins.
    fn moves(&self) -> i64 {
        *self.moved.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn adjust(&self, delta: i64) {
        let mut moved = self.moved.lock().unwrap_or_else(PoisonError::into_inner);
        *moved += delta;
        // The floor keeps a withdrawal racing a count from showing a
        // negative figure.
        let _ = self
            .count
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| Some((n + delta).max(0)));
    }

    /// Stores a count that read `counted` when the moves stood at
    /// `moves_before`, and took `took`; returns the figure kept.
    fn land(&self, counted: i64, moves_before: i64, took: Duration) -> i64 {
        let moved = self.moved.lock().unwrap_or_else(PoisonError::into_inner);
        let figure = (counted + (*moved - moves_before)).max(0);
        self.count.store(figure, Ordering::Relaxed);
        self.counted_at.store(now_ms(), Ordering::Relaxed);
        self.took_ms.store(millis(took), Ordering::Relaxed);
        figure
    }

    /// Counts with `count` and lands. `count` calls the function it is
    /// given just before it reads (once it holds its connection, for a
    /// count behind the readers): the moves are read then, and the count's
    /// time taken from then.
    fn count_and_land(&self, count: impl FnOnce(&dyn Fn()) -> Result<i64, DbError>) -> Result<i64, DbError> {
        let (moves_before, start) = (Cell::new(self.moves()), Cell::new(Instant::now()));
        let reading = || {
            moves_before.set(self.moves());
            start.set(Instant::now());
        };
        let counted = count(&reading)?;
        Ok(self.land(counted, moves_before.get(), start.get().elapsed()))
    }

    /// [`Held::count_and_land`] for a count that reads as soon as called.
    fn count_now_and_land(&self, count: impl FnOnce() -> Result<i64, DbError>) -> Result<i64, DbError> {
        self.count_and_land(|reading| {
            reading();
            count()
        })
    }
}

/// The right to take a letter's count again, given back when dropped:
/// after the count lands or fails, and if it panics or its task is dropped
/// unrun (a runtime shutting down), so that a count is never left marked
/// as being taken.
struct Claim {
    held: Arc<Held>,
    /// The slot of a count behind its reader, if it is one.
    slot: Option<Arc<AtomicUsize>>,
}

impl Claim {
    fn take(held: &Arc<Held>) -> Option<Claim> {
        (!held.refreshing.swap(true, Ordering::AcqRel)).then(|| Claim {
            held: held.clone(),
            slot: None,
        })
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.held.refreshing.store(false, Ordering::Release);
        if let Some(slot) = &self.slot {
            slot.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

/// What became of a count to be taken behind its reader.
enum Behind {
    Started,
    /// As many run already: the reader gets the count as it was.
    Busy,
    /// No runtime or no way to count here: the reader counts.
    Unavailable(Claim),
}

impl CountCache {
    pub fn new(ttl: Duration) -> CountCache {
        CountCache::with_keep(ttl, KEEP)
    }

    fn with_keep(ttl: Duration, keep: Duration) -> CountCache {
        let keep = keep.max(ttl);
        CountCache {
            ttl,
            keep,
            entries: Cache::builder()
                .max_capacity(MAX_LETTERS)
                .time_to_idle(keep)
                .build(),
            recount: None,
            behind_now: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Slow counts are taken again behind their readers with `recount`.
    pub fn with_recount(mut self, recount: Recount) -> CountCache {
        self.recount = Some(recount);
        self
    }

    /// The count of a letter: from memory when fresh, else from the index.
    pub fn get(&self, conn: &mut DbConn, letter_id: &LetterId) -> Result<i64, DbError> {
        self.get_or_count(letter_id, || signatures::count_confirmed(conn, letter_id))
    }

    /// The count of a letter no older than `ttl`, for a page that shows it
    /// beside figures read at the same moment (the press page): counted
    /// here unless fresh, never the figure as it was.
    pub fn get_fresh(&self, conn: &mut DbConn, letter_id: &LetterId) -> Result<i64, DbError> {
        self.fresh_or_count(letter_id, || signatures::count_confirmed(conn, letter_id))
    }

    fn fresh_or_count(
        &self,
        letter_id: &str,
        count: impl FnOnce() -> Result<i64, DbError>,
    ) -> Result<i64, DbError> {
        match self.entries.get(letter_id) {
            Some(held) if self.fresh(&held) => Ok(held.value()),
            Some(held) => held.count_now_and_land(count),
            None => self.get_or_count(letter_id, count),
        }
    }

    /// Whether `held` may be shown as it is, with nothing counted.
    fn fresh(&self, held: &Held) -> bool {
        held.age() < self.ttl
    }

    /// The count of a letter, from memory or from `count`. Callers missing
    /// the same letter at once share one run of `count`.
    fn get_or_count(
        &self,
        letter_id: &str,
        count: impl FnOnce() -> Result<i64, DbError>,
    ) -> Result<i64, DbError> {
        if let Some(held) = self.entries.get(letter_id) {
            if self.fresh(&held) {
                return Ok(held.value());
            }
            if held.age() < self.keep {
                return Ok(self.again(letter_id, &held, count));
            }
            self.entries.invalidate(letter_id);
        }
        let mut count = Some(count);
        let mut failed = None;
        let entry = self.entries.optionally_get_with_by_ref(letter_id, || {
            let start = Instant::now();
            match count.take()?() {
                Ok(n) => Some(Arc::new(Held::new(n, start.elapsed()))),
                Err(e) => {
                    failed = Some(e);
                    None
                }
            }
        });
        match (entry, failed, count) {
            (Some(held), _, _) => Ok(held.value()),
            (None, Some(e), _) => Err(e),
            // This caller waited on another one's count, which failed. Its
            // error is not ours to return (moka would hand it over shared,
            // and `DbError` cannot be cloned): count here, uncached.
            (None, None, Some(count)) => count(),
            (None, None, None) => unreachable!("a count that ran either stored a value or failed"),
        }
    }

    /// A stale count: taken again by this reader, behind it, or by another
    /// reader already (then this one gets the count as it was).
    fn again(&self, letter_id: &str, held: &Arc<Held>, count: impl FnOnce() -> Result<i64, DbError>) -> i64 {
        let Some(claim) = Claim::take(held) else {
            return held.value();
        };
        let claim = if held.slow() {
            match self.behind(letter_id, claim) {
                Behind::Started | Behind::Busy => return held.value(),
                Behind::Unavailable(claim) => claim,
            }
        } else {
            claim
        };
        let counted = held.count_now_and_land(count);
        drop(claim);
        counted.unwrap_or_else(|e| {
            // The count as it was serves better than an error page; the
            // next reader tries again.
            tracing::warn!(error = %e, letter = letter_id, "counting a letter's signatures again failed");
            held.value()
        })
    }

    /// Starts taking the count again on the blocking pool of the runtime
    /// this thread belongs to, if there is one, a way to count, and a slot.
    fn behind(&self, letter_id: &str, mut claim: Claim) -> Behind {
        let (Some(recount), Ok(runtime)) = (&self.recount, tokio::runtime::Handle::try_current()) else {
            return Behind::Unavailable(claim);
        };
        if self.behind_now.fetch_add(1, Ordering::AcqRel) >= MAX_BEHIND {
            self.behind_now.fetch_sub(1, Ordering::AcqRel);
            return Behind::Busy;
        }
        claim.slot = Some(self.behind_now.clone());
        let (recount, id) = (recount.clone(), LetterId::from(letter_id));
        runtime.spawn_blocking(move || {
            if let Err(e) = claim.held.count_and_land(|reading| recount(&id, reading)) {
                tracing::warn!(error = %e, letter = %id, "counting a letter's signatures again failed");
            }
            drop(claim);
        });
        Behind::Started
    }

    /// The count of a letter if this process holds it fresh, without
    /// counting.
    pub fn held(&self, letter_id: &LetterId) -> Option<i64> {
        self.entries
            .get(letter_id.as_str())
            .filter(|held| self.fresh(held))
            .map(|held| held.value())
    }

    /// Forgets a letter's count, so the next read counts again.
    pub fn invalidate(&self, letter_id: &LetterId) {
        self.entries.invalidate(letter_id.as_str());
    }

    /// Moves a cached count by a change this process just committed, so the
    /// signer sees their own signature counted at once. The entry keeps its
    /// age: changes made by other processes show when it is counted again.
    pub fn adjust(&self, letter_id: &LetterId, delta: i64) {
        if delta == 0 {
            return;
        }
        if let Some(held) = self.entries.get(letter_id.as_str()) {
            held.adjust(delta);
        }
    }
}
