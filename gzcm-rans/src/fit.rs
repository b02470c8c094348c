//! Encoder side: fitting a tile's model (decay profile, low-rank terms, predictor weights).
//!
//! Only the stored, quantised results matter to the format; the fitting itself (floating point,
//! power iteration, least squares) may change freely.

use crate::fixed::{ONE, log2_q12};
use crate::model::{DECAY_STEP, Factor, NEIGHBOURS, TileModel, WEIGHTS};
use crate::walk::{Masks, Plan};

/// Power-iteration steps per low-rank term.
const POWER_STEPS: usize = 30;

/// What the encoder tries for one tile.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Choice {
    /// Low-rank terms.
    pub(crate) rank: usize,
    /// Whether to store a decay profile.
    pub(crate) decay: bool,
    /// Whether the predictor uses the decoded neighbours (else only the base and a bias, whose
    /// zero weights cost almost nothing to store: sparse tiles gain little from neighbours).
    pub(crate) neighbours: bool,
}

/// Log2(count + 1) of every cell, in Q12 units, as `f64`.
fn logs(values: &[u32]) -> Vec<f64> {
    values.iter().map(|&v| f64::from(log2_q12(u64::from(v) + 1))).collect()
}

/// Fits the models of one tile, sharing work between the encoder's choices: the log counts,
/// and per decay option and mask set the decay profile and the low-rank terms up to the largest
/// rank tried. A rank-`k` model is the first `k` terms of a larger fit (each term is fitted on
/// what the earlier ones leave), so the shared fit gives every rank exactly what its own would.
pub(crate) struct Fitter<'a> {
    values: &'a [u32],
    rows: usize,
    cols: usize,
    symmetric: bool,
    lg: Vec<f64>,
    max_rank: usize,
    /// `(decay, mask set) -> (decay profile, terms with their index)`.
    shared: Vec<((bool, usize), SharedFit)>,
}

/// The decay profile and the indexed low-rank terms of one decay option and mask set.
type SharedFit = (Vec<i32>, Vec<(usize, Factor)>);

impl<'a> Fitter<'a> {
    /// A fitter for a row-major tile whose choices go up to `max_rank` low-rank terms.
    pub(crate) fn new(values: &'a [u32], rows: usize, cols: usize, symmetric: bool, max_rank: usize) -> Self {
        Self { values, rows, cols, symmetric, lg: logs(values), max_rank, shared: Vec::new() }
    }

    /// Fits the model for `choice` (weights included) under `masks`, which the caller names by
    /// `mask_set` (the same number for the same masks).
    pub(crate) fn fit(&mut self, masks: &Masks, mask_set: usize, choice: Choice) -> TileModel {
        let (rows, cols) = (self.rows, self.cols);
        let key = (choice.decay, mask_set);
        let at = match self.shared.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                let kept = |i: usize, j: usize| !masks.rows[i] && !masks.cols[j];
                let decay =
                    if choice.decay { decay_profile(&self.lg, rows, cols, &kept) } else { Vec::new() };
                let partial = TileModel { decay: decay.clone(), factors: Vec::new(), weights: [0; WEIGHTS] }
                    .base(rows, cols);
                let terms = low_rank(&self.lg, &partial, rows, cols, &kept, self.max_rank);
                self.shared.push((key, (decay, terms)));
                self.shared.len() - 1
            }
        };
        let (decay, terms) = &self.shared[at].1;
        debug_assert!(choice.rank <= self.max_rank, "rank beyond the shared fit");
        let factors = terms.iter().filter(|(term, _)| *term < choice.rank).map(|(_, f)| f.clone()).collect();
        let mut model = TileModel { decay: decay.clone(), factors, weights: [0; WEIGHTS] };
        let base = model.base(rows, cols);
        let system = normal_equations(self.values, &self.lg, &base, rows, cols, self.symmetric, masks);
        model.weights =
            quantised_weights(if choice.neighbours { system } else { without_neighbours(system) });
        model
    }
}

/// Mean log count per distance `|j - i|` over unmasked cells, in [`DECAY_STEP`]s; a distance
/// with no cell repeats the previous one.
fn decay_profile(lg: &[f64], rows: usize, cols: usize, kept: &impl Fn(usize, usize) -> bool) -> Vec<i32> {
    let span = rows.max(cols);
    let mut sum = vec![0.0; span];
    let mut count = vec![0usize; span];
    for i in 0..rows {
        for j in 0..cols {
            if kept(i, j) {
                sum[i.abs_diff(j)] += lg[i * cols + j];
                count[i.abs_diff(j)] += 1;
            }
        }
    }
    let mut prev = 0;
    sum.iter()
        .zip(&count)
        .map(|(&s, &n)| {
            if n > 0 {
                prev = (s / n as f64 / DECAY_STEP as f64).round() as i32;
            }
            prev
        })
        .collect()
}

/// The top `rank` singular terms of the log counts minus `partial` (masked cells set to the
/// mean), quantised to `i8` per term with one scale, each with its term index (a term whose
/// scale is out of range is left out).
fn low_rank(
    lg: &[f64],
    partial: &[i32],
    rows: usize,
    cols: usize,
    kept: &impl Fn(usize, usize) -> bool,
    rank: usize,
) -> Vec<(usize, Factor)> {
    if rank == 0 {
        return Vec::new();
    }
    let mut x: Vec<f64> = lg.iter().zip(partial).map(|(&l, &p)| l - f64::from(p)).collect();
    let (mut sum, mut n) = (0.0, 0usize);
    for i in 0..rows {
        for j in 0..cols {
            if kept(i, j) {
                sum += x[i * cols + j];
                n += 1;
            }
        }
    }
    let mean = if n > 0 { sum / n as f64 } else { 0.0 };
    for i in 0..rows {
        for j in 0..cols {
            if !kept(i, j) {
                x[i * cols + j] = mean;
            }
        }
    }
    let mut factors = Vec::new();
    for term in 0..rank.min(rows).min(cols) {
        let mut v: Vec<f64> = (0..cols).map(|j| 1.0 + ((j * 7 + term * 3) % 11) as f64 / 10.0).collect();
        let mut u = vec![0.0; rows];
        let mut sigma = 0.0;
        for _ in 0..POWER_STEPS {
            for (i, ui) in u.iter_mut().enumerate() {
                *ui = dot(&x[i * cols..(i + 1) * cols], &v);
            }
            normalise(&mut u);
            v.fill(0.0);
            for (i, &ui) in u.iter().enumerate() {
                for (vj, &a) in v.iter_mut().zip(&x[i * cols..(i + 1) * cols]) {
                    *vj += a * ui;
                }
            }
            sigma = normalise(&mut v);
        }
        if sigma <= 0.0 {
            break;
        }
        for (i, &ui) in u.iter().enumerate() {
            for (a, &vj) in x[i * cols..(i + 1) * cols].iter_mut().zip(&v) {
                *a -= sigma * ui * vj;
            }
        }
        let root = sigma.sqrt();
        let a: Vec<f64> = u.iter().map(|&e| e * root).collect();
        let b: Vec<f64> = v.iter().map(|&e| e * root).collect();
        let (qa, sa) = quantise(&a);
        let (qb, sb) = quantise(&b);
        let scale = (sa * sb * 65_536.0).round();
        if !(1.0..=f64::from(u32::MAX)).contains(&scale) {
            continue;
        }
        factors.push((term, Factor { scale: scale as u32, rows: qa, cols: qb }));
    }
    factors
}

/// `Σ a_k b_k` with four running sums: a single sum is a chain of dependent additions, which
/// made this product most of the encoder's time.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut sums = [0.0; 4];
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = a4.remainder().iter().zip(b4.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in a4.zip(b4) {
        for k in 0..4 {
            sums[k] += x[k] * y[k];
        }
    }
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + tail
}

/// Scales `v` to unit length; returns the old length.
fn normalise(v: &mut [f64]) -> f64 {
    let norm = v.iter().map(|e| e * e).sum::<f64>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|e| *e /= norm);
    }
    norm
}

/// `v` as `i8` multiples of one step (returned with the step).
fn quantise(v: &[f64]) -> (Vec<i8>, f64) {
    let peak = v.iter().fold(0.0f64, |m, e| m.max(e.abs()));
    let step = if peak > 0.0 { peak / 127.0 } else { 1.0 };
    (v.iter().map(|e| (e / step).round().clamp(-127.0, 127.0) as i8).collect(), step)
}

/// The least-squares system of the predictor over the cells the walk codes. The residual plane
/// is filled exactly as the walk fills it, so the features match.
fn normal_equations(
    values: &[u32],
    lg: &[f64],
    base: &[i32],
    rows: usize,
    cols: usize,
    symmetric: bool,
    masks: &Masks,
) -> NormalEquations {
    let weights = [0; WEIGHTS];
    let plan = Plan { rows, cols, symmetric, masks, base, weights: &weights, zero_flags: true };
    let mut plane = plan.residual_plane();
    let stored = |i: usize| (plan.first_col(i)..cols).filter(move |&j| !masks.rows[i] && !masks.cols[j]);
    for i in 0..rows {
        for j in stored(i) {
            plan.store(&mut plane, i, j, Plan::residual(values[i * cols + j], base[i * cols + j]));
        }
    }
    let mut xtx = [[0.0f64; WEIGHTS]; WEIGHTS];
    let mut xty = [0.0f64; WEIGHTS];
    for i in 0..rows {
        for j in stored(i) {
            let f = plan.features(&plane, i, j);
            let mut x = [1.0; WEIGHTS];
            for (a, &b) in x.iter_mut().zip(&f) {
                *a = f64::from(b);
            }
            let y = lg[i * cols + j];
            for r in 0..WEIGHTS {
                xty[r] += x[r] * y;
                // XᵀX is symmetric: the upper triangle here, mirrored below.
                for c in r..WEIGHTS {
                    xtx[r][c] += x[r] * x[c];
                }
            }
        }
    }
    let upper = xtx;
    for (r, row) in xtx.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate().take(r) {
            *cell = upper[c][r];
        }
    }
    (xtx, xty)
}

/// `XᵀX` and `Xᵀy` of a least-squares fit of the predictor weights.
type NormalEquations = ([[f64; WEIGHTS]; WEIGHTS], [f64; WEIGHTS]);

/// Pins the neighbour weights at zero: identity rows and columns, zero right-hand side.
fn without_neighbours((mut xtx, mut xty): NormalEquations) -> NormalEquations {
    for k in 0..NEIGHBOURS {
        for row in &mut xtx {
            row[k] = 0.0;
        }
        xtx[k] = [0.0; WEIGHTS];
        xtx[k][k] = 1.0;
        xty[k] = 0.0;
    }
    (xtx, xty)
}

/// The solved weights quantised to Q12 (bias Q24); the base alone when the system is degenerate.
fn quantised_weights((xtx, xty): NormalEquations) -> [i32; WEIGHTS] {
    let w = solve(xtx, xty).unwrap_or_else(|| {
        let mut fallback = [0.0; WEIGHTS];
        fallback[NEIGHBOURS] = 1.0;
        fallback
    });
    // Q12 weights on Q12 features give a Q24 sum; the bias, fitted in Q12 units, joins it the same way.
    let one = f64::from(ONE);
    let mut out = [0; WEIGHTS];
    for (q, &v) in out.iter_mut().zip(&w) {
        *q = (v * one).round().clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32;
    }
    out
}

/// Solves the normal equations with a small ridge; `None` when they are degenerate.
fn solve(mut a: [[f64; WEIGHTS]; WEIGHTS], mut b: [f64; WEIGHTS]) -> Option<[f64; WEIGHTS]> {
    let trace: f64 = (0..WEIGHTS).map(|i| a[i][i]).sum();
    if trace.is_nan() || trace <= 0.0 {
        return None;
    }
    for (i, row) in a.iter_mut().enumerate() {
        row[i] += trace * 1e-9 + 1e-9;
    }
    for col in 0..WEIGHTS {
        let pivot = (col..WEIGHTS).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-300 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (done, rest) = a.split_at_mut(col + 1);
        let pivot_row = &done[col];
        for (offset, row) in rest.iter_mut().enumerate() {
            let k = row[col] / pivot_row[col];
            for (x, &p) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= k * p;
            }
            b[col + 1 + offset] -= k * b[col];
        }
    }
    let mut x = [0.0; WEIGHTS];
    for r in (0..WEIGHTS).rev() {
        let s: f64 = (r + 1..WEIGHTS).map(|c| a[r][c] * x[c]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_equations_are_solved() {
        let mut a = [[0.0; WEIGHTS]; WEIGHTS];
        let mut b = [0.0; WEIGHTS];
        for i in 0..WEIGHTS {
            a[i][i] = 2.0;
            b[i] = i as f64;
        }
        a[0][1] = 1.0;
        a[1][0] = 1.0;
        let x = solve(a, b).unwrap();
        assert!((2.0 * x[0] + x[1] - b[0]).abs() < 1e-6);
        assert!((x[5] - 2.5).abs() < 1e-6);
        assert!(solve([[0.0; WEIGHTS]; WEIGHTS], b).is_none());
    }

    #[test]
    fn a_product_tile_is_found_by_two_terms() {
        let (rows, cols) = (12, 9);
        let values: Vec<u32> =
            (0..rows * cols).map(|k| ((k / cols + 1) * (k % cols + 2) * 10) as u32).collect();
        let masks = Masks::of(&values, rows, cols, false);
        let model = Fitter::new(&values, rows, cols, false, 2).fit(
            &masks,
            0,
            Choice { rank: 2, decay: false, neighbours: true },
        );
        assert_eq!(model.factors.len(), 2);
        let base = model.base(rows, cols);
        let lg = logs(&values);
        for (b, l) in base.iter().zip(&lg) {
            assert!((f64::from(*b) - l).abs() < 0.05 * l, "{b} vs {l}");
        }
    }
}
