//! Copying stored bytes out of an input: the payloads of a file being re-laid (as a
//! collection's member, or with different weights), each checked against its crc32c on the
//! way, so a file damaged or changed under the writer is refused rather than copied.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;

use memmap2::Mmap;

use crate::error::{ContainerError, Result};
use crate::format::index::TileRecord;

/// Where payloads are copied from.
pub(crate) trait PayloadSource {
    /// The `length` bytes at `offset`.
    fn read_at(&mut self, offset: u64, length: u32) -> Result<&[u8]>;
}

/// A memory-mapped input (its validated structure references only ranges inside it; one that
/// is not is an unexpected end of file).
impl PayloadSource for &[u8] {
    fn read_at(&mut self, offset: u64, length: u32) -> Result<&[u8]> {
        let bytes = slice(self, offset, u64::from(length));
        if bytes.len() != length as usize {
            let short = std::io::ErrorKind::UnexpectedEof.into();
            return Err(ContainerError::io("read", Path::new("the input"), short));
        }
        Ok(bytes)
    }
}

/// An input read through a buffer, not mapped: copying a whole file through a map would count
/// its pages against the process's resident memory. Payloads in offset order are read
/// sequentially.
pub(crate) struct FilePayloads<'a> {
    reader: BufReader<&'a File>,
    position: Option<u64>,
    buffer: Vec<u8>,
    path: &'a Path,
}

impl<'a> FilePayloads<'a> {
    /// Payloads of `file` (opened from `path`).
    pub(crate) fn new(file: &'a File, path: &'a Path) -> Self {
        FilePayloads {
            reader: BufReader::with_capacity(1 << 20, file),
            position: None,
            buffer: Vec::new(),
            path,
        }
    }
}

impl PayloadSource for FilePayloads<'_> {
    fn read_at(&mut self, offset: u64, length: u32) -> Result<&[u8]> {
        let io = |e| ContainerError::io("read", self.path, e);
        if self.position != Some(offset) {
            self.reader.seek(SeekFrom::Start(offset)).map_err(io)?;
        }
        self.buffer.resize(length as usize, 0);
        self.reader.read_exact(&mut self.buffer).map_err(io)?;
        self.position = Some(offset + u64::from(length));
        Ok(&self.buffer)
    }
}

/// Streams the payloads `records` point to in `source` (the input) into `writer`, in the order
/// given, checking each against its record's crc32c.
pub(crate) fn copy_payloads(
    source: &mut impl PayloadSource,
    records: impl IntoIterator<Item = TileRecord>,
    writer: &mut impl Write,
    target: &Path,
) -> Result<()> {
    for record in records {
        let stored = source.read_at(record.offset, record.length)?;
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
