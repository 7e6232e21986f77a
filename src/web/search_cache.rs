//! Search results kept in memory for as long as the count may lag
//! (`count_cache_ms`): a name in the news is searched by many readers at
//! once, and a page of results costs a hundred index reads.
//!
//! A cached page must never show a signature this process has since
//! withdrawn or hidden, so entries are keyed by their letter's generation:
//! every change this process makes to a letter's signatures or moderation
//! takes a new number from a clock ([`SearchCache::letter_changed`]), and
//! pages stored under the old number are never read again (they expire).
//! Changes made by another node show within the cache's lifetime, as the
//! pages' do (see docs/operations.md, running several nodes).
//!
//! Requests that miss one page of results at once share one search: when a
//! much-searched page expired, every request in flight used to search on
//! its own, each holding a blocking thread and a connection (64 threads
//! and a third of the server's memory under the benchmark's load).

use crate::db::signatures::search::{Found, SearchCursor};
use crate::domain::search::SearchQuery;
use crate::model::LetterId;
use moka::future::Cache;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A page of results and the cursor to the next.
pub type Page = (Vec<Found>, Option<SearchCursor>);

/// A page of results as kept, shared with every request it answers.
pub type Results = Arc<Page>;

pub struct SearchCache {
    pages: Cache<String, Results>,
    /// Each letter's latest generation; never expires, so a letter never
    /// goes back to an older number.
    generations: moka::sync::Cache<String, u64>,
    clock: AtomicU64,
}

impl SearchCache {
    pub fn new(ttl: Duration) -> SearchCache {
        SearchCache {
            pages: Cache::builder().max_capacity(20_000).time_to_live(ttl).build(),
            generations: moka::sync::Cache::builder().max_capacity(100_000).build(),
            clock: AtomicU64::new(0),
        }
    }

    fn key(
        &self,
        letter_id: &LetterId,
        query: &SearchQuery,
        after: Option<&SearchCursor>,
        limit: i64,
    ) -> String {
        let generation = self.generations.get(letter_id.as_str()).unwrap_or(0);
        format!(
            "{letter_id}\u{1}{generation}\u{1}{limit}\u{1}{}\u{1}{}",
            query.terms().join(" "),
            after.map(SearchCursor::encode).unwrap_or_default()
        )
    }

    /// The page of results, if this process has it.
    pub async fn cached(
        &self,
        letter_id: &LetterId,
        query: &SearchQuery,
        after: Option<&SearchCursor>,
        limit: i64,
    ) -> Option<Results> {
        self.pages.get(&self.key(letter_id, query, after, limit)).await
    }

    /// One page of results, from memory when this process has it, else
    /// from `search`, which callers missing the same page at once share
    /// (and its error if it fails).
    ///
    /// The key holds the letter's generation as the caller found it, so a
    /// page read across a withdrawal is kept under a generation no later
    /// request asks for: only requests that came before the change, and
    /// joined that search, are answered with it.
    pub async fn get_or_search<E, Fut>(
        &self,
        letter_id: &LetterId,
        query: &SearchQuery,
        after: Option<&SearchCursor>,
        limit: i64,
        search: impl FnOnce() -> Fut,
    ) -> Result<Results, E>
    where
        Fut: Future<Output = Result<Page, E>>,
        E: Clone + Send + Sync + 'static,
    {
        let key = self.key(letter_id, query, after, limit);
        self.pages
            .try_get_with(key, async move { search().await.map(Arc::new) })
            .await
            .map_err(Arc::unwrap_or_clone)
    }

    /// This process changed the letter's signatures or their moderation:
    /// its cached results are never served again.
    pub fn letter_changed(&self, letter_id: &LetterId) {
        let next = self.clock.fetch_add(1, Ordering::AcqRel) + 1;
        self.generations.insert(letter_id.to_string(), next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn query(s: &str) -> SearchQuery {
        SearchQuery::parse(s).expect("a valid search")
    }

    /// Callers missing one page at once run one search; after a change of
    /// the letter, the next caller searches again.
    #[tokio::test]
    async fn callers_missing_one_page_search_once() {
        let cache = SearchCache::new(Duration::from_secs(60));
        let (letter, q) = (LetterId::from("l1"), query("julien"));
        let searches = AtomicUsize::new(0);
        let search = || async {
            searches.fetch_add(1, Ordering::SeqCst);
            // Every caller arrives while this search is under way.
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok::<Page, ()>((Vec::new(), None))
        };
        let callers = (0..16).map(|_| cache.get_or_search(&letter, &q, None, 100, search));
        let found = futures_util::future::join_all(callers).await;
        assert!(found.iter().all(Result::is_ok));
        assert_eq!(searches.load(Ordering::SeqCst), 1);
        assert!(cache.cached(&letter, &q, None, 100).await.is_some());

        cache.letter_changed(&letter);
        assert!(cache.cached(&letter, &q, None, 100).await.is_none());
        let again = cache.get_or_search(&letter, &q, None, 100, search).await;
        assert!(again.is_ok());
        assert_eq!(searches.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_search_is_returned_and_not_kept() {
        let cache = SearchCache::new(Duration::from_secs(60));
        let (letter, q) = (LetterId::from("l1"), query("julien"));
        let failed = cache
            .get_or_search(&letter, &q, None, 100, || async { Err::<Page, _>("down") })
            .await;
        assert_eq!(failed.err(), Some("down"));
        assert!(cache.cached(&letter, &q, None, 100).await.is_none());
    }
}
