//! Encoder side: ideal code lengths, so the encoder compares its model choices without coding
//! each of them (rANS codes within a few bytes of the ideal length; producing the bytes, a
//! division per symbol in reverse order, was a large part of every trial).
//!
//! Lengths are in Q12 bits, from the integer logarithm of `crate::fixed`.

use crate::bit::BitModel;
use crate::cdf::{Cdf, PROB_BITS};
use crate::error::RansError;
use crate::fixed::{ONE, log2_q12};
use crate::io::{AdaptiveTables, CountingTables, IntTables, StaticTables, SymbolIo};
use crate::table::{STATIC_BITS, StaticTable};

/// Q12 bits of a symbol owning `freq` slots of a `2^scale_bits` scale.
#[inline]
fn length(freq: u32, scale_bits: u32) -> u64 {
    (i64::from(scale_bits) * i64::from(ONE) - i64::from(log2_q12(u64::from(freq)))).max(0) as u64
}

/// Bytes of a stream of `bits` (Q12) ideal bits with `states` four-byte rANS states.
pub(crate) fn bytes(bits: u64, states: usize) -> usize {
    usize::try_from(bits.div_ceil(8 * ONE as u64)).unwrap_or(usize::MAX).saturating_add(4 * states)
}

/// A symbol sink that adapts the tables as the encoder does and adds up what each symbol
/// would cost.
#[derive(Debug, Default)]
pub(crate) struct CostIo {
    /// Q12 bits so far.
    pub(crate) bits: u64,
}

impl SymbolIo for CostIo {
    #[inline]
    fn symbol<const N: usize>(&mut self, cdf: &mut Cdf<N>, s: usize) -> Result<usize, RansError> {
        self.bits += length(cdf.range(s).1, PROB_BITS);
        cdf.update(s);
        Ok(s)
    }

    #[inline]
    fn fixed(&mut self, table: &StaticTable, s: usize) -> Result<usize, RansError> {
        if table.single().is_none() {
            self.bits += length(table.range(s).1, STATIC_BITS);
        }
        Ok(s)
    }

    #[inline]
    fn raw(&mut self, bits: u32, value: u32) -> Result<u32, RansError> {
        self.bits += u64::from(bits) * ONE as u64;
        Ok(value)
    }

    #[inline]
    fn bit(&mut self, model: &mut BitModel, bit: bool) -> Result<bool, RansError> {
        self.bits += length(model.range(bit).1, PROB_BITS);
        model.update(bit);
        Ok(bit)
    }
}

/// The cells' integer tables during a trial: adaptive tables, priced on their own (so the
/// static alternative can replace exactly their part of the cost), and the counts that size
/// the static tables of the same walk. Only for [`CostIo`] walks: the sink they are handed is
/// not used.
#[derive(Debug)]
pub(crate) struct TrialTables {
    adaptive: AdaptiveTables,
    /// Every symbol the cells used.
    pub(crate) counts: CountingTables,
    /// Q12 bits of those symbols under the adaptive tables.
    priced: CostIo,
}

impl TrialTables {
    /// Fresh tables: `adaptive` as the walk starts them, zero counts over `contexts`.
    pub(crate) fn new(adaptive: AdaptiveTables, contexts: usize) -> Self {
        Self { adaptive, counts: CountingTables::new(contexts), priced: CostIo::default() }
    }

    /// Q12 bits of the cells' symbols under the adaptive tables.
    pub(crate) fn adaptive_bits(&self) -> u64 {
        self.priced.bits
    }

    /// The static tables of the counted symbols, and the Q12 bits of storing them plus of the
    /// symbols under them.
    pub(crate) fn static_bits(&self) -> (StaticTables, u64) {
        let mut tables = self.counts.tables();
        let mut stored = CostIo::default();
        let coded = tables.code(&mut stored);
        debug_assert!(coded.is_ok(), "pricing cannot fail");
        let symbols = self.counts.priced(&tables, |freq| length(freq, STATIC_BITS));
        (tables, stored.bits + symbols)
    }
}

impl IntTables for TrialTables {
    #[inline]
    fn length<I: SymbolIo>(&mut self, _io: &mut I, ctx: usize, s: usize) -> Result<usize, RansError> {
        self.counts.length(&mut self.priced, ctx, s)?;
        self.adaptive.length(&mut self.priced, ctx, s)
    }

    #[inline]
    fn mantissa<I: SymbolIo>(&mut self, _io: &mut I, e: usize, s: usize) -> Result<usize, RansError> {
        self.counts.mantissa(&mut self.priced, e, s)?;
        self.adaptive.mantissa(&mut self.priced, e, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rans::RansEncoder;

    #[test]
    fn priced_lengths_match_coded_ones() {
        let mut state = 0x2545_f491_u32;
        let mut cdfs = [Cdf::<24>::peaked(24, 3), Cdf::<24>::uniform(24)];
        let mut bits = [BitModel::new(), BitModel::new()];
        let (mut enc, mut cost) = (RansEncoder::default(), CostIo::default());
        let (mut cdfs2, mut bits2) = (cdfs.clone(), bits);
        for k in 0..20_000usize {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let s = (state % 7) as usize * (k % 2 + 1);
            enc.symbol(&mut cdfs[k % 2], s).unwrap();
            cost.symbol(&mut cdfs2[k % 2], s).unwrap();
            enc.bit(&mut bits[k % 2], state.is_multiple_of(13)).unwrap();
            cost.bit(&mut bits2[k % 2], state.is_multiple_of(13)).unwrap();
            enc.raw(5, state & 31).unwrap();
            cost.raw(5, state & 31).unwrap();
        }
        let mut out = Vec::new();
        enc.finish(&mut out);
        let estimate = bytes(cost.bits, 2);
        let actual = out.len();
        assert!(estimate.abs_diff(actual) * 1000 <= actual, "estimate {estimate}, coded {actual}");
    }
}
