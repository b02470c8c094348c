//! Band accumulation: the cells of one tile row (`T` matrix rows × all columns), kept sparse,
//! and turned into dense tiles one at a time when the band is complete.
//!
//! Memory is one band's non-zero cells (8 bytes each) whatever the matrix width, so a
//! 200k-bin band costs what its contacts cost. Symmetric input may come from either triangle
//! (SPEC §1 stores `tile_row <= tile_col`): a sorted stream of upper-triangle cells completes
//! the upper tiles of band `I` when band `I` ends; a sorted stream of lower-triangle cells
//! completes the upper tiles of *column* band `J` when row band `J` ends. Either way one band of
//! input yields complete stored tiles, which is why a sorted stream must stick to one triangle
//! off the diagonal tiles (see docs/format.md, "symmetric input").

use std::collections::BTreeMap;

use gzcm_core::{CodecError, Dtype, TileCells, TileData, TileError, TileShape};

use crate::error::{ContainerError, Result};
use crate::format::geometry::Grid;

/// One non-zero cell, local to its stored tile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cell {
    row: u16,
    col: u16,
    bits: u32,
}

/// Which triangle a sorted symmetric stream has given off the diagonal tiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Triangle {
    Undecided,
    Upper,
    Lower,
}

/// The cells of one stored tile, before densifying.
#[derive(Debug)]
pub(crate) struct SparseTile {
    /// Stored coordinate (`row <= col` for symmetric matrices).
    pub(crate) coord: (u32, u32),
    cells: Vec<Cell>,
}

/// Accumulates the cells of the current band.
#[derive(Debug)]
pub(crate) struct BandAccumulator {
    grid: Grid,
    symmetric: bool,
    band: u32,
    triangle: Triangle,
    tiles: BTreeMap<(u32, u32), Vec<Cell>>,
}

impl BandAccumulator {
    /// An accumulator positioned at band 0.
    pub(crate) fn new(grid: Grid, symmetric: bool) -> Self {
        BandAccumulator { grid, symmetric, band: 0, triangle: Triangle::Undecided, tiles: BTreeMap::new() }
    }

    /// The band being accumulated.
    pub(crate) fn band(&self) -> u32 {
        self.band
    }

    /// Ends the current band: returns its tiles and moves to `next`.
    pub(crate) fn take(&mut self, next: u32) -> Vec<SparseTile> {
        self.band = next;
        std::mem::take(&mut self.tiles)
            .into_iter()
            .map(|(coord, cells)| SparseTile { coord, cells })
            .collect()
    }

    /// Adds a non-zero cell of the current band (the caller checked bounds and band).
    pub(crate) fn insert(&mut self, row: u64, col: u64, bits: u32) -> Result<()> {
        let grid = self.grid;
        let (tr, tc) = (grid.tile_of(row), grid.tile_of(col));
        let (lr, lc) = (grid.local(row), grid.local(col));
        let (key, cell) = if self.symmetric && tc < tr {
            self.claim(Triangle::Lower, row, col)?;
            ((tc, tr), (lc, lr))
        } else {
            if self.symmetric && tc > tr {
                self.claim(Triangle::Upper, row, col)?;
            }
            ((tr, tc), (lr, lc))
        };
        self.tiles.entry(key).or_default().push(Cell { row: cell.0, col: cell.1, bits });
        Ok(())
    }

    fn claim(&mut self, side: Triangle, row: u64, col: u64) -> Result<()> {
        match self.triangle {
            Triangle::Undecided => {
                self.triangle = side;
                Ok(())
            }
            current if current == side => Ok(()),
            _ => Err(ContainerError::MixedTriangles { row, col }),
        }
    }
}

/// A stored tile's cells, checked: `(row-major index, bits)`, strictly ascending, non-zero.
#[derive(Debug)]
pub(crate) struct BuiltTile {
    shape: TileShape,
    dtype: Dtype,
    cells: Vec<(u32, u32)>,
}

impl BuiltTile {
    /// Non-zero cells.
    pub(crate) fn nnz(&self) -> u32 {
        // At most 4096² cells, which fits u32.
        u32::try_from(self.cells.len()).unwrap_or(u32::MAX)
    }

    /// The tile's shape.
    pub(crate) fn shape(&self) -> TileShape {
        self.shape
    }

    /// The non-zero cells: `(row-major index, bits)`, ascending.
    pub(crate) fn cell_list(&self) -> &[(u32, u32)] {
        &self.cells
    }

    /// The tile as its cells, for a codec.
    pub(crate) fn cells(&self) -> std::result::Result<TileCells<'_>, CodecError> {
        TileCells::new(self.dtype, self.shape, &self.cells)
    }

    /// The dense tile.
    pub(crate) fn dense(&self) -> std::result::Result<TileData, CodecError> {
        Ok(self.cells()?.to_dense())
    }
}

impl SparseTile {
    /// Cells gathered (a diagonal tile's mirrors not counted).
    pub(crate) fn cells(&self) -> usize {
        self.cells.len()
    }

    /// The tile's cells, sorted and checked. A diagonal tile of a symmetric matrix is filled
    /// from both halves; a cell given twice (or with its mirror) must hold one value.
    pub(crate) fn build(self, grid: &Grid, symmetric: bool, dtype: Dtype) -> Result<BuiltTile> {
        let (row, col) = self.coord;
        let mut cells = self.cells;
        if symmetric && row == col {
            let mirrored: Vec<Cell> = cells
                .iter()
                .filter(|c| c.row != c.col)
                .map(|c| Cell { row: c.col, col: c.row, bits: c.bits })
                .collect();
            cells.extend(mirrored);
        }
        cells.sort_unstable_by_key(|c| (c.row, c.col));
        check_conflicts((row, col), &cells, grid, dtype)?;
        cells.dedup_by_key(|c| (c.row, c.col));
        let shape = grid.tile_shape(row, col);
        let cells = cells
            .iter()
            .map(|cell| (u32::from(cell.row) * shape.cols + u32::from(cell.col), cell.bits))
            .collect();
        Ok(BuiltTile { shape, dtype, cells })
    }
}

/// A tile the writer itself could not form, as a tile error (the writer's cells are checked
/// when gathered, so this names a bug, not an input).
pub(crate) fn writer_error(source: CodecError) -> TileError {
    TileError::Codec { codec: "writer".to_owned(), source }
}

/// Fails when a cell appears twice in `sorted` with different values.
fn check_conflicts(coord: (u32, u32), sorted: &[Cell], grid: &Grid, dtype: Dtype) -> Result<()> {
    {
        let Some(pair) = sorted
            .windows(2)
            .find(|w| (w[0].row, w[0].col) == (w[1].row, w[1].col) && w[0].bits != w[1].bits)
        else {
            return Ok(());
        };
        let (r0, c0) = grid.origin(coord.0, coord.1);
        Err(ContainerError::ConflictingValues {
            row: r0 + u64::from(pair[0].row),
            col: c0 + u64::from(pair[0].col),
            first: show(dtype, pair[0].bits),
            second: show(dtype, pair[1].bits),
        })
    }
}

/// A cell value as text, for error messages.
pub(crate) fn show(dtype: Dtype, bits: u32) -> String {
    match dtype {
        Dtype::F32 => f32::from_bits(bits).to_string(),
        _ => bits.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Grid {
        Grid::new(20, 20, 16).unwrap()
    }

    #[test]
    fn diagonal_tiles_are_mirrored() {
        let mut band = BandAccumulator::new(grid(), true);
        band.insert(0, 1, 5).unwrap();
        band.insert(2, 2, 7).unwrap();
        let tiles = band.take(1);
        assert_eq!(tiles.len(), 1);
        let built = tiles.into_iter().next().unwrap().build(&grid(), true, Dtype::U32).unwrap();
        assert_eq!(built.nnz(), 3);
        let TileData::U32(a) = built.dense().unwrap() else { panic!() };
        assert_eq!(a[[0, 1]], 5);
        assert_eq!(a[[1, 0]], 5);
        assert_eq!(a[[2, 2]], 7);
    }

    #[test]
    fn lower_triangle_cells_go_to_the_upper_tile() {
        let mut band = BandAccumulator::new(grid(), true);
        band.insert(17, 3, 9).unwrap();
        let tiles = band.take(2);
        assert_eq!(tiles[0].coord, (0, 1));
        let built = tiles.into_iter().next().unwrap().build(&grid(), true, Dtype::U32).unwrap();
        let TileData::U32(a) = built.dense().unwrap() else { panic!() };
        assert_eq!(a[[3, 1]], 9);
        // A later upper-triangle cell off the diagonal tiles mixes triangles.
        assert!(matches!(
            band.insert(18, 19, 1),
            Ok(()) // same diagonal tile: fine
        ));
        assert!(matches!(band.insert(3, 17, 1), Err(ContainerError::MixedTriangles { .. })));
    }

    #[test]
    fn disagreeing_mirrors_are_refused_agreeing_ones_kept() {
        let mut band = BandAccumulator::new(grid(), true);
        band.insert(0, 1, 5).unwrap();
        band.insert(1, 0, 5).unwrap();
        let tile = band.take(1).pop().unwrap();
        assert_eq!(tile.build(&grid(), true, Dtype::U32).unwrap().nnz(), 2);
        band.insert(16, 17, 5).unwrap();
        band.insert(17, 16, 6).unwrap();
        let tile = band.take(2).pop().unwrap();
        assert!(matches!(
            tile.build(&grid(), true, Dtype::U32),
            Err(ContainerError::ConflictingValues { row: 16, col: 17, .. })
        ));
    }

    #[test]
    fn float_tiles_keep_their_bits() {
        let mut band = BandAccumulator::new(grid(), false);
        band.insert(19, 19, 2.5f32.to_bits()).unwrap();
        let tile = band.take(2).pop().unwrap();
        let built = tile.build(&grid(), false, Dtype::F32).unwrap();
        let TileData::F32(a) = built.dense().unwrap() else { panic!() };
        assert_eq!((a.dim(), built.nnz()), ((4, 4), 1));
        assert_eq!(a[[3, 3]], 2.5);
    }
}
