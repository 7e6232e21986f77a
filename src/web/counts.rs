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

    /// Forgets a letter's count after a change made by this process, so the
    /// signer sees their own signature counted at once.
    pub fn invalidate(&self, letter_id: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(letter_id);
        }
    }
}
