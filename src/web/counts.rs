//! The signature count shown everywhere. It is counted through an index, not
//! kept in a counter column that every signature would update: that single
//! hot row is what brought down the UK Parliament petitions site. The figure
//! is cached briefly, and dropped as soon as this process changes it.

use crate::db::{signatures, DbConn, DbError};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct CountCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, i64)>>,
}

impl CountCache {
    pub fn new(ttl: Duration) -> CountCache {
        CountCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The count of a letter: from memory when fresh, else from the index.
    pub fn get(&self, conn: &mut DbConn, letter_id: &str) -> Result<i64, DbError> {
        if let Some(count) = self.fresh(letter_id) {
            return Ok(count);
        }
        let count = signatures::count_confirmed(conn, letter_id)?;
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(letter_id.to_string(), (Instant::now(), count));
        }
        Ok(count)
    }

    fn fresh(&self, letter_id: &str) -> Option<i64> {
        let entries = self.entries.lock().ok()?;
        let (at, count) = entries.get(letter_id)?;
        (at.elapsed() < self.ttl).then_some(*count)
    }

    /// Forgets a letter's count, so the next read counts again.
    pub fn invalidate(&self, letter_id: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(letter_id);
        }
    }

    /// Moves a cached count by a change this process just committed, so the
    /// signer sees their own signature counted at once. Changes made by
    /// other processes show when the entry expires.
    pub fn adjust(&self, letter_id: &str, delta: i64) {
        if delta == 0 {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            if let Some((_, count)) = entries.get_mut(letter_id) {
                *count = (*count + delta).max(0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjusts_a_cached_count_and_ignores_an_absent_one() {
        let cache = CountCache::new(Duration::from_secs(60));
        cache.adjust("absent", 1);
        assert_eq!(
            cache.fresh("absent"),
            None,
            "nothing to adjust: the next read counts"
        );
        cache
            .entries
            .lock()
            .unwrap()
            .insert("l1".into(), (Instant::now(), 10));
        cache.adjust("l1", 1);
        assert_eq!(cache.fresh("l1"), Some(11));
        cache.adjust("l1", -1);
        cache.adjust("l1", 0);
        assert_eq!(cache.fresh("l1"), Some(10));
        cache.invalidate("l1");
        assert_eq!(cache.fresh("l1"), None);
    }
}
