//! Entropy model of the MTF rank stream: zero runs and non-zero ranks.
//!
//! The stream is cut into tokens `(z, r)`: a run of `z >= 0` zero ranks, then
//! one rank `r` in 1..=255. (The last token may be a run alone: the decoder
//! knows the block length and stops when it is reached.) Because a run is
//! always followed by a non-zero rank, "is the next rank zero" is never coded
//! twice.
//!
//! * A run is coded as `z + 1 = 1·m` in Elias-gamma style: the bit length `k`
//!   of `z + 1` minus one in unary, then the `k` mantissa bits.
//! * A rank is coded as its bit length minus one `b` (0..=7) in unary, then
//!   its `b` low bits through a context tree per bucket.
//!
//! Every decision has its own adaptive [`Bit`], chosen by a small context:
//! the previous rank's bucket and whether (and how long) a run preceded.

use crate::arith::BitIo;
use crate::model::{Bit, code_tree};

/// Longest unary prefix of a run: `z + 1` fits in 32 bits.
const MAX_RUN_BITS: usize = 32;
/// Run contexts: previous rank bucket (4) × previous run present (2).
const RUN_CTX: usize = 8;
/// Rank contexts: run-length bucket before it (5) × previous rank bucket (4).
const RANK_CTX: usize = 20;

/// All adaptive state of the rank coder; identical on both sides.
pub(crate) struct RankModel {
    run_len: [[Bit; MAX_RUN_BITS]; RUN_CTX],
    run_mantissa: [[Bit; MAX_RUN_BITS]; MAX_RUN_BITS],
    rank_len: [[Bit; 8]; RANK_CTX],
    rank_tree: Box<[[[Bit; 128]; 8]; RANK_CTX]>,
    prev_rank: u32,
    prev_run: u32,
}

/// Bit length minus one of a non-zero value.
#[inline(always)]
fn log2(v: u32) -> u32 {
    31 - v.leading_zeros()
}

impl RankModel {
    /// Fresh state (every probability one half).
    pub(crate) fn new() -> Self {
        Self {
            run_len: [[Bit::new(); MAX_RUN_BITS]; RUN_CTX],
            run_mantissa: [[Bit::new(); MAX_RUN_BITS]; MAX_RUN_BITS],
            rank_len: [[Bit::new(); 8]; RANK_CTX],
            rank_tree: Box::new([[[Bit::new(); 128]; 8]; RANK_CTX]),
            prev_rank: 1,
            prev_run: 0,
        }
    }

    /// Codes one zero-run length. Returns `None` only when a decoder meets a
    /// length prefix longer than any valid run (a corrupt stream).
    #[inline]
    pub(crate) fn run<I: BitIo>(&mut self, io: &mut I, z: u32) -> Option<u32> {
        let ctx = (log2(self.prev_rank).min(3) * 2 + u32::from(self.prev_run > 0)) as usize;
        let probs = &mut self.run_len[ctx];
        let value = z.wrapping_add(1); // encoder only: z < 2^32 - 1 always
        let k_enc = if value == 0 { 0 } else { log2(value) };
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
        let mant = &mut self.run_mantissa[k];
        let mut v: u64 = 1;
        for (j, prob) in mant[..k].iter_mut().enumerate() {
            let bit = (value >> (k - 1 - j)) & 1;
            v = (v << 1) | u64::from(io.bit(prob, bit));
        }
        let z = u32::try_from(v - 1).ok()?;
        self.prev_run = z;
        Some(z)
    }

    /// Codes one non-zero rank (1..=255).
    #[inline]
    pub(crate) fn rank<I: BitIo>(&mut self, io: &mut I, r: u8) -> u8 {
        let run_bucket = if self.prev_run == 0 { 0 } else { 1 + log2(self.prev_run).min(3) };
        let ctx = (run_bucket * 4 + log2(self.prev_rank).min(3)) as usize;
        let b_enc = log2(u32::from(r.max(1)));
        let probs = &mut self.rank_len[ctx];
        let mut b = 0u32;
        while b < 7 && io.bit(&mut probs[b as usize], u32::from(b < b_enc)) != 0 {
            b += 1;
        }
        let tree = &mut self.rank_tree[ctx][b as usize];
        let low = code_tree(io, tree, b, u32::from(r));
        let r = (1u32 << b) | low;
        self.prev_rank = r;
        r as u8
    }
}
