//! Where a reader's bytes come from: a [`ByteSource`] serves byte ranges of one immutable file.
//!
//! [`MappedFile`] memory-maps a local file (zero-copy: a range is a view into the map); remote
//! sources (the `gzcm-remote` crate: S3, GCS, Azure, HTTP) fetch ranges with ranged requests.
//! The reader asks for everything it needs for one step in a single [`ByteSource::read_ranges`]
//! call, after merging neighbouring ranges itself ([`coalesce`]), so a remote source can issue
//! one request per range, concurrently.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use memmap2::Mmap;

use crate::error::{ContainerError, Result};
use crate::format::FileBytes;
use crate::format::preamble::PREAMBLE_LEN;

/// Read-only access to the bytes of one file that does not change while it is read.
///
/// Implementations must be cheap to share across threads; every method may be called from
/// several threads at once.
pub trait ByteSource: Send + Sync + fmt::Debug {
    /// What to call the file in messages: its path or URL.
    fn name(&self) -> &Path;

    /// The file's length in bytes.
    fn len(&self) -> u64;

    /// Whether the file is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes of each range, in the order asked. Ranges lie within `0..len()`; a remote
    /// source fetches each with one request (concurrently where it can).
    ///
    /// # Errors
    /// An I/O error; remote sources use [`io::ErrorKind::NotFound`],
    /// [`io::ErrorKind::TimedOut`], [`io::ErrorKind::PermissionDenied`] … and carry their own
    /// typed error inside (see [`io::Error::get_ref`]).
    fn read_ranges(&self, ranges: &[Range<u64>]) -> io::Result<Vec<Bytes>>;

    /// The whole file, when it is already in memory (a memory map): readers then take
    /// zero-copy views instead of calling [`ByteSource::read_ranges`].
    fn whole(&self) -> Option<&Bytes> {
        None
    }

    /// How many bytes from the start the reader should fetch first when opening the file, to
    /// hold the preamble, header and usually the tile index in one request.
    fn first_read_bytes(&self) -> u64 {
        DEFAULT_FIRST_READ_BYTES
    }
}

/// Default size of the first read at open: 256 KiB (a 4 KiB header and ~8,000 index records).
pub const DEFAULT_FIRST_READ_BYTES: u64 = 256 << 10;

/// A local file, memory-mapped.
pub struct MappedFile {
    path: PathBuf,
    bytes: Bytes,
}

impl fmt::Debug for MappedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MappedFile").field("path", &self.path).field("len", &self.bytes.len()).finish()
    }
}

impl MappedFile {
    /// Maps `path`.
    ///
    /// # Errors
    /// [`ContainerError::Io`] when it cannot be opened or mapped (or is a directory). A file
    /// too short to hold a preamble is read rather than mapped: opening it as a `.gzcm` file
    /// then reports what is wrong with its first bytes.
    pub fn open(path: impl AsRef<Path>) -> Result<MappedFile> {
        let path = path.as_ref().to_owned();
        let bytes = map_file(&path)?;
        Ok(MappedFile { path, bytes })
    }
}

impl ByteSource for MappedFile {
    fn name(&self) -> &Path {
        &self.path
    }

    fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    fn read_ranges(&self, ranges: &[Range<u64>]) -> io::Result<Vec<Bytes>> {
        ranges.iter().map(|r| slice_of(&self.bytes, 0, r)).collect()
    }

    fn whole(&self) -> Option<&Bytes> {
        Some(&self.bytes)
    }
}

/// `range` (absolute) out of `bytes`, which start at absolute offset `base`.
fn slice_of(bytes: &Bytes, base: u64, range: &Range<u64>) -> io::Result<Bytes> {
    let start = range.start.checked_sub(base).and_then(|s| usize::try_from(s).ok());
    let end = range.end.checked_sub(base).and_then(|e| usize::try_from(e).ok());
    match (start, end) {
        (Some(start), Some(end)) if start <= end && end <= bytes.len() => Ok(bytes.slice(start..end)),
        _ => Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("bytes {}..{} lie outside the {} bytes read", range.start, range.end, bytes.len()),
        )),
    }
}

fn map_file(path: &Path) -> Result<Bytes> {
    let mut file = File::open(path).map_err(|e| ContainerError::io("open", path, e))?;
    let metadata = file.metadata().map_err(|e| ContainerError::io("stat", path, e))?;
    if metadata.is_dir() {
        let error = io::Error::new(io::ErrorKind::IsADirectory, "it is a directory, not a .gzcm file");
        return Err(ContainerError::io("open", path, error));
    }
    let len = metadata.len();
    if len < PREAMBLE_LEN {
        // Too short to map (an empty map is refused); no `.gzcm` file is this short, and the
        // reader says why when it looks for the preamble in these bytes.
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(|e| ContainerError::io("read", path, e))?;
        return Ok(Bytes::from(bytes));
    }
    // SAFETY: the map is read-only. Like every memory-mapped reader, we rely on the file not
    // being truncated or rewritten while open; writers never modify a finished file in place
    // (they write a new file and rename it over the old one).
    let map = unsafe { Mmap::map(&file) }.map_err(|e| ContainerError::io("map", path, e))?;
    Ok(Bytes::from_owner(map))
}

/// Pieces of a file fetched from a source, each at its absolute offset; looked up by range.
#[derive(Clone, Debug, Default)]
pub(crate) struct Pieces {
    /// Sorted by offset, not overlapping.
    pieces: Vec<(u64, Bytes)>,
}

impl Pieces {
    /// The whole file as one piece.
    pub(crate) fn whole(bytes: Bytes) -> Self {
        Pieces { pieces: vec![(0, bytes)] }
    }

    /// Fetches `ranges` (merged where they touch or lie within `gap` bytes of each other) with
    /// one `read_ranges` call.
    pub(crate) fn fetch(source: &dyn ByteSource, ranges: &[Range<u64>], gap: u64) -> io::Result<Self> {
        let mut pieces = Pieces::default();
        pieces.add(source, ranges, gap)?;
        Ok(pieces)
    }

    /// Fetches the parts of `ranges` not already held (see [`Pieces::fetch`]).
    pub(crate) fn add(&mut self, source: &dyn ByteSource, ranges: &[Range<u64>], gap: u64) -> io::Result<()> {
        let missing: Vec<Range<u64>> =
            ranges.iter().filter(|r| !r.is_empty() && self.get(r).is_none()).cloned().collect();
        let merged = coalesce(&missing, gap);
        if merged.is_empty() {
            return Ok(());
        }
        let fetched = match source.whole() {
            Some(whole) => merged.iter().map(|r| slice_of(whole, 0, r)).collect::<io::Result<Vec<_>>>()?,
            None => source.read_ranges(&merged)?,
        };
        for (range, bytes) in merged.iter().zip(fetched) {
            if bytes.len() as u64 != range.end - range.start {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("asked for bytes {}..{}, got {}", range.start, range.end, bytes.len()),
                ));
            }
            self.pieces.push((range.start, bytes));
        }
        self.pieces.sort_by_key(|(at, _)| *at);
        Ok(())
    }

    /// The piece holding all of `range`, and its absolute offset. Pieces may overlap (a range
    /// fetched again at open), so every piece starting at or before `range` is a candidate.
    pub(crate) fn piece(&self, range: &Range<u64>) -> Option<(u64, &[u8])> {
        let after = self.pieces.partition_point(|(at, _)| *at <= range.start);
        self.pieces[..after]
            .iter()
            .rev()
            .find(|(base, bytes)| range.end <= base + bytes.len() as u64)
            .map(|(base, bytes)| (*base, &bytes[..]))
    }
}

impl Pieces {
    /// The bytes of `range` as a shared slice of the piece holding them (no copy).
    pub(crate) fn bytes(&self, range: &Range<u64>) -> Option<Bytes> {
        let after = self.pieces.partition_point(|(at, _)| *at <= range.start);
        let (base, bytes) =
            self.pieces[..after].iter().rev().find(|(base, bytes)| range.end <= base + bytes.len() as u64)?;
        let start = usize::try_from(range.start - base).ok()?;
        let end = usize::try_from(range.end - base).ok()?;
        (start <= end).then(|| bytes.slice(start..end))
    }
}

impl FileBytes for Pieces {
    /// The bytes of `range` when one piece holds all of them.
    fn get(&self, range: &Range<u64>) -> Option<&[u8]> {
        let (base, bytes) = self.piece(range)?;
        let start = usize::try_from(range.start - base).ok()?;
        let end = usize::try_from(range.end - base).ok()?;
        bytes.get(start..end)
    }
}

/// `ranges` sorted and merged where they overlap, touch, or lie within `gap` bytes of each
/// other (the gap's bytes are fetched and ignored: one request instead of two).
#[must_use]
pub fn coalesce(ranges: &[Range<u64>], gap: u64) -> Vec<Range<u64>> {
    let mut sorted: Vec<Range<u64>> = ranges.iter().filter(|r| !r.is_empty()).cloned().collect();
    sorted.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<u64>> = Vec::with_capacity(sorted.len());
    for range in sorted {
        match merged.last_mut() {
            Some(last) if range.start <= last.end.saturating_add(gap) => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coalesce_merges_touching_and_near_ranges_only() {
        assert_eq!(coalesce(&[10..20, 0..10, 30..40, 25..26], 0), [0..20, 25..26, 30..40]);
        assert_eq!(coalesce(&[10..20, 0..10, 30..40, 25..26], 4), [0..20, 25..40]);
        assert_eq!(coalesce(&[10..20, 0..10, 30..40, 25..26], 5), vec![0..40]);
        assert_eq!(coalesce(&[0..100, 10..20, 5..5], 0), vec![0..100]);
    }

    #[test]
    fn pieces_serve_ranges_inside_one_piece() {
        let pieces =
            Pieces { pieces: vec![(0, Bytes::from_static(b"abcdef")), (100, Bytes::from_static(b"xyz"))] };
        assert_eq!(pieces.get(&(1..3)), Some(&b"bc"[..]));
        assert_eq!(pieces.get(&(101..103)), Some(&b"yz"[..]));
        assert_eq!(pieces.get(&(4..8)), None);
        assert_eq!(pieces.get(&(50..51)), None);
        assert_eq!(pieces.piece(&(100..103)).map(|(at, b)| (at, b.len())), Some((100, 3)));
        assert_eq!(pieces.span(4, 10), b"");
    }
}
