//! Copying stored bytes out of a memory-mapped input: the payloads of a file being re-laid
//! (as a collection's member, or with different weights), each checked against its crc32c on
//! the way, so a file damaged or changed under the writer is refused rather than copied.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use memmap2::Mmap;

use crate::error::{ContainerError, Result};
use crate::format::index::TileRecord;

/// Streams the payloads `records` point to in `bytes` (the input) into `writer`, in the order
/// given, checking each against its record's crc32c.
pub(crate) fn copy_payloads(
    bytes: &[u8],
    records: &[TileRecord],
    writer: &mut impl Write,
    target: &Path,
) -> Result<()> {
    for record in records {
        let stored = slice(bytes, record.offset, u64::from(record.length));
        let computed = crc32c::crc32c(stored);
        if computed != record.crc32c {
            let (tile_row, tile_col) = record.coord();
            return Err(ContainerError::CrcMismatch { tile_row, tile_col, stored: record.crc32c, computed });
        }
        writer.write_all(stored).map_err(|e| ContainerError::io("write", target, e))?;
    }
    Ok(())
}

/// `length` bytes at `offset` of a file (a range its validated structure references; empty
/// when it is not inside `bytes`).
pub(crate) fn slice(bytes: &[u8], offset: u64, length: u64) -> &[u8] {
    let start = usize::try_from(offset).unwrap_or(usize::MAX);
    let end = usize::try_from(offset.saturating_add(length)).unwrap_or(usize::MAX);
    bytes.get(start..end).unwrap_or_default()
}

/// Maps an input file read-only.
pub(crate) fn map(path: &Path) -> Result<Mmap> {
    let file = File::open(path).map_err(|e| ContainerError::io("open", path, e))?;
    // SAFETY: read-only. Like every memory-mapped reader we rely on the file not being
    // truncated or rewritten while it is copied (documented on the writers that map inputs);
    // every payload copied is checked against its crc32c.
    unsafe { Mmap::map(&file) }.map_err(|e| ContainerError::io("map", path, e))
}
