//! The one synthetic Hi-C-like map of the tests: for codec round trips and size checks that must
//! run without the shared data.

use crate::rng::SplitMix64;

/// Bins per block domain: counts inside a domain are raised or lowered, alternately.
const DOMAIN: usize = 40;

/// A synthetic symmetric `n × n` map of counts, row-major, drawn from `seed`: mean
/// `scale · (1 + d)^-1.1` at distance `d` from the diagonal, raised (×1.5) inside even and
/// lowered (×0.7) inside odd 40-bin domains, multiplicative noise (×0.6 to ×1.4), Poisson
/// counts, and about 2 % masked bins whose rows and columns are all zero.
#[must_use]
pub fn contact_map(n: usize, scale: f64, seed: u64) -> Vec<u32> {
    let mut rng = SplitMix64::new(seed);
    let masked: Vec<bool> = (0..n).map(|_| rng.unit() < 0.02).collect();
    let mut values = vec![0u32; n * n];
    for i in 0..n {
        for j in i..n {
            if masked[i] || masked[j] {
                continue;
            }
            let domain = match (i / DOMAIN == j / DOMAIN, (i / DOMAIN).is_multiple_of(2)) {
                (true, true) => 1.5,
                (true, false) => 0.7,
                (false, _) => 1.0,
            };
            #[expect(clippy::cast_precision_loss, reason = "a distance between two bins of a test map")]
            let d = (j - i) as f64;
            let noise = 0.6 + 0.8 * rng.unit();
            let v = rng.poisson(scale * (1.0 + d).powf(-1.1) * domain * noise);
            values[i * n + j] = v;
            values[j * n + i] = v;
        }
    }
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_is_symmetric_decays_and_has_masked_bins() {
        let n = 200;
        let map = contact_map(n, 500.0, 3);
        assert_eq!(map, contact_map(n, 500.0, 3), "the seed fixes the map");
        assert_ne!(map, contact_map(n, 500.0, 4), "another seed, another map");
        assert!((0..n).all(|i| (0..n).all(|j| map[i * n + j] == map[j * n + i])), "symmetric");
        let band = |d: usize| -> u64 { (0..n - d).map(|i| u64::from(map[i * n + i + d])).sum() };
        assert!(band(0) > 10 * band(50), "counts decay with distance: {} vs {}", band(0), band(50));
        let empty = (0..n).filter(|&i| map[i * n..(i + 1) * n].iter().all(|&v| v == 0)).count();
        assert!((1..n / 10).contains(&empty), "{empty} masked bins");
    }
}
