//! Tiling geometry: the tile grid and tile-size rule (SPEC §1, from `gzcm_core::grid`) and the
//! tile orders of the index (SPEC §4).

use std::cmp::Ordering;
use std::fmt;

pub use gzcm_core::grid::{DEFAULT_TILE_SIZE, Grid, GridError, MAX_TILE_SIZE, MIN_TILE_SIZE, TILE_SIZES};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
