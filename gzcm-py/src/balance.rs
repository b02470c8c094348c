//! `gzcm.balance(path, …)` and `gzcm.expected(path, …)`: the `gzcm-balance` crate behind the
//! Python package. Balancing writes the file (atomically), so it is a module-level function
//! on a path rather than a method of a file opened read-only; both release the GIL.

use std::path::PathBuf;

use std::sync::OnceLock;

use gzcm_balance::{
    BalanceOptions, BalanceRequest, ExpectedOptions, ExpectedSource, ExpectedTable, ObservedExpected,
    Resolutions, StoredVector, cis_chrom, expected_for, read_bed, store_expected_file,
};
use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::arrays::matrix_to_array;
use crate::errors::{BindingError, balance_error, binding_error, container_error, oe_error};
use crate::reader::PyReader;

/// Balances `path` (at `resolution`, or every resolution) and stores the vector; returns one
/// dict of statistics per resolution balanced.
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (path, resolution, all_resolutions, method, mode, name, ignore_diags, min_nnz, min_count, mad_max, tol, max_iters, blacklist, force, memory))]
pub(crate) fn balance<'py>(
    py: Python<'py>,
    path: PathBuf,
    resolution: Option<u64>,
    all_resolutions: bool,
    method: &str,
    mode: &str,
    name: Option<String>,
    ignore_diags: u64,
    min_nnz: u64,
    min_count: f64,
    mad_max: f64,
    tol: Option<f64>,
    max_iters: Option<u64>,
    blacklist: Option<PathBuf>,
    force: bool,
    memory: u64,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let invalid = |m: String| binding_error(py, &BindingError::InvalidArgument(m));
    let mut options = BalanceOptions::for_method(method.parse().map_err(invalid)?);
    options.mode = mode.parse().map_err(invalid)?;
    options.ignore_diags = ignore_diags;
    options.min_nnz = min_nnz;
    options.min_count = min_count;
    options.mad_max = mad_max;
    options.tol = tol.unwrap_or(options.tol);
    options.max_iters = max_iters.unwrap_or(options.max_iters);
    options.memory = memory;
    let resolutions = if all_resolutions { Resolutions::All } else { Resolutions::One(resolution) };
    let mut request = BalanceRequest::new(resolutions, options);
    request.name = name;
    request.force = force;
    request.blacklist = blacklist;
    let stored = py.allow_threads(|| gzcm_balance::balance_file(&path, &request, &mut |_, _| {}));
    let stored = stored.map_err(|e| balance_error(py, &e))?;
    stored.iter().map(|s| stats(py, s)).collect()
}

fn stats<'py>(py: Python<'py>, stored: &StoredVector) -> PyResult<Bound<'py, PyDict>> {
    let o = &stored.outcome;
    let dict = PyDict::new(py);
    dict.set_item("resolution", stored.resolution)?;
    dict.set_item("name", &stored.name)?;
    dict.set_item("method", o.options.method.as_str())?;
    dict.set_item("mode", o.options.mode.as_str())?;
    dict.set_item("converged", o.converged)?;
    dict.set_item("unconverged_chroms", &o.unconverged_chroms)?;
    dict.set_item("tol", o.options.tol)?;
    dict.set_item("iterations", o.iterations)?;
    let one_or_list = |values: &[f64]| -> PyResult<PyObject> {
        match values {
            [one] => Ok(one.into_pyobject(py)?.into_any().unbind()),
            [] => Ok(py.None()),
            many => Ok(many.to_vec().into_pyobject(py)?.into_any().unbind()),
        }
    };
    dict.set_item("scale", one_or_list(&o.scale)?)?;
    dict.set_item("var", one_or_list(&o.variance)?)?;
    dict.set_item("masked_bins", o.masked_bins)?;
    dict.set_item("n_bins", o.weights.len())?;
    dict.set_item("seconds", o.seconds)?;
    dict.set_item("weights", o.weights.clone().into_pyarray(py))?;
    Ok(dict)
}

/// The cis expected of `path` at `resolution` as a dict of columns (name → array): the table
/// stored in the file when one matches, else computed; with `store`, computed and stored in
/// the file (an existing table under the same key needs `force`).
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (path, resolution, balance, ignore_diags, view, memory, store=false, force=false))]
pub(crate) fn expected<'py>(
    py: Python<'py>,
    path: PathBuf,
    resolution: Option<u64>,
    balance: Option<String>,
    ignore_diags: u64,
    view: Option<PathBuf>,
    memory: u64,
    store: bool,
    force: bool,
) -> PyResult<(Vec<&'static str>, Bound<'py, PyDict>)> {
    let reader = py
        .allow_threads(|| {
            let options = gzcm_container::ReaderOptions::new().cache_bytes(0);
            gzcm_container::open_resolution(&path, resolution, options)
        })
        .map_err(|e| container_error(py, &e))?;
    let mut options = ExpectedOptions::default();
    options.balance = balance;
    options.ignore_diags = ignore_diags;
    options.memory = memory;
    if let (Some(view), Some(genome)) = (&view, reader.genome()) {
        options.view = Some(read_bed(view, genome).map_err(|e| balance_error(py, &e))?);
    }
    let table = if store {
        drop(reader);
        py.allow_threads(|| store_expected_file(&path, resolution, &options, force))
    } else {
        py.allow_threads(|| expected_for(&reader, &options).map(|(table, _)| table))
    };
    let table = table.map_err(|e| balance_error(py, &e))?;
    Ok((table.columns(), columns(py, &table)?))
}

/// Observed/expected windows of one file for one weight vector and `ignore_diags`: the
/// expected is had (read from the file when a stored table matches, else computed) at the
/// first window and kept.
#[pyclass(frozen, name = "ObservedExpected", module = "gzcm._native")]
pub(crate) struct PyObservedExpected {
    weights: String,
    ignore_diags: u64,
    memory: u64,
    oe: OnceLock<ObservedExpected>,
}

#[pymethods]
impl PyObservedExpected {
    /// Windows balanced with `weights`, divided by the expected computed with `ignore_diags`
    /// (and `memory` bytes of decoded tiles, if computed).
    #[new]
    fn new(weights: String, ignore_diags: u64, memory: u64) -> Self {
        PyObservedExpected { weights, ignore_diags, memory, oe: OnceLock::new() }
    }

    /// `"stored"` or `"computed"` once the first window was read, else `None`.
    #[getter]
    fn source(&self) -> Option<&'static str> {
        self.oe.get().map(|oe| match oe.source() {
            ExpectedSource::Stored => "stored",
            ExpectedSource::Computed => "computed",
        })
    }

    /// The observed/expected window `rows r0..r1 × cols c0..c1` of `reader` (float64, NaN
    /// where undefined). A window that touches a trans block raises `InvalidInputError` before
    /// any expected is computed.
    #[allow(clippy::too_many_arguments)]
    fn window<'py>(
        &self,
        py: Python<'py>,
        reader: &PyReader,
        r0: u64,
        r1: u64,
        c0: u64,
        c1: u64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let reader = &reader.reader;
        let window = py.allow_threads(|| {
            let genome = reader
                .genome()
                .ok_or_else(|| gzcm_balance::BalanceError::NoGenome { path: reader.path().to_owned() })?;
            cis_chrom(genome, &(r0..r1), &(c0..c1))?;
            let oe = match self.oe.get() {
                Some(oe) => oe,
                None => {
                    let computed =
                        ObservedExpected::new(reader, &self.weights, self.ignore_diags, self.memory)?;
                    // Another thread may have set it first: either is the same expected.
                    self.oe.get_or_init(|| computed)
                }
            };
            oe.window(reader, r0..r1, c0..c1)
        });
        matrix_to_array(py, window.map_err(|e| oe_error(py, &e))?)
    }
}

fn columns<'py>(py: Python<'py>, table: &ExpectedTable) -> PyResult<Bound<'py, PyDict>> {
    let rows = &table.rows;
    let dict = PyDict::new(py);
    let floats = |f: &dyn Fn(&gzcm_balance::ExpectedRow) -> f64| {
        rows.iter().map(f).collect::<Vec<f64>>().into_pyarray(py)
    };
    let ints = |f: &dyn Fn(&gzcm_balance::ExpectedRow) -> u64| {
        rows.iter().map(f).collect::<Vec<u64>>().into_pyarray(py)
    };
    let regions: Vec<&str> = rows.iter().map(|r| r.region.as_str()).collect();
    dict.set_item("region1", regions.clone())?;
    dict.set_item("region2", regions)?;
    dict.set_item("dist", ints(&|r| r.dist))?;
    dict.set_item("dist_bp", ints(&|r| r.dist * table.bin_size))?;
    dict.set_item("n_total", ints(&|r| r.n_total))?;
    dict.set_item("n_valid", ints(&|r| r.n_valid))?;
    dict.set_item("count.sum", floats(&|r| r.count_sum))?;
    dict.set_item("count.avg", floats(&gzcm_balance::ExpectedRow::count_avg))?;
    if table.balanced {
        dict.set_item("balanced.sum", floats(&|r| r.balanced_sum))?;
        dict.set_item("balanced.avg", floats(&gzcm_balance::ExpectedRow::balanced_avg))?;
        dict.set_item("contact_frequency", floats(&gzcm_balance::ExpectedRow::balanced_avg))?;
    } else {
        dict.set_item("contact_frequency", floats(&gzcm_balance::ExpectedRow::count_avg))?;
    }
    Ok(dict)
}
