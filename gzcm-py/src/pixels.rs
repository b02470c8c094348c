//! Stored pixels as cooler's pixel table lists them: the non-zero cells of a window in
//! row-major order (`bin1_id`, then `bin2_id`), and how many stored pixels each tile row holds.
//! For a symmetric file cooler stores the upper triangle (`bin1_id <= bin2_id`), and so does this
//! listing when asked for `upper`.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use gzcm::Element;
use gzcm_container::{ContainerError, Reader, TileData};
use ndarray::ArrayView2;

/// The tiles a file stores (the upper triangle's for a symmetric file), looked up by coordinate.
#[derive(Debug)]
pub(crate) struct StoredTiles {
    coords: HashSet<(u32, u32)>,
    symmetric: bool,
}

impl StoredTiles {
    /// Every tile `reader` stores (one pass over its index).
    pub(crate) fn of(reader: &Reader) -> StoredTiles {
        let coords = reader.stored_tiles().map(|entry| (entry.tile_row, entry.tile_col)).collect();
        StoredTiles { coords, symmetric: reader.symmetric() }
    }

    /// Whether tile `(row, col)` has cells, directly or (below a symmetric file's diagonal) as
    /// the mirror of a stored tile.
    fn holds(&self, row: u32, col: u32) -> bool {
        let key = if self.symmetric && row > col { (col, row) } else { (row, col) };
        self.coords.contains(&key)
    }
}

/// Pixels in row-major order: `bin1[k]`, `bin2[k]`, `values[k]`.
#[derive(Debug)]
pub(crate) struct Pixels<T> {
    /// Row bins.
    pub(crate) bin1: Vec<i64>,
    /// Column bins.
    pub(crate) bin2: Vec<i64>,
    /// Cell values (never zero).
    pub(crate) values: Vec<T>,
}

/// What to list: a window, and whether only the stored (upper) triangle of a symmetric file.
#[derive(Clone, Debug)]
pub(crate) struct Window {
    /// Row bins.
    pub(crate) rows: Range<u64>,
    /// Column bins.
    pub(crate) cols: Range<u64>,
    /// Only cells with `row <= col` (cooler's symmetric-upper pixel table).
    pub(crate) upper: bool,
}

/// The non-zero cells of `window` in row-major order, decoding only the tiles that hold cells.
///
/// # Errors
/// [`ContainerError::WindowOutOfBounds`] for a window that is reversed or leaves the matrix;
/// any error of [`Reader::tile`].
pub(crate) fn window_pixels<T: Element + Copy>(
    reader: &Reader,
    stored: &StoredTiles,
    window: &Window,
    view: impl Fn(&TileData) -> Option<ArrayView2<'_, T>>,
) -> Result<Pixels<T>, ContainerError> {
    let (nrows, ncols) = reader.shape();
    let (rows, cols) = (&window.rows, &window.cols);
    if rows.start > rows.end || rows.end > nrows || cols.start > cols.end || cols.end > ncols {
        return Err(ContainerError::WindowOutOfBounds {
            rows: rows.clone(),
            cols: cols.clone(),
            shape: (nrows, ncols),
        });
    }
    let size = u64::from(reader.tile_size());
    let upper = window.upper && reader.symmetric();
    let mut out = Pixels { bin1: Vec::new(), bin2: Vec::new(), values: Vec::new() };
    for tile_row in tiles_over(rows, size) {
        let band_start = u64::from(tile_row) * size;
        let band = rows.start.max(band_start)..rows.end.min(band_start + size);
        let mut cells = Band::default();
        for tile_col in tiles_over(cols, size) {
            let col_start = u64::from(tile_col) * size;
            // A tile wholly below the diagonal has no upper-triangle cell.
            if !stored.holds(tile_row, tile_col) || (upper && band.start >= col_start + size) {
                continue;
            }
            let tile = reader.tile(tile_row, tile_col)?;
            let Some(cells_view) = view(&tile) else { continue };
            let span = cols.start.max(col_start)..cols.end.min(col_start + size);
            cells.push_tile(cells_view, (band_start, col_start), (&band, &span), upper);
        }
        cells.append_row_major(&mut out);
    }
    Ok(out)
}

/// The tile indices that overlap `bins` along one axis.
fn tiles_over(bins: &Range<u64>, size: u64) -> Range<u32> {
    if bins.start >= bins.end {
        return 0..0;
    }
    let first = u32::try_from(bins.start / size).unwrap_or(u32::MAX);
    let last = u32::try_from((bins.end - 1) / size).unwrap_or(u32::MAX - 1);
    first..last + 1
}

/// The cells of one tile row, tile by tile (row-major within each tile, tiles left to right).
#[derive(Debug)]
struct Band<T> {
    rows: Vec<u64>,
    cols: Vec<i64>,
    values: Vec<T>,
}

impl<T> Default for Band<T> {
    fn default() -> Self {
        Band { rows: Vec::new(), cols: Vec::new(), values: Vec::new() }
    }
}

impl<T: Element + Copy> Band<T> {
    /// Appends the non-zero cells of `tile` (origin `origin`) inside `rows × cols`, scanning
    /// each row of the tile as one contiguous run.
    fn push_tile(
        &mut self,
        tile: ArrayView2<'_, T>,
        origin: (u64, u64),
        (rows, cols): (&Range<u64>, &Range<u64>),
        upper: bool,
    ) {
        let local = |bin: u64, start: u64| usize::try_from(bin - start).unwrap_or(usize::MAX);
        let (first_col, end_col) = (local(cols.start, origin.1), local(cols.end, origin.1));
        for row in rows.clone() {
            let local_row = local(row, origin.0);
            if local_row >= tile.nrows() {
                continue;
            }
            let row_view = tile.row(local_row);
            let owned;
            let line = match row_view.to_slice() {
                Some(line) => line,
                None => {
                    owned = row_view.to_vec();
                    &owned[..]
                }
            };
            // Above the diagonal only: a row's cells start at the column of the same bin.
            let from =
                if upper && row > cols.start { local(row, origin.1).max(first_col) } else { first_col };
            let Some(run) = line.get(from..end_col.min(line.len())) else { continue };
            let base = origin.1 + from as u64;
            for (offset, &value) in run.iter().enumerate() {
                if !value.is_zero() {
                    self.rows.push(row);
                    self.cols.push(i64::try_from(base + offset as u64).unwrap_or(i64::MAX));
                    self.values.push(value);
                }
            }
        }
    }

    /// Moves the cells to `out` ordered by row, then column (a stable sort by row: within a row
    /// they already come left to right).
    fn append_row_major(self, out: &mut Pixels<T>) {
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        order.sort_by_key(|&k| self.rows[k]);
        for k in order {
            out.bin1.push(i64::try_from(self.rows[k]).unwrap_or(i64::MAX));
            out.bin2.push(self.cols[k]);
            out.values.push(self.values[k]);
        }
    }
}

/// How many stored pixels each tile row holds, for the tile rows that hold any:
/// `(tile_row, count)` ascending. Off the diagonal the index's per-tile counts answer without
/// decoding; diagonal tiles of a symmetric file (stored whole, cooler counts their upper
/// triangle) and the tiles of dense v1/v2 files (no index) are decoded and counted.
///
/// # Errors
/// Any error of [`Reader::tile`].
pub(crate) fn band_counts(reader: &Reader) -> Result<Vec<(u32, u64)>, ContainerError> {
    let symmetric = reader.symmetric();
    let mut counts: BTreeMap<u32, u64> = BTreeMap::new();
    for entry in reader.stored_tiles() {
        let diagonal = symmetric && entry.tile_row == entry.tile_col;
        let count = match entry.nnz {
            Some(nnz) if !diagonal => u64::from(nnz),
            _ => {
                let tile = reader.tile(entry.tile_row, entry.tile_col)?;
                match &tile {
                    TileData::U32(cells) => count_cells(cells.view(), diagonal),
                    TileData::F32(cells) => count_cells(cells.view(), diagonal),
                }
            }
        };
        if count > 0 {
            *counts.entry(entry.tile_row).or_default() += count;
        }
    }
    Ok(counts.into_iter().collect())
}

/// Non-zero cells of a tile, only those on or above its diagonal when `upper`.
fn count_cells<T: Element + Copy>(cells: ArrayView2<'_, T>, upper: bool) -> u64 {
    let counted = cells.indexed_iter().filter(|&((i, j), v)| !v.is_zero() && (!upper || i <= j)).count();
    u64::try_from(counted).unwrap_or(u64::MAX)
}
