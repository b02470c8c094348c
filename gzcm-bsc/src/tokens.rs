//! Entropy model of the BWT output: runs of a repeated byte, then a new byte.
//!
//! The BWT output is cut into tokens `(z, s)`: `z >= 0` more copies of the
//! previous byte, then a byte `s` (different from it in a valid stream). The
//! last token may be a run alone: the decoder knows the block length and
//! stops when it is reached. "Previous byte" starts as 0.
//!
//! * A run is coded as `v = z + 1` in Elias-gamma style: `k` = bit length of
//!   `v` minus one in unary (`k` ones, then a zero; at most 31 ones), then
//!   the `k` bits of `v` below its leading one, most significant first.
//!   Unary bits use context (previous byte is 0, min(log2(previous run + 1),
//!   3)) and position; mantissa bits use (k, position).
//! * A byte is coded MSB first through a binary tree (node = 1, then
//!   node·2 + bit). Each node's probability is the mean of an order-0
//!   estimate (split by "the previous run was non-empty") and an order-1
//!   estimate (context: the previous byte's low nibble). BWT output of smooth
//!   count planes clusters similar values, which both learn quickly; no
//!   move-to-front is needed, and on noisy planes this beats MTF ranks.
//!
//! Every probability is a [`Bit`] starting at one half.

use crate::arith::BitIo;
use crate::model::Bit;

/// Longest unary prefix of a run: `z + 1` fits in 32 bits.
const MAX_RUN_BITS: usize = 32;
/// Run contexts: previous byte zero or not (2) × previous run bucket (4).
const RUN_CTX: usize = 8;
/// Order-1 contexts: the previous byte's low nibble. Measured on the shared
/// tiles against the full byte, its high nibble and its low 5 bits: the
/// full byte dilutes statistics over too many contexts for a 64 KiB plane.
const ORDER1_CTX: usize = 16;

/// All adaptive state of the token coder; identical on both sides.
pub(crate) struct TokenModel {
    run_len: [[Bit; MAX_RUN_BITS]; RUN_CTX],
    run_mantissa: [[Bit; MAX_RUN_BITS]; MAX_RUN_BITS],
    /// Order-0 byte tree, split by "a run came before" (2).
    order0: [[Bit; 256]; 2],
    /// Order-1 byte tree per previous byte's low nibble.
    order1: [[Bit; 256]; ORDER1_CTX],
    prev_run: u32,
}

/// Bit length minus one of a non-zero value.
#[inline(always)]
fn log2(v: u32) -> u32 {
    31 - v.leading_zeros()
}

impl TokenModel {
    /// Fresh state (every probability one half).
    pub(crate) fn new() -> Self {
        Self {
            run_len: [[Bit::new(); MAX_RUN_BITS]; RUN_CTX],
            run_mantissa: [[Bit::new(); MAX_RUN_BITS]; MAX_RUN_BITS],
            order0: [[Bit::new(); 256]; 2],
            order1: [[Bit::new(); 256]; ORDER1_CTX],
            prev_run: 0,
        }
    }

    /// Codes one run length `z` (copies of `prev`). Returns `None` only when a
    /// decoder meets a length prefix longer than any valid run (corrupt stream).
    #[inline(always)]
    pub(crate) fn run<I: BitIo>(&mut self, io: &mut I, prev: u8, z: u32) -> Option<u32> {
        let bucket = log2(self.prev_run.saturating_add(1)).min(3);
        let ctx = (usize::from(prev == 0) << 2) | bucket as usize;
        let probs = &mut self.run_len[ctx];
        let value = z.saturating_add(1); // encoder side: z < 2^31 always
        let k_enc = log2(value);
        let mut k = 0usize;
        loop {
            if k == MAX_RUN_BITS {
                return None;
            }
            if io.bit(&mut probs[k], u32::from((k as u32) < k_enc)) == 0 {
                break;
            }
            k += 1;
        }
        let mut v: u64 = 1;
        for (j, prob) in self.run_mantissa[k][..k].iter_mut().enumerate() {
            let bit = (value >> (k - 1 - j)) & 1;
            v = (v << 1) | u64::from(io.bit(prob, bit));
        }
        let z = u32::try_from(v - 1).ok()?;
        self.prev_run = z;
        Some(z)
    }

    /// Codes the byte `s` that follows a run of `prev`.
    #[inline]
    pub(crate) fn byte<I: BitIo>(&mut self, io: &mut I, prev: u8, s: u8) -> u8 {
        let o0 = &mut self.order0[usize::from(self.prev_run > 0)];
        let o1 = &mut self.order1[usize::from(prev) % ORDER1_CTX];
        let s = u32::from(s);
        let mut node = 1usize;
        for i in (0..8).rev() {
            let bit = io.bit2(&mut o0[node], &mut o1[node], (s >> i) & 1);
            node = (node << 1) | bit as usize;
        }
        (node - 256) as u8
    }
}
