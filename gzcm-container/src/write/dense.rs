//! Writing versions 1 and 2 (SPEC §3): the writer reserves the output, places each tile (and
//! its mirror) with positioned writes, then appends the block-checksum table and the integrity
//! trailer. Where each cell goes is [`DenseLayout`]'s business.

use std::fs::File;
use std::os::unix::fs::FileExt;

use gzcm_core::TileData;

use crate::error::{ContainerError, Result};
use crate::format::dense::DenseLayout;
use crate::format::geometry::Grid;
use crate::format::header::Header;
use crate::format::integrity::{self, DEFAULT_BLOCK_BYTES, TRAILER_BYTES, Trailer};
use crate::format::preamble::{json_len, place};
use gzcm_atomic::AtomicFile;

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
        let (preamble, offset) = place(|at| make_header(at).to_json())?;
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
        let header_crc = integrity::header_crc(&preamble, json_len(&preamble));
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
