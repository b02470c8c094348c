//! Tiling geometry (SPEC §1): the tile grid of a matrix, edge tiles, and tile orders (SPEC §4).

use std::cmp::Ordering;
use std::fmt;

use gzcm_core::TileShape;

/// Smallest tile edge a file may use (SPEC §1).
pub const MIN_TILE_SIZE: u32 = 16;
/// Largest tile edge a file may use (SPEC §1).
pub const MAX_TILE_SIZE: u32 = gzcm_core::tile::MAX_TILE_EDGE;
/// Tile edge used when none is given (SPEC §1).
pub const DEFAULT_TILE_SIZE: u32 = 256;

/// The order of a file's tile index (SPEC §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TileOrder {
    /// Ascending `(tile_row, tile_col)`: versions 2 and 3.
    RowMajor,
    /// Ascending `d = tile_col - tile_row`, then ascending `tile_row`: version 4.
    AntiDiagonal,
}

impl TileOrder {
    /// The order a version uses.
    #[must_use]
    pub const fn for_version(version: u32) -> TileOrder {
        if version >= 4 { TileOrder::AntiDiagonal } else { TileOrder::RowMajor }
    }

    /// The name recorded in `arrays.matrix.tile_order`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            TileOrder::RowMajor => "row-major",
            TileOrder::AntiDiagonal => "anti-diagonal",
        }
    }

    /// Compares two tile coordinates in this order.
    #[must_use]
    pub fn compare(self, a: (u32, u32), b: (u32, u32)) -> Ordering {
        self.key(a).cmp(&self.key(b))
    }

    /// A sort key realising the order.
    #[must_use]
    pub fn key(self, (row, col): (u32, u32)) -> (i64, u32, u32) {
        match self {
            TileOrder::RowMajor => (i64::from(row), col, 0),
            TileOrder::AntiDiagonal => (i64::from(col) - i64::from(row), row, col),
        }
    }
}

impl fmt::Display for TileOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The tile grid of a `rows × cols` matrix cut into `tile × tile` tiles; edge tiles are smaller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    rows: u64,
    cols: u64,
    tile: u32,
    tile_rows: u32,
    tile_cols: u32,
}

impl Grid {
    /// The grid, or `None` when the matrix is empty, the tile size is outside `16..=4096`, or the
    /// grid would have more than `u32::MAX` tiles along an axis (the index stores `u32`).
    #[must_use]
    pub fn new(rows: u64, cols: u64, tile: u32) -> Option<Grid> {
        if rows == 0 || cols == 0 || !(MIN_TILE_SIZE..=MAX_TILE_SIZE).contains(&tile) {
            return None;
        }
        let tile_rows = u32::try_from(rows.div_ceil(u64::from(tile))).ok()?;
        let tile_cols = u32::try_from(cols.div_ceil(u64::from(tile))).ok()?;
        Some(Grid { rows, cols, tile, tile_rows, tile_cols })
    }

    /// Matrix rows.
    #[must_use]
    pub const fn rows(&self) -> u64 {
        self.rows
    }

    /// Matrix columns.
    #[must_use]
    pub const fn cols(&self) -> u64 {
        self.cols
    }

    /// Nominal tile edge `T`.
    #[must_use]
    pub const fn tile_size(&self) -> u32 {
        self.tile
    }

    /// `(n_tile_rows, n_tile_cols)`.
    #[must_use]
    pub const fn dims(&self) -> (u32, u32) {
        (self.tile_rows, self.tile_cols)
    }

    /// Whether tile `(row, col)` is inside the grid.
    #[must_use]
    pub const fn contains(&self, row: u32, col: u32) -> bool {
        row < self.tile_rows && col < self.tile_cols
    }

    /// First matrix row and column of tile `(row, col)`.
    #[must_use]
    pub fn origin(&self, row: u32, col: u32) -> (u64, u64) {
        let t = u64::from(self.tile);
        (u64::from(row) * t, u64::from(col) * t)
    }

    /// True shape of tile `(row, col)` (edge tiles are smaller). The tile must be in the grid.
    #[must_use]
    pub fn tile_shape(&self, row: u32, col: u32) -> TileShape {
        TileShape::new(edge(self.rows, self.tile, row), edge(self.cols, self.tile, col))
    }

    /// The tile holding matrix index `bin` along an axis.
    #[must_use]
    pub fn tile_of(&self, bin: u64) -> u32 {
        // Callers check `bin` against the matrix shape, so the quotient fits the grid (u32).
        u32::try_from(bin / u64::from(self.tile)).unwrap_or(u32::MAX)
    }

    /// Offset of `bin` inside its tile.
    #[must_use]
    pub fn local(&self, bin: u64) -> u16 {
        // The remainder is below the tile size, at most 4096.
        u16::try_from(bin % u64::from(self.tile)).unwrap_or(u16::MAX)
    }

    /// The tiles overlapping `start..end` along an axis (empty for an empty range).
    #[must_use]
    pub fn tiles_over(&self, start: u64, end: u64) -> std::ops::Range<u32> {
        if start >= end {
            return 0..0;
        }
        self.tile_of(start)..self.tile_of(end - 1) + 1
    }

    /// Tiles a file of this grid can store: the upper triangle (diagonal included) when
    /// symmetric, else every tile.
    #[must_use]
    pub fn storable_tiles(&self, symmetric: bool) -> u64 {
        let (r, c) = (u64::from(self.tile_rows), u64::from(self.tile_cols));
        if symmetric { r * (r + 1) / 2 } else { r * c }
    }

    /// Bytes of the whole matrix stored densely with 4-byte cells.
    #[must_use]
    pub fn dense_bytes(&self) -> u128 {
        u128::from(self.rows) * u128::from(self.cols) * 4
    }
}

fn edge(len: u64, tile: u32, index: u32) -> u32 {
    let start = u64::from(index) * u64::from(tile);
    let size = len.saturating_sub(start).min(u64::from(tile));
    // At most `tile` (≤ 4096).
    u32::try_from(size).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edge_tiles_are_smaller() {
        let grid = Grid::new(300, 100, 256).unwrap();
        assert_eq!(grid.dims(), (2, 1));
        assert_eq!(grid.tile_shape(0, 0), TileShape::new(256, 100));
        assert_eq!(grid.tile_shape(1, 0), TileShape::new(44, 100));
        assert_eq!(grid.origin(1, 0), (256, 0));
        assert_eq!(grid.tiles_over(255, 257), 0..2);
        assert_eq!(grid.tiles_over(5, 5), 0..0);
    }

    #[test]
    fn bad_grids_are_refused() {
        assert!(Grid::new(0, 5, 16).is_none());
        assert!(Grid::new(5, 5, 15).is_none());
        assert!(Grid::new(5, 5, 4097).is_none());
        assert!(Grid::new(u64::MAX, 5, 16).is_none());
    }

    #[test]
    fn anti_diagonal_order_puts_the_diagonal_first() {
        let mut tiles = vec![(0, 2), (1, 1), (0, 1), (0, 0), (1, 2), (2, 2)];
        tiles.sort_by(|a, b| TileOrder::AntiDiagonal.compare(*a, *b));
        assert_eq!(tiles, [(0, 0), (1, 1), (2, 2), (0, 1), (1, 2), (0, 2)]);
        tiles.sort_by(|a, b| TileOrder::RowMajor.compare(*a, *b));
        assert_eq!(tiles, [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2)]);
        // Rectangular files: below-diagonal tiles (negative d) come first.
        let mut tiles = vec![(0, 1), (1, 0), (0, 0), (2, 0)];
        tiles.sort_by(|a, b| TileOrder::AntiDiagonal.compare(*a, *b));
        assert_eq!(tiles, [(2, 0), (1, 0), (0, 0), (0, 1)]);
    }

    #[test]
    fn storable_tiles_counts_the_upper_triangle() {
        let grid = Grid::new(40, 40, 16).unwrap();
        assert_eq!(grid.storable_tiles(true), 6);
        assert_eq!(grid.storable_tiles(false), 9);
    }
}
