//! The upper-triangle pixels of a symmetric file, streamed from its tiles: [`PixelStore`]
//! decodes the stored tiles in parallel (rayon) into sparse lists and keeps as many as fit a
//! memory budget, so the passes of an iteration decode only the tiles that did not fit.

use rayon::prelude::*;

use gzcm_container::{Reader, TileData};

use crate::error::BalanceError;

/// Bytes a kept pixel costs: its position in the tile (2 × u16) and its value (u32 bits).
pub const BYTES_PER_PIXEL: u64 = 8;

/// Bytes a balancing or expected run holds per bin of the matrix, besides the kept tiles:
/// weights, marginals, masks and SCALE's iteration state (at most sixteen 8-byte vectors) and
/// two partial sums per worker thread. It is charged to the memory budget first (see
/// [`PixelStore::load`]): 160 bytes a bin on two threads.
#[must_use]
pub fn bytes_per_bin() -> u64 {
    let threads = u64::try_from(rayon::current_num_threads()).unwrap_or(u64::MAX);
    threads.saturating_mul(2).saturating_add(16).saturating_mul(8)
}

/// The bytes of `memory` that the per-bin vectors of `reader`'s matrix take
/// ([`bytes_per_bin`] a bin), or [`BalanceError::OverBudget`] when they exceed it. Call it
/// before sizing anything by the number of bins, which comes from the file.
pub(crate) fn bin_budget(reader: &Reader, memory: u64) -> Result<u64, BalanceError> {
    let rows = reader.shape().0;
    let per_bin = rows.saturating_mul(bytes_per_bin());
    if per_bin > memory {
        return Err(BalanceError::OverBudget {
            path: reader.path().to_owned(),
            bins: rows,
            needed: per_bin,
            memory,
        });
    }
    Ok(per_bin)
}

/// One tile's pixels with `bin1 <= bin2` and `bin2 - bin1 >= min_distance`.
#[derive(Debug)]
struct SparseTile {
    row0: u64,
    col0: u64,
    cells: Vec<(u16, u16)>,
    /// `u32` counts, or the bits of `f32` values.
    values: Vec<u32>,
    float: bool,
}

impl SparseTile {
    fn from_tile(tile: &TileData, row0: u64, col0: u64, min_distance: u64) -> SparseTile {
        let mut sparse = SparseTile { row0, col0, cells: Vec::new(), values: Vec::new(), float: false };
        let keep = |r: usize, c: usize| {
            let (i, j) = (row0 + r as u64, col0 + c as u64);
            j >= i && j - i >= min_distance
        };
        // Tile edges are at most 4096 (docs/format.md entry 6): positions fit a u16.
        let at = |r: usize, c: usize| (r as u16, c as u16);
        match tile {
            TileData::U32(cells) => {
                for ((r, c), &v) in cells.indexed_iter() {
                    if v != 0 && keep(r, c) {
                        sparse.cells.push(at(r, c));
                        sparse.values.push(v);
                    }
                }
            }
            TileData::F32(cells) => {
                sparse.float = true;
                for ((r, c), &v) in cells.indexed_iter() {
                    if v != 0.0 && keep(r, c) {
                        sparse.cells.push(at(r, c));
                        sparse.values.push(v.to_bits());
                    }
                }
            }
        }
        sparse
    }

    #[inline]
    fn for_each(&self, mut visit: impl FnMut(usize, usize, f64)) {
        let value = |bits: u32| if self.float { f64::from(f32::from_bits(bits)) } else { f64::from(bits) };
        for (&(r, c), &bits) in self.cells.iter().zip(&self.values) {
            // Bin ids of a validated genome index in-memory vectors.
            let i = (self.row0 + u64::from(r)) as usize;
            let j = (self.col0 + u64::from(c)) as usize;
            visit(i, j, value(bits));
        }
    }
}

/// The pixels of a symmetric file's upper triangle, with the first diagonals left out.
#[derive(Debug)]
pub struct PixelStore<'r> {
    reader: &'r Reader,
    tiles: Vec<(u32, u32)>,
    kept: Vec<Option<SparseTile>>,
    min_distance: u64,
    n_bins: usize,
}

/// How much of the file a [`PixelStore`] holds in memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoreFigures {
    /// Stored tiles.
    pub tiles: usize,
    /// Tiles kept decoded in memory.
    pub kept: usize,
    /// Pixels kept (after the diagonals left out).
    pub pixels_kept: u64,
    /// Bytes they take.
    pub bytes_kept: u64,
}

impl<'r> PixelStore<'r> {
    /// Charges the per-bin vectors of a pass ([`bytes_per_bin`] a bin) to the `memory` budget,
    /// then decodes the stored tiles of `reader` in parallel and keeps, in file order, those
    /// whose pixels fit the rest (estimated from each tile's stored non-zero count,
    /// [`BYTES_PER_PIXEL`] a pixel). Pixels with `bin2 - bin1 < min_distance` are left out.
    ///
    /// # Errors
    /// [`BalanceError::NotSymmetric`] for a file that is not a symmetric matrix;
    /// [`BalanceError::OverBudget`] when the per-bin vectors alone exceed `memory` (the number
    /// of bins comes from the file: nothing is sized by it before this check);
    /// [`BalanceError::Container`] when a tile cannot be read.
    pub fn load(reader: &'r Reader, min_distance: u64, memory: u64) -> Result<Self, BalanceError> {
        let (rows, cols) = reader.shape();
        if !reader.symmetric() || rows != cols {
            return Err(BalanceError::NotSymmetric { path: reader.path().to_owned() });
        }
        let mut budget = memory - bin_budget(reader, memory)?;
        let mut tiles = Vec::new();
        let mut keep = Vec::new();
        for entry in reader.stored_tiles() {
            let cost = entry.nnz.map_or(u64::from(entry.shape.rows) * u64::from(entry.shape.cols), u64::from)
                * BYTES_PER_PIXEL;
            let fits = cost <= budget;
            if fits {
                budget -= cost;
            }
            tiles.push((entry.tile_row, entry.tile_col));
            keep.push(fits);
        }
        let n_bins = usize::try_from(rows).unwrap_or(usize::MAX);
        let mut store = PixelStore { reader, tiles, kept: Vec::new(), min_distance, n_bins };
        store.kept = (0..store.tiles.len())
            .into_par_iter()
            .map(|k| if keep[k] { store.decode(k).map(Some) } else { Ok(None) })
            .collect::<Result<_, _>>()?;
        Ok(store)
    }

    fn decode(&self, k: usize) -> Result<SparseTile, BalanceError> {
        let (row, col) = self.tiles[k];
        let tile = self.reader.tile(row, col)?;
        let edge = u64::from(self.reader.tile_size());
        Ok(SparseTile::from_tile(&tile, u64::from(row) * edge, u64::from(col) * edge, self.min_distance))
    }

    /// The matrix edge.
    #[must_use]
    pub fn n_bins(&self) -> usize {
        self.n_bins
    }

    /// What is held in memory.
    #[must_use]
    pub fn figures(&self) -> StoreFigures {
        let kept = self.kept.iter().flatten();
        let pixels_kept: u64 = kept.clone().map(|t| t.cells.len() as u64).sum();
        StoreFigures {
            tiles: self.tiles.len(),
            kept: kept.count(),
            pixels_kept,
            bytes_kept: pixels_kept * BYTES_PER_PIXEL,
        }
    }

    /// Folds every pixel `(bin1, bin2, value)` (`bin1 <= bin2`) into accumulators made by
    /// `init`, tiles in parallel (decoding those not kept), merging the accumulators with
    /// `merge`.
    ///
    /// # Errors
    /// [`BalanceError::Container`] when a tile not kept cannot be read again.
    pub fn fold<A, I, V, M>(&self, init: I, visit: V, merge: M) -> Result<A, BalanceError>
    where
        A: Send,
        I: Fn() -> A + Sync + Send,
        V: Fn(&mut A, usize, usize, f64) + Sync + Send,
        M: Fn(A, A) -> A + Sync + Send,
    {
        (0..self.tiles.len())
            .into_par_iter()
            .try_fold(&init, |mut acc, k| {
                match &self.kept[k] {
                    Some(tile) => tile.for_each(|i, j, v| visit(&mut acc, i, j, v)),
                    None => self.decode(k)?.for_each(|i, j, v| visit(&mut acc, i, j, v)),
                }
                Ok::<A, BalanceError>(acc)
            })
            .try_reduce(&init, |a, b| Ok(merge(a, b)))
    }

    /// Per-bin sums over the pixels `keep(bin1, bin2)` accepts: each pixel's `value(bin1,
    /// bin2, count)` is added to both its bins (twice to a diagonal bin, as cooler's
    /// marginals).
    ///
    /// # Errors
    /// As [`PixelStore::fold`].
    pub fn marginals(
        &self,
        keep: impl Fn(usize, usize) -> bool + Sync + Send,
        value: impl Fn(usize, usize, f64) -> f64 + Sync + Send,
    ) -> Result<Vec<f64>, BalanceError> {
        let n = self.n_bins;
        self.fold(
            || vec![0.0; n],
            |m, i, j, v| {
                if keep(i, j) {
                    let x = value(i, j, v);
                    m[i] += x;
                    m[j] += x;
                }
            },
            add,
        )
    }
}

/// Element-wise sum (for merging accumulators).
pub(crate) fn add(mut a: Vec<f64>, b: Vec<f64>) -> Vec<f64> {
    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
    a
}
