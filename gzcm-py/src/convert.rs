//! `convert_to_gzcm`: any source (a path `gzcm convert` reads, including `.cool`, `.mcool`,
//! `.hic` and `.gzcm`; a numpy array; scipy.sparse triples) streamed into a new `.gzcm` file
//! through the pipeline the CLI uses (`gzcm-convert`), optionally with the v4 adaptive codec
//! choice.
//!
//! This module only carries the Python arguments into one [`Settings`]: the defaults and every
//! check are the shared policy's (`gzcm_convert::policy`), whose errors are reworded here with
//! the Python parameter names ([`Params`]).

use std::path::Path;
use std::sync::Arc;

use gzcm_convert::{
    CellInput, Conversion, ConvertError, InputOptions, PickerArgs, Progress, Setting, Settings, Spelling,
};
use gzcm_io::{CellStream, CellValue, SourceInfo};
use gzcm_picker::{Goal, Weights};
use pyo3::prelude::*;

use crate::errors::{AnyError, BindingError};
use crate::memory::MemoryMatrix;

/// Where the cells come from.
pub(crate) enum Input {
    /// Anything `gzcm convert` reads, with what describes it beyond the path.
    Path {
        /// The path (or `file.mcool::/resolutions/R`, or a `synthetic:` spec).
        src: String,
        /// Symmetry, Hi-C options, bins file.
        options: InputOptions,
    },
    /// A matrix handed over from Python.
    Memory(MemoryMatrix),
}

impl CellInput for MemoryMatrix {
    fn info(&self) -> &SourceInfo {
        MemoryMatrix::info(self)
    }

    fn cells<T: CellValue>(&self) -> Result<CellStream<T>, ConvertError> {
        Ok(MemoryMatrix::cells(self))
    }
}

/// The writer settings as `convert_to_gzcm` passes them (a dict, one key per parameter; `None`
/// leaves the policy's default).
#[derive(FromPyObject)]
pub(crate) struct PyConvertOptions {
    #[pyo3(item)]
    version: Option<u32>,
    #[pyo3(item)]
    codec: Option<String>,
    #[pyo3(item)]
    level: Option<i32>,
    #[pyo3(item)]
    adaptive: Option<bool>,
    #[pyo3(item)]
    codec_candidates: Option<Vec<String>>,
    #[pyo3(item)]
    picker_goal: Option<String>,
    #[pyo3(item)]
    picker_weights: Option<(f64, f64, f64)>,
    #[pyo3(item)]
    tile_size: Option<u32>,
    #[pyo3(item)]
    tile_size_auto: bool,
    #[pyo3(item)]
    dtype: Option<String>,
    #[pyo3(item)]
    overwrite: bool,
    #[pyo3(item)]
    progress: Option<Py<PyAny>>,
}

/// The Python callback as the pipeline's progress: it shows the writer's bands.
struct Bands(Py<PyAny>);

impl Progress for Bands {
    fn bands(&self, done: u32, total: u32) {
        Python::with_gil(|py| {
            if let Err(err) = self.0.call1(py, (done, total)) {
                err.write_unraisable(py, None);
            }
        });
    }
}

impl PyConvertOptions {
    /// The request as the shared policy takes it.
    pub(crate) fn into_settings(self) -> Result<Settings, AnyError> {
        let goal = match self.picker_goal.as_deref() {
            Some(name) => name.parse::<Goal>()?,
            None => gzcm_convert::policy::DEFAULT_GOAL,
        };
        let weights = match self.picker_weights {
            Some((decode, size, encode)) => Some(Weights::new(decode, size, encode)?),
            None => None,
        };
        let dtype = self.dtype.as_deref().map(gzcm_convert::dtype_named).transpose();
        let dtype = dtype.map_err(|e| BindingError::InvalidArgument(e.spelled(&Params)))?;
        let defaults = Settings::default();
        let tile_size = if self.tile_size_auto { None } else { self.tile_size.or(defaults.tile_size) };
        let mut settings = Settings {
            version: self.version,
            codec: self.codec,
            level: self.level,
            adaptive: self.adaptive,
            picker: PickerArgs {
                candidates: self.codec_candidates.unwrap_or_default(),
                goal,
                weights,
                normalisation: None,
                level: None,
            },
            tile_size,
            dtype,
            overwrite: self.overwrite,
            writer: format!("gzcm-py {}", env!("CARGO_PKG_VERSION")),
            ..defaults
        };
        if let Some(progress) = self.progress {
            settings.progress = Arc::new(Bands(progress));
        }
        Ok(settings)
    }
}

/// Settings as `convert_to_gzcm` spells them: its parameter names, `version=3`,
/// `codec='lz4'`, `adaptive_codec=True`.
pub(crate) struct Params;

impl Spelling for Params {
    fn setting(&self, setting: Setting) -> String {
        match setting {
            Setting::Adaptive => "adaptive_codec=True".to_owned(),
            other => other.name().to_owned(),
        }
    }

    fn assignment(&self, setting: Setting, value: &str) -> String {
        match setting {
            _ if setting.is_switch() => self.setting(setting),
            _ if setting.is_text() => format!("{}={value:?}", setting.name()),
            _ => format!("{}={value}", setting.name()),
        }
    }
}

/// Writes `input` into a new `.gzcm` file at `dst` as `settings` ask.
pub(crate) fn convert(input: &Input, dst: &Path, settings: &Settings) -> Result<Conversion, AnyError> {
    let converted = match input {
        Input::Path { src, options } => gzcm_convert::convert(src, dst, settings, options),
        Input::Memory(matrix) => {
            gzcm_convert::convert_cells(matrix, dst, settings, None).map(Conversion::File)
        }
    };
    converted.map_err(|error| match error {
        ConvertError::Setting(setting) => BindingError::InvalidArgument(setting.spelled(&Params)).into(),
        other => other.into(),
    })
}
