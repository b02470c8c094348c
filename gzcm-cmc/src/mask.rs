//! Masks of all-zero rows and columns.
//!
//! Hi-C matrices have masked bins (unmappable regions) whose whole row and column are zero. Such a
//! line sits in the middle of large counts, where the context model would expect large values and
//! pay dearly for each zero; flagging it once is far cheaper, and its cells are then skipped.

use crate::arith::{BitIo, Prob};

/// Which rows and columns of a tile are entirely zero (`true` = empty, skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Masks {
    /// One flag per row.
    pub(crate) rows: Vec<bool>,
    /// One flag per column.
    pub(crate) cols: Vec<bool>,
}

impl Masks {
    /// Masks of a row-major tile.
    pub(crate) fn of(values: &[u32], rows: usize, cols: usize) -> Self {
        let mut row_empty = vec![true; rows];
        let mut col_empty = vec![true; cols];
        for (i, row) in values.chunks_exact(cols).enumerate() {
            for (j, &v) in row.iter().enumerate() {
                if v != 0 {
                    row_empty[i] = false;
                    col_empty[j] = false;
                }
            }
        }
        Self { rows: row_empty, cols: col_empty }
    }

    /// Empty masks (nothing skipped) for a shape, to be filled by a decoder.
    pub(crate) fn none(rows: usize, cols: usize) -> Self {
        Self { rows: vec![false; rows], cols: vec![false; cols] }
    }

    /// Whether cell `(row, col)` is known to be zero.
    #[inline]
    pub(crate) fn skips(&self, row: usize, col: usize) -> bool {
        self.rows[row] || self.cols[col]
    }

    /// Codes the masks; a symmetric tile shares one mask between rows and columns.
    pub(crate) fn code<I: BitIo>(&mut self, io: &mut I, symmetric: bool) {
        code_flags(io, &mut self.rows);
        if symmetric {
            self.cols.clone_from(&self.rows);
        } else {
            code_flags(io, &mut self.cols);
        }
    }
}

/// Codes a flag vector with the previous flag as context, which makes runs nearly free.
fn code_flags<I: BitIo>(io: &mut I, flags: &mut [bool]) {
    let mut probs = [Prob::default(); 2];
    let mut prev = false;
    for flag in flags {
        *flag = io.code(&mut probs[prev as usize], u32::from(*flag)) != 0;
        prev = *flag;
    }
}

/// Appends `flags` packed eight to a byte, first flag in the lowest bit.
pub(crate) fn pack_flags(flags: &[bool], out: &mut Vec<u8>) {
    for chunk in flags.chunks(8) {
        out.push(chunk.iter().enumerate().fold(0, |acc, (b, &f)| acc | (u8::from(f) << b)));
    }
}

/// Reads back what [`pack_flags`] wrote; `bytes` must hold `flags.len().div_ceil(8)` bytes.
pub(crate) fn unpack_flags(bytes: &[u8], flags: &mut [bool]) {
    for (i, flag) in flags.iter_mut().enumerate() {
        *flag = bytes[i / 8] >> (i % 8) & 1 != 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::{Decoder, Encoder};

    #[test]
    fn masks_find_empty_lines() {
        let tile = [0, 0, 0, 0, 1, 0];
        let masks = Masks::of(&tile, 2, 3);
        assert_eq!(masks.rows, [true, false]);
        assert_eq!(masks.cols, [true, false, true]);
        assert!(masks.skips(0, 1) && masks.skips(1, 0) && !masks.skips(1, 1));
    }

    #[test]
    fn coded_masks_round_trip() {
        let mut masks = Masks { rows: vec![false, true, true, false], cols: vec![true, false] };
        let mut out = Vec::new();
        let mut enc = Encoder::new(&mut out);
        masks.code(&mut enc, false);
        enc.finish();
        let mut back = Masks::none(4, 2);
        back.code(&mut Decoder::new(&out), false);
        assert_eq!(back, masks);
    }

    #[test]
    fn packed_flags_round_trip() {
        let flags: Vec<bool> = (0..19).map(|i| i % 3 == 0).collect();
        let mut bytes = Vec::new();
        pack_flags(&flags, &mut bytes);
        assert_eq!(bytes.len(), 3);
        let mut back = vec![false; 19];
        unpack_flags(&bytes, &mut back);
        assert_eq!(back, flags);
    }
}
