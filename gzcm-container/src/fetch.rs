//! Fetching and decoding several stored tiles at once: the byte ranges of the tiles that miss
//! the cache are read with one [`crate::ByteSource::read_ranges`] call (neighbouring ranges
//! merged into one request), then decoded in parallel on scoped threads (bounded by
//! [`crate::ReaderOptions::decode_threads`]). Scoped threads rather than a pool: nothing
//! outlives the call, so a reader used after `fork` (Python data-loader workers) cannot hang
//! on a pool the fork left behind.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use gzcm_core::TileData;

use crate::error::{ContainerError, Result};
use crate::reader::{Reader, Storage};
use crate::source::Pieces;

/// Decoded stored tiles by coordinate (absent tiles are not listed).
pub(crate) type Tiles = HashMap<(u32, u32), Arc<TileData>>;

impl Reader {
    /// Whether stored tile `coord` (upper triangle for symmetric files) has bytes in the file.
    pub(crate) fn is_stored(&self, coord: (u32, u32)) -> bool {
        match &self.storage {
            Storage::Dense(_) => true,
            Storage::Tiles(index) => index.get(coord.0, coord.1).is_some(),
        }
    }

    /// The byte ranges that hold stored tile `coord` (one for v3/v4; one per row for v1/v2).
    pub(crate) fn tile_ranges(&self, coord: (u32, u32), out: &mut Vec<Range<u64>>) {
        match &self.storage {
            Storage::Dense(layout) => out.extend(layout.row_ranges(coord)),
            Storage::Tiles(index) => {
                if let Some(record) = index.get(coord.0, coord.1) {
                    out.push(record.offset..record.offset + u64::from(record.length));
                }
            }
        }
    }

    /// Runs `f` over the bytes of the stored tiles `coords`: the memory map itself, or the
    /// ranges fetched with one `read_ranges` call.
    pub(crate) fn with_bytes<R>(&self, coords: &[(u32, u32)], f: impl FnOnce(&Pieces) -> R) -> Result<R> {
        if self.source.whole().is_some() {
            return Ok(f(&self.view));
        }
        let mut ranges = Vec::with_capacity(coords.len());
        for &coord in coords {
            self.tile_ranges(coord, &mut ranges);
        }
        let pieces = Pieces::fetch(&*self.source, &ranges, self.coalesce_gap)
            .map_err(|e| ContainerError::io("read tiles of", &self.path, e))?;
        Ok(f(&pieces))
    }

    /// Decodes stored tile `coord` (which must be stored) out of `pieces`.
    pub(crate) fn decode_stored(
        &self,
        coord: (u32, u32),
        pieces: &Pieces,
        check_crc: bool,
    ) -> Result<TileData> {
        match &self.storage {
            Storage::Dense(layout) => layout.read_tile(pieces, coord, self.dtype()),
            Storage::Tiles(index) => {
                let record = index.get(coord.0, coord.1).ok_or(ContainerError::TileOutOfGrid {
                    row: coord.0,
                    col: coord.1,
                    grid: self.grid().dims(),
                })?;
                let stored = pieces.span(record.offset, u64::from(record.length));
                self.decode_bytes(record, stored, check_crc)
            }
        }
    }

    /// The stored tiles `coords` (upper-triangle coordinates; absent ones are skipped), from
    /// the cache where they are, the rest fetched together and decoded in parallel, then
    /// cached.
    ///
    /// # Errors
    /// The first error of fetching or of any tile (in `coords` order).
    pub(crate) fn stored_many(&self, coords: &[(u32, u32)]) -> Result<Tiles> {
        let mut tiles = Tiles::with_capacity(coords.len());
        let mut seen = HashSet::with_capacity(coords.len());
        let mut missing = Vec::new();
        for &coord in coords {
            if !seen.insert(coord) || !self.is_stored(coord) {
                continue;
            }
            match self.cache.get(coord) {
                Some(tile) => {
                    tiles.insert(coord, tile);
                }
                None => missing.push(coord),
            }
        }
        if missing.is_empty() {
            return Ok(tiles);
        }
        let decoded =
            self.with_bytes(&missing, |pieces| self.decode_parallel(&missing, pieces, self.verify_crc))?;
        for (coord, tile) in missing.into_iter().zip(decoded) {
            let tile = Arc::new(tile?);
            self.cache.insert(coord, Arc::clone(&tile));
            tiles.insert(coord, tile);
        }
        Ok(tiles)
    }

    /// Decodes `coords` out of `pieces` on up to `decode_threads` threads; results in order.
    pub(crate) fn decode_parallel(
        &self,
        coords: &[(u32, u32)],
        pieces: &Pieces,
        check_crc: bool,
    ) -> Vec<Result<TileData>> {
        let threads = self.decode_threads.min(coords.len());
        if threads <= 1 {
            return coords.iter().map(|&coord| self.decode_stored(coord, pieces, check_crc)).collect();
        }
        let next = AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            loop {
                let at = next.fetch_add(1, Ordering::Relaxed);
                let Some(&coord) = coords.get(at) else { break };
                done.push((at, self.decode_stored(coord, pieces, check_crc)));
            }
            done
        };
        let mut slots: Vec<Option<Result<TileData>>> =
            std::iter::repeat_with(|| None).take(coords.len()).collect();
        std::thread::scope(|scope| {
            // The calling thread works too: one fewer thread to start.
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
            let mut finished = vec![work()];
            for helper in helpers {
                match helper.join() {
                    Ok(done) => finished.push(done),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            for (at, result) in finished.into_iter().flatten() {
                slots[at] = Some(result);
            }
        });
        // Every index below `coords.len()` was taken by exactly one worker.
        slots
            .into_iter()
            .zip(coords)
            .map(|(slot, &(row, col))| {
                slot.unwrap_or(Err(ContainerError::TileOutOfGrid { row, col, grid: self.grid().dims() }))
            })
            .collect()
    }
}
