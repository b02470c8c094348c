//! Expected value of the next cell, from its neighbours corrected for bin biases and decay.
//!
//! Raw Hi-C counts are roughly `bias(row) · bias(col) · decay(distance) · structure`. The walk
//! makes neighbours at the same or a slightly smaller distance available; this module removes
//! the parts that differ between a neighbour and the cell being coded:
//! - **bin biases**, estimated online per row and column as observed counts over the diagonal
//!   means of the cells seen so far (a symmetric tile shares one estimate per bin);
//! - **decay**, as the ratio of the last two diagonal means, applied once per diagonal step.
//!
//! What remains (local structure such as domains) is averaged over the neighbours; their spread
//! around the average, floored by Poisson noise, tells the model how sharp the estimate is.
//! Only `+ - * / sqrt` on `f64` are used, which IEEE 754 makes identical on every platform.

use crate::mask::Masks;
use crate::model::Estimate;
use crate::walk::Walk;

/// Neighbours as (row offset, column offset, weight); the diagonal step is `dc - dr`'s deficit.
const NEIGHBOURS: [(isize, isize, f64); 6] = [
    (-1, -1, 3.0), // same diagonal, previous cell
    (-2, -2, 1.0), // same diagonal, two back
    (0, -1, 3.0),  // previous diagonal, same row
    (1, 0, 3.0),   // previous diagonal, same column
    (-1, -2, 1.0), // previous diagonal, one further back
    (2, 1, 1.0),   // previous diagonal, one further on
];
/// Weight of the bias × decay "global" expectation among the neighbours.
const GLOBAL_WEIGHT: f64 = 1.0;
/// Cells each side of the local rank-one fits.
const RATIO_SPAN: isize = 8;
/// Lines compared with the cell's own in the rank-one fits.
const CANDIDATES: isize = 12;
/// Relative mismatch below which lines count as equally good matches.
const MATCH_FLOOR: f64 = 0.02;
/// Weight of each rank-one fit among the neighbours.
const RATIO_WEIGHT: f64 = 16.0;
/// Pseudo-count (in cells of average value) that pulls young bias estimates towards 1.
const BIAS_PRIOR: f64 = 1.0;

/// Online statistics of one tile's coding.
#[derive(Debug)]
pub(crate) struct Predictor {
    walk: Walk,
    cols: usize,
    /// Index of column 0's bias in the per-line arrays (0 when rows and columns share biases).
    col_base: usize,
    /// Per line (rows, then columns unless shared): observed sum, expected sum, bias, 1 / bias.
    observed: Vec<f64>,
    expected: Vec<f64>,
    bias: Vec<f64>,
    inverse: Vec<f64>,
    /// Means of the last two diagonals coded (most recent first).
    means: [Option<f64>; 2],
    /// Decay per diagonal step, from `means`.
    decay: f64,
    /// Relative miss of each coded cell's estimate, and the cell and expectation last estimated.
    misses: Vec<f32>,
    last: (usize, f64),
}

impl Predictor {
    /// A fresh predictor for a tile walked by `walk`.
    pub(crate) fn new(walk: Walk, rows: usize, cols: usize, symmetric: bool) -> Self {
        let lines = if symmetric { rows } else { rows + cols };
        Self {
            walk,
            cols,
            col_base: if symmetric { 0 } else { rows },
            observed: vec![0.0; lines],
            expected: vec![0.0; lines],
            bias: vec![1.0; lines],
            inverse: vec![1.0; lines],
            means: [None; 2],
            decay: 1.0,
            misses: vec![0.0; rows * cols],
            last: (0, 0.0),
        }
    }

    /// Estimate for cell `(i, j)` given the values coded so far in `grid`.
    #[inline]
    pub(crate) fn estimate(&mut self, grid: &[u32], masks: &Masks, i: usize, j: usize) -> Option<Estimate> {
        let scale = self.bias[i] * self.bias[self.col_base + j];
        let mut sum = 0.0;
        let mut weight = 0.0;
        let mut samples = [(0.0, 0.0); NEIGHBOURS.len() + 3];
        let mut count = 0;
        for &(dr, dc, w) in &NEIGHBOURS {
            let (r, c) = (i as isize + dr, j as isize + dc);
            if !self.walk.stored(r, c) || masks.skips(r as usize, c as usize) {
                continue;
            }
            let (r, c) = (r as usize, c as usize);
            // Cells on earlier diagonals are closer to the matrix diagonal, hence larger.
            let steps = dr - dc;
            let mut v =
                grid[r * self.cols + c] as f64 * scale * self.inverse[r] * self.inverse[self.col_base + c];
            for _ in 0..steps {
                v *= self.decay;
            }
            samples[count] = (v, w);
            count += 1;
            sum += v * w;
            weight += w;
        }
        let (mut fits, mut fit_count) = (0.0, 0.0);
        let ratios = [self.row_ratio(grid, masks, i, j, 1), self.col_ratio(grid, masks, i, j, 1)];
        for (v, w) in ratios.into_iter().flatten() {
            fits += v;
            fit_count += 1.0;
            samples[count] = (v, w);
            count += 1;
            sum += v * w;
            weight += w;
        }
        if let Some(mean) = self.means[0] {
            let v = mean * self.decay * scale;
            samples[count] = (v, GLOBAL_WEIGHT);
            count += 1;
            sum += v * GLOBAL_WEIGHT;
            weight += GLOBAL_WEIGHT;
        }
        if count == 0 {
            return None;
        }
        let expected = sum / weight;
        let deviation = samples[..count].iter().map(|&(v, w)| (v - expected).abs() * w).sum::<f64>() / weight;
        self.last = (i * self.cols + j, expected);
        let deviation = match self.past_error(masks, i, j) {
            Some(e) => (deviation + e * (expected + 1.0)) * 0.5,
            None => deviation,
        };
        let alternative = if fit_count > 0.0 { fits / fit_count } else { expected };
        Some(Estimate::new(expected, deviation.max(expected.sqrt()), alternative))
    }

    /// Records the value of the cell last estimated, to remember how far off the estimate was.
    #[inline]
    pub(crate) fn observe(&mut self, value: u32) {
        let (cell, expected) = self.last;
        self.misses[cell] = ((value as f64 - expected).abs() / (expected + 1.0)) as f32;
    }

    /// Mean relative miss of the estimates of the nearest coded neighbours.
    fn past_error(&self, masks: &Masks, i: usize, j: usize) -> Option<f64> {
        let (i, j) = (i as isize, j as isize);
        let (mut sum, mut n) = (0.0, 0.0);
        for (r, c) in [(i - 1, j - 1), (i, j - 1), (i + 1, j)] {
            if self.walk.stored(r, c) && !masks.skips(r as usize, c as usize) {
                sum += self.misses[r as usize * self.cols + c as usize] as f64;
                n += 1.0;
            }
        }
        (n > 0.0).then(|| sum / n)
    }

    /// Value at `(r, c)` if it is stored, unmasked (and so already coded).
    #[inline]
    fn known(&self, grid: &[u32], masks: &Masks, r: isize, c: isize) -> Option<f64> {
        (self.walk.stored(r, c) && !masks.skips(r as usize, c as usize))
            .then(|| grid[r as usize * self.cols + c as usize] as f64)
    }

    /// Rows `i+1..` in column `j`, scaled by how row `i` compares with them over the columns
    /// just before `j`: a local rank-one fit, which follows compartment patterns.
    fn row_ratio(
        &self,
        grid: &[u32],
        masks: &Masks,
        i: usize,
        j: usize,
        anchors: isize,
    ) -> Option<(f64, f64)> {
        self.rank_one(grid, masks, (i as isize, j as isize), (1, 0), (0, -1), anchors)
    }

    /// The same fit along columns: columns `..j-1` in row `i`, scaled by how column `j` compares
    /// with them over the rows just after `i`.
    fn col_ratio(
        &self,
        grid: &[u32],
        masks: &Masks,
        i: usize,
        j: usize,
        anchors: isize,
    ) -> Option<(f64, f64)> {
        self.rank_one(grid, masks, (i as isize, j as isize), (0, -1), (1, 0), anchors)
    }

    /// Rank-one fit for `cell` against the coded lines stepped by `line` (rows below it, or
    /// columns before it): each line's value level with the cell's line is compared over
    /// `RATIO_SPAN` cells stepped by `along`, and lines whose pattern matches better (the same
    /// compartment, say) weigh more. Their scaled values at the cell's position are averaged.
    fn rank_one(
        &self,
        grid: &[u32],
        masks: &Masks,
        cell: (isize, isize),
        line: (isize, isize),
        along: (isize, isize),
        _anchors: isize,
    ) -> Option<(f64, f64)> {
        let at = |a: isize, t: isize| {
            self.known(grid, masks, cell.0 + a * line.0 + t * along.0, cell.1 + a * line.1 + t * along.1)
        };
        let mut own = [None; RATIO_SPAN as usize];
        for (t, slot) in own.iter_mut().enumerate() {
            *slot = at(0, t as isize + 1);
        }
        let (mut total, mut weights) = (0.0, 0.0);
        for a in 1..=CANDIDATES {
            let Some(anchor) = at(a, 0) else { continue };
            let mut pairs = [(0.0, 0.0); RATIO_SPAN as usize];
            let (mut m, mut so, mut sa) = (0, 0.0, 0.0);
            for (t, x) in own.iter().enumerate() {
                if let (Some(x), Some(y)) = (*x, at(a, t as isize + 1)) {
                    pairs[m] = (x, y);
                    m += 1;
                    so += x;
                    sa += y;
                }
            }
            if m < 2 {
                continue;
            }
            let ratio = (so + 0.5) / (sa + 0.5);
            let miss = pairs[..m].iter().map(|&(x, y)| (x - ratio * y).abs()).sum::<f64>() / so.max(1.0);
            let w = 1.0 / ((miss + MATCH_FLOOR) * (miss + MATCH_FLOOR));
            total += w * ratio * anchor;
            weights += w;
        }
        (weights > 0.0).then(|| (total / weights, RATIO_WEIGHT))
    }

    /// Folds a finished diagonal (its unmasked cells' rows, in `cells`) into the statistics.
    pub(crate) fn end_diagonal(
        &mut self,
        grid: &[u32],
        k: isize,
        cells: impl Iterator<Item = usize> + Clone,
    ) {
        let (total, n) = cells.clone().fold((0.0, 0usize), |(s, n), i| (s + self.value(grid, i, k), n + 1));
        if n == 0 {
            return;
        }
        let mean = total / n as f64;
        self.means = [Some(mean), self.means[0]];
        self.decay = match self.means {
            [Some(a), Some(b)] => ((a + 0.5) / (b + 0.5)).clamp(0.25, 2.0),
            _ => 1.0,
        };
        if mean <= 0.0 {
            return;
        }
        let prior = BIAS_PRIOR * mean + 3.0;
        for i in cells {
            let v = self.value(grid, i, k);
            let c = self.col_base + (i as isize + k) as usize;
            for line in [i, c] {
                self.observed[line] += v;
                self.expected[line] += mean;
                self.bias[line] = (self.observed[line] + prior) / (self.expected[line] + prior);
                self.inverse[line] = 1.0 / self.bias[line];
            }
        }
    }

    fn value(&self, grid: &[u32], i: usize, k: isize) -> f64 {
        grid[i * self.cols + (i as isize + k) as usize] as f64
    }
}
