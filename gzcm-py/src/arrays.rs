//! Tiles and numpy arrays: decoded tiles become arrays without a copy of their cells; arrays
//! become tiles after a dtype and shape check.

use gzcm::{Dtype, TileData, TileShape};
use ndarray::Array2;
use numpy::{PyArray1, PyArrayMethods, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::prelude::*;

/// The numpy name of a cell type.
pub(crate) fn dtype_name(dtype: Dtype) -> &'static str {
    match dtype {
        Dtype::U32 => "uint32",
        Dtype::F32 => "float32",
        // `Dtype` may grow; its own name is then the best guess.
        other => other.name(),
    }
}

/// Parses a numpy dtype name (`uint32` / `float32`, or gzcm's `u32` / `f32`).
pub(crate) fn parse_dtype(name: &str) -> Option<Dtype> {
    match name {
        "uint32" | "u32" | "<u4" => Some(Dtype::U32),
        "float32" | "f32" | "<f4" => Some(Dtype::F32),
        _ => Dtype::from_name(name),
    }
}

/// Moves a row-major vector into a 2-D numpy array of `rows × cols` (no copy of the cells).
fn vec_to_array<'py, T: numpy::Element>(
    py: Python<'py>,
    cells: Vec<T>,
    rows: usize,
    cols: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let flat = PyArray1::from_vec(py, cells);
    Ok(flat.reshape([rows, cols])?.into_any())
}

fn into_row_major<T: Clone>(array: Array2<T>) -> (Vec<T>, usize, usize) {
    let (rows, cols) = array.dim();
    let array = if array.is_standard_layout() { array } else { array.as_standard_layout().into_owned() };
    let (cells, offset) = array.into_raw_vec_and_offset();
    debug_assert_eq!(offset.unwrap_or(0), 0);
    (cells, rows, cols)
}

/// A decoded tile (or region) as a numpy array of its dtype.
pub(crate) fn tile_to_array(py: Python<'_>, tile: TileData) -> PyResult<Bound<'_, PyAny>> {
    match tile {
        TileData::U32(array) => matrix_to_array(py, array),
        TileData::F32(array) => matrix_to_array(py, array),
    }
}

/// A 2-D array as a numpy array of its element type (no copy of a row-major array's cells).
pub(crate) fn matrix_to_array<T: numpy::Element + Clone>(
    py: Python<'_>,
    array: Array2<T>,
) -> PyResult<Bound<'_, PyAny>> {
    let (cells, rows, cols) = into_row_major(array);
    vec_to_array(py, cells, rows, cols)
}

/// Why an array cannot be a tile.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ArrayError {
    /// The array's dtype is neither uint32 nor float32.
    #[error("expected a 2-D uint32 or float32 array, got dtype {found}")]
    Dtype {
        /// The numpy dtype found.
        found: String,
    },
    /// The array's shape differs from the one required.
    #[error("expected an array of shape ({rows}, {cols}), got {found:?}")]
    Shape {
        /// Rows required.
        rows: u32,
        /// Columns required.
        cols: u32,
        /// Shape found.
        found: Vec<usize>,
    },
    /// The array's dtype differs from the one required.
    #[error("expected a {expected} array, got {found}")]
    WrongDtype {
        /// The dtype asked for.
        expected: &'static str,
        /// The dtype found.
        found: String,
    },
    /// An edge is zero or beyond the tile limit.
    #[error("array of shape {found:?} is not a valid tile (each edge must be within 1..=4096)")]
    BadTileShape {
        /// Shape found.
        found: Vec<usize>,
    },
}

/// Copies a 2-D array of `T` into an owned ndarray; `None` when the array holds another type.
fn copy_typed<T: numpy::Element + Copy>(array: &Bound<'_, PyAny>) -> Option<Array2<T>> {
    let array = array.extract::<PyReadonlyArray2<'_, T>>().ok()?;
    let (rows, cols) = (array.shape()[0], array.shape()[1]);
    let cells: Vec<T> = match array.as_slice() {
        Ok(slice) => slice.to_vec(),
        Err(_) => array.as_array().iter().copied().collect(),
    };
    Array2::from_shape_vec((rows, cols), cells).ok()
}

/// A 2-D uint32/float32 numpy array as a tile (copied). `expected` pins shape and dtype.
pub(crate) fn array_to_tile(
    array: &Bound<'_, PyAny>,
    expected: Option<(TileShape, Dtype)>,
) -> Result<TileData, ArrayError> {
    let dtype_of = || array.getattr("dtype").and_then(|d| d.str()).map(|s| s.to_string()).unwrap_or_default();
    let tile = if let Some(cells) = copy_typed::<u32>(array) {
        TileData::U32(cells)
    } else if let Some(cells) = copy_typed::<f32>(array) {
        TileData::F32(cells)
    } else {
        return Err(ArrayError::Dtype { found: dtype_of() });
    };
    let shape = tile.shape();
    let found = vec![shape.rows as usize, shape.cols as usize];
    if TileShape::checked(shape.rows, shape.cols).is_err() {
        return Err(ArrayError::BadTileShape { found });
    }
    if let Some((want, want_dtype)) = expected {
        if want != shape {
            return Err(ArrayError::Shape { rows: want.rows, cols: want.cols, found });
        }
        if want_dtype != tile.dtype() {
            return Err(ArrayError::WrongDtype { expected: dtype_name(want_dtype), found: dtype_of() });
        }
    }
    Ok(tile)
}
