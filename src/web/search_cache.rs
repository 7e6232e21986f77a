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

use crate::db::signatures::search::{search_page, Found, SearchCursor};
use crate::db::{DbConn, DbError};
use crate::domain::search::SearchQuery;
use crate::model::LetterId;
use moka::sync::Cache;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A page of results and the cursor to the next.
pub type Results = Arc<(Vec<Found>, Option<SearchCursor>)>;

pub struct SearchCache {
    pages: Cache<String, Results>,
    /// Each letter's latest generation; never expires, so a letter never
    /// goes back to an older number.
    generations: Cache<String, u64>,
    clock: AtomicU64,
}

impl SearchCache {
    pub fn new(ttl: Duration) -> SearchCache {
        SearchCache {
            pages: Cache::builder().max_capacity(20_000).time_to_live(ttl).build(),
            generations: Cache::builder().max_capacity(100_000).build(),
            clock: AtomicU64::new(0),
        }
    }

    fn key(
        &self,
        letter_id: &LetterId,
        query: &SearchQuery,
        after: Option<&SearchCursor>,
        limit: i64,
    ) -> (u64, String) {
        let generation = self.generations.get(letter_id.as_str()).unwrap_or(0);
        let key = format!(
            "{letter_id}\u{1}{generation}\u{1}{limit}\u{1}{}\u{1}{}",
            query.terms().join(" "),
            after.map(SearchCursor::encode).unwrap_or_default()
        );
        (generation, key)
    }

    /// A page this process holds, without touching the database: the
    /// handlers try it before taking a connection.
    pub fn cached(
        &self,
        letter_id: &LetterId,
        query: &SearchQuery,
        after: Option<&SearchCursor>,
        limit: i64,
    ) -> Option<Results> {
        self.pages.get(&self.key(letter_id, query, after, limit).1)
    }

    /// One page of results, from memory when this process has it.
    pub fn page(
        &self,
        conn: &mut DbConn,
        letter_id: &LetterId,
        query: &SearchQuery,
        after: Option<&SearchCursor>,
        limit: i64,
    ) -> Result<Results, DbError> {
        let (generation, key) = self.key(letter_id, query, after, limit);
        if let Some(hit) = self.pages.get(&key) {
            return Ok(hit);
        }
        let found: Results = Arc::new(search_page(conn, letter_id, query, after, limit)?);
        // Stored only if no change came while it was read: a page read
        // across a withdrawal could hold the withdrawn name.
        if self.generations.get(letter_id.as_str()).unwrap_or(0) == generation {
            self.pages.insert(key, found.clone());
        }
        Ok(found)
    }

    /// This process changed the letter's signatures or their moderation:
    /// its cached results are never served again.
    pub fn letter_changed(&self, letter_id: &LetterId) {
        let next = self.clock.fetch_add(1, Ordering::AcqRel) + 1;
        self.generations.insert(letter_id.to_string(), next);
    }
}
