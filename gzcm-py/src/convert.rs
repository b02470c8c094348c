//! `convert_to_gzcm`: any source (a path `gzcm convert` reads, including `.cool`, `.mcool` and
//! `.hic`; a numpy array; scipy.sparse triples) streamed into a new `.gzcm` file through the
//! pipeline the CLI uses (`gzcm-convert`), optionally with the v4 adaptive codec choice.

use std::path::PathBuf;
use std::sync::Arc;

use gzcm::Dtype;
use gzcm_convert::{CellInput, ConvertError, Converted, InputOptions, PickerArgs, Progress, Settings};
use gzcm_io::{CellStream, CellValue, SourceInfo};
use gzcm_picker::Weights;

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

/// How to write.
pub(crate) struct ConvertOptions {
    /// Output path.
    pub(crate) dst: PathBuf,
    /// Format version.
    pub(crate) version: u32,
    /// The codec; `None` leaves the default (zstd for versions 3 and 4, none for 1 and 2).
    pub(crate) codec: Option<String>,
    /// Pick a codec per region (v4).
    pub(crate) adaptive: bool,
    /// Tile edge.
    pub(crate) tile_size: Option<u32>,
    /// Stored cell type; `None` keeps the source's.
    pub(crate) dtype: Option<Dtype>,
    /// Picker criterion weights (decode, size, encode).
    pub(crate) weights: (f64, f64, f64),
    /// Replace an existing output.
    pub(crate) overwrite: bool,
    /// Called after every band with `(bands_done, bands_total)`.
    pub(crate) progress: Option<Arc<dyn Fn(u32, u32) + Send + Sync>>,
}

/// The Python callback as the pipeline's progress: it shows the writer's bands.
struct Bands(Arc<dyn Fn(u32, u32) + Send + Sync>);

impl Progress for Bands {
    fn bands(&self, done: u32, total: u32) {
        (self.0)(done, total);
    }
}

impl ConvertOptions {
    fn settings(&self) -> Result<Settings, AnyError> {
        if self.adaptive && self.version != 4 {
            return Err(BindingError::InvalidArgument(format!(
                "adaptive_codec=True needs version=4 (the per-region choice is recorded in v4 files), got version={}",
                self.version
            ))
            .into());
        }
        if let (true, Some(codec)) = (self.adaptive, &self.codec) {
            return Err(BindingError::InvalidArgument(format!(
                "codec={codec:?} and adaptive_codec=True exclude each other: the picker chooses each region's codec"
            ))
            .into());
        }
        let adaptive = if self.adaptive {
            let (decode, size, encode) = self.weights;
            Some(PickerArgs { weights: Some(Weights::new(decode, size, encode)?), ..PickerArgs::default() })
        } else {
            None
        };
        let mut settings = Settings {
            version: Some(self.version),
            codec: self.codec.clone(),
            adaptive,
            tile_size: self.tile_size,
            dtype: self.dtype,
            overwrite: self.overwrite,
            writer: format!("gzcm-py {}", env!("CARGO_PKG_VERSION")),
            ..Settings::default()
        };
        if let Some(progress) = &self.progress {
            settings.progress = Arc::new(Bands(Arc::clone(progress)));
        }
        Ok(settings)
    }
}

/// Writes `input` as described by `options`.
pub(crate) fn convert(input: &Input, options: &ConvertOptions) -> Result<Converted, AnyError> {
    let settings = options.settings()?;
    let converted = match input {
        Input::Path { src, options: inputs } => gzcm_convert::convert(src, &options.dst, &settings, inputs)?,
        Input::Memory(matrix) => gzcm_convert::convert_cells(matrix, &options.dst, &settings, None)?,
    };
    Ok(converted)
}
