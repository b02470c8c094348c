//! The per-bin structure of a synthetic map, drawn once from the seed: TAD-like domains,
//! A/B compartments, masked bins and per-bin coverage biases.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::synthetic::params::SyntheticParams;

/// Largest per-bin coverage bias; biases are drawn uniformly in `[2 - BIAS_MAX, BIAS_MAX]`.
pub(crate) const BIAS_MAX: f64 = 1.25;

/// Per-bin structure: about 10 bytes per bin (2 MB for 200k bins).
#[derive(Debug)]
pub(crate) struct Layout {
    /// Exclusive end of the domain holding each bin.
    pub(crate) domain_end: Vec<u32>,
    /// Compartment of each bin (`true` = A).
    pub(crate) compartment_a: Vec<bool>,
    /// Masked bins have empty rows and columns.
    pub(crate) masked: Vec<bool>,
    /// Coverage bias of each bin.
    pub(crate) bias: Vec<f32>,
}

impl Layout {
    pub(crate) fn draw(params: &SyntheticParams, rng: &mut ChaCha8Rng) -> Self {
        let n = params.bins as usize;
        let domain_end = runs(n, params.tad_size, rng)
            .into_iter()
            .flat_map(|(start, end)| std::iter::repeat_n(end as u32, end - start));
        let mut compartment_a = Vec::with_capacity(n);
        for (index, (start, end)) in runs(n, params.tad_size.saturating_mul(4), rng).into_iter().enumerate() {
            compartment_a.extend(std::iter::repeat_n(index % 2 == 0, end - start));
        }
        let mut masked: Vec<bool> = (0..n).map(|_| rng.gen_bool(params.masked)).collect();
        if params.masked > 0.0 && !masked.contains(&true) {
            masked[rng.gen_range(0..n)] = true;
        }
        let low = 2.0 - BIAS_MAX;
        let bias = (0..n).map(|_| rng.gen_range(low..=BIAS_MAX) as f32).collect();
        Layout { domain_end: domain_end.collect(), compartment_a, masked, bias }
    }
}

/// Splits `0..n` into consecutive runs of random length with the given mean (uniform in
/// `[mean/2, 3·mean/2]`), returned as `(start, end)` pairs.
fn runs(n: usize, mean: u32, rng: &mut ChaCha8Rng) -> Vec<(usize, usize)> {
    let mean = mean.max(2) as usize;
    let mut runs = Vec::with_capacity(n / mean + 1);
    let mut start = 0;
    while start < n {
        let len = rng.gen_range(mean / 2..=mean + mean / 2).max(1);
        let end = (start + len).min(n);
        runs.push((start, end));
        start = end;
    }
    runs
}
