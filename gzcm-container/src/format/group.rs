//! Tile groups (format revision groups-1, docs/format.md entries 52–56): many sparse tiles of
//! one tile row stored as one payload under one index record.
//!
//! A genome-wide map at a fine resolution has millions of tiles holding a handful of contacts
//! each (6.4 million tiles of 3.3 non-zeros on average at 1 kb from 20 million human pairs).
//! Each paid a codec frame and an index record, about 40 bytes, against the 2–3 bytes its
//! cells need. A group record `(row, first_col)` whose flags carry [`GROUP_FLAG`] and a span
//! covers tiles `first_col .. first_col + span` of tile row `row`; its payload is one zstd frame
//! holding the cells of those tiles as a list, and a tile of the span without cells is all zero.
//! Groups hold `u32` cells only. A diagonal tile of a symmetric map keeps its upper triangle
//! (`col >= row`); reading mirrors it, as the tile model says.
//!
//! The decoded frame: the count of stored cells (varint), then each cell's position key
//! `(col - first_col × T) × rows + row` (`T` the tile edge, `rows` the height of the tile row;
//! ascending, each stored as its distance from the previous key minus one, the first as
//! itself), then each cell's value minus one (varints). Nothing follows.

use std::io::Read;
use std::ops::Range;

use ndarray::Array2;

use gzcm_core::TileData;

use crate::format::error::GroupError;
use crate::format::geometry::Grid;
use crate::format::index::TileRecord;
use crate::format::varint::{put_varint, take_varint};

/// The flag bit of a group record; the other fifteen bits hold `span - 1`.
pub(crate) const GROUP_FLAG: u16 = 1;

/// The most tiles one group may span.
pub(crate) const MAX_SPAN: u32 = 1 << 15;

/// The most non-zero cells (as tiles count them) one group may hold.
pub(crate) const MAX_GROUP_NNZ: u32 = 1 << 20;

/// Decoded bytes a stored cell may take at most: its key (below 2^39: six varint bytes) and
/// its value (five).
const MAX_CELL_BYTES: u64 = 11;

/// The span of a record's `flags` when it is a group record.
pub(crate) fn span_of(flags: u16) -> Option<u32> {
    (flags & GROUP_FLAG != 0).then(|| u32::from(flags >> 1) + 1)
}

/// The flags of a group record spanning `span` tiles (`1..=MAX_SPAN`).
pub(crate) fn flags_for(span: u32) -> u16 {
    let bits = u16::try_from(span.clamp(1, MAX_SPAN) - 1).unwrap_or(u16::MAX >> 1);
    (bits << 1) | GROUP_FLAG
}

/// Where a group lies in its file's grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct GroupShape {
    /// Tile row.
    pub(crate) row: u32,
    /// First tile column.
    pub(crate) first_col: u32,
    /// Tiles spanned.
    pub(crate) span: u32,
    /// The grid's tile edge.
    tile_size: u32,
    /// Cells in a column of the tile row (the last tile row may be short).
    rows: u32,
    /// Matrix columns the span covers.
    cols: u64,
    /// Whether a diagonal tile of the span keeps only its upper triangle.
    symmetric: bool,
}

impl GroupShape {
    /// The group of `span` tiles from `(row, first_col)` in `grid` (inside it: the caller checked).
    pub(crate) fn new(grid: &Grid, symmetric: bool, (row, first_col): (u32, u32), span: u32) -> Self {
        let tile = u64::from(grid.tile_size());
        let start = u64::from(first_col) * tile;
        let end = (u64::from(first_col) + u64::from(span)).saturating_mul(tile).min(grid.cols());
        GroupShape {
            row,
            first_col,
            span,
            tile_size: grid.tile_size(),
            rows: grid.tile_shape(row, first_col).rows,
            cols: end.saturating_sub(start),
            symmetric,
        }
    }

    /// The shape of the group `record` describes, when it is one.
    pub(crate) fn of_record(grid: &Grid, symmetric: bool, record: &TileRecord) -> Option<Self> {
        span_of(record.flags).map(|span| GroupShape::new(grid, symmetric, record.coord(), span))
    }

    /// The tile columns spanned.
    pub(crate) fn cols(&self) -> Range<u32> {
        self.first_col..self.first_col.saturating_add(self.span)
    }

    /// Whether `col` is the diagonal tile of a symmetric map's row.
    fn is_diagonal(&self, col: u32) -> bool {
        self.symmetric && col == self.row
    }

    /// The most cells the span can hold, as tiles count them.
    pub(crate) fn cells(&self) -> u64 {
        self.cols.saturating_mul(u64::from(self.rows))
    }
}

/// One stored cell: column from the group's first matrix column, row within the tile row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct GroupCell {
    col: u32,
    row: u32,
    value: u32,
}

/// A group's cells, decoded and checked.
#[derive(Debug)]
pub(crate) struct GroupCells {
    shape: GroupShape,
    cells: Vec<GroupCell>,
    /// Each tile with cells: its column, its cells' range, its non-zeros as a tile.
    tiles: Vec<(u32, Range<usize>, u32)>,
}

impl GroupCells {
    /// Decodes and checks a group's payload against its record's non-zero count: cells inside
    /// the span, strictly ascending, non-zero, the upper triangle of a diagonal tile, and as
    /// many non-zeros as recorded. The decoded frame may not exceed what `nnz` cells take, and
    /// memory grows only as decoded bytes arrive.
    pub(crate) fn decode(payload: &[u8], nnz: u32, shape: GroupShape) -> Result<GroupCells, GroupError> {
        let limit = 10 + u64::from(nnz.min(MAX_GROUP_NNZ)) * MAX_CELL_BYTES;
        let mut stream = Vec::new();
        zstd::stream::read::Decoder::new(payload)
            .and_then(|decoder| decoder.take(limit + 1).read_to_end(&mut stream))
            .map_err(|source| GroupError::Decompress { source })?;
        if stream.len() as u64 > limit {
            return Err(GroupError::Stream { problem: "decodes to more bytes than its cells can take" });
        }
        let mut bytes = stream.as_slice();
        let ends = || GroupError::Stream { problem: "ends early or holds a varint past 64 bits" };
        let stored = take_varint(&mut bytes).ok_or_else(ends)?;
        if stored == 0 || stored > u64::from(nnz) {
            return Err(GroupError::Stream { problem: "stores no cells, or more than its record counts" });
        }
        // `stored <= nnz <= MAX_GROUP_NNZ`, checked above and by the index.
        let mut cells = Vec::with_capacity(usize::try_from(stored).unwrap_or(0));
        let rows = u64::from(shape.rows);
        let mut next_key = 0u64;
        for _ in 0..stored {
            let key = next_key.checked_add(take_varint(&mut bytes).ok_or_else(ends)?);
            let Some(key) = key.filter(|&k| k < shape.cells()) else {
                return Err(GroupError::Stream { problem: "has a cell outside its span" });
            };
            next_key = key + 1;
            // `key < cols × rows` with `cols` below 2^32 (at most MAX_SPAN × 4096 columns).
            let (col, row) = (u32::try_from(key / rows).unwrap_or(u32::MAX), (key % rows) as u32);
            cells.push(GroupCell { col, row, value: 0 });
        }
        for cell in &mut cells {
            let value = take_varint(&mut bytes).ok_or_else(ends)?;
            cell.value = u32::try_from(value + 1)
                .map_err(|_| GroupError::Stream { problem: "has a value past the u32 range" })?;
        }
        if !bytes.is_empty() {
            return Err(GroupError::Stream { problem: "has bytes after its last value" });
        }
        let tiles = tile_runs(&shape, &cells)?;
        let counted: u64 = tiles.iter().map(|t| u64::from(t.2)).sum();
        if counted != u64::from(nnz) {
            return Err(GroupError::CountMismatch { counted, recorded: nnz });
        }
        Ok(GroupCells { shape, cells, tiles })
    }

    /// The tiles holding cells: `(tile column, non-zero cells of the tile)`, ascending.
    pub(crate) fn tiles(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.tiles.iter().map(|(col, _, nnz)| (*col, *nnz))
    }

    /// Tile `(row, col)` of the group, dense (`None` when it has no cells).
    pub(crate) fn tile(&self, grid: &Grid, col: u32) -> Option<TileData> {
        let at = self.tiles.binary_search_by_key(&col, |t| t.0).ok()?;
        let (_, range, _) = &self.tiles[at];
        let shape = grid.tile_shape(self.shape.row, col);
        let mut tile = Array2::<u32>::zeros((shape.rows as usize, shape.cols as usize));
        let offset = (col - self.shape.first_col) * self.shape.tile_size;
        let diagonal = self.shape.is_diagonal(col);
        for cell in &self.cells[range.clone()] {
            let (r, c) = (cell.row as usize, (cell.col - offset) as usize);
            tile[[r, c]] = cell.value;
            if diagonal {
                tile[[c, r]] = cell.value;
            }
        }
        Some(TileData::U32(tile))
    }

    /// Bytes the decoded group holds (for cache accounting).
    pub(crate) fn bytes(&self) -> usize {
        self.cells.len() * std::mem::size_of::<GroupCell>()
            + self.tiles.len() * std::mem::size_of::<(u32, Range<usize>, u32)>()
    }
}

/// The runs of cells per tile, checking a diagonal tile's cells lie on or above the diagonal.
fn tile_runs(shape: &GroupShape, cells: &[GroupCell]) -> Result<Vec<(u32, Range<usize>, u32)>, GroupError> {
    let mut tiles: Vec<(u32, Range<usize>, u32)> = Vec::new();
    for (at, cell) in cells.iter().enumerate() {
        let col = shape.first_col + cell.col / shape.tile_size;
        let local_col = cell.col % shape.tile_size;
        let diagonal = shape.is_diagonal(col);
        if diagonal && local_col < cell.row {
            return Err(GroupError::Stream { problem: "has a cell below the diagonal of a symmetric map" });
        }
        let weight = if diagonal && local_col != cell.row { 2 } else { 1 };
        match tiles.last_mut() {
            Some((last, range, nnz)) if *last == col => {
                range.end = at + 1;
                *nnz += weight;
            }
            _ => tiles.push((col, at..at + 1, weight)),
        }
    }
    Ok(tiles)
}

/// Gathers the tiles of one group as a writer stores them.
#[derive(Debug)]
pub(crate) struct GroupBuilder {
    shape: GroupShape,
    /// `(key, value)` of each stored cell.
    cells: Vec<(u64, u32)>,
    nnz: u32,
}

impl GroupBuilder {
    /// An empty group starting at `(row, first_col)`; its span grows as tiles are added.
    pub(crate) fn new(grid: &Grid, symmetric: bool, coord: (u32, u32)) -> Self {
        GroupBuilder { shape: GroupShape::new(grid, symmetric, coord, 1), cells: Vec::new(), nnz: 0 }
    }

    /// Non-zeros gathered (as tiles count them).
    pub(crate) fn nnz(&self) -> u32 {
        self.nnz
    }

    /// Adds tile `col` (after every tile added before) with its non-zero `cells` as
    /// `(row-major index in the tile, value)` for a tile `tile_cols` wide; a diagonal tile of a
    /// symmetric map gives both triangles (its lower one is dropped here).
    pub(crate) fn add(&mut self, grid: &Grid, col: u32, tile_cols: u32, cells: &[(u32, u32)]) {
        self.shape = GroupShape::new(grid, self.shape.symmetric, (self.shape.row, self.shape.first_col), {
            col - self.shape.first_col + 1
        });
        let rows = u64::from(self.shape.rows);
        let offset = u64::from(col - self.shape.first_col) * u64::from(self.shape.tile_size);
        let diagonal = self.shape.is_diagonal(col);
        let first = self.cells.len();
        for &(index, value) in cells {
            let (r, c) = (index / tile_cols, index % tile_cols);
            if diagonal && c < r {
                continue;
            }
            self.nnz += if diagonal && c != r { 2 } else { 1 };
            self.cells.push(((offset + u64::from(c)) * rows + u64::from(r), value));
        }
        // Row-major cells of one tile become column-major keys.
        self.cells[first..].sort_unstable_by_key(|&(key, _)| key);
    }

    /// The group's first tile and its record flags.
    pub(crate) fn coord_and_flags(&self) -> ((u32, u32), u16) {
        ((self.shape.row, self.shape.first_col), flags_for(self.shape.span))
    }

    /// The payload: one zstd frame at `level`.
    pub(crate) fn encode(&self, level: i32) -> std::io::Result<Vec<u8>> {
        let mut stream = Vec::with_capacity(self.cells.len() * 4 + 10);
        put_varint(&mut stream, self.cells.len() as u64)?;
        let mut next_key = 0;
        for &(key, _) in &self.cells {
            put_varint(&mut stream, key - next_key)?;
            next_key = key + 1;
        }
        for &(_, value) in &self.cells {
            put_varint(&mut stream, u64::from(value) - 1)?;
        }
        zstd::bulk::compress(&stream, level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid() -> Grid {
        Grid::new(100, 100, 16).unwrap()
    }

    /// A group of tiles 1, 2 and 4 of row 1 in a symmetric 100×100 map at 16 (tile 1 is diagonal).
    fn builder() -> GroupBuilder {
        let g = grid();
        let mut b = GroupBuilder::new(&g, true, (1, 1));
        // Diagonal tile: (0,0)=5, (0,3)=(3,0)=7, (2,2)=1.
        b.add(&g, 1, 16, &[(0, 5), (3, 7), (3 * 16, 7), (2 * 16 + 2, 1)]);
        b.add(&g, 2, 16, &[(16 * 15 + 15, 9)]);
        b.add(&g, 4, 16, &[(1, 3), (16, u32::MAX)]);
        b
    }

    #[test]
    fn a_group_round_trips_its_tiles_and_mirrors_its_diagonal_tile() {
        let b = builder();
        assert_eq!(b.nnz(), 4 + 1 + 2);
        let (coord, flags) = b.coord_and_flags();
        assert_eq!((coord, span_of(flags)), ((1, 1), Some(4)));
        let payload = b.encode(3).unwrap();
        let shape = GroupShape::new(&grid(), true, coord, 4);
        let group = GroupCells::decode(&payload, b.nnz(), shape).unwrap();
        assert_eq!(group.tiles().collect::<Vec<_>>(), [(1, 4), (2, 1), (4, 2)]);
        let TileData::U32(diagonal) = group.tile(&grid(), 1).unwrap() else { panic!() };
        assert_eq!((diagonal[[0, 0]], diagonal[[0, 3]], diagonal[[3, 0]], diagonal[[2, 2]]), (5, 7, 7, 1));
        assert_eq!(diagonal.iter().filter(|&&v| v != 0).count(), 4);
        let TileData::U32(far) = group.tile(&grid(), 4).unwrap() else { panic!() };
        assert_eq!((far[[0, 1]], far[[1, 0]]), (3, u32::MAX));
        assert!(group.tile(&grid(), 3).is_none());
    }

    #[test]
    fn flags_hold_the_span() {
        for span in [1, 2, 300, MAX_SPAN] {
            assert_eq!(span_of(flags_for(span)), Some(span));
        }
        assert_eq!(span_of(0), None);
        assert_eq!(span_of(2), None);
    }

    #[test]
    fn hostile_payloads_are_refused() {
        let b = builder();
        let payload = b.encode(3).unwrap();
        let shape = GroupShape::new(&grid(), true, (1, 1), 4);
        let decode = |bytes: &[u8], nnz| GroupCells::decode(bytes, nnz, shape).unwrap_err();
        assert!(matches!(decode(&payload, 6), GroupError::CountMismatch { counted: 7, recorded: 6 }));
        assert!(matches!(decode(&payload[..payload.len() - 3], 7), GroupError::Decompress { .. }));
        assert!(matches!(decode(b"not zstd", 7), GroupError::Decompress { .. }));
        let frame = |stream: &[u8]| zstd::bulk::compress(stream, 1).unwrap();
        // Two cells, then a key past the span (4 tiles × 16 columns × 16 rows = 1024 keys).
        let mut outside = vec![2];
        put_varint(&mut outside, 1024).unwrap();
        assert!(matches!(decode(&frame(&outside), 7), GroupError::Stream { .. }));
        // One cell below the diagonal of the diagonal tile (row 3, col 0 → key 3).
        assert!(matches!(decode(&frame(&[1, 3, 0]), 2), GroupError::Stream { .. }));
        // A value past u32.
        let mut big = vec![1, 0];
        put_varint(&mut big, u64::from(u32::MAX)).unwrap();
        assert!(matches!(decode(&frame(&big), 1), GroupError::Stream { .. }));
        // Trailing bytes, no cells, more cells than recorded, a stream cut short.
        assert!(matches!(decode(&frame(&[1, 0, 0, 0]), 1), GroupError::Stream { .. }));
        assert!(matches!(decode(&frame(&[0]), 1), GroupError::Stream { .. }));
        assert!(matches!(decode(&frame(&[3, 0, 0, 0, 0, 0, 0]), 2), GroupError::Stream { .. }));
        assert!(matches!(decode(&frame(&[2, 0]), 2), GroupError::Stream { .. }));
        // A frame of zeros expanding far past what its record allows.
        assert!(matches!(decode(&frame(&vec![0; 1 << 20]), 1), GroupError::Stream { .. }));
    }
}
