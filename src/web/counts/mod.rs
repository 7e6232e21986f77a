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

use crate::db::{signatures, DbConn, DbError};
use crate::model::LetterId;
use moka::sync::Cache;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Letters whose count is kept. An entry is a few dozen bytes; only letters
/// that exist get one (the callers found the letter first).
const MAX_LETTERS: u64 = 10_000;

pub struct CountCache {
    /// The count sits in an atomic so that `adjust` can move it in place:
    /// moka has no atomic update of a stored value, and replacing the entry
    /// would also restart its time to live, so counts made by other
    /// processes would never show while this one kept confirming.
    entries: Cache<String, Arc<AtomicI64>>,
}

impl CountCache {
    pub fn new(ttl: Duration) -> CountCache {
        CountCache {
            entries: Cache::builder()
                .max_capacity(MAX_LETTERS)
                .time_to_live(ttl)
                .build(),
        }
    }

    /// The count of a letter: from memory when fresh, else from the index.
    pub fn get(&self, conn: &mut DbConn, letter_id: &LetterId) -> Result<i64, DbError> {
        self.get_or_count(letter_id, || signatures::count_confirmed(conn, letter_id))
    }

    /// The count of a letter, from memory or from `count`. Callers missing
    /// the same letter at once share one run of `count`.
    fn get_or_count(
        &self,
        letter_id: &str,
        count: impl FnOnce() -> Result<i64, DbError>,
    ) -> Result<i64, DbError> {
        let mut count = Some(count);
        let mut failed = None;
        let entry = self
            .entries
            .optionally_get_with_by_ref(letter_id, || match count.take()?() {
                Ok(n) => Some(Arc::new(AtomicI64::new(n))),
                Err(e) => {
                    failed = Some(e);
                    None
                }
            });
        match (entry, failed, count) {
            (Some(n), _, _) => Ok(n.load(Ordering::Relaxed)),
            (None, Some(e), _) => Err(e),
            // This caller waited on another one's count, which failed. Its
            // error is not ours to return (moka would hand it over shared,
            // and `DbError` cannot be cloned): count here, uncached.
            (None, None, Some(count)) => count(),
            (None, None, None) => unreachable!("a count that ran either stored a value or failed"),
        }
    }

    /// The count of a letter if this process holds it, without counting.
    pub fn held(&self, letter_id: &LetterId) -> Option<i64> {
        self.entries
            .get(letter_id.as_str())
            .map(|n| n.load(Ordering::Relaxed))
    }

    /// Forgets a letter's count, so the next read counts again.
    pub fn invalidate(&self, letter_id: &LetterId) {
        self.entries.invalidate(letter_id.as_str());
    }

    /// Moves a cached count by a change this process just committed, so the
    /// signer sees their own signature counted at once. The entry keeps its
    /// time to live: changes made by other processes show when it expires.
    pub fn adjust(&self, letter_id: &LetterId, delta: i64) {
        if delta == 0 {
            return;
        }
        if let Some(count) = self.entries.get(letter_id.as_str()) {
            // `fetch_update` with a closure that always returns `Some`
            // cannot fail; the floor keeps a withdrawal racing a recount
            // from showing a negative count.
            let _ = count.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| Some((n + delta).max(0)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Barrier;

    fn cached(cache: &CountCache, letter_id: &str) -> Option<i64> {
        cache.entries.get(letter_id).map(|n| n.load(Ordering::Relaxed))
    }

    #[test]
    fn adjusts_a_cached_count_and_ignores_an_absent_one() {
        let cache = CountCache::new(Duration::from_secs(60));
        cache.adjust(&"absent".into(), 1);
        assert_eq!(
            cached(&cache, "absent"),
            None,
            "nothing to adjust: the next read counts"
        );
        assert_eq!(cache.get_or_count("l1", || Ok(10)).ok(), Some(10));
        cache.adjust(&"l1".into(), 1);
        assert_eq!(
            cache.get_or_count("l1", || panic!("moved, not dropped")).ok(),
            Some(11)
        );
        cache.adjust(&"l1".into(), -1);
        cache.adjust(&"l1".into(), 0);
        assert_eq!(cached(&cache, "l1"), Some(10));
        cache.adjust(&"l1".into(), -20);
        assert_eq!(cached(&cache, "l1"), Some(0), "never below zero");
        cache.invalidate(&"l1".into());
        assert_eq!(cached(&cache, "l1"), None);
        assert_eq!(
            cache.get_or_count("l1", || Ok(12)).ok(),
            Some(12),
            "counted again"
        );
    }

    #[test]
    fn an_expired_count_is_counted_again() {
        let cache = CountCache::new(Duration::ZERO);
        assert_eq!(cache.get_or_count("l1", || Ok(1)).ok(), Some(1));
        assert_eq!(cache.get_or_count("l1", || Ok(2)).ok(), Some(2));
    }

    #[test]
    fn a_failed_count_is_returned_and_not_kept() {
        let cache = CountCache::new(Duration::from_secs(60));
        let failed = cache.get_or_count("l1", || Err(DbError::Contended("test")));
        assert!(matches!(failed, Err(DbError::Contended(_))));
        assert_eq!(cached(&cache, "l1"), None);
    }

    #[test]
    fn threads_missing_one_count_run_it_once() {
        const THREADS: usize = 8;
        let cache = CountCache::new(Duration::from_secs(60));
        let runs = AtomicUsize::new(0);
        let start = Barrier::new(THREADS);
        let counts: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..THREADS)
                .map(|_| {
                    s.spawn(|| {
                        start.wait();
                        cache.get_or_count("l1", || {
                            runs.fetch_add(1, Ordering::SeqCst);
                            // Long enough for every thread to arrive.
                            std::thread::sleep(Duration::from_millis(200));
                            Ok(42)
                        })
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("no panic").ok())
                .collect()
        });
        assert_eq!(counts, vec![Some(42); THREADS]);
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_waiter_counts_for_itself_when_the_shared_count_failed() {
        let cache = CountCache::new(Duration::from_secs(60));
        let (first_started, go) = (Barrier::new(2), Barrier::new(2));
        std::thread::scope(|s| {
            let failing = s.spawn(|| {
                cache.get_or_count("l1", || {
                    first_started.wait();
                    go.wait();
                    std::thread::sleep(Duration::from_millis(100));
                    Err(DbError::Contended("test"))
                })
            });
            first_started.wait();
            let waiting = s.spawn(|| {
                go.wait();
                cache.get_or_count("l1", || Ok(7))
            });
            assert!(failing.join().expect("no panic").is_err());
            assert_eq!(waiting.join().expect("no panic").ok(), Some(7));
        });
    }
}
