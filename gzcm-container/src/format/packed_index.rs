//! The packed tile index (format revision packed-index-1, docs/format.md): the same records as
//! SPEC §4's 32-byte index, stored as one zstd frame of column-wise varints.
//!
//! In file order, the decoded stream holds `count` values of each column, column after column:
//! `Δrow` and `Δcol` (zigzag varints of the change from the previous record; the first from
//! `(0, 0)`), then per record `gap` and `length` (varints: `gap` is the bytes between the end of
//! the previous payload — for the first record, the end of the index section — and this
//! record's offset; `length ≥ 1`), then `codec_id`, `flags` and `nnz` (varints), then `crc32c`
//! (4 bytes little-endian each).
//! Canonical files have every gap 0, so the stream does not depend on where the section sits;
//! payloads never overlap and come in index order, which bounds `count` by the file's bytes.
//!
//! Reading treats the section as hostile: `count` must fit the grid and the payload area
//! before anything is decoded, decompression stops at `count × MAX_RECORD_STREAM_BYTES` bytes,
//! records grow only as decoded bytes arrive, and every record passes the same checks as a
//! 32-byte one.

use std::io::Read;

use crate::format::FileBytes;
use crate::format::error::{FormatError, PackedIndexError};
use crate::format::header::IndexArray;
use crate::format::index::{IndexRules, TileIndex, TileRecord, check_span};
use crate::format::integrity::{self, Checks};

/// zstd level of a section of up to [`SMALL_STREAM`] bytes (most are a few KiB, where the
/// highest regular level costs nothing).
const LEVEL: i32 = 19;
/// zstd level of a larger section: a sparse genome-wide map (a 1 kb human map loaded from
/// pairs) has hundreds of thousands of tiles, whose stream level 19 compresses at about
/// 1 MB/s, for a few percent of the section (it took a fifth of loading 200k human pairs).
const LARGE_LEVEL: i32 = 6;
/// The decoded stream size up to which [`LEVEL`] is used (some 8,000 tiles).
const SMALL_STREAM: usize = 64 << 10;
/// The most bytes one record can take in the decoded stream (three varints of up to 10 bytes,
/// four of up to 5, the 4-byte crc): a bound on the decoded size of an honest section.
pub const MAX_RECORD_STREAM_BYTES: u64 = 3 * 10 + 4 * 5 + 4;

/// The packed section of `records` (in file order, offsets consecutive from wherever the section
/// ends) and its crc32c.
pub(crate) fn encode(records: &[TileRecord], section_end: u64) -> std::io::Result<(Vec<u8>, u32)> {
    encode_with(|| records.iter().copied(), section_end)
}

/// [`encode`] for records made by `records` (called once per column, each time yielding the
/// same records): a writer's records need not be held all at once.
pub(crate) fn encode_with<I: Iterator<Item = TileRecord>>(
    records: impl Fn() -> I,
    section_end: u64,
) -> std::io::Result<(Vec<u8>, u32)> {
    let mut stream = Vec::with_capacity(records().size_hint().0 * 12);
    let mut previous = (0i64, 0i64);
    for r in records() {
        let row = i64::from(r.tile_row);
        put_varint(&mut stream, zigzag(row.wrapping_sub(previous.0)));
        previous.0 = row;
    }
    for r in records() {
        let col = i64::from(r.tile_col);
        put_varint(&mut stream, zigzag(col.wrapping_sub(previous.1)));
        previous.1 = col;
    }
    let mut expected = section_end;
    for r in records() {
        put_varint(&mut stream, r.offset.saturating_sub(expected));
        put_varint(&mut stream, u64::from(r.length));
        expected = r.offset + u64::from(r.length);
    }
    for column in [
        |r: TileRecord| u64::from(r.codec_id),
        |r: TileRecord| u64::from(r.flags),
        |r: TileRecord| u64::from(r.nnz),
    ] {
        for r in records() {
            put_varint(&mut stream, column(r));
        }
    }
    for r in records() {
        stream.extend_from_slice(&r.crc32c.to_le_bytes());
    }
    let level = if stream.len() <= SMALL_STREAM { LEVEL } else { LARGE_LEVEL };
    let section = zstd::bulk::compress(&stream, level)?;
    let crc = crc32c::crc32c(&section);
    Ok((section, crc))
}

/// Validates and decodes the packed index described by `array` in `file`.
pub(crate) fn load(
    array: &IndexArray,
    file: &(impl FileBytes + ?Sized),
    rules: &IndexRules,
    checks: Checks,
) -> Result<TileIndex, FormatError> {
    let length = array.length.ok_or(PackedIndexError::MissingField { key: "length" })?;
    let stored = array.crc32c.ok_or(PackedIndexError::MissingField { key: "crc32c" })?;
    check_span("tile index", array.offset, length, rules)?;
    let section_end = array.offset + length;
    let count = array.shape[0];
    if count > rules.grid.storable_tiles(rules.symmetric) {
        return Err(FormatError::InvalidField {
            key: "arrays.tile_index.shape",
            reason: format!("{count} records for a grid of {:?} tiles", rules.grid.dims()),
        });
    }
    let payload_area = rules.file_len.saturating_sub(section_end);
    if count > payload_area {
        return Err(PackedIndexError::TooManyRecords { count, region: payload_area }.into());
    }
    let section = file.span(array.offset, length);
    if let Checks::Trailer(trailer) = checks {
        integrity::check_data("tile index", section, trailer)?;
    }
    let computed = crc32c::crc32c(section);
    if computed != stored {
        return Err(PackedIndexError::Checksum { stored, computed }.into());
    }
    let stream = decompress_bounded(section, count.saturating_mul(MAX_RECORD_STREAM_BYTES))?;
    let records = decode_stream(&stream, count, section_end)?;
    TileIndex::from_records(records, rules)
}

/// Decompresses `section`, refusing more than `limit` decoded bytes (the buffer grows only as
/// bytes arrive, never from a size the frame claims).
fn decompress_bounded(section: &[u8], limit: u64) -> Result<Vec<u8>, PackedIndexError> {
    let decoder = zstd::stream::read::Decoder::new(section)
        .map_err(|source| PackedIndexError::Decompress { source })?;
    let mut stream = Vec::new();
    decoder
        .take(limit.saturating_add(1))
        .read_to_end(&mut stream)
        .map_err(|source| PackedIndexError::Decompress { source })?;
    if stream.len() as u64 > limit {
        return Err(PackedIndexError::Stream {
            problem: "is longer than its records allow",
            column: "-",
            position: 0,
        });
    }
    Ok(stream)
}

/// Records from the decoded stream, in file order, with absolute offsets.
fn decode_stream(stream: &[u8], count: u64, section_end: u64) -> Result<Vec<TileRecord>, PackedIndexError> {
    let mut cursor = Cursor { bytes: stream, at: 0 };
    let mut records = Vec::new();
    let mut row = 0i64;
    for position in 0..count {
        row = row.wrapping_add(unzigzag(cursor.varint("row", position)?));
        let tile_row = fit::<u32>(i128::from(row), "row", position)?;
        records.push(TileRecord {
            tile_row,
            tile_col: 0,
            offset: 0,
            length: 0,
            codec_id: 0,
            flags: 0,
            crc32c: 0,
            nnz: 0,
        });
    }
    let mut col = 0i64;
    for (position, r) in (0u64..).zip(records.iter_mut()) {
        col = col.wrapping_add(unzigzag(cursor.varint("col", position)?));
        r.tile_col = fit::<u32>(i128::from(col), "col", position)?;
    }
    let mut expected = section_end;
    for (position, r) in (0u64..).zip(records.iter_mut()) {
        let gap = cursor.varint("gap", position)?;
        r.offset = expected.checked_add(gap).ok_or(PackedIndexError::ValueOutOfRange {
            column: "gap",
            position,
            value: i128::from(gap),
        })?;
        r.length = fit::<u32>(i128::from(cursor.varint("length", position)?), "length", position)?;
        if r.length == 0 {
            return Err(PackedIndexError::ValueOutOfRange { column: "length", position, value: 0 });
        }
        expected = r.offset.saturating_add(u64::from(r.length));
    }
    for (position, r) in (0u64..).zip(records.iter_mut()) {
        r.codec_id = fit::<u16>(i128::from(cursor.varint("codec_id", position)?), "codec_id", position)?;
    }
    for (position, r) in (0u64..).zip(records.iter_mut()) {
        r.flags = fit::<u16>(i128::from(cursor.varint("flags", position)?), "flags", position)?;
    }
    for (position, r) in (0u64..).zip(records.iter_mut()) {
        r.nnz = fit::<u32>(i128::from(cursor.varint("nnz", position)?), "nnz", position)?;
    }
    for (position, r) in (0u64..).zip(records.iter_mut()) {
        let bytes = cursor.take(4, "crc32c", position)?;
        r.crc32c = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    }
    if cursor.at != stream.len() {
        return Err(PackedIndexError::Stream {
            problem: "has bytes after the last column",
            column: "crc32c",
            position: count,
        });
    }
    Ok(records)
}

fn fit<T: TryFrom<i128>>(value: i128, column: &'static str, position: u64) -> Result<T, PackedIndexError> {
    T::try_from(value).map_err(|_| PackedIndexError::ValueOutOfRange { column, position, value })
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize, column: &'static str, position: u64) -> Result<&[u8], PackedIndexError> {
        let bytes = self.bytes.get(self.at..self.at + n).ok_or(PackedIndexError::Stream {
            problem: "ends early",
            column,
            position,
        })?;
        self.at += n;
        Ok(bytes)
    }

    fn varint(&mut self, column: &'static str, position: u64) -> Result<u64, PackedIndexError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1, column, position)?[0];
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                break;
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(PackedIndexError::Stream { problem: "has a varint longer than 64 bits", column, position })
    }
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::geometry::{Grid, TileOrder};
    use crate::format::header::PACKED_INDEX_DTYPE;

    fn rules(file_len: u64) -> IndexRules {
        IndexRules {
            grid: Grid::new(40, 40, 16).unwrap(),
            symmetric: true,
            order: TileOrder::AntiDiagonal,
            codecs: 2,
            data_offset: 100,
            file_len,
        }
    }

    /// Records of the 3×3 upper grid in anti-diagonal order, payloads from `at` on.
    fn records(at: u64) -> Vec<TileRecord> {
        let coords = [(0, 0), (1, 1), (2, 2), (0, 1), (1, 2), (0, 2)];
        let mut offset = at;
        coords
            .iter()
            .enumerate()
            .map(|(k, &(tile_row, tile_col))| {
                let length = 10 + k as u32 * 300;
                let record = TileRecord {
                    tile_row,
                    tile_col,
                    offset,
                    length,
                    codec_id: (k % 2) as u16,
                    flags: 0,
                    crc32c: 0x9e37_79b9u32.wrapping_mul(k as u32 + 1),
                    nnz: 1 + k as u32 * 10,
                };
                offset += u64::from(length);
                record
            })
            .collect()
    }

    /// A file image: `data_offset` bytes, the section, then the payload bytes; and its array.
    fn file(records: &[TileRecord]) -> (Vec<u8>, IndexArray) {
        let (section, crc) = encode(records, records[0].offset).unwrap();
        let offset = records[0].offset - section.len() as u64;
        let end = records.iter().map(|r| r.offset + u64::from(r.length)).max().unwrap();
        let mut bytes = vec![0u8; usize::try_from(end).unwrap()];
        bytes[offset as usize..records[0].offset as usize].copy_from_slice(&section);
        let array = IndexArray {
            dtype: PACKED_INDEX_DTYPE.to_owned(),
            record_bytes: 32,
            shape: [records.len() as u64],
            offset,
            length: Some(section.len() as u64),
            crc32c: Some(crc),
        };
        (bytes, array)
    }

    #[test]
    fn records_round_trip_and_pack_small() {
        // Place the section first to learn its length, then lay the payloads after it.
        let (section, _) = encode(&records(0), 0).unwrap();
        let recs = records(100 + section.len() as u64);
        let (bytes, array) = file(&recs);
        assert_eq!(array.offset, 100);
        assert!(section.len() < recs.len() * 32, "{} bytes for {} records", section.len(), recs.len());
        let index = load(&array, &bytes[..], &rules(bytes.len() as u64), Checks::None).unwrap();
        let mut expected = recs.clone();
        expected.sort_unstable_by_key(TileRecord::coord);
        assert_eq!(index.records(), expected.as_slice());
    }

    #[test]
    fn gaps_between_payloads_are_kept() {
        let (section, _) = encode(&records(0), 0).unwrap();
        let mut recs = records(100 + section.len() as u64);
        for r in &mut recs[3..] {
            r.offset += 7;
        }
        let (bytes, array) = file(&recs);
        let index = load(&array, &bytes[..], &rules(bytes.len() as u64), Checks::None).unwrap();
        assert_eq!(index.get(0, 2).unwrap().offset, recs[5].offset);
    }

    #[test]
    fn hostile_sections_are_typed_errors() {
        let (section, _) = encode(&records(0), 0).unwrap();
        let recs = records(100 + section.len() as u64);
        let (bytes, array) = file(&recs);
        let rules = rules(bytes.len() as u64);
        let load_with =
            |array: &IndexArray, bytes: &[u8]| load(array, bytes, &rules, Checks::None).unwrap_err();
        let lying = IndexArray { shape: [u64::MAX], ..array.clone() };
        assert!(matches!(load_with(&lying, &bytes), FormatError::InvalidField { .. }));
        // A count that disagrees with the stream misreads its columns: some typed error.
        for count in [1, 5, 7, 40] {
            let wrong = IndexArray { shape: [count], ..array.clone() };
            let err = load_with(&wrong, &bytes);
            assert!(!err.to_string().is_empty());
        }
        // On a huge grid, a count above the payload bytes is refused before decoding.
        let many = IndexArray { shape: [bytes.len() as u64], ..array.clone() };
        let huge = IndexRules { grid: Grid::new(1 << 30, 1 << 30, 16).unwrap(), ..rules };
        let err = load(&many, &bytes[..], &huge, Checks::None).unwrap_err();
        assert!(matches!(err, FormatError::PackedIndex(PackedIndexError::TooManyRecords { .. })), "{err}");
        let long = IndexArray { length: Some(u64::MAX), ..array.clone() };
        assert!(matches!(load_with(&long, &bytes), FormatError::OffsetOutOfFile { .. }));
        let unsummed = IndexArray { crc32c: None, ..array.clone() };
        assert!(matches!(
            load_with(&unsummed, &bytes),
            FormatError::PackedIndex(PackedIndexError::MissingField { .. })
        ));
        let mut flipped = bytes.clone();
        flipped[array.offset as usize + 3] ^= 0x10;
        assert!(matches!(
            load_with(&array, &flipped),
            FormatError::PackedIndex(PackedIndexError::Checksum { .. })
        ));
        // A payload past the end of the file.
        let mut past = recs.clone();
        past[5].length += 1;
        let (bytes_past, array_past) = file(&past);
        let short = &bytes_past[..bytes_past.len() - 1];
        let err =
            load(&array_past, short, &IndexRules { file_len: short.len() as u64, ..rules }, Checks::None);
        assert!(matches!(err, Err(FormatError::OffsetOutOfFile { .. })), "{err:?}");
        // Records out of order, a zero-length payload, a bad codec id: refused like 32-byte ones.
        let mut swapped = recs.clone();
        swapped.swap(0, 1);
        swapped[0].offset = recs[0].offset;
        swapped[1].offset = recs[0].offset + u64::from(swapped[0].length);
        let (b, a) = file(&swapped);
        assert!(matches!(load_with(&a, &b), FormatError::IndexOrder { .. }));
        let mut empty = recs.clone();
        empty[2].length = 0;
        let (b, a) = file(&empty);
        assert!(matches!(
            load_with(&a, &b),
            FormatError::PackedIndex(PackedIndexError::ValueOutOfRange { .. })
        ));
        let mut codec = recs.clone();
        codec[1].codec_id = 2;
        let (b, a) = file(&codec);
        assert!(matches!(load_with(&a, &b), FormatError::CodecIdOutOfRange { .. }));
    }

    #[test]
    fn a_frame_expanding_past_its_bound_is_refused() {
        let section = zstd::bulk::compress(&vec![0u8; 1 << 20], 3).unwrap();
        let err = decompress_bounded(&section, 1000).unwrap_err();
        assert!(matches!(err, PackedIndexError::Stream { .. }), "{err}");
    }

    #[test]
    fn varints_and_zigzag_round_trip() {
        for value in [0i64, 1, -1, 63, -64, 1 << 40, i64::MIN, i64::MAX] {
            let mut bytes = Vec::new();
            put_varint(&mut bytes, zigzag(value));
            let mut cursor = Cursor { bytes: &bytes, at: 0 };
            assert_eq!(unzigzag(cursor.varint("v", 0).unwrap()), value);
        }
        let mut cursor = Cursor { bytes: &[0xff; 11], at: 0 };
        assert!(cursor.varint("v", 0).is_err());
    }
}
