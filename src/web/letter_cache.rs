//! Published letters by slug or id, kept in memory as briefly as the count
//! may lag. Every signature POST starts by looking up its letter; under a
//! wave of signatures that lookup was a tenth of the work of each one, for a
//! row that changes a few times in a letter's life.
//!
//! A change made through this process drops the letter at once
//! (`AppState::letter_changed`), including a copy whose load was under way
//! when the change came: it was read before the change, so it is not served
//! after it. A change made by another process (the command line, another
//! server) shows within the time to live. Nothing depends on the copy for
//! correctness: the write transactions check again that the letter is open.
//!
//! A `moka::future::Cache`: the loader is a database call awaited from a
//! request handler, so requests that miss one letter at once wait for the
//! one lookup without holding a worker thread.

use crate::db::letters::Letter;
use crate::model::LetterId;
use moka::future::Cache;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How a letter is asked for: public pages by slug, emailed links by id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LetterKey {
    Slug(String),
    Id(LetterId),
}

/// At most this many keys (a letter read both by slug and by id takes
/// two). Only letters that exist are kept, so unknown slugs cannot fill it.
const MAX_KEYS: u64 = 1_000;

/// Letters whose last invalidation is remembered at once: one moderation
/// (a protected name) changes every letter, and a record dropped for room
/// would let a copy loaded before it pass as current.
const MAX_INVALIDATED: u64 = 100_000;

/// Loads tried before a caller reads the letter past the cache: each retry
/// means yet another change of the letter landed during a load.
const LOADS_BEFORE_BYPASS: usize = 3;

pub struct LetterCache {
    entries: Cache<LetterKey, Arc<Loaded>>,
    /// Ticks once per invalidation.
    clock: AtomicU64,
    /// By letter, the clock's value at its last invalidation: a copy whose
    /// load began before it is not served.
    invalidated: moka::sync::Cache<LetterId, u64>,
}

/// A letter as loaded, with the clock's reading when its load began.
struct Loaded {
    letter: Arc<Letter>,
    began: u64,
}

/// Why a load stored nothing. Shared between the callers waiting on one
/// load, hence `Clone`.
#[derive(Clone)]
enum Miss<E> {
    NotFound,
    Failed(E),
}

impl LetterCache {
    pub fn new(ttl: Duration) -> LetterCache {
        LetterCache {
            entries: Cache::builder().max_capacity(MAX_KEYS).time_to_live(ttl).build(),
            clock: AtomicU64::new(0),
            // Remembered while a copy loaded before it may live, `ttl` after
            // its load ended; twice that and a second cover a slow load.
            invalidated: moka::sync::Cache::builder()
                .max_capacity(MAX_INVALIDATED)
                .time_to_live(ttl.saturating_mul(2).saturating_add(Duration::from_secs(1)))
                .build(),
        }
    }

    /// The letter for `key`, from memory or from `load`; `Ok(None)` when
    /// there is no such letter, which is not kept. Callers missing the same
    /// key at once share one run of `load`, and its error if it fails.
    pub async fn get_or_load<E, Fut>(
        &self,
        key: LetterKey,
        load: impl Fn() -> Fut,
    ) -> Result<Option<Arc<Letter>>, E>
    where
        Fut: Future<Output = Result<Option<Letter>, E>>,
        E: Clone + Send + Sync + 'static,
    {
        for _ in 0..LOADS_BEFORE_BYPASS {
            match self.lookup(&key, load()).await? {
                Some(loaded) if !self.is_current(&loaded) => {
                    super::cache_copy::drop_copy(&self.entries, &key, &loaded).await
                }
                found => return Ok(found.map(|l| l.letter.clone())),
            }
        }
        Ok(load().await?.map(Arc::new))
    }

    async fn lookup<E, Fut>(&self, key: &LetterKey, load: Fut) -> Result<Option<Arc<Loaded>>, E>
    where
        Fut: Future<Output = Result<Option<Letter>, E>>,
        E: Clone + Send + Sync + 'static,
    {
        let loaded = self
            .entries
            .try_get_with_by_ref(key, async {
                let began = self.clock.load(Ordering::SeqCst);
                match load.await {
                    Ok(Some(letter)) => Ok(Arc::new(Loaded {
                        letter: Arc::new(letter),
                        began,
                    })),
                    Ok(None) => Err(Miss::NotFound),
                    Err(e) => Err(Miss::Failed(e)),
                }
            })
            .await;
        match loaded {
            Ok(loaded) => Ok(Some(loaded)),
            Err(miss) => match Arc::unwrap_or_clone(miss) {
                Miss::NotFound => Ok(None),
                Miss::Failed(e) => Err(e),
            },
        }
    }

    /// Whether no change of the letter came after its load began. Between
    /// changes of any letter, one atomic read.
    fn is_current(&self, loaded: &Loaded) -> bool {
        loaded.began >= self.clock.load(Ordering::SeqCst)
            || self
                .invalidated
                .get(&loaded.letter.id)
                .is_none_or(|at| loaded.began >= at)
    }

    /// Drops every copy of a letter, whichever key it was stored under
    /// (slug, id, or a slug it has since left), so the next request reads
    /// it again. Copies are dropped when next asked for, not now.
    pub fn invalidate(&self, letter_id: &LetterId) {
        // Ticking inside the per-key update keeps a letter's value rising
        // even when two invalidations of it race.
        self.invalidated
            .entry_by_ref(letter_id)
            .and_upsert_with(|_| self.clock.fetch_add(1, Ordering::SeqCst) + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn letter(id: &str, slug: &str) -> Letter {
        Letter {
            id: id.into(),
            slug: slug.into(),
            ..crate::export::fixture::letter()
        }
    }

    fn slug(s: &str) -> LetterKey {
        LetterKey::Slug(s.into())
    }

    /// The letter's id, loaded by `load` on a miss.
    async fn id_of(cache: &LetterCache, key: LetterKey, load: Option<Letter>) -> Option<String> {
        cache
            .get_or_load(key, || {
                let load = load.clone();
                async move { Ok::<_, ()>(load) }
            })
            .await
            .ok()
            .flatten()
            .map(|l| l.id.to_string())
    }

    #[tokio::test]
    async fn keeps_until_invalidated_or_expired() {
        let cache = LetterCache::new(Duration::from_secs(60));
        assert_eq!(id_of(&cache, slug("a"), None).await, None, "no such letter");
        assert_eq!(
            id_of(&cache, slug("a"), Some(letter("1", "a"))).await,
            Some("1".into()),
            "an unknown slug was not kept"
        );
        id_of(&cache, slug("b"), Some(letter("2", "b"))).await;
        id_of(&cache, LetterKey::Id("1".into()), Some(letter("1", "a"))).await;
        assert_eq!(id_of(&cache, slug("a"), None).await, Some("1".into()), "kept");
        assert_eq!(
            id_of(&cache, LetterKey::Id("1".into()), None).await,
            Some("1".into())
        );

        cache.invalidate(&"1".into());
        assert_eq!(id_of(&cache, slug("a"), None).await, None, "dropped by slug");
        assert_eq!(
            id_of(&cache, LetterKey::Id("1".into()), None).await,
            None,
            "and by id"
        );
        assert_eq!(id_of(&cache, slug("b"), None).await, Some("2".into()));

        let cache = LetterCache::new(Duration::ZERO);
        id_of(&cache, slug("a"), Some(letter("1", "a"))).await;
        assert_eq!(id_of(&cache, slug("a"), None).await, None, "expired");
    }

    /// A load that read the letter before a change and lands after it is
    /// not served: the letter is read again.
    #[tokio::test]
    async fn a_load_overtaken_by_a_change_is_not_served() {
        let cache = LetterCache::new(Duration::from_secs(60));
        let (read, change_done) = (tokio::sync::Notify::new(), tokio::sync::Notify::new());
        let loads = AtomicUsize::new(0);
        let slow = cache.get_or_load(slug("a"), || async {
            if loads.fetch_add(1, Ordering::SeqCst) > 0 {
                return Ok::<_, ()>(Some(letter("1", "after")));
            }
            // Read before the change, stored after it.
            read.notify_one();
            change_done.notified().await;
            Ok(Some(letter("1", "before")))
        });
        let change = async {
            read.notified().await;
            cache.invalidate(&"1".into());
            change_done.notify_one();
        };
        let (found, ()) = tokio::join!(slow, change);
        assert_eq!(found.unwrap().unwrap().slug, "after");
        assert_eq!(loads.load(Ordering::SeqCst), 2);
        let kept = cache.get_or_load(slug("a"), || async { Ok::<_, ()>(None) }).await;
        assert_eq!(kept.unwrap().unwrap().slug, "after", "the new copy is kept");
    }

    #[tokio::test]
    async fn a_failed_load_is_returned_and_not_kept() {
        let cache = LetterCache::new(Duration::from_secs(60));
        let failed = cache
            .get_or_load(slug("a"), || async { Err::<Option<Letter>, _>("down") })
            .await;
        assert!(matches!(failed, Err("down")));
        assert_eq!(id_of(&cache, slug("a"), None).await, None);
    }

    #[tokio::test]
    async fn callers_missing_one_letter_load_it_once() {
        let cache = LetterCache::new(Duration::from_secs(60));
        let loads = AtomicUsize::new(0);
        let callers = (0..8).map(|_| {
            cache.get_or_load(slug("a"), || async {
                loads.fetch_add(1, Ordering::SeqCst);
                // Every caller arrives while this load is under way.
                tokio::time::sleep(Duration::from_millis(50)).await;
                Ok::<_, ()>(Some(letter("1", "a")))
            })
        });
        let found = futures_util::future::join_all(callers).await;
        assert!(found.iter().all(|l| matches!(l, Ok(Some(l)) if l.id == "1")));
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }
}
