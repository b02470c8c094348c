//! The streaming coarsening: one pass over the base file's stored tiles, one tile row (band)
//! at a time, feeding every coarser resolution at once.
//!
//! For each band, the stored tiles are decoded in parallel and each is summed, for every level,
//! into the coarse cells it touches: the finest level from the tile's cells (a small dense
//! scratch per tile: `ceil(T / factor) + 1` cells a side), every other from the sums of the
//! finest level below it whose resolution divides its own (as cooler chains its levels; exact,
//! since partial sums keep the accumulator's precision), so a tile is scanned once. Each level
//! then merges the band's partial sums with its open coarse rows and
//! hands every coarse row that no later base row maps to (rows before the coarse row of the
//! next band's first base row) to its sorted [`Writer`], in row order. Memory is one band's
//! partial sums and the open coarse rows of each level, whatever the map's size. Decoding and
//! summing run on the rayon pool; the merge and the writers' pushes run on the calling thread,
//! since a writer encodes its bands on the pool and a push may wait for that (so the caller
//! must not itself be a pool worker).
//!
//! Symmetric files store the upper triangle (and diagonal tiles whole): only cells with
//! `col >= row` are summed, and since the bin map is monotone their coarse cells are upper
//! too. Integer counts are summed in `u64` and refused when the sum leaves `u32`; float counts
//! are summed in `f64` and stored as `f32`.

use gzcm::ndarray::ArrayView2;
use gzcm::{Element, TileData};
use gzcm_container::{Reader, TileEntry, WriteSummary, Writer};
use rayon::prelude::*;

use crate::progress::{Phase, Progress};
use crate::zoomify::bins::BinMap;
use crate::zoomify::error::ZoomifyError;

/// A stored cell type that coarsening sums: in a wider accumulator, narrowed back when written.
pub(crate) trait Summed: Element + Copy {
    /// The accumulator: `u64` for `u32`, `f64` for `f32`.
    type Acc: Copy + Default + PartialEq + Send + Sync;

    /// The cells of a tile of this type (`None` for a tile of another type).
    fn cells(tile: &TileData) -> Option<ArrayView2<'_, Self>>;

    /// `acc + value`, never wrapping.
    fn add(acc: Self::Acc, value: Self::Acc) -> Self::Acc;

    /// The value in the accumulator type.
    fn widen(self) -> Self::Acc;

    /// Whether every value of `values` is zero (a branch-free pass the compiler vectorises:
    /// sparse tiles are mostly empty rows).
    fn all_zero(values: &[Self]) -> bool;

    /// The sum as a stored value, or the error naming coarse cell `(row, col)` of `resolution`.
    fn narrow(sum: Self::Acc, resolution: u64, row: u64, col: u64) -> Result<Self, ZoomifyError>;
}

impl Summed for u32 {
    type Acc = u64;

    fn cells(tile: &TileData) -> Option<ArrayView2<'_, u32>> {
        match tile {
            TileData::U32(cells) => Some(cells.view()),
            TileData::F32(_) => None,
        }
    }

    fn add(acc: u64, value: u64) -> u64 {
        acc.saturating_add(value)
    }

    fn widen(self) -> u64 {
        u64::from(self)
    }

    fn all_zero(values: &[u32]) -> bool {
        values.iter().fold(0, |any, &v| any | v) == 0
    }

    fn narrow(sum: u64, resolution: u64, row: u64, col: u64) -> Result<u32, ZoomifyError> {
        u32::try_from(sum).map_err(|_| ZoomifyError::CountOverflow {
            resolution,
            row,
            col,
            sum,
            dtype: Self::DTYPE,
        })
    }
}

impl Summed for f32 {
    type Acc = f64;

    fn cells(tile: &TileData) -> Option<ArrayView2<'_, f32>> {
        match tile {
            TileData::F32(cells) => Some(cells.view()),
            TileData::U32(_) => None,
        }
    }

    fn add(acc: f64, value: f64) -> f64 {
        acc + value
    }

    fn widen(self) -> f64 {
        f64::from(self)
    }

    fn all_zero(values: &[f32]) -> bool {
        // -0.0 is zero too: compare the bits with the sign cleared.
        values.iter().fold(0, |any, &v| any | (v.to_bits() & 0x7fff_ffff)) == 0
    }

    fn narrow(sum: f64, resolution: u64, row: u64, col: u64) -> Result<f32, ZoomifyError> {
        #[expect(
            clippy::cast_possible_truncation,
            reason = "float32 is the stored type; overflow is checked"
        )]
        let value = sum as f32;
        if value.is_infinite() && sum.is_finite() {
            return Err(ZoomifyError::FloatOverflow { resolution, row, col, sum, dtype: Self::DTYPE });
        }
        Ok(value)
    }
}

/// A coarse cell and a partial sum of its base cells.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Partial<A> {
    /// Coarse row bin.
    pub(crate) row: u64,
    /// Coarse column bin.
    pub(crate) col: u64,
    /// The sum so far.
    pub(crate) sum: A,
}

/// One coarser resolution being written: its sorted writer and the cells of its open rows
/// (summed, sorted by row then column).
pub(crate) struct LevelSink<T: Summed> {
    writer: Writer,
    open: Vec<Partial<T::Acc>>,
}

impl<T: Summed> LevelSink<T> {
    /// A level written by `writer` (a sorted writer for the coarse genome's matrix).
    pub(crate) fn new(writer: Writer) -> Self {
        LevelSink { writer, open: Vec::new() }
    }

    /// Merges a band's partial sums into the open rows and writes every row before coarse row
    /// `complete_below` (all rows when `None`).
    fn absorb<'a>(
        &mut self,
        map: &BinMap,
        parts: impl Iterator<Item = &'a [Partial<T::Acc>]>,
        complete_below: Option<u64>,
    ) -> Result<(), ZoomifyError> {
        let mut cells = std::mem::take(&mut self.open);
        for part in parts {
            cells.extend_from_slice(part);
        }
        // A stable sort: the open rows and each tile's sums are sorted runs, which it merges
        // in about n · log(runs) instead of sorting from scratch.
        cells.sort_by_key(|c| (c.row, c.col));
        merge_sorted::<T>(&mut cells);
        let done = complete_below.map_or(cells.len(), |row| cells.partition_point(|c| c.row < row));
        for cell in &cells[..done] {
            let value = T::narrow(cell.sum, map.resolution(), cell.row, cell.col)?;
            self.writer.push(cell.row, cell.col, value)?;
        }
        cells.drain(..done);
        self.open = cells;
        Ok(())
    }
}

/// Sums neighbours of a sorted list that share a cell, in place.
fn merge_sorted<T: Summed>(cells: &mut Vec<Partial<T::Acc>>) {
    let mut kept = 0;
    for i in 0..cells.len() {
        let cell = cells[i];
        if kept > 0 && (cells[kept - 1].row, cells[kept - 1].col) == (cell.row, cell.col) {
            cells[kept - 1].sum = T::add(cells[kept - 1].sum, cell.sum);
        } else {
            cells[kept] = cell;
            kept += 1;
        }
    }
    cells.truncate(kept);
}

/// Sums the cells of one base tile at `origin` into the coarse cells of `map`, sorted by row
/// then column (only `col >= row` when `symmetric`).
pub(crate) fn reduce_tile<T: Summed>(
    map: &BinMap,
    cells: ArrayView2<'_, T>,
    origin: (u64, u64),
    symmetric: bool,
) -> Vec<Partial<T::Acc>> {
    let (height, width) = cells.dim();
    let (mut rows, mut cols) = (Vec::with_capacity(height), Vec::with_capacity(width));
    map.coarse_bins(origin.0..origin.0 + height as u64, &mut rows);
    map.coarse_bins(origin.1..origin.1 + width as u64, &mut cols);
    let (Some(&first_row), Some(&last_row), Some(&first_col), Some(&last_col)) =
        (rows.first(), rows.last(), cols.first(), cols.last())
    else {
        return Vec::new();
    };
    if let Some(sums) = reduce_sparse(&rows, &cols, cells, origin, symmetric) {
        return sums;
    }
    let span = usize_of(last_col - first_col + 1);
    let mut scratch = vec![T::Acc::default(); usize_of(last_row - first_row + 1) * span];
    let local_cols: Vec<usize> = cols.iter().map(|&c| usize_of(c - first_col)).collect();
    for ((i, values), &coarse_row) in cells.outer_iter().enumerate().zip(&rows) {
        // In a diagonal tile of a symmetric file, the lower triangle mirrors the upper one.
        let first = if symmetric { usize_of((origin.0 + i as u64).saturating_sub(origin.1)) } else { 0 };
        if values.as_slice().is_some_and(|v| T::all_zero(&v[first.min(v.len())..])) {
            continue;
        }
        let base = usize_of(coarse_row - first_row) * span;
        for (j, &value) in values.iter().enumerate().skip(first) {
            if !value.is_zero() {
                let at = base + local_cols[j];
                scratch[at] = T::add(scratch[at], value.widen());
            }
        }
    }
    let zero = T::Acc::default();
    let mut out = Vec::new();
    for (at, &sum) in scratch.iter().enumerate() {
        if sum != zero {
            let (r, c) = (at / span, at % span);
            out.push(Partial { row: first_row + r as u64, col: first_col + c as u64, sum });
        }
    }
    out
}

/// Non-zero cells above which a tile is summed through a dense scratch of its coarse cells.
const SPARSE_CELLS: usize = 1024;

/// [`reduce_tile`] for a tile of at most [`SPARSE_CELLS`] non-zero cells (`None` for more),
/// given the coarse bin of each of its rows and columns: the cells are mapped and sorted, at
/// a cost that follows them, not the tile's area (most tiles of a fine genome-wide map hold a
/// contact or two).
fn reduce_sparse<T: Summed>(
    rows: &[u64],
    cols: &[u64],
    cells: ArrayView2<'_, T>,
    origin: (u64, u64),
    symmetric: bool,
) -> Option<Vec<Partial<T::Acc>>> {
    let mut out = Vec::new();
    for ((i, values), &coarse_row) in cells.outer_iter().enumerate().zip(rows) {
        let first = if symmetric { usize_of((origin.0 + i as u64).saturating_sub(origin.1)) } else { 0 };
        if values.as_slice().is_some_and(|v| T::all_zero(&v[first.min(v.len())..])) {
            continue;
        }
        for (j, &value) in values.iter().enumerate().skip(first) {
            if !value.is_zero() {
                if out.len() == SPARSE_CELLS {
                    return None;
                }
                out.push(Partial { row: coarse_row, col: cols[j], sum: value.widen() });
            }
        }
    }
    // Row by row the cells are sorted runs: a stable sort merges them.
    out.sort_by_key(|c| (c.row, c.col));
    merge_sorted::<T>(&mut out);
    Some(out)
}

/// Sums the partial sums of one tile at a finer level (sorted, upper when symmetric) into the
/// cells of the level `step` maps them to, sorted by row then column.
pub(crate) fn reduce_partials<T: Summed>(step: &BinMap, finer: &[Partial<T::Acc>]) -> Vec<Partial<T::Acc>> {
    let mut out: Vec<Partial<T::Acc>> = finer
        .iter()
        .map(|p| Partial { row: step.coarse_bin(p.row), col: step.coarse_bin(p.col), sum: p.sum })
        .collect();
    // Each finer row stays a sorted run once mapped: a stable sort merges the runs.
    out.sort_by_key(|c| (c.row, c.col));
    merge_sorted::<T>(&mut out);
    out
}

/// Where a level's per-tile sums come from.
#[derive(Debug)]
enum Step {
    /// The base tile's cells, through the level's own map.
    Base,
    /// The sums of level `finer`, through a map from its bins to this level's.
    From {
        /// The finer level's index.
        finer: usize,
        /// Its bins → this level's bins.
        map: BinMap,
    },
}

/// Each level's source: the nearest finer level whose resolution divides its own, else the base.
fn steps(maps: &[BinMap]) -> Vec<Step> {
    maps.iter()
        .enumerate()
        .map(|(level, map)| {
            let r = map.resolution();
            match (0..level).rev().find(|&finer| r.is_multiple_of(maps[finer].resolution())) {
                Some(finer) => Step::From { finer, map: BinMap::new(maps[finer].coarse_genome(), r) },
                None => Step::Base,
            }
        })
        .collect()
}

/// Every level's sums of one base tile at `origin`.
fn reduce_levels<T: Summed>(
    maps: &[BinMap],
    steps: &[Step],
    cells: ArrayView2<'_, T>,
    origin: (u64, u64),
    symmetric: bool,
) -> Vec<Vec<Partial<T::Acc>>> {
    let mut levels: Vec<Vec<Partial<T::Acc>>> = Vec::with_capacity(maps.len());
    for (map, step) in maps.iter().zip(steps) {
        let sums = match step {
            Step::Base => reduce_tile(map, cells, origin, symmetric),
            Step::From { finer, map } => reduce_partials::<T>(map, &levels[*finer]),
        };
        levels.push(sums);
    }
    levels
}

/// Base pixels a [`PixelCoarsener`] holds before summing them into its levels (24 bytes each).
const PIXEL_CHUNK: usize = 1 << 18;

/// Coarsening from a stream of base pixels in row-major order (what `load` merges), instead of
/// from a written base file: each chunk of pixels is summed into every level at once, as
/// [`coarsen`] sums a batch of tiles, so no base tile is decoded and a sparse map costs what its
/// pixels cost. Memory is one chunk, its sums at each level, and each level's open rows.
pub(crate) struct PixelCoarsener<T: Summed> {
    maps: Vec<BinMap>,
    steps: Vec<Step>,
    sinks: Vec<LevelSink<T>>,
    chunk: Vec<Partial<T::Acc>>,
    /// Pixels summed at a time ([`PIXEL_CHUNK`]; tests use a few).
    chunk_pixels: usize,
}

impl<T: Summed> PixelCoarsener<T> {
    /// Coarsens into every level of `maps` (maps from the base genome), written by `sinks` in
    /// the same order.
    pub(crate) fn new(maps: Vec<BinMap>, sinks: Vec<LevelSink<T>>) -> Self {
        let steps = steps(&maps);
        PixelCoarsener { maps, steps, sinks, chunk: Vec::new(), chunk_pixels: PIXEL_CHUNK }
    }

    /// Sums `pixels` base pixels at a time.
    #[cfg(test)]
    pub(crate) fn with_chunk(mut self, pixels: usize) -> Self {
        self.chunk_pixels = pixels.max(1);
        self
    }

    /// Adds base pixel `(row, col)`; rows must not decrease (of a symmetric map, the upper
    /// triangle only).
    pub(crate) fn push(&mut self, row: u64, col: u64, value: T) -> Result<(), ZoomifyError> {
        if self.chunk.len() >= self.chunk_pixels {
            self.sum_chunk(Some(row))?;
        }
        self.chunk.push(Partial { row, col, sum: value.widen() });
        Ok(())
    }

    /// Sums the chunk into every level and writes the coarse rows that no base row from
    /// `next_row` on maps to (all, when `None`).
    fn sum_chunk(&mut self, next_row: Option<u64>) -> Result<(), ZoomifyError> {
        let chunk = std::mem::take(&mut self.chunk);
        let mut levels: Vec<Vec<Partial<T::Acc>>> = Vec::with_capacity(self.maps.len());
        for (level, step) in self.steps.iter().enumerate() {
            let sums = match step {
                Step::Base => reduce_partials::<T>(&self.maps[level], &chunk),
                Step::From { finer, map } => reduce_partials::<T>(map, &levels[*finer]),
            };
            levels.push(sums);
        }
        for ((sink, map), sums) in self.sinks.iter_mut().zip(&self.maps).zip(&levels) {
            let complete_below = next_row.map(|row| map.coarse_bin(row));
            sink.absorb(map, std::iter::once(sums.as_slice()), complete_below)?;
        }
        self.chunk = chunk;
        self.chunk.clear();
        Ok(())
    }

    /// Sums what is left, writes every level's last rows and finishes its writer.
    pub(crate) fn finish(mut self) -> Result<Vec<WriteSummary>, ZoomifyError> {
        self.sum_chunk(None)?;
        self.sinks.into_iter().map(|sink| Ok(sink.writer.finish()?)).collect()
    }
}

/// Tiles decoded at once (at least one band's worth).
const BATCH_TILES: usize = 64;

/// Consecutive runs of `bands` holding at least `tiles` tiles each (the last may hold fewer).
fn batches<'a, 'b>(
    bands: &'b [&'a [TileEntry]],
    tiles: usize,
) -> impl Iterator<Item = &'b [&'a [TileEntry]]> {
    let mut rest = bands;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut count = 0;
        let end = rest
            .iter()
            .position(|band| {
                count += band.len();
                count >= tiles
            })
            .map_or(rest.len(), |at| at + 1);
        let (batch, tail) = rest.split_at(end);
        rest = tail;
        Some(batch)
    })
}

/// An in-memory index: tile edges and coarse spans of one tile fit `usize`.
fn usize_of(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// Coarsens the file `reader` reads into every level of `maps` (written by `sinks`, in the same
/// order), then finishes the writers; reports the pass in bands and each level's finish.
///
/// # Errors
/// Reading or decoding a base tile, a sum the stored type cannot hold, writing a level.
pub(crate) fn coarsen<T: Summed>(
    reader: &Reader,
    maps: &[BinMap],
    mut sinks: Vec<LevelSink<T>>,
    progress: &dyn Progress,
) -> Result<Vec<WriteSummary>, ZoomifyError> {
    let entries: Vec<TileEntry> = reader.stored_tiles().collect();
    let (edge, rows) = (u64::from(reader.tile_size()), reader.shape().0);
    let symmetric = reader.symmetric();
    let steps = steps(maps);
    let listed: Vec<String> = maps.iter().map(|m| m.resolution().to_string()).collect();
    let message = format!("coarsening to {} bp", listed.join(", "));
    let bar = Phase::begin(progress, &message, "bands", Some(u64::from(reader.tile_grid().0)));
    let bands: Vec<&[TileEntry]> = entries.chunk_by(|a, b| a.tile_row == b.tile_row).collect();
    // Bands are decoded a batch at a time: a sparse genome-wide map has thousands of bands of
    // one or two tiles each, and waking the pool per band would cost more than the tiles.
    for batch in batches(&bands, BATCH_TILES) {
        let tiles: Vec<&TileEntry> = batch.iter().flat_map(|band| band.iter()).collect();
        let mut parts = tiles
            .par_iter()
            .map(|entry| {
                let tile = reader.tile(entry.tile_row, entry.tile_col)?;
                let cells = T::cells(&tile).ok_or(gzcm_container::ContainerError::DtypeMismatch {
                    expected: T::DTYPE,
                    found: tile.dtype(),
                })?;
                let origin = (u64::from(entry.tile_row) * edge, u64::from(entry.tile_col) * edge);
                Ok(reduce_levels(maps, &steps, cells, origin, symmetric))
            })
            .collect::<Result<Vec<Vec<_>>, ZoomifyError>>()?
            .into_iter();
        for band in batch {
            let band_parts: Vec<Vec<Vec<_>>> = parts.by_ref().take(band.len()).collect();
            let next_row = (u64::from(band[0].tile_row) + 1) * edge;
            let next_row = (next_row < rows).then_some(next_row);
            // On this thread, not in the pool: a writer's push may wait (a plain thread join)
            // for its previous band's encoding, which runs on the pool; pool workers blocked
            // in such waits would leave that encoding no thread to run on.
            for (level, (sink, map)) in sinks.iter_mut().zip(maps).enumerate() {
                let complete_below = next_row.map(|row| map.coarse_bin(row));
                sink.absorb(map, band_parts.iter().map(|p| p[level].as_slice()), complete_below)?;
            }
            bar.set_position(u64::from(band[0].tile_row) + 1);
        }
    }
    drop(bar);
    let mut summaries = Vec::with_capacity(sinks.len());
    for (mut sink, map) in sinks.into_iter().zip(maps) {
        let _phase = Phase::begin(progress, &format!("writing {} bp", map.resolution()), "", None);
        sink.absorb(map, std::iter::empty(), None)?;
        summaries.push(sink.writer.finish()?);
    }
    Ok(summaries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gzcm::ndarray::array;
    use gzcm_genome::Genome;

    /// One chromosome of 45 bp in 10 bp bins (5 bins, the last 5 bp long).
    fn map(resolution: u64) -> BinMap {
        BinMap::new(&Genome::fixed(&[("c".to_owned(), 45)], 10).unwrap(), resolution)
    }

    fn cell(row: u64, col: u64, sum: u64) -> Partial<u64> {
        Partial { row, col, sum }
    }

    #[test]
    fn a_tile_sums_into_its_coarse_cells_and_the_short_last_bin_stands_alone() {
        let cells = array![
            [1u32, 2, 3, 4, 5],
            [0, 6, 7, 8, 9],
            [0, 0, 10, 11, 12],
            [0, 0, 0, 13, 14],
            [0, 0, 0, 0, 15]
        ];
        // 20 bp: bins {0,1}, {2,3}, {4} (the 5 bp bin alone).
        let out = reduce_tile(&map(20), cells.view(), (0, 0), false);
        let expected =
            [cell(0, 0, 9), cell(0, 1, 22), cell(0, 2, 14), cell(1, 1, 34), cell(1, 2, 26), cell(2, 2, 15)];
        assert_eq!(out, expected);
    }

    #[test]
    fn symmetric_diagonal_tiles_sum_the_upper_triangle_only() {
        // Stored whole: the lower triangle mirrors the upper one and must not count twice.
        let cells = array![[1u32, 2, 3], [2, 4, 5], [3, 5, 6]];
        let upper = reduce_tile(&map(20), cells.view(), (0, 0), true);
        assert_eq!(upper, [cell(0, 0, 1 + 2 + 4), cell(0, 1, 3 + 5), cell(1, 1, 6)]);
        // Off the diagonal (origin row < origin column) every cell is upper.
        let off = reduce_tile(&map(20), array![[1u32, 1], [1, 1]].view(), (0, 2), true);
        assert_eq!(off, [cell(0, 1, 4)]);
    }

    #[test]
    fn asymmetric_maps_sum_both_triangles_apart() {
        let cells = array![[0u32, 5, 0], [0, 0, 0], [7, 0, 0]];
        let out = reduce_tile(&map(20), cells.view(), (0, 0), false);
        // (0, 1) → (0, 0); (2, 0) → (1, 0): a lower cell stays lower.
        assert_eq!(out, [cell(0, 0, 5), cell(1, 0, 7)]);
    }

    #[test]
    fn chained_levels_equal_levels_summed_from_the_base() {
        let genome = Genome::fixed(&[("a".to_owned(), 95), ("b".to_owned(), 33)], 5).unwrap();
        let n = usize::try_from(genome.n_bins()).unwrap();
        let cells = gzcm::ndarray::Array2::from_shape_fn((n, n), |(i, j)| {
            u32::try_from((i * 7 + j * 3) % 5).unwrap()
        });
        let maps: Vec<BinMap> = [10, 20, 25, 50, 200].iter().map(|&r| BinMap::new(&genome, r)).collect();
        let steps = steps(&maps);
        assert!(matches!(steps[1], Step::From { finer: 0, .. }) && matches!(steps[2], Step::Base));
        assert!(
            matches!(steps[3], Step::From { finer: 2, .. })
                && matches!(steps[4], Step::From { finer: 3, .. })
        );
        for symmetric in [true, false] {
            let chained = reduce_levels(&maps, &steps, cells.view(), (0, 0), symmetric);
            for (map, level) in maps.iter().zip(&chained) {
                assert_eq!(level, &reduce_tile(map, cells.view(), (0, 0), symmetric), "{}", map.resolution());
            }
        }
    }

    #[test]
    fn sorted_partials_merge_by_cell() {
        let mut cells = vec![cell(0, 1, 1), cell(0, 1, 2), cell(0, 2, 1), cell(1, 0, 4), cell(1, 0, 1)];
        merge_sorted::<u32>(&mut cells);
        assert_eq!(cells, [cell(0, 1, 3), cell(0, 2, 1), cell(1, 0, 5)]);
    }

    #[test]
    fn sums_are_narrowed_without_wrapping() {
        assert_eq!(u32::narrow(u64::from(u32::MAX), 20, 0, 0).unwrap(), u32::MAX);
        let err = u32::narrow(u64::from(u32::MAX) + 1, 20, 3, 4).unwrap_err();
        assert!(matches!(
            err,
            ZoomifyError::CountOverflow { resolution: 20, row: 3, col: 4, sum: 4_294_967_296, .. }
        ));
        assert_eq!(u32::add(u64::MAX, 1), u64::MAX);
        assert_eq!(f32::narrow(0.1 + 0.2, 20, 0, 0).unwrap(), 0.3f32);
        let err = f32::narrow(f64::from(f32::MAX) * 2.0, 20, 1, 2).unwrap_err();
        assert!(matches!(err, ZoomifyError::FloatOverflow { row: 1, col: 2, .. }), "{err}");
    }
}
