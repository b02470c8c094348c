//! Pass 1: the matrix geometry and the non-zero count of every non-empty tile.

use std::collections::BTreeMap;

use gzcm_core::TileShape;
use gzcm_core::grid::Grid as TileGrid;

use crate::error::{PickerError, Result};

/// A tile coordinate `(tile_row, tile_col)`.
pub type TileCoord = (u32, u32);

/// The shape of the matrix and how it is cut into tiles: the container's
/// [`gzcm_core::grid::Grid`] (and its tile-size rule) plus whether only the upper triangle of
/// tiles is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grid {
    tiles: TileGrid,
    symmetric: bool,
}

impl Grid {
    /// A `rows × cols` matrix cut into `tile_size × tile_size` tiles (edge tiles smaller).
    /// A symmetric matrix stores only tiles with `tile_row <= tile_col`.
    ///
    /// # Errors
    /// [`PickerError::InvalidGrid`] for what [`gzcm_core::grid::Grid::new`] refuses (an empty
    /// matrix, a tile size outside [`gzcm_core::grid::TILE_SIZES`], more than `u32::MAX` tiles
    /// along an axis) and for a symmetric matrix that is not square.
    pub fn new(rows: u64, cols: u64, tile_size: u32, symmetric: bool) -> Result<Self> {
        let tiles = TileGrid::new(rows, cols, tile_size).map_err(PickerError::InvalidGrid)?;
        if symmetric && rows != cols {
            return Err(PickerError::NotSquare { rows, cols });
        }
        Ok(Grid { tiles, symmetric })
    }

    /// The container's tile grid.
    #[must_use]
    pub fn tile_grid(&self) -> &TileGrid {
        &self.tiles
    }

    /// Matrix rows (bins).
    #[must_use]
    pub fn rows(&self) -> u64 {
        self.tiles.rows()
    }

    /// Matrix columns (bins).
    #[must_use]
    pub fn cols(&self) -> u64 {
        self.tiles.cols()
    }

    /// Nominal tile edge.
    #[must_use]
    pub fn tile_size(&self) -> u32 {
        self.tiles.tile_size()
    }

    /// Whether only the upper triangle of tiles is stored.
    #[must_use]
    pub fn symmetric(&self) -> bool {
        self.symmetric
    }

    /// Tiles along each axis: `(tile rows, tile cols)`.
    #[must_use]
    pub fn tiles(&self) -> (u32, u32) {
        self.tiles.dims()
    }

    /// The true shape of tile `(tile_row, tile_col)` (edge tiles are smaller).
    #[must_use]
    pub fn tile_shape(&self, tile_row: u32, tile_col: u32) -> TileShape {
        self.tiles.tile_shape(tile_row, tile_col)
    }

    /// Cells a tile actually holds as data: the upper triangle (with the diagonal) for a
    /// diagonal tile of a symmetric matrix, every cell otherwise.
    #[must_use]
    pub fn stored_cells(&self, tile_row: u32, tile_col: u32) -> u64 {
        let shape = self.tile_shape(tile_row, tile_col);
        let (r, c) = (u64::from(shape.rows), u64::from(shape.cols));
        if self.symmetric && tile_row == tile_col { r * (r + 1) / 2 } else { r * c }
    }

    /// The stored coordinates of cell `(row, col)`: swapped into the upper triangle for a
    /// symmetric matrix.
    ///
    /// # Errors
    /// [`PickerError::CellOutOfBounds`] for a cell outside the matrix.
    pub fn stored_cell(&self, row: u64, col: u64) -> Result<(u64, u64)> {
        if row >= self.rows() || col >= self.cols() {
            return Err(PickerError::CellOutOfBounds { row, col, rows: self.rows(), cols: self.cols() });
        }
        Ok(if self.symmetric && row > col { (col, row) } else { (row, col) })
    }

    /// The tile holding (stored) cell `(row, col)`; the cell must be in bounds.
    #[must_use]
    pub fn tile_of(&self, row: u64, col: u64) -> TileCoord {
        (self.tiles.tile_of(row), self.tiles.tile_of(col))
    }
}

/// Pass 1 over the data: counts the non-zero cells of every tile.
///
/// Memory grows with the number of non-empty tiles only.
#[derive(Clone, Debug)]
pub struct Survey {
    grid: Grid,
    nnz: BTreeMap<TileCoord, u64>,
}

impl Survey {
    /// An empty survey of a matrix with this geometry.
    #[must_use]
    pub fn new(grid: Grid) -> Self {
        Survey { grid, nnz: BTreeMap::new() }
    }

    /// Records one non-zero cell. For a symmetric matrix give each cell of one triangle once
    /// (upper or lower: a lower cell counts for its mirror in the upper triangle); giving both
    /// triangles doubles the off-diagonal counts, which only skews the density estimates.
    ///
    /// # Errors
    /// [`PickerError::CellOutOfBounds`] for a cell outside the matrix.
    pub fn observe(&mut self, row: u64, col: u64) -> Result<()> {
        let (row, col) = self.grid.stored_cell(row, col)?;
        *self.nnz.entry(self.grid.tile_of(row, col)).or_insert(0) += 1;
        Ok(())
    }

    /// Records `count` non-zero cells of tile `(tile_row, tile_col)` at once (for callers that
    /// already know per-tile counts). Coordinates are taken as given (no mirroring).
    ///
    /// # Errors
    /// [`PickerError::CellOutOfBounds`] when the tile lies outside the grid (reported with the
    /// tile's first cell).
    pub fn observe_tile(&mut self, tile_row: u32, tile_col: u32, count: u64) -> Result<()> {
        if !self.grid.tiles.contains(tile_row, tile_col) {
            let (row, col) = self.grid.tiles.origin(tile_row, tile_col);
            return Err(PickerError::CellOutOfBounds {
                row,
                col,
                rows: self.grid.rows(),
                cols: self.grid.cols(),
            });
        }
        if count > 0 {
            *self.nnz.entry((tile_row, tile_col)).or_insert(0) += count;
        }
        Ok(())
    }

    /// The geometry.
    #[must_use]
    pub fn grid(&self) -> &Grid {
        &self.grid
    }

    /// Non-zero count per non-empty tile, sorted by coordinate.
    #[must_use]
    pub fn tile_nnz(&self) -> &BTreeMap<TileCoord, u64> {
        &self.nnz
    }

    /// Number of non-empty tiles seen.
    #[must_use]
    pub fn non_empty_tiles(&self) -> usize {
        self.nnz.len()
    }

    pub(crate) fn into_parts(self) -> (Grid, BTreeMap<TileCoord, u64>) {
        (self.grid, self.nnz)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_validates_geometry() {
        assert!(Grid::new(0, 5, 16, false).is_err());
        assert!(Grid::new(5, 5, 0, false).is_err());
        assert!(Grid::new(50, 50, 15, false).is_err());
        assert!(Grid::new(5, 5, 4097, false).is_err());
        assert!(matches!(Grid::new(20, 24, 16, true), Err(PickerError::NotSquare { rows: 20, cols: 24 })));
        let grid = Grid::new(40, 28, 16, false).unwrap();
        assert_eq!(grid.tiles(), (3, 2));
        assert_eq!(grid.tile_shape(2, 1), TileShape::new(8, 12));
    }

    #[test]
    fn symmetric_cells_fold_into_the_upper_triangle() {
        let mut survey = Survey::new(Grid::new(40, 40, 16, true).unwrap());
        survey.observe(39, 0).unwrap();
        survey.observe(0, 39).unwrap();
        survey.observe(1, 1).unwrap();
        assert_eq!(survey.tile_nnz().get(&(0, 2)), Some(&2));
        assert_eq!(survey.tile_nnz().get(&(0, 0)), Some(&1));
        assert!(matches!(survey.observe(40, 0), Err(PickerError::CellOutOfBounds { .. })));
        assert!(matches!(survey.observe_tile(3, 0, 1), Err(PickerError::CellOutOfBounds { row: 48, .. })));
        assert_eq!(survey.grid().stored_cells(0, 0), 16 * 17 / 2);
        assert_eq!(survey.grid().stored_cells(2, 2), 8 * 9 / 2);
    }
}
