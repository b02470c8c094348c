//! Static per-tile frequency tables (12-bit), decoded by one look-up per symbol.
//!
//! The encoder counts the symbols a tile's cells use, stores each table's frequencies in the
//! payload, and codes the cells under them; the decoder rebuilds a 4096-slot symbol table from
//! the frequencies. Frequencies are checked (they must sum to 4096, or be all zero for a table
//! no cell uses) before any look-up table is built.

use crate::error::RansError;
use crate::io::{SideCoder, SymbolIo};

/// Bits of a static table's scale.
pub(crate) const STATIC_BITS: u32 = 12;

/// A static table's total, `2^12`.
pub(crate) const STATIC_TOTAL: u32 = 1 << STATIC_BITS;

/// One static table over a small alphabet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StaticTable {
    /// Frequencies (sum [`STATIC_TOTAL`], or all zero when unused).
    freqs: Vec<u16>,
    /// `starts[s]`: the first slot of symbol `s` (`n + 1` entries).
    starts: Vec<u16>,
    /// The symbol of every slot (empty when unused or when one symbol takes every slot).
    lut: Vec<u8>,
    /// The symbol that takes every slot, if one does.
    single: Option<u8>,
}

impl StaticTable {
    /// The table for `counts` (scaled so every symbol seen keeps at least one slot).
    pub(crate) fn from_counts(counts: &[u32]) -> Self {
        let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
        let mut freqs = vec![0u16; counts.len()];
        if let Some(total) = std::num::NonZeroU64::new(total) {
            for (f, &c) in freqs.iter_mut().zip(counts) {
                if c > 0 {
                    *f = ((u64::from(c) * u64::from(STATIC_TOTAL)) / total).max(1) as u16;
                }
            }
            // Settle the rounding on the most frequent symbols, keeping every seen one >= 1.
            let mut sum: i64 = freqs.iter().map(|&f| i64::from(f)).sum();
            while sum != i64::from(STATIC_TOTAL) {
                let (k, _) =
                    freqs.iter().enumerate().max_by_key(|&(k, &f)| (f, usize::MAX - k)).unwrap_or((0, &0));
                if sum > i64::from(STATIC_TOTAL) {
                    let cut = (sum - i64::from(STATIC_TOTAL)).min(i64::from(freqs[k]) - 1).max(1);
                    freqs[k] -= cut as u16;
                    sum -= cut;
                } else {
                    freqs[k] += (i64::from(STATIC_TOTAL) - sum) as u16;
                    sum = i64::from(STATIC_TOTAL);
                }
            }
        }
        Self::from_freqs(freqs)
    }

    /// Builds the look-ups for checked frequencies.
    fn from_freqs(freqs: Vec<u16>) -> Self {
        let mut starts = Vec::with_capacity(freqs.len() + 1);
        let mut at = 0u16;
        starts.push(0);
        for &f in &freqs {
            at += f;
            starts.push(at);
        }
        let single = freqs.iter().position(|&f| u32::from(f) == STATIC_TOTAL).map(|s| s as u8);
        let mut lut = Vec::new();
        if single.is_none() && at > 0 {
            lut.resize(STATIC_TOTAL as usize, 0);
            for (s, &f) in freqs.iter().enumerate() {
                let from = usize::from(starts[s]);
                lut[from..from + usize::from(f)].fill(s as u8);
            }
        }
        Self { freqs, starts, lut, single }
    }

    /// An unused table of `n` symbols (what a decoder starts from).
    pub(crate) fn unused(n: usize) -> Self {
        Self::from_freqs(vec![0; n])
    }

    /// Codes the frequencies; decoding replaces `self` after checking them.
    pub(crate) fn code<I: SymbolIo>(&mut self, io: &mut I, side: &mut SideCoder) -> Result<(), RansError> {
        let mut freqs = self.freqs.clone();
        let mut sum = 0u32;
        for f in &mut freqs {
            let got = side.signed(io, i64::from(*f))?;
            *f = u16::try_from(got)
                .ok()
                .filter(|&f| u32::from(f) <= STATIC_TOTAL)
                .ok_or(RansError::Corrupt { reason: "static frequency out of range" })?;
            sum += u32::from(*f);
        }
        if sum != 0 && sum != STATIC_TOTAL {
            return Err(RansError::Corrupt { reason: "static frequencies do not sum to 4096" });
        }
        if freqs != self.freqs {
            *self = Self::from_freqs(freqs);
        }
        Ok(())
    }

    /// The symbol that takes every slot, if one does (it is then not coded at all).
    #[inline]
    pub(crate) fn single(&self) -> Option<usize> {
        self.single.map(usize::from)
    }

    /// `(start, frequency)` of symbol `s` on the 12-bit scale (frequency 0 if unused).
    #[inline]
    pub(crate) fn range(&self, s: usize) -> (u32, u32) {
        (u32::from(self.starts[s]), u32::from(self.freqs[s]))
    }

    /// The symbol of a 12-bit slot, or `None` for an unused table.
    #[inline]
    pub(crate) fn find(&self, slot: u32) -> Option<usize> {
        self.lut.get(slot as usize).map(|&s| usize::from(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_become_exact_frequencies() {
        for counts in
            [vec![1u32, 0, 0, 5000, 3], vec![7, 7, 7], vec![0, 9, 0], vec![1; 24], vec![u32::MAX, 1, 0]]
        {
            let t = StaticTable::from_counts(&counts);
            let sum: u32 = t.freqs.iter().map(|&f| u32::from(f)).sum();
            assert_eq!(sum, STATIC_TOTAL, "{counts:?}");
            for (f, c) in t.freqs.iter().zip(&counts) {
                assert_eq!(*f > 0, *c > 0, "{counts:?}");
            }
            if t.single().is_none() {
                for s in 0..counts.len() {
                    let (start, freq) = t.range(s);
                    for slot in start..start + freq {
                        assert_eq!(t.find(slot), Some(s));
                    }
                }
            }
        }
        assert_eq!(StaticTable::from_counts(&[0, 4, 0]).single(), Some(1));
        assert_eq!(StaticTable::unused(4).find(0), None);
    }

    #[test]
    fn stored_tables_round_trip_and_bad_sums_are_refused() {
        use crate::rans::{RansDecoder, RansEncoder};
        let good = StaticTable::from_counts(&[3, 0, 90, 7]);
        for (freqs, ok) in [
            (good.freqs.clone(), true),
            (vec![0, 0, 0, 0], true),
            (vec![1, 2, 3, 4], false),
            (vec![5000, 0, 0, 0], false),
        ] {
            let mut enc = RansEncoder::default();
            let mut side = SideCoder::new();
            for &f in &freqs {
                side.signed(&mut enc, i64::from(f)).unwrap();
            }
            let mut bytes = Vec::new();
            enc.finish(&mut bytes);
            let mut dec = RansDecoder::new(&bytes).unwrap();
            let mut back = StaticTable::unused(4);
            let result = back.code(&mut dec, &mut SideCoder::new());
            assert_eq!(result.is_ok(), ok, "{freqs:?}");
            if ok {
                assert_eq!(back.freqs, freqs);
            }
        }
    }
}
