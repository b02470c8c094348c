//! Version 3's sparse list: a tile with few non-zero counts coded as the gaps between them and
//! their values, so decoding costs a few symbols per non-zero instead of a prediction per cell.
//!
//! The stored cells are walked in the same order as the cell walk (row-major; a symmetric
//! tile's upper triangle, mirrored on decode). The stream codes the number of non-zero cells,
//! then per non-zero cell the zero cells skipped since the previous one (its gap) and its count
//! less one.

use crate::error::RansError;
use crate::io::{AdaptiveTables, SideCoder, SymbolIo, code_uint};
use crate::rans::{Lanes, RansDecoder, RansEncoder};

/// Value contexts, by the gap before the count: adjacent non-zeros (0) are larger.
const VALUE_CONTEXTS: usize = 2;

/// The value context of a count that follows a gap of `gap` cells.
#[inline]
fn value_context(gap: u64) -> usize {
    usize::from(gap > 0)
}

/// The number of cells a tile's walk visits.
pub(crate) fn stored_cells(rows: usize, cols: usize, symmetric: bool) -> u64 {
    let (rows, cols) = (rows as u64, cols as u64);
    if symmetric { rows * (rows + 1) / 2 } else { rows * cols }
}

/// Bit length of `x`.
fn bit_length(x: u64) -> usize {
    (u64::BITS - x.leading_zeros()) as usize
}

/// The adaptive tables of one list.
struct ListTables {
    gaps: AdaptiveTables,
    values: AdaptiveTables,
}

impl ListTables {
    /// Fresh tables for `count` non-zero cells among `stored`: gap tables peaked at the length of
    /// the mean gap, value tables at 0 (a count of one).
    fn new(stored: u64, count: u64) -> Self {
        let mean_gap = stored / count.max(1);
        Self {
            gaps: AdaptiveTables::new(1, |_| bit_length(mean_gap)),
            values: AdaptiveTables::new(VALUE_CONTEXTS, |_| 0),
        }
    }

    /// Codes one entry (ignored when decoding); returns it.
    fn entry<I: SymbolIo>(&mut self, io: &mut I, gap: u64, value: u32) -> Result<(u64, u32), RansError> {
        let gap = code_uint(io, &mut self.gaps, 0, gap)?;
        let less_one =
            code_uint(io, &mut self.values, value_context(gap), u64::from(value.saturating_sub(1)))?;
        let value = u32::try_from(less_one + 1)
            .map_err(|_| RansError::Corrupt { reason: "decoded count outside 0..=u32::MAX" })?;
        Ok((gap, value))
    }
}

/// Cell positions in walk order.
struct Cursor {
    cols: usize,
    symmetric: bool,
    row: usize,
    col: usize,
}

impl Cursor {
    fn new(cols: usize, symmetric: bool) -> Self {
        Self { cols, symmetric, row: 0, col: 0 }
    }

    /// Moves `skip` stored cells on; `false` if that leaves a tile of `rows` rows.
    fn skip(&mut self, mut skip: u64, rows: usize) -> bool {
        while self.row < rows {
            let left_in_row = (self.cols - self.col) as u64;
            if skip < left_in_row {
                self.col += skip as usize;
                return true;
            }
            skip -= left_in_row;
            self.row += 1;
            self.col = if self.symmetric { self.row } else { 0 };
        }
        false
    }
}

/// The sparse-list stream of a tile (`symmetric`: its upper triangle only).
pub(crate) fn encode(values: &[u32], rows: usize, cols: usize, symmetric: bool) -> Vec<u8> {
    let walk = (0..rows).flat_map(|i| {
        let first = if symmetric { i } else { 0 };
        values[i * cols + first..(i + 1) * cols].iter().copied()
    });
    let entries = walk.enumerate().filter(|&(_, v)| v != 0).map(|(at, v)| (at as u64, v));
    encode_entries(stored_cells(rows, cols, symmetric), entries)
}

/// The walk position of cell `(row, col)` (`col >= row` when `symmetric`): its rank among the
/// stored cells in walk order.
pub(crate) fn walk_position(row: usize, col: usize, cols: usize, symmetric: bool) -> u64 {
    let (row, col, cols) = (row as u64, col as u64, cols as u64);
    if symmetric {
        // Rows above hold cols, cols - 1, …, cols - row + 1 stored cells.
        row * cols - row * row.saturating_sub(1) / 2 + (col - row)
    } else {
        row * cols + col
    }
}

/// The sparse-list stream of `stored` cells whose non-zero ones are `entries`: `(walk
/// position, count)`, positions strictly ascending below `stored`, counts non-zero.
pub(crate) fn encode_entries(stored: u64, entries: impl Iterator<Item = (u64, u32)> + Clone) -> Vec<u8> {
    let count = entries.clone().count() as u64;
    let mut enc = RansEncoder::default();
    let mut tables = ListTables::new(stored, count);
    let mut coded = SideCoder::new().signed(&mut enc, count as i64).map(|_| ());
    let mut next = 0u64;
    for (at, v) in entries {
        coded = coded.and_then(|()| tables.entry(&mut enc, at - next, v).map(|_| ()));
        next = at + 1;
    }
    debug_assert!(coded.is_ok(), "encoding cannot fail");
    let mut stream = Vec::with_capacity(enc.len() / 2 + 16);
    enc.finish_with(Lanes::One, &mut stream);
    stream
}

/// Decodes a sparse-list stream into `out` (zeroed by the caller), mirroring a symmetric tile.
pub(crate) fn decode(
    stream: &[u8],
    rows: usize,
    cols: usize,
    symmetric: bool,
    out: &mut [u32],
) -> Result<(), RansError> {
    let mut dec = RansDecoder::with_lanes(stream, Lanes::One)?;
    let stored = stored_cells(rows, cols, symmetric);
    let count = SideCoder::new().signed(&mut dec, 0)?;
    let count = u64::try_from(count)
        .ok()
        .filter(|&c| (1..=stored).contains(&c))
        .ok_or(RansError::Corrupt { reason: "sparse list count outside 1..=cells" })?;
    let mut tables = ListTables::new(stored, count);
    let mut cursor = Cursor::new(cols, symmetric);
    for n in 0..count {
        let (gap, value) = tables.entry(&mut dec, 0, 0)?;
        if !cursor.skip(gap, rows) {
            return Err(RansError::Corrupt { reason: "sparse list runs past the tile" });
        }
        let (i, j) = (cursor.row, cursor.col);
        out[i * cols + j] = value;
        if symmetric {
            out[j * cols + i] = value;
        }
        // The next entry's gap counts from the cell after this one.
        if n + 1 < count && !cursor.skip(1, rows) {
            return Err(RansError::Corrupt { reason: "sparse list runs past the tile" });
        }
    }
    dec.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(values: &[u32], rows: usize, cols: usize, symmetric: bool) {
        let stream = encode(values, rows, cols, symmetric);
        let mut out = vec![0; rows * cols];
        decode(&stream, rows, cols, symmetric, &mut out).unwrap();
        assert_eq!(out, values);
    }

    #[test]
    fn full_tiles_round_trip() {
        let (rows, cols) = (7, 5);
        let mut values = vec![0u32; rows * cols];
        values[0] = 1;
        values[6] = 9;
        values[7] = u32::MAX;
        values[rows * cols - 1] = 3;
        round_trip(&values, rows, cols, false);
        round_trip(&[4], 1, 1, false);
    }

    #[test]
    fn symmetric_tiles_round_trip() {
        let n = 6;
        let mut values = vec![0u32; n * n];
        for (i, j, v) in [(0, 0, 2), (1, 4, 7), (5, 5, 1), (2, 3, 100_000)] {
            values[i * n + j] = v;
            values[j * n + i] = v;
        }
        round_trip(&values, n, n, true);
    }

    #[test]
    fn walk_positions_count_the_stored_cells_before() {
        for (rows, cols, symmetric) in [(5, 5, true), (4, 7, false), (1, 1, true)] {
            let mut at = 0;
            for i in 0..rows {
                for j in if symmetric { i } else { 0 }..cols {
                    assert_eq!(walk_position(i, j, cols, symmetric), at, "({i}, {j}) of {rows}x{cols}");
                    at += 1;
                }
            }
            assert_eq!(at, stored_cells(rows, cols, symmetric));
        }
    }

    #[test]
    fn a_list_past_the_tile_is_corrupt() {
        let (rows, cols) = (3, 3);
        let mut values = vec![0u32; 9];
        values[8] = 1;
        let stream = encode(&values, rows, cols, false);
        let mut out = vec![0; 4];
        // The same stream read as a 2×2 tile skips past its last cell.
        assert!(matches!(decode(&stream, 2, 2, false, &mut out), Err(RansError::Corrupt { .. })));
    }
}
