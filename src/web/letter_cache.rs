//! Published letters by slug, kept in memory as briefly as the count may
//! lag. Every signature POST starts by looking up its letter; under a wave of
//! signatures that lookup was a tenth of the work of each one, for a row that
//! changes a few times in a letter's life.
//!
//! A change made through this process drops the letter at once
//! (`AppState::letter_changed`). A change made by another process (the
//! command line, another server) shows within the time to live. Nothing
//! depends on the copy for correctness: the write transactions check again
//! that the letter is open.

use crate::db::letters::Letter;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct LetterCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, Arc<Letter>)>>,
}

impl LetterCache {
    pub fn new(ttl: Duration) -> LetterCache {
        LetterCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub fn get(&self, slug: &str) -> Option<Arc<Letter>> {
        let entries = self.entries.lock().ok()?;
        let (at, letter) = entries.get(slug)?;
        (at.elapsed() < self.ttl).then(|| letter.clone())
    }

    /// The same, found by id: the map holds a few letters at most, the
    /// ones being read right now.
    pub fn get_by_id(&self, id: &str) -> Option<Arc<Letter>> {
        let entries = self.entries.lock().ok()?;
        entries
            .values()
            .find(|(at, letter)| letter.id == id && at.elapsed() < self.ttl)
            .map(|(_, letter)| letter.clone())
    }

    /// Only letters that exist are kept: an unknown slug costs a lookup
    /// each time, but cannot fill the map.
    pub fn put(&self, letter: Letter) -> Arc<Letter> {
        let letter = Arc::new(letter);
        if let Ok(mut entries) = self.entries.lock() {
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
            entries.insert(letter.slug.clone(), (Instant::now(), letter.clone()));
        }
        letter
    }

    pub fn invalidate(&self, letter_id: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, (_, letter)| letter.id != letter_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(id: &str, slug: &str) -> Letter {
        Letter {
            id: id.into(),
            slug: slug.into(),
            ..crate::export::fixture::letter()
        }
    }

    #[test]
    fn keeps_until_invalidated_or_expired() {
        let cache = LetterCache::new(Duration::from_secs(60));
        assert!(cache.get("a").is_none());
        cache.put(letter("1", "a"));
        cache.put(letter("2", "b"));
        assert_eq!(cache.get("a").map(|l| l.id.clone()), Some("1".into()));
        assert_eq!(cache.get_by_id("2").map(|l| l.slug.clone()), Some("b".into()));
        cache.invalidate("1");
        assert!(cache.get("a").is_none());
        assert!(cache.get("b").is_some());

        let cache = LetterCache::new(Duration::ZERO);
        cache.put(letter("1", "a"));
        assert!(cache.get("a").is_none());
    }
}
