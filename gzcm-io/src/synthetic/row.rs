//! Drawing one row of the upper triangle: every cell near the diagonal, sparse hits far from it.
//!
//! The expected count of cell `(i, j)`, `d = j - i`, is
//! `λ = depth · bias_i · bias_j · (d + 1)^-alpha · tad · compartment`, where `tad` applies
//! inside `i`'s domain and `compartment` is `1 ± s` for same / different compartments. The
//! count is Poisson(λ).
//!
//! Near the diagonal (inside `i`'s domain, or while an upper bound of λ is at least
//! [`DENSE_BOUND`]) every cell is drawn. Beyond, cells are visited by geometric skipping: within
//! a segment `[d0, 2·d0)` the bound `b ≥ λ` is constant, candidate cells arrive with probability
//! `p = 1 - e^-b` each (a geometric jump to the next), and a candidate is kept with probability
//! `(1 - e^-λ) / p` and given a zero-truncated Poisson(λ) count. That is exactly the law of
//! drawing every cell, at a cost proportional to the non-zero cells.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Poisson};

use crate::synthetic::layout::{BIAS_MAX, Layout};
use crate::synthetic::params::SyntheticParams;

/// Below this bound on λ a row switches from drawing every cell to geometric skipping.
const DENSE_BOUND: f64 = 0.5;

/// The model of a map: parameters and layout, with λ and its bounds.
pub(crate) struct Model<'a> {
    pub(crate) params: &'a SyntheticParams,
    pub(crate) layout: &'a Layout,
}

impl Model<'_> {
    fn decay(&self, d: u32) -> f64 {
        (f64::from(d) + 1.0).powf(-self.params.alpha)
    }

    fn lambda(&self, i: usize, j: usize) -> f64 {
        let layout = self.layout;
        if layout.masked[j] {
            return 0.0;
        }
        let d = (j - i) as u32;
        let mut lambda =
            self.params.depth * f64::from(layout.bias[i]) * f64::from(layout.bias[j]) * self.decay(d);
        if j < layout.domain_end[i] as usize {
            lambda *= self.params.tad;
        }
        let s = self.params.compartments;
        lambda * if layout.compartment_a[i] == layout.compartment_a[j] { 1.0 + s } else { 1.0 - s }
    }

    /// A bound on λ for every column at distance ≥ `d` outside `i`'s domain.
    fn far_bound(&self, i: usize, d: u32) -> f64 {
        self.params.depth
            * f64::from(self.layout.bias[i])
            * BIAS_MAX
            * self.decay(d)
            * (1.0 + self.params.compartments)
    }

    /// Appends the non-zero cells `(col, count)` of row `i`, in ascending column order.
    pub(crate) fn draw_row(&self, i: usize, rng: &mut ChaCha8Rng, out: &mut Vec<(u32, u32)>) {
        let n = self.layout.masked.len();
        if self.layout.masked[i] {
            return;
        }
        let domain_end = self.layout.domain_end[i] as usize;
        let mut j = i;
        while j < n && (j < domain_end || self.far_bound(i, (j - i) as u32) >= DENSE_BOUND) {
            let count = poisson(self.lambda(i, j), rng);
            if count > 0 {
                out.push((j as u32, count));
            }
            j += 1;
        }
        self.draw_sparse(i, j, rng, out);
    }

    fn draw_sparse(&self, i: usize, mut j: usize, rng: &mut ChaCha8Rng, out: &mut Vec<(u32, u32)>) {
        let n = self.layout.masked.len();
        while j < n {
            let d0 = j - i;
            let segment_end = (i + 2 * d0.max(1)).min(n);
            let p = -(-self.far_bound(i, d0 as u32)).exp_m1();
            loop {
                // Cells until the next candidate: geometric with success probability p.
                let u: f64 = 1.0 - rng.r#gen::<f64>();
                let skip = (u.ln() / (-p).ln_1p()).floor();
                if !skip.is_finite() || skip >= (segment_end - j) as f64 {
                    break;
                }
                j += skip as usize;
                let lambda = self.lambda(i, j);
                if lambda > 0.0 && rng.r#gen::<f64>() * p < -(-lambda).exp_m1() {
                    out.push((j as u32, truncated_poisson(lambda, rng)));
                }
                j += 1;
            }
            j = segment_end;
        }
    }
}

/// Below this mean, Poisson draws use sequential inversion (cost ~λ, no setup).
const INVERSION_MAX_LAMBDA: f64 = 30.0;

fn poisson(lambda: f64, rng: &mut ChaCha8Rng) -> u32 {
    if lambda <= 0.0 {
        return 0;
    }
    if lambda < INVERSION_MAX_LAMBDA {
        let mut target = rng.r#gen::<f64>();
        let mut k = 0u32;
        let mut term = (-lambda).exp();
        while target > term && k < 10_000 {
            target -= term;
            k += 1;
            term *= lambda / f64::from(k);
        }
        return k;
    }
    match Poisson::new(lambda) {
        Ok(dist) => {
            let draw: f64 = dist.sample(rng);
            draw.min(f64::from(u32::MAX)) as u32
        }
        Err(_) => 0,
    }
}

/// A Poisson(λ) draw conditioned on being at least 1, by inversion (λ is small here).
fn truncated_poisson(lambda: f64, rng: &mut ChaCha8Rng) -> u32 {
    let mut target = rng.r#gen::<f64>() * -(-lambda).exp_m1();
    let mut k = 1u32;
    let mut term = (-lambda).exp() * lambda;
    while target > term && k < 1000 {
        target -= term;
        k += 1;
        term *= lambda / f64::from(k);
    }
    k
}
