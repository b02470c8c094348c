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

use std::io::{BufRead, BufReader, BufWriter, Read, Write};

use crate::format::FileBytes;
use crate::format::error::{FormatError, PackedIndexError};
use crate::format::header::IndexArray;
use crate::format::index::{IndexRules, RecordCheck, TileIndex, TileRecord, check_span};
use crate::format::integrity::{self, Checks};
use crate::format::varint::{put_varint, unzigzag, zigzag};

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
/// same records): a writer's records need not be held at once, and a large stream is
/// compressed as it is made, never held decoded.
pub(crate) fn encode_with<I: Iterator<Item = TileRecord>>(
    records: impl Fn() -> I,
    section_end: u64,
) -> std::io::Result<(Vec<u8>, u32)> {
    // Every record takes at least MIN_RECORD_STREAM_BYTES: past this count the stream is
    // larger than SMALL_STREAM without measuring it.
    let surely_large = SMALL_STREAM as u64 / MIN_RECORD_STREAM_BYTES;
    let section = if records().take(surely_large as usize + 1).count() as u64 <= surely_large {
        let mut stream = Vec::with_capacity(SMALL_STREAM);
        write_columns(&records, section_end, &mut stream)?;
        let level = if stream.len() <= SMALL_STREAM { LEVEL } else { LARGE_LEVEL };
        zstd::bulk::compress(&stream, level)?
    } else {
        let mut counted = CountingSink(0);
        write_columns(&records, section_end, &mut counted)?;
        let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), LARGE_LEVEL)?;
        // Told the size, zstd picks the parameters its one-shot compression would.
        encoder.set_pledged_src_size(Some(counted.0))?;
        let mut buffered = BufWriter::with_capacity(1 << 16, encoder);
        write_columns(&records, section_end, &mut buffered)?;
        buffered.into_inner().map_err(std::io::IntoInnerError::into_error)?.finish()?
    };
    let crc = crc32c::crc32c(&section);
    Ok((section, crc))
}

/// Writes the decoded stream of `records` (entry 35's columns, one after the other) to `out`.
fn write_columns<I: Iterator<Item = TileRecord>>(
    records: &impl Fn() -> I,
    section_end: u64,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut previous = 0i64;
    for r in records() {
        let row = i64::from(r.tile_row);
        put_varint(out, zigzag(row.wrapping_sub(previous)))?;
        previous = row;
    }
    previous = 0;
    for r in records() {
        let col = i64::from(r.tile_col);
        put_varint(out, zigzag(col.wrapping_sub(previous)))?;
        previous = col;
    }
    let mut expected = section_end;
    for r in records() {
        put_varint(out, r.offset.saturating_sub(expected))?;
        put_varint(out, u64::from(r.length))?;
        expected = r.offset + u64::from(r.length);
    }
    for column in [
        |r: TileRecord| u64::from(r.codec_id),
        |r: TileRecord| u64::from(r.flags),
        |r: TileRecord| u64::from(r.nnz),
    ] {
        for r in records() {
            put_varint(out, column(r))?;
        }
    }
    for r in records() {
        out.write_all(&r.crc32c.to_le_bytes())?;
    }
    Ok(())
}

/// Counts the bytes written to it.
struct CountingSink(u64);

impl Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What every read of a packed section checks before decoding anything: the header's keys,
/// the section's place in the file, `count` against the grid and the payload area, the
/// trailer's data checksum and the section's own crc32c. Returns the section and where it ends.
fn checked_section<'f>(
    array: &IndexArray,
    file: &'f (impl FileBytes + ?Sized),
    rules: &IndexRules,
    checks: Checks,
) -> Result<(&'f [u8], u64), FormatError> {
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
    Ok((section, section_end))
}

/// Validates and decodes the packed index described by `array` in `file`.
pub(crate) fn load(
    array: &IndexArray,
    file: &(impl FileBytes + ?Sized),
    rules: &IndexRules,
    checks: Checks,
) -> Result<TileIndex, FormatError> {
    let (section, section_end) = checked_section(array, file, rules, checks)?;
    let count = array.shape[0];
    let stream = decompress_bounded(section, count.saturating_mul(MAX_RECORD_STREAM_BYTES))?;
    // Every record takes at least MIN_RECORD_STREAM_BYTES of the stream, so the decoded bytes
    // (not `count`) bound what is reserved.
    let mut records = Vec::with_capacity(
        usize::try_from(count.min(stream.len() as u64 / MIN_RECORD_STREAM_BYTES)).unwrap_or(0),
    );
    let mut reader = RecordReader::from_stream(&stream, count, section_end)?;
    let mut check = RecordCheck::new(rules);
    while let Some(record) = reader.next_record()? {
        check.check(&record)?;
        records.push(record);
    }
    TileIndex::from_checked(records)
}

/// The records of the packed index described by `array` in `file`, validated one at a time as
/// they are decoded (each as [`load`] checks it), without holding them or the decoded stream:
/// the section is decompressed once per column, each column by its own decoder.
pub(crate) fn records<'f>(
    array: &IndexArray,
    file: &'f (impl FileBytes + ?Sized),
    rules: &IndexRules,
    checks: Checks,
) -> Result<Records<'f>, FormatError> {
    let (section, section_end) = checked_section(array, file, rules, checks)?;
    let count = array.shape[0];
    let limit = count.saturating_mul(MAX_RECORD_STREAM_BYTES);
    let open = || -> Result<FrameReader<'f>, PackedIndexError> {
        let decoder = zstd::stream::read::Decoder::with_buffer(section)
            .map_err(|source| PackedIndexError::Decompress { source })?;
        Ok(BufReader::with_capacity(1 << 16, decoder.take(limit.saturating_add(1))))
    };
    let reader = RecordReader::from_readers(open, count, section_end)?;
    Ok(Records { reader, check: RecordCheck::new(rules) })
}

/// A decoder of one column of a section.
type FrameReader<'f> = BufReader<std::io::Take<zstd::stream::read::Decoder<'f, &'f [u8]>>>;

/// The validated records of a section, in file order (see [`records`]).
pub(crate) struct Records<'f> {
    reader: RecordReader<FrameReader<'f>>,
    check: RecordCheck,
}

impl Iterator for Records<'_> {
    type Item = Result<TileRecord, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.reader.next_record() {
            Ok(Some(record)) => Some(self.check.check(&record).map(|()| record)),
            Ok(None) => None,
            Err(e) => Some(Err(e.into())),
        }
    }
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

/// The fewest bytes one record takes in the decoded stream: seven one-byte varints and its crc.
const MIN_RECORD_STREAM_BYTES: u64 = 7 + 4;

/// How many varints of the stream come before each column: `Δrow`, `Δcol`, `gap`/`length`
/// (two a record), `codec_id`, `flags`, `nnz`, `crc32c` (in records).
const VARINTS_BEFORE: [u64; 7] = [0, 1, 2, 4, 5, 6, 7];

/// Reads the decoded stream's columns side by side, one record at a time: each column has its
/// own cursor on the stream, started where that column begins.
struct RecordReader<B> {
    columns: [Column<B>; 7],
    count: u64,
    position: u64,
    row: i64,
    col: i64,
    expected: u64,
}

impl<'s> RecordReader<&'s [u8]> {
    /// Cursors into a decoded stream held in memory (one pass finds where the columns start).
    fn from_stream(stream: &'s [u8], count: u64, section_end: u64) -> Result<Self, PackedIndexError> {
        let mut scan = Column { bytes: stream, name: "-" };
        let mut starts = [0usize; 7];
        for k in 1..7 {
            let before = (VARINTS_BEFORE[k] - VARINTS_BEFORE[k - 1]) * count;
            scan.name = COLUMN_NAMES[k - 1];
            scan.skip_varints(before)?;
            starts[k] = stream.len() - scan.bytes.len();
        }
        let columns = starts.map(|start| Column { bytes: &stream[start..], name: "-" });
        Ok(RecordReader::new(columns, count, section_end))
    }
}

impl<B: BufRead> RecordReader<B> {
    /// Cursors from `open` (each call a new reader of the stream from its start), each skipped
    /// to its column.
    fn from_readers(
        mut open: impl FnMut() -> Result<B, PackedIndexError>,
        count: u64,
        section_end: u64,
    ) -> Result<Self, PackedIndexError> {
        let mut opened = Vec::with_capacity(7);
        for (k, before) in VARINTS_BEFORE.iter().enumerate() {
            let mut column = Column { bytes: open()?, name: COLUMN_NAMES[k.saturating_sub(1)] };
            column.skip_varints(before * count)?;
            opened.push(column);
        }
        let columns: [Column<B>; 7] = opened.try_into().unwrap_or_else(|_| unreachable!("seven columns"));
        Ok(RecordReader::new(columns, count, section_end))
    }

    fn new(mut columns: [Column<B>; 7], count: u64, section_end: u64) -> Self {
        for (column, name) in columns.iter_mut().zip(COLUMN_NAMES) {
            column.name = name;
        }
        RecordReader { columns, count, position: 0, row: 0, col: 0, expected: section_end }
    }

    /// The next record (absolute offsets), or `None` after the last, when the stream must end.
    fn next_record(&mut self) -> Result<Option<TileRecord>, PackedIndexError> {
        let position = self.position;
        let [rows, cols, spans, codecs, flags, nnz, crcs] = &mut self.columns;
        if position == self.count {
            if !crcs.at_end()? {
                return Err(PackedIndexError::Stream {
                    problem: "has bytes after the last column",
                    column: "crc32c",
                    position,
                });
            }
            return Ok(None);
        }
        self.row = self.row.wrapping_add(unzigzag(rows.varint(position)?));
        self.col = self.col.wrapping_add(unzigzag(cols.varint(position)?));
        let gap = spans.varint(position)?;
        let offset = self.expected.checked_add(gap).ok_or(PackedIndexError::ValueOutOfRange {
            column: "gap",
            position,
            value: i128::from(gap),
        })?;
        spans.name = "length";
        let length = fit::<u32>(i128::from(spans.varint(position)?), "length", position)?;
        spans.name = "gap";
        if length == 0 {
            return Err(PackedIndexError::ValueOutOfRange { column: "length", position, value: 0 });
        }
        self.expected = offset.saturating_add(u64::from(length));
        let record = TileRecord {
            tile_row: fit::<u32>(i128::from(self.row), "row", position)?,
            tile_col: fit::<u32>(i128::from(self.col), "col", position)?,
            offset,
            length,
            codec_id: fit::<u16>(i128::from(codecs.varint(position)?), "codec_id", position)?,
            flags: fit::<u16>(i128::from(flags.varint(position)?), "flags", position)?,
            nnz: fit::<u32>(i128::from(nnz.varint(position)?), "nnz", position)?,
            crc32c: crcs.u32_le(position)?,
        };
        self.position += 1;
        Ok(Some(record))
    }
}

/// The columns' names, in stream order (errors name the column).
const COLUMN_NAMES: [&str; 7] = ["row", "col", "gap", "codec_id", "flags", "nnz", "crc32c"];

fn fit<T: TryFrom<i128>>(value: i128, column: &'static str, position: u64) -> Result<T, PackedIndexError> {
    T::try_from(value).map_err(|_| PackedIndexError::ValueOutOfRange { column, position, value })
}

/// A cursor on one column of the decoded stream.
struct Column<B> {
    bytes: B,
    name: &'static str,
}

impl<B: BufRead> Column<B> {
    fn byte(&mut self, position: u64) -> Result<u8, PackedIndexError> {
        let buffer = self.bytes.fill_buf().map_err(|source| PackedIndexError::Decompress { source })?;
        let Some(&byte) = buffer.first() else {
            return Err(PackedIndexError::Stream { problem: "ends early", column: self.name, position });
        };
        self.bytes.consume(1);
        Ok(byte)
    }

    fn varint(&mut self, position: u64) -> Result<u64, PackedIndexError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte(position)?;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                break;
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(PackedIndexError::Stream {
            problem: "has a varint longer than 64 bits",
            column: self.name,
            position,
        })
    }

    fn skip_varints(&mut self, n: u64) -> Result<(), PackedIndexError> {
        for position in 0..n {
            self.varint(position)?;
        }
        Ok(())
    }

    fn u32_le(&mut self, position: u64) -> Result<u32, PackedIndexError> {
        let mut bytes = [0u8; 4];
        for byte in &mut bytes {
            *byte = self.byte(position)?;
        }
        Ok(u32::from_le_bytes(bytes))
    }

    fn at_end(&mut self) -> Result<bool, PackedIndexError> {
        Ok(self.bytes.fill_buf().map_err(|source| PackedIndexError::Decompress { source })?.is_empty())
    }
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
            groups: false,
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
        assert_eq!(index.find(0, 2).unwrap().record().offset, recs[5].offset);
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
    fn streamed_records_are_the_loaded_ones_and_fail_alike() {
        let (section, _) = encode(&records(0), 0).unwrap();
        let recs = records(100 + section.len() as u64);
        let (bytes, array) = file(&recs);
        let rules = rules(bytes.len() as u64);
        let streamed: Vec<TileRecord> =
            super::records(&array, &bytes[..], &rules, Checks::None).unwrap().map(Result::unwrap).collect();
        assert_eq!(streamed, recs, "file order, absolute offsets");
        // A count that disagrees with the stream (too few leaves bytes, too many runs out) and
        // records out of order are refused while streaming too.
        for count in [1, 5, 7] {
            let wrong = IndexArray { shape: [count], ..array.clone() };
            let outcome: Result<Vec<_>, _> =
                super::records(&wrong, &bytes[..], &rules, Checks::None).and_then(Iterator::collect);
            assert!(outcome.is_err(), "count {count}");
        }
        let mut swapped = recs.clone();
        swapped.swap(0, 1);
        swapped[0].offset = recs[0].offset;
        swapped[1].offset = recs[0].offset + u64::from(swapped[0].length);
        let (b, a) = file(&swapped);
        let outcome: Result<Vec<_>, _> = super::records(&a, &b[..], &rules, Checks::None).unwrap().collect();
        assert!(matches!(outcome, Err(FormatError::IndexOrder { .. })), "{outcome:?}");
    }

    #[test]
    fn a_large_stream_is_compressed_as_it_is_made_and_reads_back() {
        // More than SMALL_STREAM decoded bytes: the streaming encoder's path.
        let grid = Grid::new(1 << 20, 1 << 20, 16).unwrap();
        let recs: Vec<TileRecord> = (0..20_000u32)
            .map(|k| TileRecord {
                tile_row: k / 3,
                tile_col: k / 3 + k % 3,
                offset: u64::from(k) * 5,
                length: 5,
                codec_id: 0,
                flags: 0,
                crc32c: k.wrapping_mul(0x9e37_79b9),
                nnz: 1 + k % 7,
            })
            .collect();
        let (section, crc) = encode(&recs, 0).unwrap();
        let mut stream = Vec::new();
        write_columns(&|| recs.iter().copied(), 0, &mut stream).unwrap();
        assert!(
            recs.len() as u64 > SMALL_STREAM as u64 / MIN_RECORD_STREAM_BYTES,
            "{} decoded bytes",
            stream.len()
        );
        let start = 64u64;
        let shifted: Vec<TileRecord> = recs
            .iter()
            .map(|r| TileRecord { offset: r.offset + start + section.len() as u64, ..*r })
            .collect();
        let end = shifted.last().map(|r| r.offset + u64::from(r.length)).unwrap();
        let mut bytes = vec![0u8; usize::try_from(end).unwrap()];
        bytes[start as usize..start as usize + section.len()].copy_from_slice(&section);
        let array = IndexArray {
            dtype: PACKED_INDEX_DTYPE.to_owned(),
            record_bytes: 32,
            shape: [recs.len() as u64],
            offset: start,
            length: Some(section.len() as u64),
            crc32c: Some(crc),
        };
        let rules = IndexRules {
            grid,
            symmetric: true,
            order: TileOrder::RowMajor,
            codecs: 1,
            data_offset: start,
            file_len: end,
            groups: false,
        };
        let index = load(&array, &bytes[..], &rules, Checks::None).unwrap();
        assert_eq!(index.records(), shifted.as_slice());
        let streamed: Result<Vec<_>, _> =
            super::records(&array, &bytes[..], &rules, Checks::None).unwrap().collect();
        assert_eq!(streamed.unwrap(), shifted);
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
            put_varint(&mut bytes, zigzag(value)).unwrap();
            let mut column = Column { bytes: &bytes[..], name: "v" };
            assert_eq!(unzigzag(column.varint(0).unwrap()), value);
        }
        let mut column = Column { bytes: &[0xff; 11][..], name: "v" };
        assert!(column.varint(0).is_err());
    }
}
