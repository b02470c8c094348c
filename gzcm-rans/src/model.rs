//! A tile's expected-count model (side information) and the log-domain base it gives each cell.
//!
//! `base(i, j)` in Q12 log2 units is `decay[|j - i|]` (optional) plus a low-rank term
//! `Σ_f rows_f[i] · cols_f[j] · scale_f / 2^16`. The cell predictor then corrects the base with
//! the decoded neighbours' residuals (see `walk`).

use crate::cdf::Cdf;
use crate::error::RansError;
use crate::io::{SideCoder, SymbolIo};

/// Most low-rank factors a payload may carry.
pub(crate) const MAX_RANK: usize = 8;

/// Decoded neighbours the predictor weighs.
pub(crate) const NEIGHBOURS: usize = 9;

/// Predictor weights: one per neighbour, one for the base, one bias.
pub(crate) const WEIGHTS: usize = NEIGHBOURS + 2;

/// Q12 units of one step of the stored decay profile (1/16 of a doubling).
pub(crate) const DECAY_STEP: i64 = 256;

/// Bound on any base or residual in Q12 (2^8 doublings), so sums of products stay in `i64`.
pub(crate) const LOG_BOUND: i64 = 1 << 20;

/// One rank-one term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Factor {
    /// Q12 weight of a unit product, times `2^16`.
    pub(crate) scale: u32,
    /// One value per tile row.
    pub(crate) rows: Vec<i8>,
    /// One value per tile column.
    pub(crate) cols: Vec<i8>,
}

/// The side information of one tile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TileModel {
    /// Mean log count per distance from the main diagonal, in [`DECAY_STEP`]s, indexed by
    /// `|j - i|` (`max(rows, cols)` entries), or empty.
    pub(crate) decay: Vec<i32>,
    /// The low-rank terms.
    pub(crate) factors: Vec<Factor>,
    /// Predictor weights (Q12; the bias in Q24).
    pub(crate) weights: [i32; WEIGHTS],
}

impl TileModel {
    /// Codes the model; when decoding, `self` is overwritten (sizes come from `rows`, `cols`).
    pub(crate) fn code<I: SymbolIo>(
        &mut self,
        io: &mut I,
        rows: usize,
        cols: usize,
    ) -> Result<(), RansError> {
        // One adaptive table per kind of value: decay steps, factor values, scales and weights.
        let (mut decay_side, mut factor_side, mut weight_side) =
            (SideCoder::new(), SideCoder::new(), SideCoder::new());
        let mut flags = Cdf::<1>::uniform(2);
        let has_decay = io.symbol(&mut flags, usize::from(!self.decay.is_empty()))? == 1;
        let span = rows.max(cols);
        self.decay.resize(if has_decay { span } else { 0 }, 0);
        let mut prev = 0i64;
        for d in &mut self.decay {
            let delta = decay_side.signed(io, i64::from(*d) - prev)?;
            prev = (prev + delta).clamp(-LOG_BOUND, LOG_BOUND);
            *d = prev as i32;
        }
        let mut rank_cdf = Cdf::<MAX_RANK>::uniform(MAX_RANK + 1);
        let rank = io.symbol(&mut rank_cdf, self.factors.len())?;
        self.factors.resize(rank, Factor { scale: 0, rows: Vec::new(), cols: Vec::new() });
        for factor in &mut self.factors {
            let scale = weight_side.signed(io, i64::from(factor.scale))?;
            factor.scale = u32::try_from(scale)
                .map_err(|_| RansError::Corrupt { reason: "factor scale out of range" })?;
            for (values, len) in [(&mut factor.rows, rows), (&mut factor.cols, cols)] {
                values.resize(len, 0);
                let mut prev = 0i64;
                for v in values.iter_mut() {
                    let got = prev + factor_side.signed(io, i64::from(*v) - prev)?;
                    *v = i8::try_from(got)
                        .map_err(|_| RansError::Corrupt { reason: "factor value out of range" })?;
                    prev = got;
                }
            }
        }
        for w in &mut self.weights {
            let got = weight_side.signed(io, i64::from(*w))?;
            *w = i32::try_from(got)
                .map_err(|_| RansError::Corrupt { reason: "predictor weight out of range" })?;
        }
        Ok(())
    }

    /// The base of every cell, row-major, in Q12 (bounded by [`LOG_BOUND`]).
    pub(crate) fn base(&self, rows: usize, cols: usize) -> Vec<i32> {
        let mut out = vec![0i32; rows * cols];
        let mut acc = vec![0i64; cols];
        for (i, row) in out.chunks_exact_mut(cols).enumerate() {
            acc.fill(0);
            for f in &self.factors {
                let a = i64::from(f.rows[i]) * i64::from(f.scale);
                for (s, &b) in acc.iter_mut().zip(&f.cols) {
                    *s += a * i64::from(b);
                }
            }
            for (j, (cell, &s)) in row.iter_mut().zip(&acc).enumerate() {
                let decay = self.decay.get(i.abs_diff(j)).map_or(0, |&d| i64::from(d) * DECAY_STEP);
                *cell = ((s >> 16) + decay).clamp(-LOG_BOUND, LOG_BOUND) as i32;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rans::{RansDecoder, RansEncoder};

    #[test]
    fn models_round_trip() {
        let model = TileModel {
            decay: vec![300, 250, 251, -3],
            factors: vec![Factor { scale: 123_456, rows: vec![1, -2, 127], cols: vec![-128, 0, 5, 9] }],
            weights: [4096, -17, 0, 5, 1 << 20, -(1 << 30), 3, 3, 3, 4096, 1 << 24],
        };
        let mut enc = RansEncoder::default();
        model.clone().code(&mut enc, 3, 4).unwrap();
        let mut bytes = Vec::new();
        enc.finish(&mut bytes);
        let mut dec = RansDecoder::new(&bytes).unwrap();
        let mut back = TileModel { decay: Vec::new(), factors: Vec::new(), weights: [0; WEIGHTS] };
        back.code(&mut dec, 3, 4).unwrap();
        dec.finish().unwrap();
        assert_eq!(back, model);
        let base = back.base(3, 4);
        assert_eq!(base[0], ((123_456i64 * -128) >> 16) as i32 + 300 * 256);
    }
}
