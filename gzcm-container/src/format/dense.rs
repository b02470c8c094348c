//! Versions 1 and 2 (SPEC §3): the matrix as one array at `arrays.matrix.offset`.
//!
//! v1 is the whole matrix in C order; v2 is the `(n_tile_rows, n_tile_cols, T, T)` array of
//! tiles padded to `T×T`. Both store every cell of both triangles even for symmetric matrices,
//! so numpy can map them directly (docs/format.md, "v1/v2 store the full matrix"). This module
//! says where each cell is; reading a tile takes the bytes a reader fetched.

use gzcm_core::{Dtype, TileData};

use crate::error::{ContainerError, Result};
use crate::format::FileBytes;
use crate::format::geometry::Grid;
use crate::format::header::Header;
use crate::format::integrity;

/// Where the cells of a v1/v2 matrix live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DenseLayout {
    pub(crate) version: u32,
    pub(crate) grid: Grid,
    pub(crate) offset: u64,
}

impl DenseLayout {
    /// Bytes of the array, or `None` when it does not fit a `u64`.
    pub(crate) fn array_bytes(version: u32, grid: &Grid) -> Option<u64> {
        let cells = if version == 1 {
            u128::from(grid.rows()) * u128::from(grid.cols())
        } else {
            let (r, c) = grid.dims();
            let t = u128::from(grid.tile_size());
            u128::from(r) * u128::from(c) * t * t
        };
        u64::try_from(cells * 4).ok()
    }

    /// `(offset, length)` of the block-checksum table after the array, for a checksummed file.
    pub(crate) fn block_table(&self, header: &Header) -> Option<(u64, u64)> {
        let block_bytes = header.integrity.as_ref()?.block_bytes?;
        let array = Self::array_bytes(self.version, &self.grid)?;
        let entries = integrity::block_count(array, block_bytes);
        Some((self.offset.checked_add(array)?, entries.checked_mul(4)?))
    }

    /// Byte offset of the first cell of row `local_row` of tile `(row, col)`.
    pub(crate) fn row_start(&self, (row, col): (u32, u32), local_row: u32) -> u64 {
        let t = u64::from(self.grid.tile_size());
        let cell = if self.version == 1 {
            let (r0, c0) = self.grid.origin(row, col);
            (r0 + u64::from(local_row)) * self.grid.cols() + c0
        } else {
            let tiles_before = u64::from(row) * u64::from(self.grid.dims().1) + u64::from(col);
            tiles_before * t * t + u64::from(local_row) * t
        };
        self.offset + cell * 4
    }

    /// The byte range of each row of tile `coord`, top to bottom.
    pub(crate) fn row_ranges(&self, coord: (u32, u32)) -> impl Iterator<Item = std::ops::Range<u64>> + '_ {
        let shape = self.grid.tile_shape(coord.0, coord.1);
        let row_bytes = u64::from(shape.cols) * 4;
        (0..shape.rows).map(move |local| {
            let start = self.row_start(coord, local);
            start..start + row_bytes
        })
    }

    /// Reads tile `(row, col)` out of `file` (bounds validated at open; the rows' bytes must
    /// have been fetched).
    pub(crate) fn read_tile(
        &self,
        file: &(impl FileBytes + ?Sized),
        coord: (u32, u32),
        dtype: Dtype,
    ) -> Result<TileData> {
        let shape = self.grid.tile_shape(coord.0, coord.1);
        let mut bytes = Vec::with_capacity(shape.byte_len(dtype));
        for row in self.row_ranges(coord) {
            bytes.extend_from_slice(file.get(&row).unwrap_or_default());
        }
        TileData::from_le_bytes(dtype, shape, &bytes).map_err(|source| {
            let codec = format!("version {} array", self.version);
            ContainerError::tile(coord, gzcm_core::TileError::Codec { codec, source })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_where_numpy_expects_them() {
        let grid = Grid::new(40, 30, 16).unwrap();
        let v1 = DenseLayout { version: 1, grid, offset: 4096 };
        // Row 17 of tile (1, 1) starts at matrix cell (17 + 0, 16) … local row 1 → row 17.
        assert_eq!(v1.row_start((1, 1), 1), 4096 + (17 * 30 + 16) * 4);
        let v2 = DenseLayout { version: 2, ..v1 };
        // Tile (1, 1) is the 4th tile of a 3×2 grid; tiles are padded to 16×16.
        assert_eq!(v2.row_start((1, 1), 1), 4096 + (3 * 256 + 16) * 4);
        assert_eq!(DenseLayout::array_bytes(1, &grid), Some(40 * 30 * 4));
        assert_eq!(DenseLayout::array_bytes(2, &grid), Some(3 * 2 * 256 * 4));
        let huge = Grid::new(u64::from(u32::MAX) * 16, u64::from(u32::MAX) * 16, 16).unwrap();
        assert_eq!(DenseLayout::array_bytes(1, &huge), None);
    }
}
