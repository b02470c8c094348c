//! Adaptive bit probabilities and the binarisations built on them.

use crate::arith::BitIo;

/// Probability that the next bit is 1, learnt at two speeds.
///
/// A fast estimate follows local changes of the BWT output; a slow one keeps
/// the long-run rate. Their mean beats either alone at little cost.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bit {
    fast: u16,
    slow: u16,
}

/// Adaptation shift of the fast estimate.
const FAST: u32 = 4;
/// Adaptation shift of the slow estimate.
const SLOW: u32 = 7;

impl Bit {
    /// An even guess.
    pub(crate) const fn new() -> Self {
        Self { fast: 1 << 15, slow: 1 << 15 }
    }

    /// P(1) scaled to 16 bits; always within 1..=65535 so both outcomes stay codable.
    #[inline(always)]
    pub(crate) fn p1(&self) -> u32 {
        (u32::from(self.fast) + u32::from(self.slow)) >> 1
    }

    /// Learns from one observed bit.
    #[inline(always)]
    pub(crate) fn update(&mut self, bit: u32) {
        if bit != 0 {
            self.fast += (65535 - self.fast) >> FAST;
            self.slow += (65535 - self.slow) >> SLOW;
        } else {
            self.fast -= self.fast >> FAST;
            self.slow -= self.slow >> SLOW;
        }
    }
}

impl Default for Bit {
    fn default() -> Self {
        Self::new()
    }
}

/// Codes the `nbits` low bits of `value`, most significant first, through a
/// binary tree of contexts: `probs` needs `1 << nbits` entries (index 0 unused).
#[inline]
pub(crate) fn code_tree<I: BitIo>(io: &mut I, probs: &mut [Bit], nbits: u32, value: u32) -> u32 {
    let mut node = 1usize;
    for i in (0..nbits).rev() {
        let bit = io.bit(&mut probs[node], (value >> i) & 1);
        node = (node << 1) | bit as usize;
    }
    (node - (1 << nbits)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probability_stays_codable() {
        let mut b = Bit::new();
        for _ in 0..10_000 {
            b.update(1);
        }
        assert!(b.p1() < 65536 && b.p1() > 60000);
        for _ in 0..10_000 {
            b.update(0);
        }
        assert!(b.p1() >= 1 && b.p1() < 1000);
    }
}
