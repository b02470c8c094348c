//! Rank-one fits against matched rows and columns.
//!
//! Compartments give Hi-C maps a checkerboard: a row resembles the rows of the same compartment,
//! which need not be its neighbours. To predict cell `(i, j)` from a coded row `i + a`, row `i`
//! is compared with row `i + a` over the `SPAN` columns just before `j`: their level ratio times
//! row `i + a`'s value at `j` is that row's prediction, and how well the ratio explains the
//! compared cells decides its weight. Columns work the same way (column `j` against columns
//! `j - a`, over the rows just below `i`).
//!
//! The walk visits a row left to right and a column bottom to top, one cell per diagonal, so the
//! comparison sums slide by one cell per visit instead of being recomputed. Every cell a window
//! takes in is already coded (or known zero, in an empty line), which keeps the encoder and
//! decoder in step; the sums are `f64` in a fixed order, so both round identically.

use crate::mask::Masks;

/// Lines compared with the cell's own.
const CANDIDATES: usize = 12;
/// Cells compared on each line.
const SPAN: usize = 12;
/// Relative mismatch (squared) below which lines count as equally good matches.
const MATCH_FLOOR: f64 = 0.02 * 0.02;

/// Σx, Σy, Σxy, Σy², Σx² of a window (x on the cell's line, y on the candidate).
type Sums = [f64; 5];

/// Sliding comparison sums of one tile.
#[derive(Debug)]
pub(crate) struct Fits {
    rows: usize,
    cols: usize,
    symmetric: bool,
    empty_rows: Vec<bool>,
    empty_cols: Vec<bool>,
    /// Per row and candidate, the sums over the window; and the next column to slide in.
    row_sums: Vec<Sums>,
    row_next: Vec<usize>,
    /// Per column and candidate, the sums over the window; and the lowest row taken in.
    col_sums: Vec<Sums>,
    col_low: Vec<usize>,
}

impl Fits {
    /// Fits for a `rows x cols` tile (upper triangle only when `symmetric`).
    pub(crate) fn new(rows: usize, cols: usize, symmetric: bool, masks: &Masks) -> Self {
        Self {
            rows,
            cols,
            symmetric,
            empty_rows: masks.rows.clone(),
            empty_cols: masks.cols.clone(),
            row_sums: vec![[0.0; 5]; rows * CANDIDATES],
            row_next: (0..rows).map(|i| if symmetric { i } else { 0 }).collect(),
            col_sums: vec![[0.0; 5]; cols * CANDIDATES],
            col_low: (0..cols).map(|j| if symmetric { j + 1 } else { rows }).collect(),
        }
    }

    /// First column of row `i + a` that is stored (the upper triangle starts at the diagonal).
    #[inline]
    fn row_start(symmetric: bool, i: usize, a: usize) -> usize {
        if symmetric { i + a } else { 0 }
    }

    /// Last row of column `j - a` that is stored.
    #[inline]
    fn col_end(symmetric: bool, rows: usize, j: usize, a: usize) -> usize {
        if symmetric { j - a } else { rows - 1 }
    }

    /// Prediction of `(i, j)` from the rows below it; `grid` holds the coded values.
    pub(crate) fn predict_by_rows(&mut self, grid: &[u32], i: usize, j: usize) -> Option<f64> {
        self.slide_row(grid, i, j);
        let mut blend = Blend::default();
        for a in 1..=CANDIDATES.min(self.rows - 1 - i) {
            let start = Self::row_start(self.symmetric, i, a);
            if j <= start {
                break;
            }
            let m = j - start.max(j.saturating_sub(SPAN));
            if m >= 2 && !self.empty_rows[i + a] {
                let anchor = grid[(i + a) * self.cols + j] as f64;
                blend.add(&self.row_sums[i * CANDIDATES + a - 1], m, anchor);
            }
        }
        blend.finish()
    }

    /// Prediction of `(i, j)` from the columns before it.
    pub(crate) fn predict_by_cols(&mut self, grid: &[u32], i: usize, j: usize) -> Option<f64> {
        self.slide_col(grid, i, j);
        let mut blend = Blend::default();
        for a in 1..=CANDIDATES.min(j) {
            let end = Self::col_end(self.symmetric, self.rows, j, a);
            if end <= i {
                break;
            }
            let m = end.min(i + SPAN) - i;
            if m >= 2 && !self.empty_cols[j - a] {
                let anchor = grid[i * self.cols + j - a] as f64;
                blend.add(&self.col_sums[j * CANDIDATES + a - 1], m, anchor);
            }
        }
        blend.finish()
    }

    /// Brings row `i`'s windows up to columns `j - SPAN .. j`.
    fn slide_row(&mut self, grid: &[u32], i: usize, j: usize) {
        let cols = self.cols;
        let lines = CANDIDATES.min(self.rows - 1 - i);
        while self.row_next[i] < j {
            let c = self.row_next[i];
            let gone = c.checked_sub(SPAN);
            let (x_in, x_out) = (grid[i * cols + c], gone.map_or(0, |g| grid[i * cols + g]));
            let sums = &mut self.row_sums[i * CANDIDATES..i * CANDIDATES + lines];
            for (a, sums) in (1..).zip(sums) {
                let start = Self::row_start(self.symmetric, i, a);
                let incoming = (c >= start).then(|| (x_in, grid[(i + a) * cols + c]));
                let outgoing = gone.filter(|&g| g >= start).map(|g| (x_out, grid[(i + a) * cols + g]));
                slide(sums, incoming, outgoing);
            }
            self.row_next[i] += 1;
        }
    }

    /// Brings column `j`'s windows down to rows `i + 1 ..= i + SPAN`.
    fn slide_col(&mut self, grid: &[u32], i: usize, j: usize) {
        let cols = self.cols;
        let lines = CANDIDATES.min(j);
        while self.col_low[j] > i + 1 {
            let r = self.col_low[j] - 1;
            let gone = r + SPAN;
            let x_in = grid[r * cols + j];
            let x_out = if gone < self.rows { grid[gone * cols + j] } else { 0 };
            let sums = &mut self.col_sums[j * CANDIDATES..j * CANDIDATES + lines];
            for (a, sums) in (1..).zip(sums) {
                let end = Self::col_end(self.symmetric, self.rows, j, a);
                let incoming = (r <= end).then(|| (x_in, grid[r * cols + j - a]));
                let outgoing = (gone <= end).then(|| (x_out, grid[gone * cols + j - a]));
                slide(sums, incoming, outgoing);
            }
            self.col_low[j] = r;
        }
    }
}

/// Moves a window: takes in the pair `incoming` and drops `outgoing` (either may be absent), as
/// one update of each sum.
#[inline]
fn slide(sums: &mut Sums, incoming: Option<(u32, u32)>, outgoing: Option<(u32, u32)>) {
    let pair = |p: Option<(u32, u32)>| p.map_or((0.0, 0.0), |(x, y)| (x as f64, y as f64));
    let ((x1, y1), (x0, y0)) = (pair(incoming), pair(outgoing));
    sums[0] += x1 - x0;
    sums[1] += y1 - y0;
    sums[2] += x1 * y1 - x0 * y0;
    sums[3] += y1 * y1 - y0 * y0;
    sums[4] += x1 * x1 - x0 * x0;
}

/// Weighted average of the candidate lines' predictions.
#[derive(Debug, Default)]
struct Blend {
    total: f64,
    weight: f64,
}

impl Blend {
    /// Adds a candidate line: `sums` over `m` compared cells, `anchor` its value at the cell's
    /// position. Its prediction is `ratio · anchor` with `ratio = Σx / Σy`; its weight is
    /// `1 / (mismatch + floor)^4` (so clearly better matches dominate), mismatch being the squared
    /// error of `x ≈ ratio · y` relative to the level of `x`. One division per candidate.
    #[inline]
    fn add(&mut self, sums: &Sums, m: usize, anchor: f64) {
        let [sx, sy, sxy, syy, sxx] = *sums;
        let (n, d, level) = (sx.max(0.0) + 0.5, sy.max(0.0) + 0.5, sx.max(0.0) + m as f64);
        // residual · d² = Σ(x·d − y·n)²
        let residual = (sxx * d * d - 2.0 * n * d * sxy + n * n * syy).max(0.0);
        let scale = d * d * level * level;
        let q = residual * m as f64 + MATCH_FLOOR * scale;
        let inv = 1.0 / (q * d);
        let (w, ratio) = (scale * d * inv, n * q * inv);
        let w = (w * w) * (w * w);
        self.total += anchor * ratio * w;
        self.weight += w;
    }

    fn finish(&self) -> Option<f64> {
        (self.weight > 0.0 && self.weight.is_finite()).then(|| self.total / self.weight)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proportional_rows_predict_exactly() {
        let (rows, cols) = (3, 8);
        let mut grid = vec![0u32; rows * cols];
        for j in 0..cols {
            grid[cols + j] = 10 * (j as u32 + 1);
            grid[2 * cols + j] = 20 * (j as u32 + 1);
        }
        for (j, v) in grid[..4].iter_mut().enumerate() {
            *v = 5 * (j as u32 + 1);
        }
        let mut fits = Fits::new(rows, cols, false, &Masks::none(rows, cols));
        let p = fits.predict_by_rows(&grid, 0, 4).unwrap();
        assert!((p - 25.0).abs() < 0.5, "{p}");
    }

    #[test]
    fn sliding_matches_fresh_sums() {
        let (rows, cols) = (20, 30);
        let grid: Vec<u32> = (0..rows * cols).map(|x| (x as u32 * 7919) % 101).collect();
        let mut slid = Fits::new(rows, cols, false, &Masks::none(rows, cols));
        for j in 1..cols {
            slid.predict_by_rows(&grid, 3, j);
        }
        let j = cols - 1;
        for a in 1..=CANDIDATES {
            let mut fresh = [0.0; 5];
            for c in j - SPAN..j {
                slide(&mut fresh, Some((grid[3 * cols + c], grid[(3 + a) * cols + c])), None);
            }
            assert_eq!(slid.row_sums[3 * CANDIDATES + a - 1], fresh, "candidate {a}");
        }
    }
}
