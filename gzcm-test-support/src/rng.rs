//! The one seeded generator of the tests: SplitMix64, so test data needs no extra crates.

/// A small deterministic generator (SplitMix64): seeded test data without extra crates.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// The generator seeded with `seed`.
    #[must_use]
    pub const fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    #[expect(clippy::cast_precision_loss, reason = "53 bits are exact in an f64")]
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (`0` for `n == 0`; the modulo bias is irrelevant for tests).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// `len` random bytes.
    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64().to_le_bytes()[0]).collect()
    }

    /// A Poisson-like count of mean `mean`: Knuth's method below 30, a rounded normal above
    /// (exact enough for test data, and bounded in time for any mean).
    pub fn poisson(&mut self, mean: f64) -> u32 {
        if mean < 30.0 {
            let limit = (-mean).exp();
            let (mut k, mut p) = (0u32, 1.0);
            loop {
                p *= self.unit();
                if p <= limit {
                    return k;
                }
                k += 1;
            }
        }
        let (u, v) = (self.unit().max(1e-12), self.unit());
        let normal = (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos();
        (mean + normal * mean.sqrt()).round().max(0.0) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // SplitMix64 seeded with 0: the first outputs of the reference implementation.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        let mut rng = SplitMix64::new(7);
        assert!((0..1000).map(|_| rng.unit()).all(|u| (0.0..1.0).contains(&u)));
        assert!((0..1000).all(|_| rng.below(10) < 10));
        assert_eq!(SplitMix64::new(3).bytes(16), SplitMix64::new(3).bytes(16));
    }

    #[test]
    fn poisson_counts_have_about_the_asked_mean() {
        let mut rng = SplitMix64::new(11);
        for mean in [0.5, 4.0, 29.0, 31.0, 2000.0] {
            let draws = 4000;
            let total: f64 = (0..draws).map(|_| f64::from(rng.poisson(mean))).sum();
            let average = total / f64::from(draws);
            assert!((average - mean).abs() < 0.1 * mean.max(1.0), "mean {mean}: {average}");
        }
        assert_eq!(rng.poisson(0.0), 0);
    }
}
