//! Encoder side: fitting a tile's model (decay profile, low-rank terms, predictor weights).
//!
//! Only the stored, quantised results matter to the format; the fitting itself (floating point,
//! power iteration, least squares) may change freely.

use crate::fixed::{ONE, log2_q12};
use crate::model::{DECAY_STEP, Factor, NEIGHBOURS, TileModel, WEIGHTS};
use crate::walk::{Masks, Plan};

/// Most power-iteration steps per low-rank term.
const POWER_STEPS: usize = 30;

/// A term's power iteration stops when no column value moves by more than this fraction of the
/// largest (a tenth of the `i8` quantisation step).
const CONVERGED: f64 = 1.0 / 1270.0;

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

/// Fits the models of one tile under one set of masks, sharing work between the encoder's
/// choices: the log counts; per decay option the decay profile and the low-rank terms, fitted
/// as far as the largest rank asked for; and per base (decay option, rank) the base and the
/// predictor's least-squares system, which choices that differ only in their use of neighbours
/// share.
pub(crate) struct Fitter<'a> {
    values: &'a [u32],
    masks: &'a Masks,
    rows: usize,
    cols: usize,
    symmetric: bool,
    lg: Vec<f64>,
    /// Per decay option.
    shared: Vec<(bool, Profile)>,
    /// Per `(decay, rank)`.
    systems: Vec<((bool, usize), System)>,
}

/// The decay profile of one decay option, and its low-rank terms once a rank was asked for.
type Profile = (Vec<i32>, Option<LowRank>);

/// The base of one model (row-major, Q12) and the predictor's least-squares system over it.
type System = (Vec<i32>, NormalEquations);

/// A fitted model and the base it gives every cell (row-major, Q12).
pub(crate) struct Fit {
    /// The model, weights included.
    pub(crate) model: TileModel,
    /// `model.base(rows, cols)`.
    pub(crate) base: Vec<i32>,
}

impl<'a> Fitter<'a> {
    /// A fitter for a row-major tile whose walk skips `masks`.
    pub(crate) fn new(
        values: &'a [u32],
        rows: usize,
        cols: usize,
        symmetric: bool,
        masks: &'a Masks,
    ) -> Self {
        Self {
            values,
            masks,
            rows,
            cols,
            symmetric,
            lg: logs(values),
            shared: Vec::new(),
            systems: Vec::new(),
        }
    }

    /// Fits the model for `choice` (weights included).
    pub(crate) fn fit(&mut self, choice: Choice) -> Fit {
        let (rows, cols, masks) = (self.rows, self.cols, self.masks);
        let kept = |i: usize, j: usize| !masks.rows[i] && !masks.cols[j];
        let at = match self.shared.iter().position(|(k, _)| *k == choice.decay) {
            Some(at) => at,
            None => {
                let decay =
                    if choice.decay { decay_profile(&self.lg, rows, cols, &kept) } else { Vec::new() };
                self.shared.push((choice.decay, (decay, None)));
                self.shared.len() - 1
            }
        };
        let (decay, low_rank) = &mut self.shared[at].1;
        let factors = if choice.rank == 0 {
            Vec::new()
        } else {
            let low_rank = low_rank.get_or_insert_with(|| {
                let partial = TileModel { decay: decay.clone(), factors: Vec::new(), weights: [0; WEIGHTS] }
                    .base(rows, cols);
                LowRank::new(&self.lg, &partial, rows, cols, &kept)
            });
            low_rank.terms(choice.rank).cloned().collect()
        };
        let mut model = TileModel { decay: decay.clone(), factors, weights: [0; WEIGHTS] };
        let key = (choice.decay, choice.rank);
        let at = match self.systems.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                let base = model.base(rows, cols);
                let system =
                    normal_equations(self.values, &self.lg, &base, rows, cols, self.symmetric, masks);
                self.systems.push((key, (base, system)));
                self.systems.len() - 1
            }
        };
        let (base, system) = &self.systems[at].1;
        model.weights =
            quantised_weights(if choice.neighbours { *system } else { without_neighbours(*system) });
        Fit { model, base: base.clone() }
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

/// The top singular terms of the log counts minus a partial base (masked cells set to the
/// mean), fitted one at a time as the encoder asks for more: each term is fitted on what the
/// earlier ones leave, so a rank-`k` model is the first `k` terms whenever they were fitted.
struct LowRank {
    /// What the fitted terms leave of the log counts, row-major.
    rest: Vec<f64>,
    rows: usize,
    cols: usize,
    /// Terms fitted so far.
    fitted: usize,
    /// The fitted terms, quantised to `i8` per term with one scale, with their term index (a
    /// term whose scale is out of range is left out).
    factors: Vec<(usize, Factor)>,
    /// No further term exists (a zero singular value was reached).
    exhausted: bool,
}

impl LowRank {
    /// Starts from the log counts `lg` minus `partial`; masked cells (not `kept`) take the mean.
    fn new(
        lg: &[f64],
        partial: &[i32],
        rows: usize,
        cols: usize,
        kept: &impl Fn(usize, usize) -> bool,
    ) -> Self {
        let mut rest: Vec<f64> = lg.iter().zip(partial).map(|(&l, &p)| l - f64::from(p)).collect();
        let (mut sum, mut n) = (0.0, 0usize);
        for i in 0..rows {
            for j in 0..cols {
                if kept(i, j) {
                    sum += rest[i * cols + j];
                    n += 1;
                }
            }
        }
        let mean = if n > 0 { sum / n as f64 } else { 0.0 };
        for i in 0..rows {
            for j in 0..cols {
                if !kept(i, j) {
                    rest[i * cols + j] = mean;
                }
            }
        }
        Self { rest, rows, cols, fitted: 0, factors: Vec::new(), exhausted: false }
    }

    /// The terms with index below `rank`, fitting those not yet fitted.
    fn terms(&mut self, rank: usize) -> impl Iterator<Item = &Factor> {
        while !self.exhausted && self.fitted < rank.min(self.rows).min(self.cols) {
            self.fit_next();
        }
        self.factors.iter().filter(move |(term, _)| *term < rank).map(|(_, f)| f)
    }

    /// Fits the next term by power iteration and subtracts it from `rest`.
    fn fit_next(&mut self) {
        let (rows, cols, term) = (self.rows, self.cols, self.fitted);
        let x = &mut self.rest;
        let mut v: Vec<f64> = (0..cols).map(|j| 1.0 + ((j * 7 + term * 3) % 11) as f64 / 10.0).collect();
        let mut u = vec![0.0; rows];
        let mut sigma = 0.0;
        let mut previous = vec![0.0; cols];
        for step in 0..POWER_STEPS {
            previous.copy_from_slice(&v);
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
            // Converged well inside the `i8` quantisation step (1/127 of the peak).
            let moved = v.iter().zip(&previous).fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
            let peak = v.iter().fold(0.0f64, |m, e| m.max(e.abs()));
            if step > 0 && moved <= peak * CONVERGED {
                break;
            }
        }
        self.fitted += 1;
        if sigma <= 0.0 {
            self.exhausted = true;
            return;
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
        if (1.0..=f64::from(u32::MAX)).contains(&scale) {
            self.factors.push((term, Factor { scale: scale as u32, rows: qa, cols: qb }));
        }
    }
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

/// Stored cells sampled, at least, for the predictor's least-squares system.
const FIT_CELLS: usize = 16384;

/// The least-squares system of the predictor over (a sample of) the cells the walk codes. The residual plane
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
    let mut count = 0usize;
    for i in 0..rows {
        for j in stored(i) {
            plan.store(&mut plane, i, j, Plan::residual(values[i * cols + j], base[i * cols + j]));
            count += 1;
        }
    }
    // Eleven weights are fixed long before every cell of a large tile is seen: the sums run over
    // every `stride`-th stored cell (in walk order, so the sample spans rows and columns).
    let stride = (count / FIT_CELLS).max(1);
    let mut xtx = [[0.0f64; WEIGHTS]; WEIGHTS];
    let mut xty = [0.0f64; WEIGHTS];
    let sampled = (0..rows).flat_map(|i| stored(i).map(move |j| (i, j))).step_by(stride);
    for (i, j) in sampled {
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
    fn terms_fitted_on_demand_equal_those_fitted_at_once() {
        let (rows, cols): (usize, usize) = (24, 20);
        let values: Vec<u32> = (0..rows * cols)
            .map(|k| {
                ((k / cols + 3) * (k % cols + 1) + (k * 7919) % 13 + (k / cols).abs_diff(k % cols) * 5) as u32
            })
            .collect();
        let masks = Masks::of(&values, rows, cols, false);
        let choice = |rank| Choice { rank, decay: true, neighbours: true };
        let mut stepwise = Fitter::new(&values, rows, cols, false, &masks);
        for rank in [2, 4] {
            stepwise.fit(choice(rank));
        }
        let late = stepwise.fit(choice(8));
        let at_once = Fitter::new(&values, rows, cols, false, &masks).fit(choice(8));
        assert_eq!(late.model, at_once.model);
        assert_eq!(late.base, at_once.base);
        let two = stepwise.fit(choice(2)).model;
        assert_eq!(two.factors[..], at_once.model.factors[..2]);
    }

    #[test]
    fn a_product_tile_is_found_by_two_terms() {
        let (rows, cols) = (12, 9);
        let values: Vec<u32> =
            (0..rows * cols).map(|k| ((k / cols + 1) * (k % cols + 2) * 10) as u32).collect();
        let masks = Masks::of(&values, rows, cols, false);
        let fit = Fitter::new(&values, rows, cols, false, &masks).fit(Choice {
            rank: 2,
            decay: false,
            neighbours: true,
        });
        assert_eq!(fit.model.factors.len(), 2);
        let base = fit.model.base(rows, cols);
        assert_eq!(base, fit.base);
        let lg = logs(&values);
        for (b, l) in base.iter().zip(&lg) {
            assert!((f64::from(*b) - l).abs() < 0.05 * l, "{b} vs {l}");
        }
    }
}
