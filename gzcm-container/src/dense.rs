//! Versions 1 and 2 (SPEC §3): the matrix as one array at `arrays.matrix.offset`.
//!
//! v1 is the whole matrix in C order; v2 is the `(n_tile_rows, n_tile_cols, T, T)` array of
//! tiles padded to `T×T`. Both store every cell of both triangles even for symmetric matrices,
//! so numpy can map them directly (docs/format.md, "v1/v2 store the full matrix"). The writer
//! reserves the output, places each tile (and its mirror) with positioned writes, then appends
//! the block-checksum table and the integrity trailer.

use std::fs::File;
use std::os::unix::fs::FileExt;

use gzcm_core::{Dtype, TileData};

use crate::error::{ContainerError, Result};
use crate::geometry::Grid;
use crate::header::{Header, place};
use crate::integrity::{self, DEFAULT_BLOCK_BYTES, TRAILER_BYTES, Trailer};
use crate::source::Pieces;
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

    /// `(offset, length)` of the block-checksum table after the array, for a checksummed file.
    pub(crate) fn block_table(&self, header: &Header) -> Option<(u64, u64)> {
        let block_bytes = header.integrity.as_ref()?.block_bytes?;
        let array = Self::array_bytes(self.version, &self.grid)?;
        let entries = integrity::block_count(array, block_bytes);
        Some((self.offset.checked_add(array)?, entries.checked_mul(4)?))
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
    pub(crate) fn read_tile(&self, file: &Pieces, coord: (u32, u32), dtype: Dtype) -> Result<TileData> {
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

/// Writes a v1/v2 file with positioned writes (never through a memory map: a write to a file
/// whose blocks the filesystem cannot provide must be an error, not a SIGBUS).
pub(crate) struct DenseSink {
    layout: DenseLayout,
    symmetric: bool,
    header_crc: u32,
    array_bytes: u64,
}

impl DenseSink {
    /// Reserves the whole output (so a full disk fails here, before any tile), writes the header.
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
        let table = integrity::block_count(bytes, DEFAULT_BLOCK_BYTES) * 4;
        let total = offset
            .checked_add(bytes)
            .and_then(|t| t.checked_add(table + TRAILER_BYTES))
            .ok_or_else(too_large)?;
        usize::try_from(total).map_err(|_| too_large())?;
        reserve(out.file(), total).map_err(|e| ContainerError::io("reserve space for", out.target(), e))?;
        out.file().write_all_at(&preamble, 0).map_err(|e| ContainerError::io("write", out.target(), e))?;
        let header_crc = integrity::header_crc(&preamble, crate::compressed::json_len(&preamble));
        Ok(DenseSink {
            layout: DenseLayout { version, grid, offset },
            symmetric,
            header_crc,
            array_bytes: bytes,
        })
    }

    /// Places a tile, and for a symmetric matrix its mirror below the diagonal.
    pub(crate) fn write_tile(&mut self, out: &AtomicFile, coord: (u32, u32), tile: &TileData) -> Result<()> {
        self.place(out, coord, tile)?;
        if self.symmetric && coord.0 != coord.1 {
            self.place(out, (coord.1, coord.0), &tile.transposed())?;
        }
        Ok(())
    }

    fn place(&self, out: &AtomicFile, coord: (u32, u32), tile: &TileData) -> Result<()> {
        let mut bytes = Vec::with_capacity(tile.heap_bytes());
        tile.view().write_le_bytes(&mut bytes);
        let row_bytes = tile.shape().cols as usize * 4;
        for (local, row) in (0..).zip(bytes.chunks_exact(row_bytes)) {
            let start = self.layout.row_start(coord, local);
            out.file().write_all_at(row, start).map_err(|e| ContainerError::io("write", out.target(), e))?;
        }
        Ok(())
    }

    /// Writes the block-checksum table (read back from the file) and the integrity trailer.
    pub(crate) fn finish(self, out: &AtomicFile) -> Result<u64> {
        let io = |action| move |e| ContainerError::io(action, out.target(), e);
        let file = out.file();
        let block = usize::try_from(DEFAULT_BLOCK_BYTES).unwrap_or(1 << 20);
        let mut buffer = vec![0u8; block];
        let mut table = Vec::new();
        let mut at = 0u64;
        while at < self.array_bytes {
            let len = usize::try_from((self.array_bytes - at).min(DEFAULT_BLOCK_BYTES)).unwrap_or(block);
            file.read_exact_at(&mut buffer[..len], self.layout.offset + at).map_err(io("read back"))?;
            table.extend_from_slice(&crc32c::crc32c(&buffer[..len]).to_le_bytes());
            at += len as u64;
        }
        let table_at = self.layout.offset + self.array_bytes;
        file.write_all_at(&table, table_at).map_err(io("write"))?;
        let trailer = Trailer { header_crc: self.header_crc, data_crc: crc32c::crc32c(&table) };
        let end = table_at + table.len() as u64;
        file.write_all_at(&trailer.to_bytes(), end).map_err(io("write"))?;
        Ok(end + TRAILER_BYTES)
    }
}

/// Gives the file `len` bytes the filesystem has really allocated where it can (so running out
/// of space is reported now), else just sets the length.
fn reserve(file: &File, len: u64) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let len_off = libc::off_t::try_from(len).map_err(|_| std::io::ErrorKind::FileTooLarge)?;
        // SAFETY: a plain syscall on an open descriptor owned by `file`.
        let rc = unsafe { libc::posix_fallocate(file.as_raw_fd(), 0, len_off) };
        match rc {
            0 => return Ok(()),
            libc::EOPNOTSUPP | libc::EINVAL => {}
            errno => return Err(std::io::Error::from_raw_os_error(errno)),
        }
    }
    file.set_len(len)
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
