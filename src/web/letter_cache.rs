//! Published letters by slug or id, kept in memory as briefly as the count
//! may lag. Every signature POST starts by looking up its letter; under a
//! wave of signatures that lookup was a tenth of the work of each one, for a
//! row that changes a few times in a letter's life.
//!
//! A change made through this process drops the letter at once
//! (`AppState::letter_changed`). A change made by another process (the
//! command line, another server) shows within the time to live. Nothing
//! depends on the copy for correctness: the write transactions check again
//! that the letter is open.
//!
//! A `moka::future::Cache`: the loader is a database call awaited from a
//! request handler, so requests that miss one letter at once wait for the
//! one lookup without holding a worker thread.

use crate::db::letters::Letter;
use crate::model::LetterId;
use moka::future::Cache;
use std::future::Future;
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

pub struct LetterCache {
    entries: Cache<LetterKey, Arc<Letter>>,
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
            entries: Cache::builder()
                .max_capacity(MAX_KEYS)
                .time_to_live(ttl)
                // `invalidate` drops a letter by id, whichever key it was
                // stored under (slug, id, or a slug it has since left).
                // Letters change a few times in their life, so the rare
                // scan this costs is cheaper than an index of keys by id.
                .support_invalidation_closures()
                .build(),
        }
    }

    /// The letter for `key`, from memory or from `load`; `Ok(None)` when
    /// there is no such letter, which is not kept. Callers missing the same
    /// key at once share one run of `load`, and its error if it fails.
    pub async fn get_or_load<E, Fut>(&self, key: LetterKey, load: Fut) -> Result<Option<Arc<Letter>>, E>
    where
        Fut: Future<Output = Result<Option<Letter>, E>>,
        E: Clone + Send + Sync + 'static,
    {
        let loaded = self
            .entries
            .try_get_with(key, async {
                match load.await {
                    Ok(Some(letter)) => Ok(Arc::new(letter)),
                    Ok(None) => Err(Miss::NotFound),
                    Err(e) => Err(Miss::Failed(e)),
                }
            })
            .await;
        match loaded {
            Ok(letter) => Ok(Some(letter)),
            Err(miss) => match Arc::unwrap_or_clone(miss) {
                Miss::NotFound => Ok(None),
                Miss::Failed(e) => Err(e),
            },
        }
    }

    /// Drops every copy of a letter, so the next request reads it again.
    pub fn invalidate(&self, letter_id: &LetterId) {
        let id = letter_id.clone();
        if let Err(e) = self
            .entries
            .invalidate_entries_if(move |_, letter| letter.id == id)
        {
            // Only if closures were not enabled above; dropping everything
            // is the safe answer.
            tracing::error!(error = %e, "letter cache: dropping every letter");
            self.entries.invalidate_all();
        }
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
            .get_or_load(key, async { Ok::<_, ()>(load) })
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

    #[tokio::test]
    async fn a_failed_load_is_returned_and_not_kept() {
        let cache = LetterCache::new(Duration::from_secs(60));
        let failed = cache
            .get_or_load(slug("a"), async { Err::<Option<Letter>, _>("down") })
            .await;
        assert!(matches!(failed, Err("down")));
        assert_eq!(id_of(&cache, slug("a"), None).await, None);
    }

    #[tokio::test]
    async fn callers_missing_one_letter_load_it_once() {
        let cache = LetterCache::new(Duration::from_secs(60));
        let loads = AtomicUsize::new(0);
        let callers = (0..8).map(|_| {
            cache.get_or_load(slug("a"), async {
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
