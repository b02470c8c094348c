//! Juicer's SCALE: the matrix balancing of Juicer Tools 1.22 (`FinalScale.scaleToTargetVector`
//! followed by `ZeroScale.normalizeVectorByScaleFactor`), the algorithm that wrote the `SCALE`,
//! `GW_SCALE` and `INTER_SCALE` vectors of `.hic` files. Written from the published
//! description of that code, not copied; the steps and constants are Juicer's:
//!
//! - **Target**: every row of the balanced (full, symmetric) matrix sums to 1.
//! - **Mask**: a row with no nonzero pixel is masked from the start; so is a row whose count
//!   of nonzero pixels is below the `perc` quantile of the positive counts (`perc` starts at
//!   0.01 %, so only empty rows on maps of fewer than 5,000 bins). Each time convergence is too
//!   slow, `perc` grows by 0.005 % and the rows below the new quantile are masked too.
//! - **Iteration** (row and column scaling vectors `dr`, `dc`, both starting at 1): `dr /=`
//!   the row sums of `diag(dr) M diag(dc)`, then `dc /=` its column sums; the vector is
//!   `b = sqrt(dr · dc)`. `ber`, the largest change of `b` in an iteration, must fall below
//!   `tol` (Juicer's 5·10⁻⁴), and `err`, the largest deviation of a balanced row sum from 1
//!   (computed every 10 iterations), below `5 · tol`.
//! - **Slow convergence**: after 6 iterations of a stage, if none of the last 5 iterations cut
//!   `ber` by 2 %, or the last `err` is more than 3/4 of the one before, or the stage reached
//!   `max_iters` (Juicer's 100), the stage fails: the mask grows (above) and the iteration
//!   restarts from 1 (when `ber` rose over the last 5 iterations) or goes on with the masked
//!   rows zeroed. It stops for good at `3 · max_iters` iterations in all or when `perc`
//!   exceeds 20 %; Juicer then keeps the vector as it is, gzcm reports it as not converged.
//! - **Final scale**: Juicer's divisor is `1 / b` (NaN for masked rows) times
//!   `sqrt(Σ count / (v_i v_j) / Σ count)` over the full matrix's pixels between unmasked
//!   bins, so the normalised map holds as many contacts as the raw one. gzcm stores the
//!   multiplicative weight, `1 / divisor`.
//!
//! Every matrix product uses the full symmetric matrix (each upper-triangle pixel counted for
//! both of its bins, a diagonal pixel once), as Juicer's `sparseMultiplyGetRowSums`. Cis mode
//! balances each chromosome on its own (Juicer's per-chromosome `SCALE`), genome-wide mode
//! every contact (`GW_SCALE`), trans mode the inter-chromosomal contacts (`INTER_SCALE`); the
//! chromosomes of cis mode iterate in the same passes over the pixels, each with its own state.

use std::ops::Range;

use crate::bins::BinLayout;
use crate::error::BalanceError;
use crate::ice::Iterated;
use crate::options::{BalanceOptions, Mode};
use crate::pixels::{PixelStore, add};

/// Juicer's starting `percentLowRowSumExcluded`: rows below this quantile of nonzero-pixel
/// counts are masked (a fraction; `f32`, as Juicer computes it).
const START_PERCENTILE: f32 = 0.0001;
/// What the quantile grows by after each failed stage (Juicer's `dp`).
const PERCENTILE_STEP: f32 = START_PERCENTILE / 2.0;
/// The quantile beyond which Juicer gives up.
const MAX_PERCENTILE: f64 = 0.2;
/// Juicer's `minErrorThreshold`: an iteration "improves" when it cuts `ber` by 2 %.
const MIN_IMPROVEMENT: f32 = 0.02;
/// Juicer's `OFFSET` in its quantile index, `(int) (n0 · perc + 0.5)`.
const OFFSET: f32 = 0.5;

/// Juicer's convergence tolerance on the vector's change (`FinalScale.tolerance`, an `f32`
/// 0.0005; the row sums must be within 5 times it of 1).
pub const SCALE_TOL: f64 = 0.0005_f32 as f64;
/// Juicer's iteration limit of one stage (`FinalScale.maxIter`); all stages together run at
/// most three times as many.
pub const SCALE_MAX_ITERS: u64 = 100;

/// One group of bins balanced together (the genome, or a chromosome in cis mode), with
/// Juicer's state; vectors are indexed from the group's first bin.
#[derive(Debug)]
struct Group {
    span: Range<usize>,
    /// Nonzero pixels per row (the diagonal once).
    nnz: Vec<u64>,
    /// The positive `nnz`, sorted (Juicer's `r0`).
    sorted: Vec<u64>,
    percentile: f32,
    bad: Vec<bool>,
    row: Vec<f64>,
    row_backup: Vec<f64>,
    dr: Vec<f64>,
    dc: Vec<f64>,
    current: Vec<f64>,
    b: Vec<f64>,
    ber: f64,
    err: f64,
    /// Iterations of the current stage, and of all stages.
    iter: u64,
    all_iters: u64,
    /// `ber` of every iteration.
    history: Vec<f64>,
    /// `err` of the current stage (every 10 iterations).
    errors: Vec<f64>,
    active: bool,
}

impl Group {
    fn new(span: Range<usize>, nnz: Vec<u64>, tol: f64) -> Group {
        let k = span.len();
        let mut sorted: Vec<u64> = nnz.iter().copied().filter(|&c| c > 0).collect();
        sorted.sort_unstable();
        let start = 10.0 * (1.0 + tol);
        let mut group = Group {
            span,
            nnz,
            sorted,
            percentile: START_PERCENTILE,
            bad: vec![false; k],
            row: Vec::new(),
            row_backup: Vec::new(),
            dr: Vec::new(),
            dc: Vec::new(),
            current: Vec::new(),
            b: vec![0.0; k],
            ber: start,
            err: start,
            iter: 0,
            all_iters: 0,
            history: Vec::new(),
            errors: Vec::new(),
            active: true,
        };
        if group.sorted.is_empty() {
            // A chromosome without contacts: every bin masked, nothing to iterate.
            group.bad = vec![true; k];
            (group.ber, group.err, group.active) = (0.0, 0.0, false);
        } else {
            group.mask_below_quantile();
        }
        let kept = group.kept();
        group.dr.clone_from(&kept);
        group.dc.clone_from(&kept);
        group.current = kept;
        group
    }

    /// 1 for unmasked rows, 0 for masked ones.
    fn kept(&self) -> Vec<f64> {
        self.bad.iter().map(|&bad| if bad { 0.0 } else { 1.0 }).collect()
    }

    /// Masks the rows whose nonzero-pixel count is below the current quantile (empty rows
    /// always are).
    fn mask_below_quantile(&mut self) {
        // Juicer: `rlind = (int) Math.max(0, n0 * perc + OFFSET)`, in f32.
        let index = (self.sorted.len() as f32 * self.percentile + OFFSET).max(0.0) as usize;
        let low = self.sorted[index.min(self.sorted.len() - 1)];
        for (bad, &count) in self.bad.iter_mut().zip(&self.nnz) {
            if count < low {
                *bad = true;
            }
        }
    }

    /// Whether Juicer's loop goes on.
    fn keeps_going(&self, tol: f64, max_iters: u64) -> bool {
        (self.ber > tol || self.err > 5.0 * tol)
            && self.iter < max_iters
            && self.all_iters < max_iters.saturating_mul(3)
            && f64::from(self.percentile) <= MAX_PERCENTILE
    }

    fn converged(&self, tol: f64) -> bool {
        !(self.ber > tol || self.err > 5.0 * tol)
    }

    /// The start of an iteration: `dr` divided by the row sums (masked rows' left at 0).
    fn scale_rows(&mut self) {
        self.iter += 1;
        self.all_iters += 1;
        for ((dr, row), &bad) in self.dr.iter_mut().zip(&self.row).zip(&self.bad) {
            *dr *= 1.0 / if bad { 1.0 } else { *row };
        }
    }

    /// `dc` divided by the column sums, `col` being `M · dr`.
    fn scale_columns(&mut self, col: &[f64]) {
        for ((dc, &c), &bad) in self.dc.iter_mut().zip(col).zip(&self.bad) {
            let sum = if bad { 1.0 } else { c * *dc };
            *dc *= 1.0 / sum;
        }
    }

    /// The new row sums (`row` being `M · dc`), the vector and its change; whether this
    /// iteration needs the balanced row sums (every 10th of a stage).
    fn update_vector(&mut self, row: &[f64]) -> bool {
        self.row = row.iter().zip(&self.dr).map(|(r, dr)| r * dr).collect();
        self.ber = 0.0;
        for p in 0..self.b.len() {
            self.b[p] = (self.dr[p] * self.dc[p]).sqrt();
            if !self.bad[p] {
                self.ber = self.ber.max((self.b[p] - self.current[p]).abs());
            }
        }
        self.history.push(self.ber);
        self.iter.is_multiple_of(10)
    }

    /// The end of an iteration (`balanced` is `M · b` when [`Group::update_vector`] asked for
    /// it): the row-sum error, then Juicer's test of the convergence rate.
    fn finish_iteration(&mut self, balanced: Option<&[f64]>, tol: f64, max_iters: u64) {
        if let Some(col) = balanced {
            self.err = 0.0;
            for p in (0..self.b.len()).filter(|&p| !self.bad[p]) {
                self.err = self.err.max((col[p] * self.b[p] - 1.0).abs());
            }
            self.errors.push(self.err);
        }
        self.current.clone_from(&self.b);
        let last_two = match self.errors.as_slice() {
            [.., before, last] => Some((*before, *last)),
            _ => None,
        };
        if self.ber < tol && last_two.is_none_or(|(before, last)| last < 0.5 * before) {
            return;
        }
        if self.iter <= 5 {
            return;
        }
        let h = &self.history;
        let n = h.len();
        let improving = (1..=5).any(|q| h[n - q] * (1.0 + f64::from(MIN_IMPROVEMENT)) < h[n - q - 1]);
        let errors_stall = last_two.is_some_and(|(before, last)| last > 0.75 * before);
        let rose = h[n - 1] > h[n - 6];
        if improving && !errors_stall && self.iter < max_iters {
            return;
        }
        // The stage failed: mask more rows and start a new stage.
        self.percentile += PERCENTILE_STEP;
        self.errors.clear();
        self.mask_below_quantile();
        (self.ber, self.err) = (10.0 * (1.0 + tol), 10.0 * (1.0 + tol));
        if rose {
            let kept = self.kept();
            self.dr.clone_from(&kept);
            self.dc.clone_from(&kept);
            self.current = kept;
            self.row.clone_from(&self.row_backup);
        } else {
            for p in (0..self.bad.len()).filter(|&p| self.bad[p]) {
                self.dr[p] = 0.0;
                self.dc[p] = 0.0;
            }
        }
        self.iter = 0;
    }

    /// Juicer's divisors `1 / b`, NaN for masked rows (and for any value that is not a
    /// positive number).
    fn divisors(&self) -> Vec<f64> {
        self.b
            .iter()
            .zip(&self.bad)
            .map(|(&b, &bad)| if bad || !(b > 0.0 && b.is_finite()) { f64::NAN } else { 1.0 / b })
            .collect()
    }
}

/// Juicer's SCALE on the contacts `options.mode` keeps (blacklisted bins' contacts left out,
/// so those bins are masked): multiplicative weights, NaN for masked bins; `scale` holds
/// Juicer's final scale factor (per chromosome in cis mode) and `variance` the variance of the
/// balanced row sums of the unmasked bins (0 at exact balance); `report(pass, ber)` after each
/// iteration (the largest `ber` of the groups still iterating).
pub(crate) fn scale(
    store: &PixelStore<'_>,
    layout: &BinLayout,
    options: &BalanceOptions,
    report: &mut dyn FnMut(u64, f64),
) -> Result<Iterated, BalanceError> {
    let n = layout.n_bins();
    let mode = options.mode;
    let (tol, max_iters) = (options.tol, options.max_iters);
    let chrom = &layout.chrom;
    let mut black = vec![false; n];
    for &bin in &options.blacklist {
        if let Some(b) = usize::try_from(bin).ok().and_then(|i| black.get_mut(i)) {
            *b = true;
        }
    }
    let spans: Vec<Range<usize>> =
        if mode == Mode::Cis { layout.spans.clone() } else { std::iter::once(0..n).collect() };
    let group_of = |i: usize| if mode == Mode::Cis { chrom[i] as usize } else { 0 };
    let keeps = |i: usize, j: usize| mode.keeps(chrom[i], chrom[j]) && !black[i] && !black[j];
    let nnz = store.fold(
        || vec![0u64; n],
        |c, i, j, _| {
            if keeps(i, j) {
                c[i] += 1;
                if i != j {
                    c[j] += 1;
                }
            }
        },
        |mut a, b| {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
            a
        },
    )?;
    if nnz.iter().all(|&c| c == 0) {
        return Err(BalanceError::NoContacts { after_diagonals: 0 });
    }
    let mut groups: Vec<Group> =
        spans.into_iter().map(|span| Group::new(span.clone(), nnz[span].to_vec(), tol)).collect();
    // Juicer's first row sums are those of the raw matrix (M · 1).
    let row = multiply(store, &keeps, &vec![1.0; n])?;
    for g in &mut groups {
        g.row = row[g.span.clone()].to_vec();
        g.row_backup.clone_from(&g.row);
    }
    let mut pass = 0;
    loop {
        for g in &mut groups {
            g.active = g.active && g.keeps_going(tol, max_iters);
        }
        if groups.iter().all(|g| !g.active) {
            break;
        }
        pass += 1;
        let live: Vec<bool> = groups.iter().map(|g| g.active).collect();
        let keep_live = |i: usize, j: usize| live[group_of(i)] && keeps(i, j);
        let active = |g: &&mut Group| g.active;
        groups.iter_mut().filter(active).for_each(Group::scale_rows);
        let col = multiply(store, &keep_live, &gather(&groups, n, |g| &g.dr))?;
        groups.iter_mut().filter(active).for_each(|g| g.scale_columns(&col[g.span.clone()]));
        let row = multiply(store, &keep_live, &gather(&groups, n, |g| &g.dc))?;
        let mut wants_err = vec![false; groups.len()];
        for (g, wants) in groups.iter_mut().zip(&mut wants_err).filter(|(g, _)| g.active) {
            *wants = g.update_vector(&row[g.span.clone()]);
        }
        let balanced = if wants_err.contains(&true) {
            Some(multiply(store, &keep_live, &gather(&groups, n, |g| &g.b))?)
        } else {
            None
        };
        let mut worst = 0.0f64;
        for (g, wants) in groups.iter_mut().zip(&wants_err).filter(|(g, _)| g.active) {
            worst = worst.max(g.ber);
            let part = balanced.as_ref().filter(|_| *wants).map(|m| &m[g.span.clone()]);
            g.finish_iteration(part, tol, max_iters);
        }
        report(pass, worst);
    }
    finish(store, &keeps, &groups, n, tol)
}

/// The divisors scaled so that the normalised map keeps the raw map's sum, inverted into
/// multiplicative weights, with the record's figures.
fn finish(
    store: &PixelStore<'_>,
    keeps: &(impl Fn(usize, usize) -> bool + Sync),
    groups: &[Group],
    n: usize,
    tol: f64,
) -> Result<Iterated, BalanceError> {
    let mut divisors = vec![f64::NAN; n];
    let mut group_of = vec![0usize; n];
    for (index, g) in groups.iter().enumerate() {
        divisors[g.span.clone()].copy_from_slice(&g.divisors());
        group_of[g.span.clone()].iter_mut().for_each(|x| *x = index);
    }
    // Per group: (Σ count, Σ count / (v_i v_j)) over the full matrix between unmasked bins.
    let sums = store.fold(
        || vec![(0.0, 0.0); groups.len()],
        |s, i, j, v| {
            let (a, b) = (divisors[i], divisors[j]);
            if keeps(i, j) && !a.is_nan() && !b.is_nan() {
                let times = if i == j { 1.0 } else { 2.0 };
                let g = &mut s[group_of[i]];
                g.0 += times * v;
                g.1 += times * v / (a * b);
            }
        },
        |mut x, y| {
            x.iter_mut().zip(y).for_each(|(p, q)| (p.0, p.1) = (p.0 + q.0, p.1 + q.1));
            x
        },
    )?;
    let factors: Vec<f64> = sums.iter().map(|&(raw, normalised)| (normalised / raw).sqrt()).collect();
    let weights: Vec<f64> = divisors
        .iter()
        .zip(&group_of)
        .map(|(&d, &g)| {
            let divisor = d * factors[g];
            if divisor > 0.0 && divisor.is_finite() { 1.0 / divisor } else { f64::NAN }
        })
        .collect();
    // The balanced row sums, for the record: 1 everywhere at exact balance (up to the final
    // scale factor, divided out here).
    let unscaled: Vec<f64> = divisors.iter().map(|&d| if d.is_nan() { 0.0 } else { 1.0 / d }).collect();
    let product = multiply(store, keeps, &unscaled)?;
    let variance = groups
        .iter()
        .map(|g| {
            let sums: Vec<f64> =
                g.span.clone().filter(|&i| !divisors[i].is_nan()).map(|i| product[i] * unscaled[i]).collect();
            crate::stats::variance(&sums)
        })
        .collect();
    Ok(Iterated {
        weights,
        scale: factors,
        variance,
        iterations: groups.iter().map(|g| g.all_iters).max().unwrap_or(0),
        converged: groups.iter().all(|g| g.converged(tol)),
        unconverged: (0..groups.len()).filter(|&g| !groups[g].converged(tol)).collect(),
    })
}

/// The groups' vectors `pick` laid out over all `n` bins (0 outside the groups).
fn gather(groups: &[Group], n: usize, pick: impl Fn(&Group) -> &Vec<f64>) -> Vec<f64> {
    let mut whole = vec![0.0; n];
    for g in groups {
        whole[g.span.clone()].copy_from_slice(pick(g));
    }
    whole
}

/// `M · x` for the full symmetric matrix of the pixels `keep` accepts (a diagonal pixel
/// counted once).
fn multiply(
    store: &PixelStore<'_>,
    keep: &(impl Fn(usize, usize) -> bool + Sync),
    x: &[f64],
) -> Result<Vec<f64>, BalanceError> {
    let n = store.n_bins();
    store.fold(
        || vec![0.0; n],
        |y, i, j, v| {
            if keep(i, j) {
                if i == j {
                    y[i] += v * x[i];
                } else {
                    y[i] += v * x[j];
                    y[j] += v * x[i];
                }
            }
        },
        add,
    )
}
