//! The tile index (SPEC §4): 32-byte records, their validation, and the one normalised index a
//! reader uses whatever the file's tile order.

use crate::format::error::FormatError;
use crate::format::geometry::{Grid, TileOrder};
use crate::format::header::{Layout, RECORD_BYTES};
use crate::format::integrity::Checks;

/// One index record: where a compressed tile is and how to check it (SPEC §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TileRecord {
    /// Tile row `i`.
    pub tile_row: u32,
    /// Tile column `j`.
    pub tile_col: u32,
    /// Absolute offset of the stored bytes.
    pub offset: u64,
    /// Stored bytes (framing included).
    pub length: u32,
    /// Position of the codec in the header's `codecs`.
    pub codec_id: u16,
    /// Reserved, 0.
    pub flags: u16,
    /// crc32c of the stored bytes.
    pub crc32c: u32,
    /// Non-zero cells in the tile.
    pub nnz: u32,
}

impl TileRecord {
    /// The 32 little-endian bytes of the record.
    #[must_use]
    pub fn to_bytes(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        out[0..4].copy_from_slice(&self.tile_row.to_le_bytes());
        out[4..8].copy_from_slice(&self.tile_col.to_le_bytes());
        out[8..16].copy_from_slice(&self.offset.to_le_bytes());
        out[16..20].copy_from_slice(&self.length.to_le_bytes());
        out[20..22].copy_from_slice(&self.codec_id.to_le_bytes());
        out[22..24].copy_from_slice(&self.flags.to_le_bytes());
        out[24..28].copy_from_slice(&self.crc32c.to_le_bytes());
        out[28..32].copy_from_slice(&self.nnz.to_le_bytes());
        out
    }

    /// Parses one record.
    #[must_use]
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        let u32_at = |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
        let mut offset = [0u8; 8];
        offset.copy_from_slice(&bytes[8..16]);
        TileRecord {
            tile_row: u32_at(0),
            tile_col: u32_at(4),
            offset: u64::from_le_bytes(offset),
            length: u32_at(16),
            codec_id: u16_at(20),
            flags: u16_at(22),
            crc32c: u32_at(24),
            nnz: u32_at(28),
        }
    }

    /// `(tile_row, tile_col)`.
    #[must_use]
    pub const fn coord(&self) -> (u32, u32) {
        (self.tile_row, self.tile_col)
    }
}

/// What an index must agree with.
#[derive(Clone, Copy, Debug)]
pub(crate) struct IndexRules {
    pub(crate) grid: Grid,
    pub(crate) symmetric: bool,
    pub(crate) order: TileOrder,
    pub(crate) codecs: usize,
    pub(crate) data_offset: u64,
    pub(crate) file_len: u64,
}

impl IndexRules {
    /// The rules of a file of `file_len` bytes with `layout`, whose data starts at
    /// `data_offset`: nothing the header or index references may overlap the trailer.
    pub(crate) fn of_file(layout: &Layout, data_offset: u64, checks: Checks, file_len: u64) -> IndexRules {
        IndexRules {
            grid: layout.grid,
            symmetric: layout.symmetric,
            order: layout.order,
            codecs: layout.codecs.len(),
            data_offset,
            file_len: checks.data_end(file_len),
        }
    }
}

/// The records of a file, validated, sorted row-major for lookup (whatever the file's order).
#[derive(Clone, Debug, Default)]
pub(crate) struct TileIndex {
    records: Vec<TileRecord>,
}

impl TileIndex {
    /// Parses and validates `bytes` (exactly `count × 32` long, already bounds-checked).
    pub(crate) fn parse(bytes: &[u8], rules: &IndexRules) -> Result<TileIndex, FormatError> {
        let mut records = Vec::with_capacity(bytes.len() / RECORD_BYTES as usize);
        let mut check = RecordCheck::new(rules);
        for chunk in bytes.chunks_exact(RECORD_BYTES as usize) {
            let chunk: &[u8; 32] = chunk.try_into().unwrap_or(&[0; 32]);
            let record = TileRecord::from_bytes(chunk);
            check.check(&record)?;
            records.push(record);
        }
        Ok(TileIndex::from_checked(records))
    }

    /// Records (in file order) that passed a [`RecordCheck`], normalised row-major.
    pub(crate) fn from_checked(mut records: Vec<TileRecord>) -> TileIndex {
        records.sort_unstable_by_key(TileRecord::coord);
        TileIndex { records }
    }

    /// The record of tile `(row, col)`, if stored.
    pub(crate) fn get(&self, row: u32, col: u32) -> Option<&TileRecord> {
        self.records.binary_search_by_key(&(row, col), TileRecord::coord).ok().map(|at| &self.records[at])
    }

    /// Every record, row-major.
    pub(crate) fn records(&self) -> &[TileRecord] {
        &self.records
    }
}

/// The checks every record of an index passes, in file order: each on its own (inside the
/// grid and the payload area, upper triangle of a symmetric file, a known codec, no flags,
/// `nnz` in range) and against the one before (strictly later in the file's tile order).
pub(crate) struct RecordCheck {
    rules: IndexRules,
    previous: Option<(u32, u32)>,
    position: u64,
}

impl RecordCheck {
    /// Checks for the records of a file with `rules`, from its first record on.
    pub(crate) fn new(rules: &IndexRules) -> Self {
        RecordCheck { rules: *rules, previous: None, position: 0 }
    }

    /// Checks the next record.
    pub(crate) fn check(&mut self, record: &TileRecord) -> Result<(), FormatError> {
        check_record(record, &self.rules)?;
        check_order(self.previous, record, self.position, self.rules.order)?;
        self.previous = Some(record.coord());
        self.position += 1;
        Ok(())
    }
}

fn check_record(record: &TileRecord, rules: &IndexRules) -> Result<(), FormatError> {
    let (row, col) = record.coord();
    if !rules.grid.contains(row, col) {
        return Err(FormatError::TileOutOfGrid { row, col, grid: rules.grid.dims() });
    }
    if rules.symmetric && row > col {
        return Err(FormatError::LowerTriangleTile { row, col });
    }
    if usize::from(record.codec_id) >= rules.codecs {
        return Err(FormatError::CodecIdOutOfRange {
            row,
            col,
            codec_id: record.codec_id,
            codecs: rules.codecs,
        });
    }
    if record.flags != 0 {
        return Err(FormatError::UnknownFlags { row, col, flags: record.flags });
    }
    let cells = rules.grid.tile_shape(row, col).cells();
    if record.nnz == 0 || record.nnz as usize > cells {
        return Err(FormatError::NnzOutOfRange { row, col, nnz: record.nnz, cells });
    }
    check_span("tile payload", record.offset, u64::from(record.length), rules)
}

/// Checks that `offset..offset + length` lies inside the payload area of the file.
pub(crate) fn check_span(
    what: &'static str,
    offset: u64,
    length: u64,
    rules: &IndexRules,
) -> Result<(), FormatError> {
    let inside =
        offset >= rules.data_offset && offset.checked_add(length).is_some_and(|end| end <= rules.file_len);
    if inside {
        Ok(())
    } else {
        Err(FormatError::OffsetOutOfFile {
            what,
            offset,
            length,
            data_offset: rules.data_offset,
            file_len: rules.file_len,
        })
    }
}

fn check_order(
    previous: Option<(u32, u32)>,
    record: &TileRecord,
    position: u64,
    order: TileOrder,
) -> Result<(), FormatError> {
    let Some(previous) = previous else {
        return Ok(());
    };
    let (row, col) = record.coord();
    match order.compare(previous, (row, col)) {
        std::cmp::Ordering::Less => Ok(()),
        std::cmp::Ordering::Equal => Err(FormatError::DuplicateTile { row, col }),
        std::cmp::Ordering::Greater => {
            Err(FormatError::IndexOrder { position, row, col, order: order.as_str() })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(row: u32, col: u32) -> TileRecord {
        TileRecord {
            tile_row: row,
            tile_col: col,
            offset: 4096,
            length: 10,
            codec_id: 0,
            flags: 0,
            crc32c: 7,
            nnz: 3,
        }
    }

    fn rules() -> IndexRules {
        IndexRules {
            grid: Grid::new(40, 40, 16).unwrap(),
            symmetric: true,
            order: TileOrder::AntiDiagonal,
            codecs: 1,
            data_offset: 4096,
            file_len: 8192,
        }
    }

    fn bytes(records: &[TileRecord]) -> Vec<u8> {
        records.iter().flat_map(TileRecord::to_bytes).collect()
    }

    #[test]
    fn records_round_trip_bytes() {
        let r = TileRecord { offset: u64::MAX - 3, codec_id: 513, ..record(7, 9) };
        assert_eq!(TileRecord::from_bytes(&r.to_bytes()), r);
    }

    #[test]
    fn anti_diagonal_index_is_normalised_row_major() {
        let index = TileIndex::parse(&bytes(&[record(0, 0), record(1, 1), record(0, 1)]), &rules()).unwrap();
        let coords: Vec<_> = index.records().iter().map(TileRecord::coord).collect();
        assert_eq!(coords, [(0, 0), (0, 1), (1, 1)]);
        assert!(index.get(0, 1).is_some());
        assert!(index.get(1, 0).is_none());
    }

    #[test]
    fn bad_records_are_typed_errors() {
        let parse = |r: &[TileRecord]| TileIndex::parse(&bytes(r), &rules()).unwrap_err();
        assert!(matches!(parse(&[record(5, 5)]), FormatError::TileOutOfGrid { .. }));
        assert!(matches!(parse(&[record(1, 0)]), FormatError::LowerTriangleTile { .. }));
        assert!(matches!(parse(&[record(0, 0), record(0, 0)]), FormatError::DuplicateTile { .. }));
        assert!(matches!(parse(&[record(0, 1), record(0, 0)]), FormatError::IndexOrder { .. }));
        let r = TileRecord { codec_id: 1, ..record(0, 0) };
        assert!(matches!(parse(&[r]), FormatError::CodecIdOutOfRange { .. }));
        let r = TileRecord { offset: 8190, ..record(0, 0) };
        assert!(matches!(parse(&[r]), FormatError::OffsetOutOfFile { .. }));
        let r = TileRecord { offset: u64::MAX, ..record(0, 0) };
        assert!(matches!(parse(&[r]), FormatError::OffsetOutOfFile { .. }));
        let r = TileRecord { nnz: 257, ..record(0, 0) };
        assert!(matches!(parse(&[r]), FormatError::NnzOutOfRange { .. }));
    }
}
