//! Cold 256² windows at seeded random origins, shared by the window-read examples.

use std::time::Instant;

use gzcm_container::Reader;
use gzcm_test_support::SplitMix64;

/// Window edge.
pub(crate) const WINDOW: u64 = 256;

/// `n` seeded window origins inside the matrix (the same for every file of one shape).
pub(crate) fn origins(reader: &Reader, n: usize) -> Vec<(u64, u64)> {
    let (rows, cols) = reader.shape();
    let mut rng = SplitMix64::new(1);
    (0..n)
        .map(|_| (rng.below(rows.saturating_sub(WINDOW) + 1), rng.below(cols.saturating_sub(WINDOW) + 1)))
        .collect()
}

/// Milliseconds per window read (clipped to the matrix).
pub(crate) fn time_windows(reader: &Reader, origins: &[(u64, u64)]) -> Vec<f64> {
    let (rows, cols) = reader.shape();
    origins
        .iter()
        .map(|&(r, c)| {
            let start = Instant::now();
            let window = reader.window(r..(r + WINDOW).min(rows), c..(c + WINDOW).min(cols));
            std::hint::black_box(window.expect("window"));
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect()
}

/// The median (upper middle) of `values`; NaN when empty.
pub(crate) fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}
