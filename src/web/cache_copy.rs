//! Dropping one copy from a moka cache: a request that found its copy
//! unfit removes it, unless another request has already stored a newer one
//! under the same key. The page cache and the letter cache both do this.

use moka::future::Cache;
use moka::ops::compute::Op;
use std::hash::Hash;
use std::sync::Arc;

/// Removes `copy` from under `key`, unless a newer copy is there.
pub async fn drop_copy<K, V>(cache: &Cache<K, Arc<V>>, key: &K, copy: &Arc<V>)
where
    K: Hash + Eq + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    cache
        .entry_by_ref(key)
        .and_compute_with(|stored| async move {
            match stored {
                Some(stored) if Arc::ptr_eq(stored.value(), copy) => Op::Remove,
                _ => Op::Nop,
            }
        })
        .await;
}
