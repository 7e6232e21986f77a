//! Each HTTP worker's own copies of the pages it serves most.
//!
//! Serving a page from the shared cache writes to memory both workers
//! share on every request: moka's read log and the entry's last access, the
//! page's `Arc` count, and the reference counts of the page's bytes and tags
//! as each response clones them. On two cores each such write moves a cache
//! line from one core to the other, and the letter page spent about twice a
//! static file's user time per request. A worker's own copy is read and
//! counted by that worker alone.
//!
//! A copy is only a faster way to the same answer. It is served under the
//! shared page's own rules (`PageCache::servable`: fresh, not past its end,
//! no change of its letter since it was stored or, for one that took
//! something away, since its render began), which read the copy's own
//! fields and the invalidation clock; once it fails them the request goes
//! to the shared cache, which renders again, serves the stale page while
//! one request does, or drops it, exactly as before. Only a page fit to
//! serve is copied, and only one this worker missed twice among its recent
//! misses, so that a worker serving many letters in turn does not copy a
//! page per request.

use super::{OwnPage, PageKey};
use std::cell::RefCell;
use std::hash::BuildHasher;
use std::rc::Rc;

/// Copies a worker keeps at most; the oldest gives way.
const SLOTS: usize = 16;

/// Misses a worker remembers, to copy a page only when asked for again.
const RECENT_MISSES: usize = 32;

/// Bytes of copies a worker keeps at most (by `OwnPage::weight`), the
/// oldest giving way: memory outside the shared cache's budget, so small.
const BYTES: u64 = 2 * 1024 * 1024;

/// Larger pages are served from the shared copy only.
pub(super) const MAX_BYTES: u32 = 256 * 1024;

struct Slot {
    /// Which `PageCache` (a process may run several servers, as the tests do).
    cache: u64,
    key: PageKey,
    page: Rc<OwnPage>,
    /// When it was kept, counted in copies kept by this worker.
    kept: u64,
}

impl Slot {
    fn holds(&self, cache: u64, key: &PageKey) -> bool {
        self.cache == cache && self.key == *key
    }
}

struct Front {
    slots: Vec<Slot>,
    /// Copies kept so far.
    kept: u64,
    /// Hashes of the keys missed lately; 0 for none.
    missed: [u64; RECENT_MISSES],
    next_missed: usize,
    hasher: std::collections::hash_map::RandomState,
}

thread_local! {
    static FRONT: RefCell<Front> = RefCell::new(Front {
        slots: Vec::new(),
        kept: 0,
        missed: [0; RECENT_MISSES],
        next_missed: 0,
        hasher: Default::default(),
    });
}

/// This worker's copy of `key`'s page in cache `cache`, if it has one.
pub(super) fn get(cache: u64, key: &PageKey) -> Option<Rc<OwnPage>> {
    FRONT.with_borrow(|front| {
        front
            .slots
            .iter()
            .find(|slot| slot.holds(cache, key))
            .map(|slot| slot.page.clone())
    })
}

/// Forgets this worker's copy of `key`'s page.
pub(super) fn forget(cache: u64, key: &PageKey) {
    FRONT.with_borrow_mut(|front| front.slots.retain(|slot| !slot.holds(cache, key)));
}

/// Whether to keep a copy of `key`'s page here: true if this worker
/// missed it lately already; otherwise the miss is remembered.
pub(super) fn admit(cache: u64, key: &PageKey) -> bool {
    FRONT.with_borrow_mut(|front| {
        // 0 marks an empty place.
        let hash = front.hasher.hash_one((cache, key)) | 1;
        if let Some(seen) = front.missed.iter().position(|&m| m == hash) {
            front.missed[seen] = 0;
            return true;
        }
        let at = front.next_missed;
        front.missed[at] = hash;
        front.next_missed = (at + 1) % RECENT_MISSES;
        false
    })
}

/// Keeps `page` as this worker's copy of `key`'s page.
pub(super) fn keep(cache: u64, key: &PageKey, page: Rc<OwnPage>) {
    FRONT.with_borrow_mut(|front| {
        front.kept += 1;
        let slot = Slot {
            cache,
            key: key.clone(),
            page,
            kept: front.kept,
        };
        front.slots.retain(|s| !s.holds(cache, key));
        let weight = |s: &Slot| s.page.weight();
        let mut held: u64 = front.slots.iter().map(weight).sum::<u64>() + weight(&slot);
        while front.slots.len() >= SLOTS || (held > BYTES && !front.slots.is_empty()) {
            let Some(oldest) = (0..front.slots.len()).min_by_key(|&i| front.slots[i].kept) else {
                break;
            };
            held -= weight(&front.slots.swap_remove(oldest));
        }
        front.slots.push(slot);
    });
}

/// Copies this worker holds of `cache`'s pages, and their bytes, for tests.
#[cfg(test)]
pub(super) fn held(cache: u64) -> (usize, u64) {
    FRONT.with_borrow(|front| {
        let mine = front.slots.iter().filter(|s| s.cache == cache);
        (mine.clone().count(), mine.map(|s| s.page.weight()).sum())
    })
}
