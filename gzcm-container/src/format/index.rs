//! The tile index (SPEC §4): 32-byte records, their validation, and the one normalised index a
//! reader uses whatever the file's tile order.

use crate::format::error::FormatError;
use crate::format::geometry::{Grid, TileOrder};
use crate::format::group::{self, GroupShape, MAX_GROUP_NNZ};
use crate::format::header::{Header, IndexArray, Layout, RECORD_BYTES};
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
    /// Whether records may be tile groups (groups-1).
    pub(crate) groups: bool,
}

impl IndexRules {
    /// The rules of a file of `file_len` bytes with `header` (validated into `layout`), whose
    /// data starts at `data_offset`: nothing the header or index references may overlap the
    /// trailer.
    pub(crate) fn of_file(
        header: &Header,
        layout: &Layout,
        data_offset: u64,
        checks: Checks,
        file_len: u64,
    ) -> IndexRules {
        IndexRules {
            grid: layout.grid,
            symmetric: layout.symmetric,
            order: layout.order,
            codecs: layout.codecs.len(),
            data_offset,
            file_len: checks.data_end(file_len),
            groups: header.arrays.tile_index.as_ref().is_some_and(IndexArray::has_groups),
        }
    }
}

/// Where a tile's cells are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stored<'i> {
    /// Under its own record.
    Tile(&'i TileRecord),
    /// In the tile group of this record (the tile may still have no cells).
    Group(&'i TileRecord),
}

impl<'i> Stored<'i> {
    /// The record whose payload holds the tile.
    pub(crate) fn record(self) -> &'i TileRecord {
        match self {
            Stored::Tile(record) | Stored::Group(record) => record,
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
        TileIndex::from_checked(records)
    }

    /// Records (in file order) that passed a [`RecordCheck`], normalised row-major; a tile
    /// group may not span a tile another record names.
    pub(crate) fn from_checked(mut records: Vec<TileRecord>) -> Result<TileIndex, FormatError> {
        records.sort_unstable_by_key(TileRecord::coord);
        for pair in records.windows(2) {
            TileIndex::check_neighbours(&pair[0], &pair[1])?;
        }
        Ok(TileIndex { records })
    }

    /// Refuses `this`, a group, spanning `next`, the record after it in row-major order.
    fn check_neighbours(this: &TileRecord, next: &TileRecord) -> Result<(), FormatError> {
        match group::span_of(this.flags) {
            Some(span)
                if next.tile_row == this.tile_row
                    && u64::from(next.tile_col) < u64::from(this.tile_col) + u64::from(span) =>
            {
                Err(FormatError::GroupOverlap {
                    row: this.tile_row,
                    col: this.tile_col,
                    span,
                    other: next.tile_col,
                })
            }
            _ => Ok(()),
        }
    }

    /// Where tile `(row, col)` is stored: its own record, a group spanning it, or nowhere.
    pub(crate) fn find(&self, row: u32, col: u32) -> Option<Stored<'_>> {
        let after = self.records.partition_point(|r| r.coord() <= (row, col));
        let record = self.records[..after].last().filter(|r| r.tile_row == row)?;
        match group::span_of(record.flags) {
            None => (record.tile_col == col).then_some(Stored::Tile(record)),
            Some(span) => (u64::from(col) < u64::from(record.tile_col) + u64::from(span))
                .then_some(Stored::Group(record)),
        }
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
    previous: Option<TileRecord>,
    position: u64,
}

impl RecordCheck {
    /// Checks for the records of a file with `rules`, from its first record on.
    pub(crate) fn new(rules: &IndexRules) -> Self {
        RecordCheck { rules: *rules, previous: None, position: 0 }
    }

    /// Checks the next record (and, in a row-major file, that the group before it does not
    /// span it; [`TileIndex::from_checked`] checks every order).
    pub(crate) fn check(&mut self, record: &TileRecord) -> Result<(), FormatError> {
        check_record(record, &self.rules)?;
        check_order(self.previous.map(|p| p.coord()), record, self.position, self.rules.order)?;
        if let Some(previous) = self.previous.filter(|_| self.rules.order == TileOrder::RowMajor) {
            TileIndex::check_neighbours(&previous, record)?;
        }
        self.previous = Some(*record);
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
    if rules.groups
        && let Some(shape) = GroupShape::of_record(&rules.grid, rules.symmetric, record)
    {
        return check_group(record, &shape, rules);
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

/// A group record (groups-1): its span inside the grid, codec id 0 (its payload's encoding is
/// the format's), `nnz` within what the span holds and [`MAX_GROUP_NNZ`].
fn check_group(record: &TileRecord, shape: &GroupShape, rules: &IndexRules) -> Result<(), FormatError> {
    let (row, col) = record.coord();
    let last = shape.cols().end - 1;
    if shape.cols().end <= col || !rules.grid.contains(row, last) {
        return Err(FormatError::TileOutOfGrid { row, col: last, grid: rules.grid.dims() });
    }
    if record.codec_id != 0 {
        return Err(FormatError::CodecIdOutOfRange { row, col, codec_id: record.codec_id, codecs: 1 });
    }
    let cells = usize::try_from(shape.cells().min(u64::from(MAX_GROUP_NNZ))).unwrap_or(usize::MAX);
    if record.nnz == 0 || record.nnz as usize > cells {
        return Err(FormatError::NnzOutOfRange { row, col, nnz: record.nnz, cells });
    }
    check_span("tile group payload", record.offset, u64::from(record.length), rules)
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
            groups: false,
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
        assert!(index.find(0, 1).is_some());
        assert!(index.find(1, 0).is_none());
    }

    fn group(row: u32, col: u32, span: u32) -> TileRecord {
        TileRecord { flags: group::flags_for(span), ..record(row, col) }
    }

    #[test]
    fn a_group_record_covers_its_span_and_no_further() {
        let grouped = IndexRules { order: TileOrder::RowMajor, groups: true, ..rules() };
        let recs = [record(0, 0), group(0, 1, 2), record(1, 1), group(1, 2, 1), group(2, 2, 1)];
        let index = TileIndex::parse(&bytes(&recs), &grouped).unwrap();
        assert_eq!(index.find(0, 0), Some(Stored::Tile(&recs[0])));
        assert_eq!(index.find(0, 1), Some(Stored::Group(&recs[1])));
        assert_eq!(index.find(0, 2), Some(Stored::Group(&recs[1])));
        assert_eq!(index.find(1, 2), Some(Stored::Group(&recs[3])));
        assert_eq!(index.find(1, 0), None);
        // Without the revision, the flag is unknown.
        let plain = IndexRules { order: TileOrder::RowMajor, ..rules() };
        assert!(matches!(
            TileIndex::parse(&bytes(&recs), &plain).unwrap_err(),
            FormatError::UnknownFlags { row: 0, col: 1, .. }
        ));
    }

    #[test]
    fn bad_group_records_are_typed_errors() {
        for order in [TileOrder::RowMajor, TileOrder::AntiDiagonal] {
            let grouped = IndexRules { order, groups: true, ..rules() };
            let parse = |r: &[TileRecord]| TileIndex::parse(&bytes(r), &grouped).unwrap_err();
            // A span past the grid's three tile columns.
            assert!(matches!(parse(&[group(0, 1, 3)]), FormatError::TileOutOfGrid { col: 3, .. }));
            // A group spanning a tile with its own record, whatever the order.
            assert!(matches!(
                parse(&[group(0, 0, 2), record(0, 1)]),
                FormatError::GroupOverlap { row: 0, col: 0, span: 2, other: 1 }
            ));
            assert!(matches!(parse(&[group(0, 0, 3), group(0, 2, 1)]), FormatError::GroupOverlap { .. }));
            let r = TileRecord { codec_id: 1, ..group(0, 0, 1) };
            assert!(matches!(parse(&[r]), FormatError::CodecIdOutOfRange { .. }));
            // Two 16×16 tiles and a 16×8 one hold 640 cells.
            let r = TileRecord { nnz: 641, ..group(0, 0, 3) };
            assert!(matches!(parse(&[r]), FormatError::NnzOutOfRange { cells: 640, .. }));
            let r = TileRecord { nnz: 0, ..group(0, 0, 1) };
            assert!(matches!(parse(&[r]), FormatError::NnzOutOfRange { .. }));
            let r = TileRecord { offset: 8190, ..group(0, 0, 1) };
            assert!(matches!(parse(&[r]), FormatError::OffsetOutOfFile { .. }));
        }
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
