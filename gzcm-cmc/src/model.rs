//! Context modelling of the bit-planes.
//!
//! A row's bit-planes are coded value by value, most significant plane first, so each bit's
//! context can use an estimate of the whole value (from [`crate::predict`]) and the value's
//! higher bits. Each bit halves the interval `[known, known + 2^(plane+1))` the value lies in;
//! what predicts it is where the estimate sits relative to the midpoint, measured in units of the
//! half-width, and how wide the estimate's spread is against that half-width. Three models see
//! this at different resolutions or with a second opinion on the estimate, and a logistic mixer
//! combines them. Once the spread dwarfs the half-width the remaining bits are noise and go raw.
//!
//! While the value's higher bits are all zero this amounts to coding its bit length against the
//! expected magnitude; the plane count of the row (coded first) bounds it.

use crate::arith::{BitIo, Prob};
use crate::error::CmcError;
use crate::mix::Mixer;

/// Planes of a u32.
const PLANES: usize = 32;
/// Plane counts are coded as a 6-bit binary tree.
const COUNT_TREE: usize = 64;
/// Fixed-point fraction bits of the expected value and its spread.
const FRAC: u32 = 4;
/// Position of the expectation within the current interval, in quarter half-widths, clamped.
const OFFSET_BINS: i64 = 8;
/// Spread relative to the current plane, in half-bit log2 steps, clamped to this range.
const SPREAD_MIN: i32 = -6;
/// Upper end of the spread range; above it the bits are noise and are coded raw.
const SPREAD_MAX: i32 = 2;
/// Spread classes.
const SPREADS: usize = (SPREAD_MAX - SPREAD_MIN + 1) as usize;
/// Contexts of value bits: offset × spread × plane (0, 1, 2+) × value-so-far is zero.
const BIT_CONTEXTS: usize = (2 * OFFSET_BINS as usize) * SPREADS * 3 * 2;
/// Finer offsets (eighths of the half-width) for the third model.
const FINE_BINS: i64 = 16;
/// Contexts of the third model: fine offset × exact plane × value-so-far is zero.
const FINE_CONTEXTS: usize = (2 * FINE_BINS as usize) * PLANES * 2;

/// What the neighbours say about a value: its expectation and spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Estimate {
    /// Expected value, `x 2^FRAC`.
    expected: u64,
    /// log2 of the spread (`x 2^FRAC`) in half-bit steps.
    spread: i32,
    /// A second opinion on the expected value (`x 2^FRAC`), for the second model.
    alternative: u64,
}

impl Estimate {
    /// An estimate of `expected` give or take `spread` (both non-negative), with a second
    /// opinion `alternative` on the expected value.
    pub(crate) fn new(expected: f64, spread: f64, alternative: f64) -> Self {
        let spread = (fixed(spread)).max(1 << (FRAC - 1));
        Self { expected: fixed(expected), spread: half_log2(spread), alternative: fixed(alternative) }
    }
}

/// `x · 2^FRAC` as an integer; casts saturate, and anything past 2^36 is beyond any u32 anyway.
fn fixed(x: f64) -> u64 {
    (x * (1u64 << FRAC) as f64).min((1u64 << 40) as f64) as u64
}

/// Where `expected` sits relative to the midpoint `mid` of the current interval, in units of
/// `half-width / 2^fraction`, clamped to `±bins`.
#[inline]
fn offset(expected: u64, mid: u64, plane: u32, fraction: u32, bins: i64) -> usize {
    let steps = (expected as i64 - mid as i64) >> (plane + FRAC - fraction);
    (steps.clamp(-bins, bins - 1) + bins) as usize
}

/// `2 log2(x)` rounded down (x >= 1).
fn half_log2(x: u64) -> i32 {
    let log = 63 - x.leading_zeros() as i32;
    let half = if log > 0 { (x >> (log - 1)) as i32 & 1 } else { 0 };
    2 * log + half
}

/// All adaptive probabilities of one tile's coding.
#[derive(Debug)]
pub(crate) struct Model {
    /// Plane count of a row, given the previous row's count (33 = first row).
    counts: Vec<Prob>,
    /// Value bits, see [`Model::code_value`]: contexts from the estimate, from the second
    /// opinion, and from a fine offset with the exact plane; mixed by `mixer`.
    bits: Vec<Prob>,
    second: Vec<Prob>,
    fine: Vec<Prob>,
    mixer: Mixer,
}

impl Default for Model {
    fn default() -> Self {
        Self {
            counts: vec![Prob::default(); (PLANES + 2) * COUNT_TREE],
            bits: vec![Prob::default(); BIT_CONTEXTS],
            second: vec![Prob::default(); BIT_CONTEXTS],
            fine: vec![Prob::default(); FINE_CONTEXTS],
            mixer: Mixer::new(SPREADS * 2),
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
            return Err(CmcError::Corrupt { reason: "row needs more than 32 bit-planes" });
        }
        Ok(count)
    }

    /// Codes `value` (decoders pass 0) as `planes` bits, most significant first, and returns it.
    ///
    /// Each bit halves the interval the value is known to lie in; its context is where the
    /// expectation sits relative to the interval's midpoint (in units of the half-width) and how
    /// wide the expected spread is against that half-width. Once the spread dwarfs the half-width,
    /// the remaining bits are noise and go raw.
    pub(crate) fn code_value<I: BitIo>(
        &mut self,
        io: &mut I,
        estimate: Option<Estimate>,
        planes: u32,
        value: u32,
    ) -> u32 {
        let est = estimate.unwrap_or_else(|| blind_estimate(planes));
        let mut known = 0u32;
        for plane in (0..planes).rev() {
            let spread = est.spread - 2 * (plane + FRAC) as i32;
            if spread > SPREAD_MAX {
                return known | io.raw_wide(value, plane + 1);
            }
            let mid = ((known as u64) << FRAC) + (1u64 << (plane + FRAC));
            let zero = usize::from(known == 0);
            let spread = (spread.max(SPREAD_MIN) - SPREAD_MIN) as usize;
            let tail = (spread * 3 + plane.min(2) as usize) * 2 + zero;
            let first = offset(est.expected, mid, plane, 2, OFFSET_BINS) * SPREADS * 6 + tail;
            let second = offset(est.alternative, mid, plane, 2, OFFSET_BINS) * SPREADS * 6 + tail;
            let fine = (offset(est.expected, mid, plane, 3, FINE_BINS) * PLANES + plane as usize) * 2 + zero;
            let probs = [self.bits[first].p1(), self.second[second].p1(), self.fine[fine].p1()];
            let p = self.mixer.mix(probs, spread * 2 + zero);
            let bit = io.code_p(p, (value >> plane) & 1);
            self.bits[first].update(bit);
            self.second[second].update(bit);
            self.fine[fine].update(bit);
            self.mixer.update(bit);
            known |= bit << plane;
        }
        known
    }
}

/// Estimate for a cell with no known neighbour: somewhere in the row's top plane, very unsure.
fn blind_estimate(planes: u32) -> Estimate {
    let expected = (1u64 << planes) << FRAC >> 1;
    Estimate { expected, spread: half_log2(expected.max(1)), alternative: expected }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::{Decoder, Encoder};

    #[test]
    fn estimates_are_fixed_point() {
        let est = Estimate::new(18.0, 4.0, 1.0);
        assert_eq!(est.expected, 18 << FRAC);
        assert_eq!(est.spread, half_log2(4 << FRAC));
        assert!(Estimate::new(1e30, 1e30, 0.0).expected <= 1 << 40);
    }

    fn estimate(i: usize) -> Option<Estimate> {
        Some(Estimate::new((1u64 << i) as f64, 1.0, 3.0))
    }

    #[test]
    fn values_and_counts_round_trip() {
        let values = [0, 1, 2, 3, 1000, u32::MAX, 1 << 31, 77];
        let mut out = Vec::new();
        let mut enc = Encoder::new(&mut out);
        let mut model = Model::default();
        for (i, &v) in values.iter().enumerate() {
            model.code_count(&mut enc, Some(i as u32), 32).unwrap();
            model.code_value(&mut enc, estimate(i), 32, v);
        }
        enc.finish();
        let mut dec = Decoder::new(&out);
        let mut model = Model::default();
        for (i, &v) in values.iter().enumerate() {
            assert_eq!(model.code_count(&mut dec, Some(i as u32), 0).unwrap(), 32);
            assert_eq!(model.code_value(&mut dec, estimate(i), 32, 0), v);
        }
    }
}
