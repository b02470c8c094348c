//! The reader's tile cache and its listing of the index.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gzcm_container::{Reader, ReaderOptions, Writer};
use gzcm_core::Registry;

use crate::support::registry;

fn written(dir: &Path) -> (PathBuf, Arc<Registry>) {
    let registry = registry();
    let path = dir.join("m.gzcm");
    let mut writer = Writer::builder(&path, 40, 40)
        .tile_size(16)
        .codec("lz4")
        .registry(Arc::clone(&registry))
        .create()
        .unwrap();
    writer.push(1, 2, 3u32).unwrap();
    writer.push(1, 30, 4u32).unwrap();
    writer.finish().unwrap();
    (path, registry)
}

#[test]
fn second_read_of_a_tile_is_a_cache_hit() {
    let dir = tempfile::tempdir().unwrap();
    let (path, registry) = written(dir.path());
    let reader =
        Reader::open_with(&path, ReaderOptions::new().registry(registry).cache_bytes(1 << 20)).unwrap();
    let first = reader.tile(0, 1).unwrap();
    assert_eq!(reader.tile(0, 1).unwrap(), first);
    let stats = reader.cache_stats();
    assert_eq!((stats.hits, stats.misses, stats.tiles), (1, 1, 1));
    // Absent tiles are zeros and are not cached.
    assert_eq!(reader.tile(2, 2).unwrap().nnz(), 0);
    assert_eq!(reader.cache_stats().tiles, 1);
}

#[test]
fn stored_tiles_lists_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let (path, registry) = written(dir.path());
    let reader = Reader::open_with(&path, ReaderOptions::new().registry(registry)).unwrap();
    let coords: Vec<_> = reader.stored_tiles().map(|e| (e.tile_row, e.tile_col)).collect();
    assert_eq!(coords, [(0, 0), (0, 1)]);
    assert!(reader.stored_tiles().all(|e| e.record.is_some_and(|r| r.nnz == 1)));
}
