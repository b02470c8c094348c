//! The tile grid of a matrix (SPEC §1) and the one tile-size rule: tile counts, tile extents,
//! edge tiles (smaller, at their true shape) and the tiles a symmetric file stores.

use std::ops::{Range, RangeInclusive};

use crate::tile::{MAX_TILE_EDGE, TileShape};

/// Smallest tile edge (SPEC §1).
pub const MIN_TILE_SIZE: u32 = 16;
/// Largest tile edge (SPEC §1).
pub const MAX_TILE_SIZE: u32 = MAX_TILE_EDGE;
/// Tile edge used when none is given (SPEC §1).
pub const DEFAULT_TILE_SIZE: u32 = 256;
/// Every tile edge a grid may use: `16..=4096` (SPEC §1).
pub const TILE_SIZES: RangeInclusive<u32> = MIN_TILE_SIZE..=MAX_TILE_SIZE;

/// Why a matrix shape and tile size do not make a grid.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GridError {
    /// A dimension is zero.
    #[error("the matrix is {rows}×{cols}; both dimensions must be at least 1")]
    EmptyMatrix {
        /// Matrix rows.
        rows: u64,
        /// Matrix columns.
        cols: u64,
    },
    /// The tile size is outside [`TILE_SIZES`].
    #[error("tile size {tile} is outside {MIN_TILE_SIZE}..={MAX_TILE_SIZE}")]
    TileSize {
        /// The tile size given.
        tile: u32,
    },
    /// More than `u32::MAX` tiles along an axis (tile coordinates are `u32`).
    #[error("a {rows}×{cols} matrix in {tile}×{tile} tiles has more than 2^32 tiles along an axis")]
    TooManyTiles {
        /// Matrix rows.
        rows: u64,
        /// Matrix columns.
        cols: u64,
        /// The tile size.
        tile: u32,
    },
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
    /// The grid of a `rows × cols` matrix in `tile × tile` tiles.
    ///
    /// # Errors
    /// [`GridError::EmptyMatrix`], [`GridError::TileSize`] (outside [`TILE_SIZES`]),
    /// [`GridError::TooManyTiles`].
    pub fn new(rows: u64, cols: u64, tile: u32) -> Result<Grid, GridError> {
        if rows == 0 || cols == 0 {
            return Err(GridError::EmptyMatrix { rows, cols });
        }
        if !TILE_SIZES.contains(&tile) {
            return Err(GridError::TileSize { tile });
        }
        let count = |len: u64| u32::try_from(len.div_ceil(u64::from(tile)));
        match (count(rows), count(cols)) {
            (Ok(tile_rows), Ok(tile_cols)) => Ok(Grid { rows, cols, tile, tile_rows, tile_cols }),
            _ => Err(GridError::TooManyTiles { rows, cols, tile }),
        }
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
    pub fn tiles_over(&self, start: u64, end: u64) -> Range<u32> {
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

/// Length of tile `index` along an axis of `len` cells cut every `tile`.
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
        assert_eq!((grid.tile_of(257), grid.local(257)), (1, 1));
        assert_eq!(grid.tiles_over(255, 257), 0..2);
        assert_eq!(grid.tiles_over(5, 5), 0..0);
        assert!(grid.contains(1, 0) && !grid.contains(2, 0) && !grid.contains(0, 1));
    }

    #[test]
    fn bad_grids_are_typed_errors() {
        assert_eq!(Grid::new(0, 5, 16), Err(GridError::EmptyMatrix { rows: 0, cols: 5 }));
        assert_eq!(Grid::new(5, 5, 15), Err(GridError::TileSize { tile: 15 }));
        assert_eq!(Grid::new(5, 5, 4097), Err(GridError::TileSize { tile: 4097 }));
        assert!(matches!(Grid::new(u64::MAX, 5, 16), Err(GridError::TooManyTiles { .. })));
        assert!(Grid::new(5, 5, MIN_TILE_SIZE).is_ok() && Grid::new(5, 5, MAX_TILE_SIZE).is_ok());
        assert!(TILE_SIZES.contains(&DEFAULT_TILE_SIZE));
    }

    #[test]
    fn storable_tiles_counts_the_upper_triangle() {
        let grid = Grid::new(40, 40, 16).unwrap();
        assert_eq!(grid.storable_tiles(true), 6);
        assert_eq!(grid.storable_tiles(false), 9);
        assert_eq!(grid.dense_bytes(), 40 * 40 * 4);
    }
}
