//! `load_pairs`: a pairs file to a `.gzcm` file at every resolution, through the command
//! line's code (`gzcm_convert::load`), with the same formats, filters, memory budget and
//! errors as `gzcm load`.

use std::path::PathBuf;

use gzcm_convert::Settings;
use gzcm_convert::load::{LoadOptions, Loaded, load};
use gzcm_pairs::{Filters, Format};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::{AnyError, BindingError};

/// What to read and how (a dict; `None` leaves the default).
#[derive(FromPyObject)]
pub(crate) struct PyLoadOptions {
    #[pyo3(item)]
    resolutions: Option<Vec<u64>>,
    #[pyo3(item)]
    base: Option<u64>,
    #[pyo3(item)]
    nice: bool,
    #[pyo3(item)]
    format: Option<String>,
    #[pyo3(item)]
    chromsizes: Option<PathBuf>,
    #[pyo3(item)]
    assembly: Option<String>,
    #[pyo3(item)]
    min_mapq: Option<u32>,
    #[pyo3(item)]
    max_distance: Option<u64>,
    #[pyo3(item)]
    skip_bad_lines: bool,
    #[pyo3(item)]
    memory: Option<u64>,
    #[pyo3(item)]
    codec: Option<String>,
    #[pyo3(item)]
    level: Option<i32>,
    #[pyo3(item)]
    version: Option<u32>,
    #[pyo3(item)]
    tile_size: Option<u32>,
    #[pyo3(item)]
    tile_groups: bool,
    #[pyo3(item)]
    overwrite: bool,
}

impl PyLoadOptions {
    fn options(&self) -> Result<LoadOptions, AnyError> {
        let invalid = |message: String| AnyError::from(BindingError::InvalidArgument(message));
        let mut options = LoadOptions::choose(self.resolutions.as_deref(), self.base, self.nice)?;
        options.format = self.format.as_deref().map(str::parse::<Format>).transpose().map_err(invalid)?;
        options.chromsizes.clone_from(&self.chromsizes);
        options.assembly.clone_from(&self.assembly);
        options.filters = Filters {
            min_mapq: self.min_mapq,
            max_distance: self.max_distance,
            skip_bad_lines: self.skip_bad_lines,
        };
        if let Some(memory) = self.memory {
            options.memory = memory;
        }
        Ok(options)
    }

    fn settings(&self) -> Settings {
        let defaults = Settings::default();
        Settings {
            version: self.version,
            codec: self.codec.clone(),
            level: self.level,
            tile_size: self.tile_size.or(defaults.tile_size),
            overwrite: self.overwrite,
            tile_groups: (!self.tile_groups).then_some(false),
            writer: format!("gzcm-py {}", env!("CARGO_PKG_VERSION")),
            ..defaults
        }
    }
}

/// Loads the pairs file `src` into the `.gzcm` file `dst`. Returns a dict: `path`, `bytes`,
/// `format`, `resolutions`, `base_pixels`, `runs`, and the line counts (`lines`, `loaded`,
/// `contacts`, `zero_counts`, `below_min_mapq`, `beyond_max_distance`, `skipped` by class,
/// `first_skipped`).
#[pyfunction]
pub(crate) fn load_pairs<'py>(
    py: Python<'py>,
    src: PathBuf,
    dst: PathBuf,
    options: PyLoadOptions,
) -> PyResult<Bound<'py, PyDict>> {
    let loaded = py.allow_threads(|| {
        let settings = options.settings();
        let options = options.options()?;
        load(&src, &dst, &options, &settings).map_err(AnyError::from)
    });
    let loaded = loaded.map_err(|e| e.into_py_err(py))?;
    report(py, loaded)
}

fn report(py: Python<'_>, loaded: Loaded) -> PyResult<Bound<'_, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("path", &loaded.path)?;
    dict.set_item("bytes", loaded.file_bytes)?;
    dict.set_item("format", loaded.format.name())?;
    let all: Vec<u64> =
        std::iter::once(loaded.base).chain(loaded.levels.iter().map(|l| l.resolution)).collect();
    dict.set_item("resolutions", all)?;
    dict.set_item("base_pixels", loaded.base_pixels)?;
    dict.set_item("runs", loaded.runs)?;
    let tally = &loaded.tally;
    dict.set_item("lines", tally.lines)?;
    dict.set_item("loaded", tally.loaded)?;
    dict.set_item("contacts", tally.contacts)?;
    dict.set_item("zero_counts", tally.zero_counts)?;
    dict.set_item("below_min_mapq", tally.below_min_mapq)?;
    dict.set_item("beyond_max_distance", tally.beyond_max_distance)?;
    let skipped = PyDict::new(py);
    for (class, n) in &tally.skipped {
        skipped.set_item(*class, *n)?;
    }
    dict.set_item("skipped", skipped)?;
    dict.set_item("first_skipped", tally.first_skipped.as_ref().map(ToString::to_string))?;
    Ok(dict)
}
