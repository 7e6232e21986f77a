//! Per-thread shards for counters that every request bumps. One counter
//! shared by both HTTP workers is a cache line the two cores take from each
//! other on every request: under `perf`, the metrics mutex and its counter
//! spent nine tenths of their time on the instruction after the lock. Each
//! thread writes its own shard, padded to a line of its own, and a reader
//! adds them up.

use crossbeam_utils::CachePadded;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Shards per counter: more than the HTTP workers of any machine this runs
/// on is not needed for correctness (threads beyond it share), only for
/// keeping the workers apart.
pub const SHARDS: usize = 16;

/// One value per shard.
pub struct Sharded<T> {
    shards: Box<[CachePadded<T>]>,
}

impl<T: Default> Default for Sharded<T> {
    fn default() -> Self {
        Sharded {
            shards: (0..SHARDS).map(|_| CachePadded::new(T::default())).collect(),
        }
    }
}

impl<T> Sharded<T> {
    /// This thread's shard.
    pub fn mine(&self) -> &T {
        &self.shards[this_thread() % self.shards.len()]
    }

    /// Every shard, to add them up.
    pub fn all(&self) -> impl Iterator<Item = &T> {
        self.shards.iter().map(|s| &**s)
    }
}

/// A number for this thread, given out in the order threads first ask, so
/// the first threads to count (the HTTP workers) get shards of their own.
fn this_thread() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static INDEX: usize = NEXT.fetch_add(1, Ordering::Relaxed);
    }
    INDEX.with(|i| *i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;

    #[test]
    fn threads_count_apart_and_the_sum_is_every_count() {
        let counter: Sharded<AtomicU64> = Sharded::default();
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..1000 {
                        counter.mine().fetch_add(1, Ordering::Relaxed);
                    }
                });
            }
        });
        let total: u64 = counter.all().map(|c| c.load(Ordering::Relaxed)).sum();
        assert_eq!(total, 4000);
        // Four threads that each counted first got shards of their own.
        assert!(counter.all().filter(|c| c.load(Ordering::Relaxed) > 0).count() >= 2);
    }
}
