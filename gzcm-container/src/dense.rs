//! Versions 1 and 2 (SPEC §3): the matrix as one array at `arrays.matrix.offset`.
//!
//! v1 is the whole matrix in C order; v2 is the `(n_tile_rows, n_tile_cols, T, T)` array of
//! tiles padded to `T×T`. Both store every cell of both triangles even for symmetric matrices,
//! so numpy can map them directly (docs/format.md, "v1/v2 store the full matrix"). The writer
//! maps the output and places each tile (and its mirror) where it belongs.

use memmap2::MmapMut;

use gzcm_core::{Dtype, TileData};

use crate::error::{ContainerError, Result};
use crate::geometry::Grid;
use crate::header::{Header, place};
use gzcm_atomic::AtomicFile;

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

    /// Byte offset of the first cell of row `local_row` of tile `(row, col)`.
    fn row_start(&self, (row, col): (u32, u32), local_row: u32) -> u64 {
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

    /// Reads tile `(row, col)` out of `file` (bounds validated at open).
    pub(crate) fn read_tile(&self, file: &[u8], coord: (u32, u32), dtype: Dtype) -> Result<TileData> {
        let shape = self.grid.tile_shape(coord.0, coord.1);
        let row_bytes = shape.cols as usize * 4;
        let mut bytes = Vec::with_capacity(shape.byte_len(dtype));
        for local in 0..shape.rows {
            // In bounds: `open` checked the whole array against the file length.
            let start = usize::try_from(self.row_start(coord, local)).unwrap_or(usize::MAX);
            let row = file.get(start..start.saturating_add(row_bytes)).unwrap_or_default();
            bytes.extend_from_slice(row);
        }
        TileData::from_le_bytes(dtype, shape, &bytes).map_err(|source| {
            let codec = format!("version {} array", self.version);
            ContainerError::tile(coord, gzcm_core::TileError::Codec { codec, source })
        })
    }
}

/// Writes a v1/v2 file through a writable map of the output.
pub(crate) struct DenseSink {
    layout: DenseLayout,
    symmetric: bool,
    map: MmapMut,
}

impl DenseSink {
    /// Sizes the output, writes the header, and maps the file.
    pub(crate) fn new(
        out: &AtomicFile,
        version: u32,
        grid: Grid,
        symmetric: bool,
        make_header: impl Fn(u64) -> Header,
    ) -> Result<Self> {
        let (preamble, offset) = place(make_header)?;
        let too_large = || {
            ContainerError::option(
                "version",
                format!(
                    "a dense {}×{} matrix does not fit in memory-mappable size; use version 3",
                    grid.rows(),
                    grid.cols()
                ),
            )
        };
        let bytes = DenseLayout::array_bytes(version, &grid).ok_or_else(too_large)?;
        let total = offset.checked_add(bytes).ok_or_else(too_large)?;
        usize::try_from(total).map_err(|_| too_large())?;
        out.file().set_len(total).map_err(|e| ContainerError::io("size", out.target(), e))?;
        // SAFETY: the output is a fresh temporary file private to this writer.
        let mut map = unsafe { MmapMut::map_mut(out.file()) }
            .map_err(|e| ContainerError::io("map", out.target(), e))?;
        map[..preamble.len()].copy_from_slice(&preamble);
        Ok(DenseSink { layout: DenseLayout { version, grid, offset }, symmetric, map })
    }

    /// Places a tile, and for a symmetric matrix its mirror below the diagonal.
    pub(crate) fn write_tile(&mut self, coord: (u32, u32), tile: &TileData) {
        self.place(coord, tile);
        if self.symmetric && coord.0 != coord.1 {
            self.place((coord.1, coord.0), &tile.transposed());
        }
    }

    fn place(&mut self, coord: (u32, u32), tile: &TileData) {
        let mut bytes = Vec::with_capacity(tile.heap_bytes());
        tile.view().write_le_bytes(&mut bytes);
        let row_bytes = tile.shape().cols as usize * 4;
        for (local, row) in (0..).zip(bytes.chunks_exact(row_bytes)) {
            // In bounds: the map was sized from the same geometry.
            let start = usize::try_from(self.layout.row_start(coord, local)).unwrap_or(0);
            self.map[start..start + row_bytes].copy_from_slice(row);
        }
    }

    /// Flushes the map to the file.
    pub(crate) fn finish(self, out: &AtomicFile) -> Result<u64> {
        self.map.flush().map_err(|e| ContainerError::io("write", out.target(), e))?;
        Ok(self.map.len() as u64)
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
