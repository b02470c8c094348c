//! The native half of the `gzcm` Python package (`gzcm._native`), built with PyO3 and maturin.
//!
//! The Python package (`python/gzcm/`) holds the public API (`gzcm.open`, `GzcmFile`,
//! `convert_to_gzcm`, `GzcmDataset`, the exception classes); this module gives it the Rust
//! reader, writer and registry. Every decode and every write runs with the GIL released.

mod arrays;
mod balance;
mod codecs;
mod convert;
mod errors;
mod load;
mod memory;
mod pixels;
mod plot;
mod pycodec;
mod reader;
mod training;
mod zoomify;

use std::path::PathBuf;
use std::sync::Arc;

use gzcm_convert::{HicOptions, InputOptions, WeightSelection, hic_input};
use gzcm_io::Shape;
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{Input, PyConvertOptions, convert};
use crate::errors::{AnyError, BindingError};
use crate::memory::{Cells, MemoryMatrix};
use gzcm_convert::{CollectionConverted, Conversion, Converted};

fn run_convert<'py>(
    py: Python<'py>,
    input: impl FnOnce() -> Result<Input, AnyError> + Send,
    dst: PathBuf,
    options: PyConvertOptions,
) -> PyResult<Bound<'py, PyDict>> {
    let settings = options.into_settings().map_err(|e| e.into_py_err(py))?;
    let result = py.allow_threads(|| convert(&input()?, &dst, &settings));
    match result.map_err(|e| e.into_py_err(py))? {
        Conversion::File(converted) => summary_dict(py, converted),
        Conversion::Collection(collection) => collection_dict(py, collection),
    }
}

/// A multi-resolution conversion's summary: the file's path, bytes and seconds, its
/// `resolutions`, and per resolution (`members[R]`) the summary a single-resolution conversion
/// gives (its `path` and `bytes` are those of the resolution's own file before assembly).
fn collection_dict(py: Python<'_>, collection: CollectionConverted) -> PyResult<Bound<'_, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("path", &collection.summary.path)?;
    dict.set_item("bytes", collection.summary.bytes)?;
    dict.set_item("resolutions", collection.summary.resolutions())?;
    let members = PyDict::new(py);
    let mut seconds = collection.summary.seconds;
    for (resolution, converted) in collection.members {
        seconds += converted.summary.seconds;
        members.set_item(resolution, summary_dict(py, converted)?)?;
    }
    dict.set_item("members", members)?;
    dict.set_item("seconds", seconds)?;
    Ok(dict)
}

fn summary_dict(py: Python<'_>, converted: Converted) -> PyResult<Bound<'_, PyDict>> {
    let summary = converted.summary;
    let dict = PyDict::new(py);
    dict.set_item("path", summary.path)?;
    dict.set_item("version", summary.version)?;
    dict.set_item("dtype", arrays::dtype_name(summary.dtype))?;
    dict.set_item("shape", summary.shape)?;
    dict.set_item("tile_size", summary.tile_size)?;
    dict.set_item("tiles", summary.tiles_stored)?;
    dict.set_item("tiles_total", summary.tiles_total)?;
    dict.set_item("nnz", summary.nnz)?;
    dict.set_item("bytes", summary.file_bytes)?;
    dict.set_item("payload_bytes", summary.payload_bytes)?;
    dict.set_item("dense_bytes", summary.dense_bytes)?;
    dict.set_item("ratio", summary.ratio)?;
    dict.set_item("seconds", summary.seconds)?;
    dict.set_item("codecs", summary.codec_counts)?;
    dict.set_item("picked", converted.decision.map(|d| d.winners().to_vec()))?;
    Ok(dict)
}

/// The `weights=` argument: `"all"`, `"none"`, `"a,b"`, or a sequence of names.
fn weight_selection(py: Python<'_>, weights: &Bound<'_, PyAny>) -> PyResult<WeightSelection> {
    if let Ok(text) = weights.extract::<String>() {
        return Ok(hic_input::selection(Some(&text)));
    }
    if let Ok(names) = weights.extract::<Vec<String>>() {
        return Ok(WeightSelection::Named(names));
    }
    let message = "weights must be \"all\", \"none\" or a list of weight vector names".to_owned();
    Err(errors::binding_error(py, &BindingError::InvalidArgument(message)))
}

/// Converts anything `gzcm convert` reads (`src` is a path, `file.mcool::/resolutions/R`, or a
/// `synthetic:` spec); the Hi-C arguments apply to `.cool`, `.mcool` and `.hic` inputs, `bins`
/// (a `.bins.tsv`) to COO text.
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (src, dst, symmetric, options, resolution=None, chrom=None, weights=None, bins=None, resolutions=None))]
fn convert_path<'py>(
    py: Python<'py>,
    src: String,
    dst: PathBuf,
    symmetric: Option<bool>,
    options: PyConvertOptions,
    resolution: Option<u64>,
    chrom: Option<String>,
    weights: Option<&Bound<'py, PyAny>>,
    bins: Option<PathBuf>,
    resolutions: Option<Vec<u64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let weights = match weights {
        Some(weights) => weight_selection(py, weights)?,
        None => WeightSelection::All,
    };
    let hic = HicOptions { resolution, resolutions, chrom, weights };
    let inputs = InputOptions { symmetric, shape: None, hic, bins };
    let open = move || Ok(Input::Path { src, options: inputs });
    run_convert(py, open, dst, options)
}

fn cells_of(py: Python<'_>, values: &Bound<'_, PyAny>) -> PyResult<Cells> {
    if let Ok(array) = values.extract::<PyReadonlyArray1<'_, u32>>() {
        return Ok(Cells::U32(Arc::new(array.as_array().to_vec())));
    }
    if let Ok(array) = values.extract::<PyReadonlyArray1<'_, f32>>() {
        return Ok(Cells::F32(Arc::new(array.as_array().to_vec())));
    }
    let message = "cell values must be a 1-D uint32 or float32 array".to_owned();
    Err(errors::binding_error(py, &BindingError::InvalidArgument(message)))
}

/// Converts a dense matrix handed over as row-major cells (`values`, 1-D) of `shape`.
#[pyfunction]
fn convert_dense<'py>(
    py: Python<'py>,
    values: &Bound<'py, PyAny>,
    shape: (u32, u32),
    symmetric: bool,
    dst: PathBuf,
    options: PyConvertOptions,
) -> PyResult<Bound<'py, PyDict>> {
    let cells = cells_of(py, values)?;
    let shape = Shape::new(shape.0, shape.1);
    let make = move || Ok(Input::Memory(MemoryMatrix::dense(shape, symmetric, cells).map_err(invalid)?));
    run_convert(py, make, dst, options)
}

/// Converts COO triples (`rows`, `cols`: uint32; `values`: uint32/float32) of `shape`.
#[allow(clippy::too_many_arguments)]
#[pyfunction]
fn convert_coo<'py>(
    py: Python<'py>,
    rows: PyReadonlyArray1<'py, u32>,
    cols: PyReadonlyArray1<'py, u32>,
    values: &Bound<'py, PyAny>,
    shape: (u32, u32),
    symmetric: bool,
    dst: PathBuf,
    options: PyConvertOptions,
) -> PyResult<Bound<'py, PyDict>> {
    let cells = cells_of(py, values)?;
    let (rows, cols) = (rows.as_array().to_vec(), cols.as_array().to_vec());
    let shape = Shape::new(shape.0, shape.1);
    let make =
        move || Ok(Input::Memory(MemoryMatrix::coo(shape, symmetric, rows, cols, cells).map_err(invalid)?));
    run_convert(py, make, dst, options)
}

fn invalid(error: memory::MemoryError) -> AnyError {
    BindingError::InvalidArgument(error.to_string()).into()
}

/// Panics in Rust on purpose: the test suite checks a panic surfaces as an exception
/// (`pyo3_runtime.PanicException`) instead of aborting the interpreter.
#[pyfunction]
fn _panic_for_test(message: &str) {
    panic!("{message}");
}

/// The `gzcm._native` module.
#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(codecs::list_codecs, module)?)?;
    module.add_function(wrap_pyfunction!(codecs::get_codec, module)?)?;
    module.add_function(wrap_pyfunction!(codecs::register_python_codec, module)?)?;
    module.add_function(wrap_pyfunction!(convert_path, module)?)?;
    module.add_function(wrap_pyfunction!(reader::resolutions, module)?)?;
    module.add_function(wrap_pyfunction!(balance::balance, module)?)?;
    module.add_function(wrap_pyfunction!(balance::expected, module)?)?;
    module.add_function(wrap_pyfunction!(convert_dense, module)?)?;
    module.add_function(wrap_pyfunction!(convert_coo, module)?)?;
    module.add_function(wrap_pyfunction!(load::load_pairs, module)?)?;
    module.add_function(wrap_pyfunction!(zoomify::zoomify, module)?)?;
    module.add_function(wrap_pyfunction!(plot::plot_data, module)?)?;
    module.add_function(wrap_pyfunction!(zoomify::zoomify_plan, module)?)?;
    module.add_function(wrap_pyfunction!(zoomify::zoomify_levels, module)?)?;
    module.add_function(wrap_pyfunction!(training::prepare_window, module)?)?;
    module.add_function(wrap_pyfunction!(_panic_for_test, module)?)?;
    module.add_class::<codecs::CodecHandle>()?;
    module.add_class::<reader::PyReader>()?;
    module.add_class::<balance::PyObservedExpected>()?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
