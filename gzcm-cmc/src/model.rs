//! Context modelling of the bit-planes.
//!
//! A row's bit-planes are coded value by value, most significant plane first, so that each bit's
//! context can see (a) the full values of the already-coded neighbours and (b) the higher bits of
//! the value itself. Contexts:
//! - the **expected magnitude**: a weighted mean of the known neighbours on the same diagonal
//!   (same genomic distance) and on the previous one, quantised in half-bit steps of log2;
//! - the **plane index**, and whether the row's top plane is being coded;
//! - for bits after the value's leading one: that leading plane and the distance below it.
//!
//! While the value's higher bits are all zero, this amounts to coding its bit length adaptively
//! against the expected magnitude, which is where most of the information lies; the bits below
//! the leading one of a large count are close to uniform and cost about a bit each whatever the
//! model does.

use crate::arith::{BitIo, Prob};
use crate::error::CmcError;

/// Magnitude classes: 0 = nothing known, then two per power of two of `expected + 1`.
const CLASSES: usize = 2 * 33 + 1;
/// Planes of a u32.
const PLANES: usize = 32;
/// Distances below the leading one that get their own context (the rest share the last one).
const MANTISSA_DEPTH: usize = 3;
/// Plane counts are coded as a 6-bit binary tree.
const COUNT_TREE: usize = 64;

/// Neighbouring values already known when a cell is coded (`None` when outside the tile,
/// masked, or not yet visited).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Neighbours {
    /// Previous cell on the same diagonal.
    pub(crate) left: Option<u32>,
    /// The cell before that.
    pub(crate) left2: Option<u32>,
    /// The two cells of the previous diagonal touching this one (same row, same column).
    pub(crate) inner: [Option<u32>; 2],
}

impl Neighbours {
    /// The magnitude class of the cell these neighbours surround.
    pub(crate) fn class(&self) -> usize {
        // Same-distance neighbours are unbiased, the inner diagonal slightly overestimates (it is
        // one bin closer), so the same diagonal weighs more.
        let weighted = [
            (self.left, 3u64),
            (self.left2, 1),
            (self.inner[0], 2),
            (self.inner[1], 2),
        ];
        let (sum, weight) = weighted
            .iter()
            .filter_map(|&(v, w)| v.map(|v| (v as u64 * w, w)))
            .fold((0, 0), |(s, t), (v, w)| (s + v, t + w));
        if weight == 0 {
            return 0;
        }
        magnitude_class(sum / weight)
    }
}

/// Half-bit log2 class of `expected + 1`, from 1 up to `CLASSES - 1`.
fn magnitude_class(expected: u64) -> usize {
    let x = expected + 1;
    let log = 63 - x.leading_zeros() as usize;
    let half = if log > 0 {
        (x >> (log - 1)) as usize & 1
    } else {
        0
    };
    1 + 2 * log + half
}

/// All adaptive probabilities of one tile's coding.
#[derive(Debug)]
pub(crate) struct Model {
    /// Plane count of a row, given the previous row's count (33 = first row).
    counts: Vec<Prob>,
    /// Bits while the value's higher bits are all zero: [class][plane][is top plane].
    leading: Vec<Prob>,
    /// Bits below the leading one: [class][leading plane][distance below it].
    mantissa: Vec<Prob>,
}

impl Default for Model {
    fn default() -> Self {
        Self {
            counts: vec![Prob::default(); (PLANES + 2) * COUNT_TREE],
            leading: vec![Prob::default(); CLASSES * PLANES * 2],
            mantissa: vec![Prob::default(); CLASSES * PLANES * MANTISSA_DEPTH],
        }
    }
}

impl Model {
    /// Codes a row's plane count (0..=32) given the previous row's (`None` for the first row).
    pub(crate) fn code_count<I: BitIo>(
        &mut self,
        io: &mut I,
        previous: Option<u32>,
        count: u32,
    ) -> Result<u32, CmcError> {
        let base = previous.map_or(PLANES + 1, |p| p as usize) * COUNT_TREE;
        let mut node = 1;
        for b in (0..6).rev() {
            let bit = io.code(&mut self.counts[base + node], (count >> b) & 1);
            node = 2 * node + bit as usize;
        }
        let count = (node - COUNT_TREE) as u32;
        if count > PLANES as u32 {
            return Err(CmcError::Corrupt {
                reason: "row needs more than 32 bit-planes",
            });
        }
        Ok(count)
    }

    /// Codes `value` (decoders pass 0) as `planes` bits, most significant first, and returns it.
    pub(crate) fn code_value<I: BitIo>(
        &mut self,
        io: &mut I,
        class: usize,
        planes: u32,
        value: u32,
    ) -> u32 {
        let mut plane = planes;
        // Leading zeros until the first one (or plane 0).
        let lead = loop {
            if plane == 0 {
                return 0;
            }
            plane -= 1;
            let top = usize::from(plane + 1 == planes);
            let slot = (class * PLANES + plane as usize) * 2 + top;
            if io.code(&mut self.leading[slot], (value >> plane) & 1) != 0 {
                break plane as usize;
            }
        };
        let mut out = 1 << lead;
        let base = (class * PLANES + lead) * MANTISSA_DEPTH;
        for below in (0..plane).rev() {
            let depth = (lead - below as usize).min(MANTISSA_DEPTH) - 1;
            out |= io.code(&mut self.mantissa[base + depth], (value >> below) & 1) << below;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::{Decoder, Encoder};

    #[test]
    fn classes_grow_with_magnitude() {
        assert_eq!(Neighbours::default().class(), 0);
        let at = |v| {
            Neighbours {
                left: Some(v),
                ..Default::default()
            }
            .class()
        };
        assert!(at(0) < at(1) && at(1) < at(2) && at(2) < at(100));
        assert!(at(u32::MAX) < CLASSES);
    }

    #[test]
    fn values_and_counts_round_trip() {
        let values = [0, 1, 2, 3, 1000, u32::MAX, 1 << 31, 77];
        let mut out = Vec::new();
        let mut enc = Encoder::new(&mut out);
        let mut model = Model::default();
        for (i, &v) in values.iter().enumerate() {
            model.code_count(&mut enc, Some(i as u32), 32).unwrap();
            model.code_value(&mut enc, i % CLASSES, 32, v);
        }
        enc.finish();
        let mut dec = Decoder::new(&out);
        let mut model = Model::default();
        for (i, &v) in values.iter().enumerate() {
            assert_eq!(model.code_count(&mut dec, Some(i as u32), 0).unwrap(), 32);
            assert_eq!(model.code_value(&mut dec, i % CLASSES, 32, 0), v);
        }
    }
}
