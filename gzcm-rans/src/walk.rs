//! The cell walk shared by encoder and decoder: masks, then every stored cell in row-major
//! order, each predicted from the tile model and its decoded neighbours.

use crate::bit::BitModel;
use crate::cdf::Cdf;
use crate::error::RansError;
use crate::fixed::{FRAC_BITS, MAX_LOG, ONE, exp2_q12, log2_q12};
use crate::io::{AdaptiveTables, IntTables, SymbolIo, code_uint, unzigzag, zigzag};
use crate::model::{LOG_BOUND, NEIGHBOURS, WEIGHTS};

/// Contexts below a prediction of `log2(λ + 1) = 2` (λ < 3), one per eighth of a doubling: the
/// zeros and ones of sparse maps live there.
const LOW_CONTEXTS: usize = 8;

/// Prediction contexts: [`LOW_CONTEXTS`], then one per half doubling of the predicted count.
pub(crate) const CONTEXTS: usize = LOW_CONTEXTS + ((MAX_LOG - 2 * ONE) >> (FRAC_BITS - 1)) as usize + 1;

/// The context of a prediction (`0..=MAX_LOG`).
#[inline]
fn context(pred: i32) -> usize {
    if pred < 2 * ONE {
        (pred >> (FRAC_BITS - 2)) as usize
    } else {
        LOW_CONTEXTS + ((pred - 2 * ONE) >> (FRAC_BITS - 1)) as usize
    }
}

/// Version 2: cells predicted below `log2(λ + 1) = 1` (λ < 1) first code a zero flag.
const ZERO_FLAG_LIMIT: i32 = 2 * ONE;

/// Zero-flag prediction levels: one per half doubling of the Q12 prediction `pred + 1`
/// (`1..=2^12`).
const ZERO_LEVELS: usize = 2 * FRAC_BITS as usize + 3;

/// Zero-flag contexts: one per prediction level.
const ZERO_CONTEXTS: usize = ZERO_LEVELS;

/// The zero-flag context of a prediction below [`ZERO_FLAG_LIMIT`].
#[inline]
fn zero_context(pred: i32) -> usize {
    let x = pred as u32 + 1;
    let bits = (u32::BITS - x.leading_zeros()) as usize;
    let half = if bits >= 2 { ((x >> (bits - 2)) & 1) as usize } else { 0 };
    2 * (bits - 1) + half
}

/// The bit length of the zig-zagged residual a context expects, where its table starts peaked:
/// about two standard deviations of an over-dispersed count, `sqrt(λ) + λ / 12`.
fn expected_length(ctx: usize) -> usize {
    if ctx < LOW_CONTEXTS {
        return 1;
    }
    let doublings = 2 + (ctx - LOW_CONTEXTS) / 2;
    (doublings / 2).max(doublings.saturating_sub(4)) + 2
}

/// Padding of the residual plane: two rows above, two columns left, one right.
const PAD_TOP: usize = 2;
const PAD_LEFT: usize = 2;
const PAD_COLS: usize = 3;

/// Which rows and columns of a tile are entirely zero (`true` = skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Masks {
    /// One flag per row.
    pub(crate) rows: Vec<bool>,
    /// One flag per column.
    pub(crate) cols: Vec<bool>,
}

impl Masks {
    /// The masks of a row-major tile; a symmetric tile skips a bin only when both its row and
    /// its column are empty (they are the same bin).
    pub(crate) fn of(values: &[u32], rows: usize, cols: usize, symmetric: bool) -> Self {
        let mut row_empty = vec![true; rows];
        let mut col_empty = vec![true; cols];
        for (i, row) in values.chunks_exact(cols).enumerate() {
            for (j, &v) in row.iter().enumerate() {
                if v != 0 {
                    row_empty[i] = false;
                    col_empty[j] = false;
                }
            }
        }
        if symmetric {
            for (r, c) in row_empty.iter_mut().zip(&mut col_empty) {
                *r &= *c;
                *c = *r;
            }
        }
        Self { rows: row_empty, cols: col_empty }
    }

    /// Codes the masks (the column mask only when not `symmetric`); decoding overwrites `self`.
    pub(crate) fn code<I: SymbolIo>(&mut self, io: &mut I, symmetric: bool) -> Result<(), RansError> {
        code_flags(io, &mut self.rows)?;
        if symmetric {
            self.cols.clone_from(&self.rows);
            Ok(())
        } else {
            code_flags(io, &mut self.cols)
        }
    }
}

/// Codes flags with the previous flag as context, so runs cost almost nothing.
fn code_flags<I: SymbolIo>(io: &mut I, flags: &mut [bool]) -> Result<(), RansError> {
    let mut cdfs = [Cdf::<1>::uniform(2), Cdf::<1>::uniform(2)];
    let mut prev = false;
    for flag in flags {
        *flag = io.symbol(&mut cdfs[usize::from(prev)], usize::from(*flag))? == 1;
        prev = *flag;
    }
    Ok(())
}

/// Everything the cell walk needs besides the values.
pub(crate) struct Plan<'a> {
    /// Tile rows.
    pub(crate) rows: usize,
    /// Tile columns.
    pub(crate) cols: usize,
    /// Only the upper triangle is stored (square tile, mirrored on decode).
    pub(crate) symmetric: bool,
    /// Empty rows and columns.
    pub(crate) masks: &'a Masks,
    /// Per-cell base, row-major, Q12.
    pub(crate) base: &'a [i32],
    /// Predictor weights.
    pub(crate) weights: &'a [i32; WEIGHTS],
    /// Payload version 2 and later: zero flags on cells predicted below λ = 1.
    pub(crate) zero_flags: bool,
}

impl Plan<'_> {
    /// Offsets of the neighbours in the padded residual plane, in weight order: left, up,
    /// up-left, up-right, two left, two up, two up two left, up two left, two up left.
    fn neighbour_offsets(&self) -> [usize; NEIGHBOURS] {
        let s = self.cols + PAD_COLS;
        [1, s, s + 1, s - 1, 2, 2 * s, 2 * s + 2, s + 2, 2 * s + 1]
    }

    /// The padded residual plane (zero where nothing is known).
    pub(crate) fn residual_plane(&self) -> Vec<i32> {
        vec![0; (self.rows + PAD_TOP) * (self.cols + PAD_COLS)]
    }

    /// Index of cell `(i, j)` in the padded plane.
    #[inline]
    fn at(&self, i: usize, j: usize) -> usize {
        (i + PAD_TOP) * (self.cols + PAD_COLS) + j + PAD_LEFT
    }

    /// The columns stored in row `i`.
    #[inline]
    pub(crate) fn first_col(&self, i: usize) -> usize {
        if self.symmetric { i } else { 0 }
    }

    /// The residual of count `v` against the base `b`, as the neighbours see it.
    #[inline]
    pub(crate) fn residual(v: u32, b: i32) -> i32 {
        (i64::from(log2_q12(u64::from(v) + 1)) - i64::from(b)).clamp(-LOG_BOUND, LOG_BOUND) as i32
    }

    /// Writes the residual of cell `(i, j)` (and of its mirror image in a symmetric tile).
    #[inline]
    pub(crate) fn store(&self, plane: &mut [i32], i: usize, j: usize, r: i32) {
        plane[self.at(i, j)] = r;
        if self.symmetric {
            plane[self.at(j, i)] = r;
        }
    }

    /// The neighbour residuals of cell `(i, j)` followed by its base (features of the predictor,
    /// without the bias).
    #[inline]
    pub(crate) fn features(&self, plane: &[i32], i: usize, j: usize) -> [i32; NEIGHBOURS + 1] {
        let p = self.at(i, j);
        let mut f = [0; NEIGHBOURS + 1];
        for (x, o) in f.iter_mut().zip(self.neighbour_offsets()) {
            *x = plane[p - o];
        }
        f[NEIGHBOURS] = self.base[i * self.cols + j];
        f
    }

    /// The predicted log2(count + 1), Q12, in `0..=MAX_LOG`, from a cell's features: the
    /// definition the walk's split sum ([`Plan::row_partials`] plus the left neighbours) must
    /// equal.
    #[cfg(test)]
    pub(crate) fn predict(&self, features: &[i32; NEIGHBOURS + 1]) -> i32 {
        let mut acc = i64::from(self.weights[WEIGHTS - 1]);
        for (&w, &x) in self.weights.iter().zip(features) {
            acc += i64::from(w) * i64::from(x);
        }
        (acc >> FRAC_BITS).clamp(0, i64::from(MAX_LOG)) as i32
    }

    /// The part of every prediction in row `i` that is known before the row is walked (the
    /// bias, the base term and the neighbours in the two rows above, a Q24 sum), written to
    /// `partial[first_col(i)..cols]`. The walk then adds only the two left neighbours, so the
    /// chain from one decoded cell to the next is short, and this loop vectorises; both sides
    /// sum the same integers, so predictions equal `Plan::predict`'s (a test checks it).
    fn row_partials(&self, plane: &[i32], i: usize, partial: &mut [i64]) {
        let (first, cols) = (self.first_col(i), self.cols);
        let partial = &mut partial[first..cols];
        let bias = i64::from(self.weights[WEIGHTS - 1]);
        let base_weight = i64::from(self.weights[NEIGHBOURS]);
        for (out, &b) in partial.iter_mut().zip(&self.base[i * cols + first..(i + 1) * cols]) {
            *out = bias + base_weight * i64::from(b);
        }
        let start = self.at(i, first);
        for (k, offset) in self.neighbour_offsets().into_iter().enumerate() {
            let w = i64::from(self.weights[k]);
            if k == LEFT || k == TWO_LEFT || w == 0 {
                continue;
            }
            let above = &plane[start - offset..start - offset + partial.len()];
            for (out, &r) in partial.iter_mut().zip(above) {
                *out += w * i64::from(r);
            }
        }
    }
}

/// Weight positions of the neighbours in the row being walked (left, two left); the others lie
/// in the rows above.
const LEFT: usize = 0;
const TWO_LEFT: usize = 4;

/// Fresh adaptive tables for the cells: each bit-length table peaked where its context expects.
/// With zero flags (version 2), the low contexts code counts less one, mostly zero.
pub(crate) fn adaptive_tables(zero_flags: bool) -> AdaptiveTables {
    if zero_flags {
        AdaptiveTables::new(CONTEXTS, |ctx| if ctx < LOW_CONTEXTS { 0 } else { expected_length(ctx) })
    } else {
        AdaptiveTables::new(CONTEXTS, expected_length)
    }
}

/// Codes every stored, unmasked cell of `values` (row-major `rows × cols`). Encoding reads the
/// values; decoding writes them (masked cells are left as they are: zero in a fresh buffer) and
/// mirrors a symmetric tile's upper triangle.
pub(crate) fn code_cells<I: SymbolIo, T: IntTables>(
    io: &mut I,
    plan: &Plan<'_>,
    tables: &mut T,
    values: &mut [u32],
) -> Result<(), RansError> {
    let mut plane = plan.residual_plane();
    let mut zero = [BitModel::new(); ZERO_CONTEXTS];
    let mut partial = vec![0i64; plan.cols];
    let (left_weight, two_left_weight) = (i64::from(plan.weights[LEFT]), i64::from(plan.weights[TWO_LEFT]));
    let cols = plan.cols;
    for i in 0..plan.rows {
        if plan.masks.rows[i] {
            continue;
        }
        plan.row_partials(&plane, i, &mut partial);
        for (j, &known) in partial.iter().enumerate().skip(plan.first_col(i)) {
            if plan.masks.cols[j] {
                continue;
            }
            let p = plan.at(i, j);
            let acc =
                known + left_weight * i64::from(plane[p - 1]) + two_left_weight * i64::from(plane[p - 2]);
            let pred = (acc >> FRAC_BITS).clamp(0, i64::from(MAX_LOG)) as i32;
            let ctx = context(pred);
            let idx = i * cols + j;
            let v = if plan.zero_flags && pred < ZERO_FLAG_LIMIT {
                // A flag, then the count less one: the zeros of sparse maps cost what their
                // odds say, not the floor of a multi-symbol table.
                if io.bit(&mut zero[zero_context(pred)], values[idx] != 0)? {
                    let above = code_uint(io, tables, ctx, u64::from(values[idx].saturating_sub(1)))?;
                    u32::try_from(above + 1)
                        .map_err(|_| RansError::Corrupt { reason: "decoded count outside 0..=u32::MAX" })?
                } else {
                    0
                }
            } else {
                let lambda = (exp2_q12(pred) - 1).min(u64::from(u32::MAX)) as i64;
                let z = code_uint(io, tables, ctx, zigzag(i64::from(values[idx]) - lambda))?;
                u32::try_from(lambda + unzigzag(z))
                    .map_err(|_| RansError::Corrupt { reason: "decoded count outside 0..=u32::MAX" })?
            };
            values[idx] = v;
            plan.store(&mut plane, i, j, Plan::residual(v, plan.base[idx]));
        }
    }
    if plan.symmetric {
        for i in 0..plan.rows {
            for j in i + 1..cols {
                values[j * cols + i] = values[i * cols + j];
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_split_prediction_equals_the_features_one() {
        let (rows, cols) = (9, 7);
        let mut state = 0x9e37_79b9_u32;
        let mut next = move |range: i32| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state % (2 * range as u32 + 1)) as i32 - range
        };
        let base: Vec<i32> = (0..rows * cols).map(|_| next(40_000)).collect();
        let mut weights = [0i32; WEIGHTS];
        weights.iter_mut().for_each(|w| *w = next(6_000));
        weights[WEIGHTS - 1] = next(1 << 26);
        for symmetric in [false, true] {
            let (rows, cols) = if symmetric { (cols, cols) } else { (rows, cols) };
            let masks = Masks { rows: vec![false; rows], cols: vec![false; cols] };
            let plan = Plan {
                rows,
                cols,
                symmetric,
                masks: &masks,
                base: &base,
                weights: &weights,
                zero_flags: true,
            };
            let mut plane = plan.residual_plane();
            let mut partial = vec![0i64; cols];
            for i in 0..rows {
                plan.row_partials(&plane, i, &mut partial);
                for (j, &known) in partial.iter().enumerate().skip(plan.first_col(i)) {
                    let p = plan.at(i, j);
                    let acc = known
                        + i64::from(weights[LEFT]) * i64::from(plane[p - 1])
                        + i64::from(weights[TWO_LEFT]) * i64::from(plane[p - 2]);
                    let split = (acc >> FRAC_BITS).clamp(0, i64::from(MAX_LOG)) as i32;
                    assert_eq!(split, plan.predict(&plan.features(&plane, i, j)), "cell ({i}, {j})");
                    plan.store(&mut plane, i, j, next(300_000));
                }
            }
        }
    }
}
