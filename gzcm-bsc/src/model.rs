//! Adaptive bit probabilities.
//!
//! Part of the payload format: encoder and decoder must update them identically.

/// Probability that the next bit is 1, learnt by a running average.
///
/// The rate starts at 1/1.5 and shrinks with every observation (a true mean
/// over the first few bits), down to a floor of 1/(LIMIT + 1.5): a context
/// seen a handful of times — common in small, sparse tiles — is already
/// useful, and a busy one still follows local changes of the BWT output.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Bit {
    p: u16,
    seen: u16,
}

/// Observation count at which the rate stops shrinking.
const LIMIT: usize = 40;

/// `RATE[n]` = 65536 / (n + 1.5): the averaging rate after n observations.
const RATE: [u32; LIMIT + 1] = {
    let mut t = [0u32; LIMIT + 1];
    let mut n = 0;
    while n <= LIMIT {
        t[n] = 65536 * 2 / (2 * n as u32 + 3);
        n += 1;
    }
    t
};

impl Bit {
    /// An even guess.
    pub(crate) const fn new() -> Self {
        Self { p: 1 << 15, seen: 0 }
    }

    /// P(1) scaled to 16 bits; forced odd so it is never 0 and both outcomes stay codable.
    #[inline(always)]
    pub(crate) fn p1(&self) -> u32 {
        u32::from(self.p) | 1
    }

    /// Learns from one observed bit (branch-free: the bit is hard to predict).
    #[inline(always)]
    pub(crate) fn update(&mut self, bit: u32) {
        let n = self.seen as usize;
        let rate = i64::from(RATE[n.min(LIMIT)]);
        let p = i64::from(self.p);
        let target = i64::from(bit) * 65535;
        // 64-bit product: (65535 · 43690) would overflow i32. The result
        // stays in 0..=65535 because the rate is below one.
        self.p = (p + (((target - p) * rate) >> 16)) as u16;
        self.seen = (n + 1).min(LIMIT) as u16;
    }
}

impl Default for Bit {
    fn default() -> Self {
        Self::new()
    }
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
        assert!(b.p1() < 65536 && b.p1() > 60000, "{}", b.p1());
        for _ in 0..10_000 {
            b.update(0);
        }
        assert!(b.p1() >= 1 && b.p1() < 1000);
    }
}
