//! Expected value of the next cell, from its neighbours corrected for bin biases and decay.
//!
//! Raw Hi-C counts are roughly `bias(row) · bias(col) · decay(distance) · structure`. The walk
//! makes neighbours at the same or a slightly smaller distance available; this module removes
//! the parts that differ between a neighbour and the cell being coded:
//! - **bin biases**, estimated online per row and column as observed counts over the diagonal
//!   means of the cells seen so far (a symmetric tile shares one estimate per bin);
//! - **decay**, as the ratio of the last two diagonal means, applied once per diagonal step.
//!
//! What remains (local structure such as domains) is averaged over the neighbours, together with
//! the rank-one fits of [`crate::fit`] (which follow compartments); the spread of all these
//! around the average, floored by Poisson noise, tells the model how sharp the estimate is.
//! Only `+ - * / sqrt` on `f64` are used, which IEEE 754 makes identical on every platform.

use crate::fit::Fits;
use crate::mask::Masks;
use crate::model::Estimate;
use crate::walk::Walk;

/// Neighbours as (row offset, column offset, weight); each lies `dr - dc` diagonals back.
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
/// Weight of each rank-one fit among the neighbours.
const RATIO_WEIGHT: f64 = 24.0;
/// Pseudo-count (in cells of average value) that pulls young bias estimates towards 1.
const BIAS_PRIOR: f64 = 1.0;

/// Weighted opinions on one cell's value.
#[derive(Debug, Default)]
struct Samples {
    items: [(f64, f64); NEIGHBOURS.len() + 3],
    count: usize,
    sum: f64,
    weight: f64,
}

impl Samples {
    #[inline]
    fn push(&mut self, value: f64, weight: f64) {
        self.items[self.count] = (value, weight);
        self.count += 1;
        self.sum += value * weight;
        self.weight += weight;
    }

    /// Weighted mean and mean absolute deviation, if there is any opinion.
    #[inline]
    fn mean_and_deviation(&self) -> Option<(f64, f64)> {
        if self.count == 0 {
            return None;
        }
        let mean = self.sum / self.weight;
        let spread = self.items[..self.count].iter().map(|&(v, w)| (v - mean).abs() * w);
        Some((mean, spread.sum::<f64>() / self.weight))
    }
}

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
    /// Rank-one fits against matched rows and columns.
    fits: Fits,
}

impl Predictor {
    /// A fresh predictor for a tile walked by `walk`.
    pub(crate) fn new(walk: Walk, rows: usize, cols: usize, masks: &Masks) -> Self {
        let symmetric = walk.is_symmetric();
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
            fits: Fits::new(rows, cols, symmetric, masks),
        }
    }

    /// Estimate for cell `(i, j)` given the values coded so far in `grid`.
    #[inline]
    pub(crate) fn estimate(&mut self, grid: &[u32], masks: &Masks, i: usize, j: usize) -> Option<Estimate> {
        let scale = self.bias[i] * self.bias[self.col_base + j];
        let mut samples = Samples::default();
        self.add_neighbours(&mut samples, grid, masks, (i, j), scale);
        let (mut fits, mut fit_count) = (0.0, 0.0);
        let ratios = [self.fits.predict_by_rows(grid, i, j), self.fits.predict_by_cols(grid, i, j)];
        for v in ratios.into_iter().flatten() {
            fits += v;
            fit_count += 1.0;
            samples.push(v, RATIO_WEIGHT);
        }
        if let Some(mean) = self.means[0] {
            samples.push(mean * self.decay * scale, GLOBAL_WEIGHT);
        }
        let (expected, deviation) = samples.mean_and_deviation()?;
        let alternative = if fit_count > 0.0 { fits / fit_count } else { expected };
        Some(Estimate::new(expected, deviation.max(expected.sqrt()), alternative))
    }

    /// Adds the known neighbours of `cell`, corrected for bias and decay to the cell's terms.
    #[inline]
    fn add_neighbours(
        &self,
        samples: &mut Samples,
        grid: &[u32],
        masks: &Masks,
        cell: (usize, usize),
        scale: f64,
    ) {
        for &(dr, dc, w) in &NEIGHBOURS {
            let (r, c) = (cell.0 as isize + dr, cell.1 as isize + dc);
            if !self.walk.stored(r, c) || masks.skips(r as usize, c as usize) {
                continue;
            }
            let (r, c) = (r as usize, c as usize);
            let mut v =
                grid[r * self.cols + c] as f64 * scale * self.inverse[r] * self.inverse[self.col_base + c];
            // Cells on earlier diagonals are closer to the matrix diagonal, hence larger.
            for _ in 0..dr - dc {
                v *= self.decay;
            }
            samples.push(v, w);
        }
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
