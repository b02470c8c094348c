//! The `.gzcm` format itself (SPEC §1–§5, docs/format.md): the preamble, the JSON header, the
//! tile index (32-byte records or packed), the integrity checksums, the v1/v2 array layout,
//! the genome blocks, and multi-resolution collections of such files. Pure functions over bytes: parsing with validation, and laying bytes out
//! for a writer. No I/O happens here — the reader hands in what it fetched as `FileBytes`,
//! the writer writes what these functions return.

pub mod collection;
pub(crate) mod dense;
pub mod error;
pub mod genome;
pub mod geometry;
pub(crate) mod group;
pub mod header;
pub mod index;
pub mod integrity;
pub mod packed_index;
pub mod preamble;
pub(crate) mod relay;
pub(crate) mod storage;
pub(crate) mod structure;
pub(crate) mod varint;

use std::ops::Range;

/// The bytes of a file known so far, addressed by absolute offset: the whole file when it is
/// in memory, else the pieces a reader fetched. Format functions read through it.
pub(crate) trait FileBytes {
    /// The bytes of `range` when they are all held.
    fn get(&self, range: &Range<u64>) -> Option<&[u8]>;

    /// `length` bytes at `offset`, or empty when they are not held (callers check bounds
    /// against the file length first).
    fn span(&self, offset: u64, length: u64) -> &[u8] {
        self.get(&(offset..offset.saturating_add(length))).unwrap_or_default()
    }
}

/// A whole file in memory, starting at offset 0.
impl FileBytes for [u8] {
    fn get(&self, range: &Range<u64>) -> Option<&[u8]> {
        let start = usize::try_from(range.start).ok()?;
        let end = usize::try_from(range.end).ok()?;
        <[u8]>::get(self, start..end)
    }
}
