//! Adaptive binary probabilities with a fine floor, for the zero flags of sparse cells.
//!
//! The multi-symbol tables of [`crate::cdf`] keep 15-bit boundaries and adapt at most at rate
//! 7, so an unseen symbol keeps about `2^-8` of the scale: a cell that is zero 999 times in 1000
//! would cost `0.006` bits at best and, with the estimator's noise at a 128-symbol memory, more.
//! A [`BitModel`] keeps its probability in 28-bit fixed point and slows its rate as it learns
//! (about `1 / (n + 2)` for the first symbols, a `2^-13` fraction after 4,094), so it follows
//! counts of rare events closely and reaches the `2^-15` limit of the rANS scale.

use crate::cdf::{PROB_BITS, TOTAL};

/// Fraction bits of a [`BitModel`]'s probability.
const P_BITS: u32 = 28;

/// The slowest adaptation rate (the estimator's memory is about `2^13` symbols).
const MAX_RATE: u32 = 13;

/// An adaptive probability that a binary event is `true`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BitModel {
    /// Probability of `true`, `P_BITS` fraction bits.
    p: u32,
    /// Events seen (saturating at the count where the slowest rate is reached).
    seen: u16,
}

impl BitModel {
    /// Even odds, adapting fast at first.
    pub(crate) const fn new() -> Self {
        Self { p: 1 << (P_BITS - 1), seen: 0 }
    }

    /// Frequency of `true` on the rANS scale (`1..TOTAL`; `false` owns the slots below
    /// `TOTAL - frequency`).
    #[inline]
    pub(crate) fn frequency(&self) -> u32 {
        (self.p >> (P_BITS - PROB_BITS)).clamp(1, TOTAL - 1)
    }

    /// `(start, frequency)` of `bit` on the rANS scale.
    #[inline]
    pub(crate) fn range(&self, bit: bool) -> (u32, u32) {
        let one = self.frequency();
        if bit { (TOTAL - one, one) } else { (0, TOTAL - one) }
    }

    /// Moves the probability towards `bit`.
    #[inline]
    pub(crate) fn update(&mut self, bit: bool) {
        let n = u32::from(self.seen) + 2;
        let rate = (u32::BITS - 1 - n.leading_zeros()).min(MAX_RATE);
        if bit {
            self.p += ((1 << P_BITS) - self.p) >> rate;
        } else {
            self.p -= self.p >> rate;
        }
        if u32::from(self.seen) + 2 < 1 << MAX_RATE {
            self.seen += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_events_reach_a_fine_probability() {
        let mut m = BitModel::new();
        for k in 0..100_000 {
            m.update(k % 1000 == 0);
        }
        let f = f64::from(m.frequency()) / f64::from(TOTAL);
        assert!((0.0005..0.002).contains(&f), "{f}");
        let mut never = BitModel::new();
        for _ in 0..100_000 {
            never.update(false);
        }
        assert_eq!(never.frequency(), 1);
        for _ in 0..100_000 {
            never.update(true);
        }
        assert_eq!(never.frequency(), TOTAL - 1);
    }

    #[test]
    fn ranges_tile_the_scale() {
        let mut m = BitModel::new();
        for k in 0..5000 {
            let (s0, f0) = m.range(false);
            let (s1, f1) = m.range(true);
            assert_eq!((s0, s0 + f0, s1 + f1), (0, s1, TOTAL));
            assert!(f0 >= 1 && f1 >= 1);
            m.update(k % 3 == 0);
        }
    }
}
