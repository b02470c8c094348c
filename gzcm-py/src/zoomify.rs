//! Coarser resolutions of a `.gzcm` file with fixed genomic bins, through the command line's
//! code (`gzcm_convert::zoomify`): `zoomify` (the base and every coarser level into one
//! multi-resolution file, what `gzcm zoomify` writes), `zoomify_plan` (which resolutions) and
//! `zoomify_levels` (each coarse level written to its own single-resolution file). Weight
//! vectors are not summed: a coarse level has none.
//!
//! The settings go through the shared policy (`gzcm_convert::Settings`), whose errors are
//! reworded with the Python parameter names, as `convert_to_gzcm` does.

use std::path::PathBuf;

use gzcm_convert::Settings;
use gzcm_convert::zoomify::zoomify as zoomify_file;
use gzcm_convert::zoomify::{Base, Resolutions, ZoomifyError, coarsen_into};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::Params;
use crate::errors::{AnyError, BindingError};

/// The writer settings `zoomify_levels` takes (a dict; `None` leaves the policy's default).
#[derive(FromPyObject)]
pub(crate) struct PyZoomifyOptions {
    #[pyo3(item)]
    version: Option<u32>,
    #[pyo3(item)]
    codec: Option<String>,
    #[pyo3(item)]
    level: Option<i32>,
    #[pyo3(item)]
    tile_size: Option<u32>,
    #[pyo3(item)]
    overwrite: bool,
}

impl PyZoomifyOptions {
    fn into_settings(self) -> Settings {
        let defaults = Settings::default();
        Settings {
            version: self.version,
            codec: self.codec,
            level: self.level,
            tile_size: self.tile_size.or(defaults.tile_size),
            overwrite: self.overwrite,
            writer: format!("gzcm-py {}", env!("CARGO_PKG_VERSION")),
            ..defaults
        }
    }
}

/// A zoomify error as the Python exception, settings spelled as parameters.
fn in_params(error: ZoomifyError) -> AnyError {
    match error.setting() {
        Some(setting) => BindingError::InvalidArgument(setting.spelled(&Params)).into(),
        None => error.into(),
    }
}

/// The choice of resolutions from the keyword arguments: a list, `nice=True`, or
/// `base_multiples=True` (the default when nothing is given).
fn resolutions(list: Option<Vec<u64>>, nice: bool, base_multiples: bool) -> Result<Resolutions, AnyError> {
    match (list, nice, base_multiples) {
        (Some(list), false, false) => Ok(Resolutions::List(list)),
        (None, true, false) => Ok(Resolutions::Nice),
        (None, false, _) => Ok(Resolutions::BaseMultiples),
        _ => Err(BindingError::InvalidArgument(
            "give one of resolutions=[…], nice=True or base_multiples=True".to_owned(),
        )
        .into()),
    }
}

/// `(base resolution, [coarser resolutions])` of the `.gzcm` file at `src`.
#[pyfunction]
#[pyo3(signature = (src, resolutions=None, nice=false, base_multiples=false))]
pub(crate) fn zoomify_plan(
    py: Python<'_>,
    src: PathBuf,
    resolutions: Option<Vec<u64>>,
    nice: bool,
    base_multiples: bool,
) -> PyResult<(u64, Vec<u64>)> {
    let planned = py.allow_threads(|| {
        let choice = self::resolutions(resolutions, nice, base_multiples)?;
        let base = Base::open(&src).map_err(in_params)?;
        let plan = base.plan(&choice).map_err(in_params)?;
        Ok::<_, AnyError>((base.resolution(), plan))
    });
    planned.map_err(|e| e.into_py_err(py))
}

/// Writes the base `src` (a path, or `FILE::/resolutions/R`) and every coarser resolution into
/// the multi-resolution file `dst`, as `gzcm zoomify` does. Returns a dict: `path`, `bytes`,
/// `base`, `resolutions` (every one, base first) and `levels` (one dict per coarser level).
#[pyfunction]
#[pyo3(signature = (src, dst, options, resolutions=None, nice=false, base_multiples=false))]
pub(crate) fn zoomify<'py>(
    py: Python<'py>,
    src: String,
    dst: PathBuf,
    options: PyZoomifyOptions,
    resolutions: Option<Vec<u64>>,
    nice: bool,
    base_multiples: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let settings = options.into_settings();
    let zoomified = py.allow_threads(|| {
        let choice = self::resolutions(resolutions, nice, base_multiples)?;
        zoomify_file(&src, &dst, &choice, &settings).map_err(in_params)
    });
    let zoomified = zoomified.map_err(|e| e.into_py_err(py))?;
    let dict = PyDict::new(py);
    dict.set_item("path", &zoomified.path)?;
    dict.set_item("bytes", zoomified.file_bytes)?;
    dict.set_item("base", zoomified.base)?;
    let all: Vec<u64> =
        std::iter::once(zoomified.base).chain(zoomified.levels.iter().map(|l| l.resolution)).collect();
    dict.set_item("resolutions", all)?;
    let levels: Vec<Bound<'py, PyDict>> =
        zoomified.levels.into_iter().map(|level| level_dict(py, level)).collect::<PyResult<_>>()?;
    dict.set_item("levels", levels)?;
    Ok(dict)
}

/// One coarse level as a dict: `resolution`, `path`, `shape`, `nnz`, `tiles`, `bytes`.
fn level_dict(py: Python<'_>, level: gzcm_convert::zoomify::Level) -> PyResult<Bound<'_, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("resolution", level.resolution)?;
    dict.set_item("path", level.summary.path)?;
    dict.set_item("shape", level.summary.shape)?;
    dict.set_item("nnz", level.summary.nnz)?;
    dict.set_item("tiles", level.summary.tiles_stored)?;
    dict.set_item("bytes", level.summary.file_bytes)?;
    Ok(dict)
}

/// Writes each coarser level of the `.gzcm` file at `src` to its own file: `outputs` pairs
/// resolutions (increasing multiples of the base) with paths. Returns one dict per level.
#[pyfunction]
pub(crate) fn zoomify_levels<'py>(
    py: Python<'py>,
    src: PathBuf,
    outputs: Vec<(u64, PathBuf)>,
    options: PyZoomifyOptions,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let settings = options.into_settings();
    let levels = py.allow_threads(|| {
        let base = Base::open(&src).map_err(in_params)?;
        coarsen_into(&base, &outputs, &settings).map_err(in_params)
    });
    let levels = levels.map_err(|e| e.into_py_err(py))?;
    levels.into_iter().map(|level| level_dict(py, level)).collect()
}
