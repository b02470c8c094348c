//! The cost model: every cell is predicted from its decoded neighbours and coded as a handful
//! of adaptive binary decisions under small contexts; the bits no context predicts go raw.
//!
//! For cell `(r, c)` the prediction is `p = W + N + 2·NW` (four times a weighted mean of the
//! left, upper and upper-left cells; the upper-left lies on the same diagonal, so it carries the
//! distance decay). Its context `k` is `p`'s magnitude at half-octave steps. A cell `v` is then:
//! a zero flag (context `k` and how many of `W, N, NW, NE` are non-zero); for `v > 0`, its bit
//! length `e` relative to the predicted length `g` (equal? up or down? then unary steps, each a
//! context); the two mantissa bits under the leading one (contexts `k`, `e` vs `g`, tree node);
//! the remaining `e − 3` bits raw.

use crate::bits::{BitReader, BitWriter};
use crate::range::{self, HALF};

/// Contexts of the prediction's magnitude: half-octaves of a 36-bit sum.
const MAGNITUDES: usize = 2 * 37;
/// Unary steps with their own context; farther steps share the last.
const STEPS: usize = 12;
/// Mantissa bits coded under a context; the rest are raw.
const MODELLED_MANTISSA: u32 = 2;

/// Where decisions and raw bits go (encoding) or come from (decoding): one walk serves both.
pub(crate) trait Coder {
    /// Codes `bit` (ignored when decoding) under `prob`; returns the bit.
    fn bit(&mut self, prob: &mut u16, bit: bool) -> bool;
    /// Codes the low `n` bits of `value` (ignored when decoding) raw; returns them.
    fn raw(&mut self, value: u32, n: u32) -> u32;
}

/// Encoding side of [`Coder`].
pub(crate) struct Encoding<'a> {
    pub(crate) range: range::Encoder<'a>,
    pub(crate) raw: BitWriter,
}

impl Coder for Encoding<'_> {
    #[inline]
    fn bit(&mut self, prob: &mut u16, bit: bool) -> bool {
        self.range.encode(prob, bit);
        bit
    }

    #[inline]
    fn raw(&mut self, value: u32, n: u32) -> u32 {
        let value = if n == 32 { value } else { value & ((1 << n) - 1) };
        self.raw.put(value, n);
        value
    }
}

/// Decoding side of [`Coder`].
pub(crate) struct Decoding<'a> {
    pub(crate) range: range::Decoder<'a>,
    pub(crate) raw: BitReader<'a>,
}

impl Coder for Decoding<'_> {
    #[inline]
    fn bit(&mut self, prob: &mut u16, _: bool) -> bool {
        self.range.decode(prob)
    }

    #[inline]
    fn raw(&mut self, _: u32, n: u32) -> u32 {
        self.raw.get(n)
    }
}

/// The adaptive probabilities of one tile.
pub(crate) struct Model {
    zero: [[u16; 5]; MAGNITUDES],
    same: [u16; MAGNITUDES],
    up: [u16; MAGNITUDES],
    step_up: [[u16; STEPS]; MAGNITUDES],
    step_down: [[u16; STEPS]; MAGNITUDES],
    mantissa: [[[u16; 4]; 3]; MAGNITUDES],
}

impl Model {
    pub(crate) fn new() -> Self {
        Model {
            zero: [[HALF; 5]; MAGNITUDES],
            same: [HALF; MAGNITUDES],
            up: [HALF; MAGNITUDES],
            step_up: [[HALF; STEPS]; MAGNITUDES],
            step_down: [[HALF; STEPS]; MAGNITUDES],
            mantissa: [[[HALF; 4]; 3]; MAGNITUDES],
        }
    }

    /// Codes one cell given its neighbours `[W, N, NW, NE]`; returns the cell.
    #[inline]
    pub(crate) fn cell<C: Coder>(&mut self, coder: &mut C, neighbours: [u32; 4], value: u32) -> u32 {
        let [w, n, nw, ne] = neighbours;
        let sum = u64::from(w) + u64::from(n) + 2 * u64::from(nw);
        let k = magnitude(sum);
        let nonzero = usize::from(w != 0) + usize::from(n != 0) + usize::from(nw != 0) + usize::from(ne != 0);
        if !coder.bit(&mut self.zero[k][nonzero], value != 0) {
            return 0;
        }
        let guess = bit_length((sum + 2) / 4).max(1);
        let e = self.length(coder, k, guess, bit_length(u64::from(value)));
        let side = usize::from(e >= guess) + usize::from(e > guess);
        let mut node = 1usize;
        let mut mantissa = 0u32;
        let modelled = (e - 1).min(MODELLED_MANTISSA);
        for at in (0..modelled).rev() {
            let shift = e - 1 - (modelled - at);
            let bit = coder.bit(&mut self.mantissa[k][side][node], (value >> shift) & 1 == 1);
            node = 2 * node + usize::from(bit);
            mantissa = (mantissa << 1) | u32::from(bit);
        }
        let rest = e - 1 - modelled;
        let low = coder.raw(value, rest);
        (1u32 << (e - 1)) | (mantissa << rest) | low
    }

    /// Codes the bit length `e` (1..=32) of a non-zero cell against the guess `g`.
    #[inline]
    fn length<C: Coder>(&mut self, coder: &mut C, k: usize, g: u32, e: u32) -> u32 {
        if coder.bit(&mut self.same[k], e == g) {
            return g;
        }
        let up = match g {
            1 => true,
            32 => false,
            _ => coder.bit(&mut self.up[k], e > g),
        };
        if up {
            let mut s = g + 1;
            while s < 32 && !coder.bit(&mut self.step_up[k][((s - g - 1) as usize).min(STEPS - 1)], e == s) {
                s += 1;
            }
            s
        } else {
            let mut s = g - 1;
            while s > 1 && !coder.bit(&mut self.step_down[k][((g - s - 1) as usize).min(STEPS - 1)], e == s) {
                s -= 1;
            }
            s
        }
    }
}

/// Half-octave magnitude of a prediction sum: 0 for 0, else `2·bit_length + next bit`.
#[inline]
fn magnitude(sum: u64) -> usize {
    if sum < 2 {
        return sum as usize;
    }
    let len = bit_length(sum);
    let next = (sum >> (len - 2)) & 1;
    ((2 * len as u64 + next) as usize - 2).min(MAGNITUDES - 1)
}

/// Bits needed for `v` (0 for 0).
#[inline]
fn bit_length(v: u64) -> u32 {
    64 - v.leading_zeros()
}
