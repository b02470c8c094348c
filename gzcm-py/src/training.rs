//! `_native.prepare_window`: what a training window holds, computed in one pass over a decoded
//! window. Each cell is balanced (`count · w_row · w_col`), divided by the expected of its
//! diagonal (observed/expected), masked near the diagonal, transformed (`log1p`, `log`),
//! clipped and, where it is not finite, filled: the per-window arithmetic of
//! `gzcm.GzcmDataset`, with the GIL released.

use ndarray::Array2;
use numpy::{PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::prelude::*;

use crate::arrays::matrix_to_array;
use crate::errors::{BindingError, binding_error};

/// The transform applied to each cell after balancing and O/E.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Transform {
    /// The value as it is.
    Identity,
    /// `ln(1 + x)`.
    Log1p,
    /// `ln(x)` (`-inf` at 0, NaN below).
    Log,
}

impl Transform {
    fn parse(name: &str) -> Result<Self, BindingError> {
        match name {
            "none" => Ok(Transform::Identity),
            "log1p" => Ok(Transform::Log1p),
            "log" => Ok(Transform::Log),
            other => Err(BindingError::InvalidArgument(format!(
                "transform must be \"none\", \"log1p\" or \"log\" here, got {other:?}"
            ))),
        }
    }

    fn apply(self, x: f64) -> f64 {
        // Most cells of a Hi-C window are 0 (or NaN at masked bins): no logarithm for them.
        if x == 0.0 {
            return if self == Transform::Log { f64::NEG_INFINITY } else { 0.0 };
        }
        if x.is_nan() {
            return x;
        }
        match self {
            Transform::Identity => x,
            Transform::Log1p => x.ln_1p(),
            Transform::Log => x.ln(),
        }
    }
}

/// Everything the pass needs besides the counts.
struct Recipe<'a> {
    row_weights: Option<&'a [f64]>,
    col_weights: Option<&'a [f64]>,
    expected: Option<&'a [f64]>,
    diag_shift: i64,
    diagonal_offset: u64,
    transform: Transform,
    clip: Option<(f64, f64)>,
    nan_to: Option<f64>,
}

/// The prepared window (row-major), its mask (finite before `nan_to`) and how many cells were
/// non-zero and finite before the transform outside the masked diagonals.
struct Prepared {
    values: Vec<f32>,
    mask: Vec<bool>,
    nonzero: u64,
}

impl Recipe<'_> {
    /// The pass over `counts`, row-major `rows × cols` (the caller checked the lengths), one
    /// row at a time in stages simple enough for the compiler to vectorise: counts as f64,
    /// balance, divide by the expected, mask near the diagonal, count, transform, clip, fill.
    fn run<T: Copy + Into<f64>>(&self, counts: &[T], cols: usize) -> Prepared {
        let cols = cols.max(1);
        let mut values = vec![0.0f32; counts.len()];
        let mut mask = vec![false; counts.len()];
        let mut row_values = vec![0.0f64; cols];
        let mut nonzero = 0;
        let rows =
            counts.chunks_exact(cols).zip(values.chunks_exact_mut(cols)).zip(mask.chunks_exact_mut(cols));
        for (a, ((row, out), ok)) in rows.enumerate() {
            for (x, &count) in row_values.iter_mut().zip(row) {
                *x = count.into();
            }
            if let (Some(rw), Some(cw)) = (self.row_weights, self.col_weights) {
                let w = rw[a];
                for (x, &v) in row_values.iter_mut().zip(cw) {
                    *x *= w * v;
                }
            }
            // Cell (a, b) lies `|diagonal - b|` from the matrix diagonal. Window edges are far
            // below i64::MAX (they index allocated arrays).
            let diagonal = self.diag_shift + a as i64;
            if let Some(expected) = self.expected {
                divide_by_distance(&mut row_values, diagonal, expected);
            }
            if self.diagonal_offset > 0 {
                let reach = i64::try_from(self.diagonal_offset).unwrap_or(i64::MAX) - 1;
                let first = diagonal.saturating_sub(reach).clamp(0, cols as i64) as usize;
                let last = diagonal.saturating_add(reach).saturating_add(1).clamp(0, cols as i64) as usize;
                row_values[first..last.max(first)].fill(f64::NAN);
            }
            nonzero += row_values.iter().filter(|x| x.is_finite() && **x != 0.0).count() as u64;
            if self.transform != Transform::Identity {
                for x in &mut row_values {
                    *x = self.transform.apply(*x);
                }
            }
            if let Some((lo, hi)) = self.clip {
                for x in &mut row_values {
                    // As numpy's clip: NaN stays NaN, ±inf go to the bounds.
                    if !x.is_nan() {
                        *x = x.clamp(lo, hi);
                    }
                }
            }
            let fill = self.nan_to;
            for ((o, m), &x) in out.iter_mut().zip(ok.iter_mut()).zip(&row_values) {
                let finite = x.is_finite();
                *m = finite;
                *o = match fill {
                    Some(fill) if !finite => fill as f32,
                    _ => x as f32,
                };
            }
        }
        Prepared { values, mask, nonzero }
    }
}

/// Divides each cell `b` of a row by `expected[|diagonal - b|]` (NaN past its end). The
/// distances fall to the diagonal, then rise from it, so each run is a plain slice of
/// `expected` (reversed on the left) rather than a lookup per cell.
fn divide_by_distance(row: &mut [f64], diagonal: i64, expected: &[f64]) {
    // Window edges and expected lengths are far below i64::MAX (they index allocations).
    let (cols, len) = (row.len() as i64, expected.len() as i64);
    // Left of the diagonal (b <= diagonal): distance diagonal - b, known while below len.
    let left_end = (diagonal + 1).clamp(0, cols);
    let split = (diagonal - len + 1).clamp(0, left_end);
    row[..split as usize].fill(f64::NAN);
    if split < left_end {
        let (nearest, farthest) = ((diagonal - (left_end - 1)) as usize, (diagonal - split) as usize);
        let cells = &mut row[split as usize..left_end as usize];
        for (x, &e) in cells.iter_mut().zip(expected[nearest..=farthest].iter().rev()) {
            *x /= e;
        }
    }
    // Right of it: distance b - diagonal, from left_end - diagonal (>= 1) upwards.
    let first = left_end - diagonal;
    let known = (len - first).clamp(0, cols - left_end);
    let (inside, past) = row[left_end as usize..].split_at_mut(known as usize);
    if known > 0 {
        for (x, &e) in inside.iter_mut().zip(&expected[first as usize..]) {
            *x /= e;
        }
    }
    past.fill(f64::NAN);
}

/// A decoded window of either cell type.
enum Counts<'py> {
    U32(PyReadonlyArray2<'py, u32>),
    F32(PyReadonlyArray2<'py, f32>),
    F64(PyReadonlyArray2<'py, f64>),
}

fn counts_of<'py>(py: Python<'py>, counts: &Bound<'py, PyAny>) -> PyResult<Counts<'py>> {
    if let Ok(a) = counts.extract::<PyReadonlyArray2<'py, u32>>() {
        return Ok(Counts::U32(a));
    }
    if let Ok(a) = counts.extract::<PyReadonlyArray2<'py, f32>>() {
        return Ok(Counts::F32(a));
    }
    if let Ok(a) = counts.extract::<PyReadonlyArray2<'py, f64>>() {
        return Ok(Counts::F64(a));
    }
    let message = "the window must be a 2-D uint32, float32 or float64 array".to_owned();
    Err(binding_error(py, &BindingError::InvalidArgument(message)))
}

/// The cells of a 1-D array, or an error for a non-contiguous one.
fn slice_of<'a>(
    array: &'a Option<PyReadonlyArray1<'_, f64>>,
) -> Result<Option<&'a [f64]>, numpy::NotContiguousError> {
    array.as_ref().map(|a| a.as_slice()).transpose()
}

/// Prepares one training window: `counts` (2-D, uint32/float32/float64) balanced with
/// `row_weights`/`col_weights` (one multiplicative weight per row and per column, or neither),
/// divided by `expected[|row - col|]` (the expected of the window's chromosome by distance;
/// `diag_shift` is the window's first row minus its first column), cells nearer the diagonal
/// than `diagonal_offset` set to NaN, then `transform` (`"none"`, `"log1p"`, `"log"`), `clip`
/// (`(lo, hi)`, as numpy's clip) and `nan_to` (the value of every non-finite cell).
///
/// Returns `(values float32, mask bool, nonzero)`: the mask is `True` where the value was
/// finite before `nan_to`; `nonzero` counts the cells, outside the masked diagonals, whose
/// balanced / O/E value was finite and non-zero before the transform.
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (counts, row_weights, col_weights, expected, diag_shift, diagonal_offset, transform, clip, nan_to))]
pub(crate) fn prepare_window<'py>(
    py: Python<'py>,
    counts: &Bound<'py, PyAny>,
    row_weights: Option<PyReadonlyArray1<'py, f64>>,
    col_weights: Option<PyReadonlyArray1<'py, f64>>,
    expected: Option<PyReadonlyArray1<'py, f64>>,
    diag_shift: i64,
    diagonal_offset: u64,
    transform: &str,
    clip: Option<(f64, f64)>,
    nan_to: Option<f64>,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>, u64)> {
    let invalid = |m: String| binding_error(py, &BindingError::InvalidArgument(m));
    let transform = Transform::parse(transform).map_err(|e| binding_error(py, &e))?;
    let counts = counts_of(py, counts)?;
    let dim = match &counts {
        Counts::U32(a) => (a.shape()[0], a.shape()[1]),
        Counts::F32(a) => (a.shape()[0], a.shape()[1]),
        Counts::F64(a) => (a.shape()[0], a.shape()[1]),
    };
    let contiguous = |name: &str| invalid(format!("{name} must be C-contiguous (np.ascontiguousarray)"));
    let (row_weights, col_weights) = match (
        slice_of(&row_weights).map_err(|_| contiguous("row_weights"))?,
        slice_of(&col_weights).map_err(|_| contiguous("col_weights"))?,
    ) {
        (Some(r), Some(c)) => (Some(r), Some(c)),
        (None, None) => (None, None),
        _ => return Err(invalid("give both row_weights and col_weights, or neither".to_owned())),
    };
    if let (Some(r), Some(c)) = (row_weights, col_weights)
        && (r.len() != dim.0 || c.len() != dim.1)
    {
        return Err(invalid(format!(
            "the weights ({} rows, {} columns) do not match the {}×{} window",
            r.len(),
            c.len(),
            dim.0,
            dim.1
        )));
    }
    if let Some((lo, hi)) = clip
        && (lo.is_nan() || hi.is_nan() || lo > hi)
    {
        return Err(invalid(format!("clip needs lo <= hi, got ({lo}, {hi})")));
    }
    let recipe = Recipe {
        row_weights,
        col_weights,
        expected: slice_of(&expected).map_err(|_| contiguous("expected"))?,
        diag_shift,
        diagonal_offset,
        transform,
        clip,
        nan_to,
    };
    let cols = dim.1;
    let prepared = match &counts {
        Counts::U32(a) => {
            let cells = a.as_slice().map_err(|_| contiguous("the window"))?;
            py.allow_threads(|| recipe.run(cells, cols))
        }
        Counts::F32(a) => {
            let cells = a.as_slice().map_err(|_| contiguous("the window"))?;
            py.allow_threads(|| recipe.run(cells, cols))
        }
        Counts::F64(a) => {
            let cells = a.as_slice().map_err(|_| contiguous("the window"))?;
            py.allow_threads(|| recipe.run(cells, cols))
        }
    };
    let shaped = |what: &str| invalid(format!("{what}: the window's cells do not fill its shape"));
    let values = Array2::from_shape_vec(dim, prepared.values).map_err(|_| shaped("values"))?;
    let mask = Array2::from_shape_vec(dim, prepared.mask).map_err(|_| shaped("mask"))?;
    Ok((matrix_to_array(py, values)?, matrix_to_array(py, mask)?, prepared.nonzero))
}
