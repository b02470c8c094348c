//! A thread-safe LRU cache of decoded tiles (and of decoded tile groups), bounded in bytes of
//! cell data.
//!
//! One mutex guards a map and a recency queue (tick → key); decoding happens outside the lock,
//! so two threads missing on the same tile may both decode it (harmless: the result is the same).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use gzcm_core::TileData;

/// Default cache budget: 256 MiB of decoded cells.
pub const DEFAULT_CACHE_BYTES: usize = 256 << 20;

type Key = (u32, u32);

/// What a cache holds, weighed by the bytes of its cells.
pub(crate) trait Weighed {
    /// Bytes held on the heap.
    fn heap_bytes(&self) -> usize;
}

impl Weighed for TileData {
    fn heap_bytes(&self) -> usize {
        TileData::heap_bytes(self)
    }
}

/// The cache of decoded tiles.
pub(crate) type TileCache = Cache<TileData>;

/// Byte-bounded LRU of decoded values by tile coordinate. A budget of 0 disables it.
#[derive(Debug)]
pub(crate) struct Cache<V> {
    budget: usize,
    inner: Mutex<Inner<V>>,
}

#[derive(Debug)]
struct Inner<V> {
    entries: HashMap<Key, (Arc<V>, u64)>,
    recency: BTreeMap<u64, Key>,
    tick: u64,
    bytes: usize,
    hits: u64,
    misses: u64,
}

/// Cache figures for diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CacheStats {
    /// Lookups served from the cache.
    pub hits: u64,
    /// Lookups that had to decode.
    pub misses: u64,
    /// Tiles held.
    pub tiles: usize,
    /// Bytes of cells held.
    pub bytes: usize,
    /// The budget in bytes.
    pub budget: usize,
}

impl<V> Default for Inner<V> {
    fn default() -> Self {
        Inner { entries: HashMap::new(), recency: BTreeMap::new(), tick: 0, bytes: 0, hits: 0, misses: 0 }
    }
}

impl<V: Weighed> Cache<V> {
    /// A cache holding at most `budget` bytes of decoded cells.
    pub(crate) fn new(budget: usize) -> Self {
        Cache { budget, inner: Mutex::new(Inner::default()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<V>> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The value, if cached; marks it most recently used.
    pub(crate) fn get(&self, key: Key) -> Option<Arc<V>> {
        if self.budget == 0 {
            return None;
        }
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        let Some((tile, old)) = inner.entries.get_mut(&key) else {
            inner.misses += 1;
            return None;
        };
        let (tile, old) = (Arc::clone(tile), std::mem::replace(old, tick));
        inner.recency.remove(&old);
        inner.recency.insert(tick, key);
        inner.hits += 1;
        Some(tile)
    }

    /// Adds a value, evicting the least recently used until the budget holds. A value larger
    /// than the whole budget is not kept.
    pub(crate) fn insert(&self, key: Key, tile: Arc<V>) {
        let size = tile.heap_bytes();
        if size > self.budget {
            return;
        }
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        if let Some((replaced, old)) = inner.entries.insert(key, (tile, tick)) {
            inner.recency.remove(&old);
            inner.bytes -= replaced.heap_bytes();
        }
        inner.recency.insert(tick, key);
        inner.bytes += size;
        while inner.bytes > self.budget {
            let Some((_, evicted)) = inner.recency.pop_first() else {
                break;
            };
            if let Some((tile, _)) = inner.entries.remove(&evicted) {
                inner.bytes -= tile.heap_bytes();
            }
        }
    }

    /// Current figures.
    pub(crate) fn stats(&self) -> CacheStats {
        let inner = self.lock();
        CacheStats {
            hits: inner.hits,
            misses: inner.misses,
            tiles: inner.entries.len(),
            bytes: inner.bytes,
            budget: self.budget,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gzcm_core::{Dtype, TileShape};

    fn tile(edge: u32) -> Arc<TileData> {
        Arc::new(TileData::zeros(Dtype::U32, TileShape::new(edge, edge)))
    }

    #[test]
    fn evicts_least_recently_used_by_bytes() {
        let cache = TileCache::new(3 * 64); // three 4×4 u32 tiles
        for i in 0..3 {
            cache.insert((i, i), tile(4));
        }
        assert!(cache.get((0, 0)).is_some()); // (1, 1) is now the oldest
        cache.insert((3, 3), tile(4));
        assert!(cache.get((1, 1)).is_none());
        assert!(cache.get((0, 0)).is_some());
        assert!(cache.get((3, 3)).is_some());
        assert_eq!(cache.stats().bytes, 192);
    }

    #[test]
    fn zero_budget_disables_and_oversized_tiles_are_skipped() {
        let cache = TileCache::new(0);
        cache.insert((0, 0), tile(4));
        assert!(cache.get((0, 0)).is_none());
        let cache = TileCache::new(100);
        cache.insert((0, 0), tile(8));
        assert_eq!(cache.stats().tiles, 0);
    }

    #[test]
    fn reinserting_a_key_keeps_the_byte_count_right() {
        let cache = TileCache::new(1000);
        cache.insert((0, 0), tile(4));
        cache.insert((0, 0), tile(4));
        assert_eq!(cache.stats().bytes, 64);
        assert_eq!(cache.stats().tiles, 1);
    }
}
