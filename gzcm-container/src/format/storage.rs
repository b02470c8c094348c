//! Where a file's cells are: the v1/v2 matrix array or the v3/v4 tile index, located and
//! validated from the header and the bytes the reader fetched, and the byte ranges that hold
//! the file's structure (index, block table, genome blocks) as far as a header says.

use std::ops::Range;

use crate::format::FileBytes;
use crate::format::dense::DenseLayout;
use crate::format::error::FormatError;
use crate::format::header::{
    BARE_PACKED_INDEX_DTYPE, GROUPED_INDEX_DTYPE, Header, INDEX_DTYPE, Layout, PACKED_INDEX_DTYPE,
    RECORD_BYTES,
};
use crate::format::index::{IndexRules, Stored, TileIndex, check_span};
use crate::format::integrity::{self, Checks};
use crate::format::packed_index;
use crate::format::preamble;

/// Where the cells are.
#[derive(Debug)]
pub(crate) enum Storage {
    /// v1/v2: one array.
    Dense(DenseLayout),
    /// v3/v4: a payload per stored tile, listed by the index.
    Tiles(TileIndex),
}

impl Storage {
    /// Locates and validates the matrix array (v1/v2) or the tile index (v3/v4).
    pub(crate) fn locate(
        header: &Header,
        layout: &Layout,
        file: &(impl FileBytes + ?Sized),
        file_len: u64,
        data_offset: u64,
        checks: Checks,
    ) -> Result<Storage, FormatError> {
        let rules = IndexRules::of_file(header, layout, data_offset, checks, file_len);
        if layout.version <= 2 {
            let dense = dense_storage(header, layout, &rules)?;
            if let Checks::Trailer(trailer) = checks {
                let table = dense.block_table(header).unwrap_or((0, 0));
                check_span("block checksum table", table.0, table.1, &rules)?;
                let bytes = file.span(table.0, table.1);
                integrity::check_data("block checksum table", bytes, trailer)?;
            }
            return Ok(Storage::Dense(dense));
        }
        let index = header
            .arrays
            .tile_index
            .as_ref()
            .ok_or(FormatError::MissingKey { key: "arrays.tile_index", version: layout.version })?;
        if index.is_packed() {
            return packed_index::load(index, file, &rules, checks).map(Storage::Tiles);
        }
        if index.dtype != INDEX_DTYPE || index.record_bytes != u64::from(RECORD_BYTES) {
            return Err(FormatError::InvalidField {
                key: "arrays.tile_index",
                reason: format!(
                    "dtype `{}` with {}-byte records; this reader knows `{INDEX_DTYPE}` with {RECORD_BYTES}, \
                     `{PACKED_INDEX_DTYPE}`, `{BARE_PACKED_INDEX_DTYPE}` and `{GROUPED_INDEX_DTYPE}`",
                    index.dtype, index.record_bytes
                ),
            });
        }
        let count = index.shape[0];
        if count > layout.grid.storable_tiles(layout.symmetric) {
            return Err(FormatError::InvalidField {
                key: "arrays.tile_index.shape",
                reason: format!("{count} records for a grid of {:?} tiles", layout.grid.dims()),
            });
        }
        let bytes = count.saturating_mul(u64::from(RECORD_BYTES));
        check_span("tile index", index.offset, bytes, &rules)?;
        let records = file.span(index.offset, bytes);
        if let Checks::Trailer(trailer) = checks {
            integrity::check_data("tile index", records, trailer)?;
        }
        TileIndex::parse(records, &rules).map(Storage::Tiles)
    }

    /// Whether stored tile `coord` (upper triangle for symmetric files) has bytes in the file
    /// (its own, or a tile group's that may or may not hold cells of it).
    pub(crate) fn is_stored(&self, coord: (u32, u32)) -> bool {
        match self {
            Storage::Dense(_) => true,
            Storage::Tiles(index) => index.find(coord.0, coord.1).is_some(),
        }
    }

    /// The lowest offset of any stored tile's payload (`None` for v1/v2 and tile-less files).
    pub(crate) fn first_payload(&self) -> Option<u64> {
        match self {
            Storage::Dense(_) => None,
            Storage::Tiles(index) => index.records().iter().map(|r| r.offset).min(),
        }
    }

    /// The byte ranges that hold stored tile `coord` (one for v3/v4; one per row for v1/v2).
    pub(crate) fn tile_ranges(&self, coord: (u32, u32), out: &mut Vec<Range<u64>>) {
        match self {
            Storage::Dense(layout) => out.extend(layout.row_ranges(coord)),
            Storage::Tiles(index) => {
                if let Some(record) = index.find(coord.0, coord.1).map(Stored::record) {
                    out.push(record.offset..record.offset + u64::from(record.length));
                }
            }
        }
    }
}

fn dense_storage(header: &Header, layout: &Layout, rules: &IndexRules) -> Result<DenseLayout, FormatError> {
    let offset = header
        .arrays
        .matrix
        .offset
        .ok_or(FormatError::MissingKey { key: "arrays.matrix.offset", version: layout.version })?;
    let bytes = DenseLayout::array_bytes(layout.version, &layout.grid).unwrap_or(u64::MAX);
    check_span("matrix array", offset, bytes, rules)?;
    Ok(DenseLayout { version: layout.version, grid: layout.grid, offset })
}

/// The index (or v1/v2 block table) and genome blocks the header at the start of `head`
/// names, as far as they lie in a file of `len` bytes; empty when the header does not parse
/// (opening the file then reports why). A reader of a remote file fetches these in one round.
pub(crate) fn structure_ranges(head: &[u8], len: u64) -> Vec<Range<u64>> {
    let Some(header) = preamble::split_preamble(head).ok().and_then(|json| Header::from_json(json).ok())
    else {
        return Vec::new();
    };
    let Ok(layout) = header.validate() else {
        return Vec::new();
    };
    let mut ranges = Vec::new();
    if let Some(index) = header.arrays.tile_index.as_ref().filter(|_| layout.version >= 3) {
        let bytes = if index.is_packed() {
            index.stored_bytes()
        } else {
            let count = index.shape[0].min(layout.grid.storable_tiles(layout.symmetric));
            count.saturating_mul(u64::from(RECORD_BYTES))
        };
        ranges.push(index.offset..index.offset.saturating_add(bytes));
    }
    if let Some(offset) = header.arrays.matrix.offset.filter(|_| layout.version <= 2) {
        let dense = DenseLayout { version: layout.version, grid: layout.grid, offset };
        if let Some((at, bytes)) = dense.block_table(&header) {
            ranges.push(at..at.saturating_add(bytes));
        }
    }
    ranges.extend(header.genome.as_ref().and_then(|g| g.blocks_span()));
    ranges.retain(|r| r.start <= r.end && r.end <= len);
    ranges
}
