//! `zoomify`: coarser resolutions of a `.gzcm` file with fixed genomic bins, summed within
//! chromosomes with `cooler zoomify`'s semantics (the last bin of a chromosome is shorter; see
//! [`bins`]), pixel for pixel what cooler writes for the same `.cool`.
//!
//! - [`plan`]: which resolutions ([`Resolutions`]: a checked list, or cooler's `--nice` and
//!   base-multiple progressions up to the genome-sized top);
//! - [`bins`]: the base → coarse bin map ([`BinMap`]);
//! - `coarsen`: the streaming pass that writes every level at once, one base band at a time.
//!
//! Each coarse level is an ordinary single-resolution `.gzcm` file (a genome of fixed bins at
//! its resolution, the base's chromosomes, the codec, version and tile size [`Settings`]
//! resolve for `convert`), so assembling them into a multi-resolution file is a separate step.
//! Weight vectors are not summed (a coarse level has none: balance it anew); the base keeps its
//! own.
//!
//! ```no_run
//! use gzcm_convert::Settings;
//! use gzcm_convert::zoomify::{Base, Resolutions, coarsen_into};
//!
//! let base = Base::open("yeast.gzcm".as_ref())?;
//! let plan = base.plan(&Resolutions::Nice)?;
//! let outputs: Vec<_> = plan.iter().map(|r| (*r, format!("yeast.{r}.gzcm").into())).collect();
//! for level in coarsen_into(&base, &outputs, &Settings::default())? {
//!     println!("{} bp: {} non-zeros", level.resolution, level.summary.nnz);
//! }
//! # Ok::<(), gzcm_convert::zoomify::ZoomifyError>(())
//! ```

mod assemble;
pub mod bins;
mod coarsen;
pub mod error;
pub mod plan;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gzcm::Dtype;
use gzcm_container::{Bins, Genome, Metadata, Reader, ReaderOptions, WriteSummary};

pub use assemble::{Zoomified, zoomify};
pub use bins::BinMap;
pub use error::ZoomifyError;
pub use plan::Resolutions;

use crate::codec_plan::CodecPlan;
use crate::error::ConvertError;
use crate::ingest::builder;
use crate::policy::Settings;
use crate::progress::NoProgress;
use crate::same_file::refuse_same_file;
use crate::setting::{Setting, SettingError};
use crate::tile_size;
use coarsen::{LevelSink, Summed};

/// The message every front end shows (stderr, the Python docstring): weights stay behind.
pub const WEIGHTS_NOTE: &str =
    "weights are not carried to coarser resolutions; balance them with `gzcm balance`";

/// A single-resolution `.gzcm` file with fixed genomic bins, opened to be coarsened.
#[derive(Debug)]
pub struct Base {
    reader: Reader,
    resolution: u64,
}

impl Base {
    /// Opens the `.gzcm` file at `path` (tiles decoded as read, not cached).
    ///
    /// # Errors
    /// As [`Base::from_reader`]; [`ZoomifyError::Convert`] when the file is not a readable
    /// `.gzcm` file.
    pub fn open(path: &Path) -> Result<Base, ZoomifyError> {
        let reader =
            Reader::open_with(path, ReaderOptions::new().cache_bytes(0)).map_err(ConvertError::from)?;
        Base::from_reader(reader)
    }

    /// A base read through `reader` (open it without a tile cache: every tile is read once).
    ///
    /// # Errors
    /// [`ZoomifyError::NoGenome`] for a file without chromosomes and bins,
    /// [`ZoomifyError::VariableBins`] for one whose bins have no fixed size.
    pub fn from_reader(reader: Reader) -> Result<Base, ZoomifyError> {
        let input = reader.path().to_path_buf();
        let Some(genome) = reader.genome() else { return Err(ZoomifyError::NoGenome { input }) };
        let Bins::Fixed { bin_size } = *genome.bins() else {
            return Err(ZoomifyError::VariableBins { input });
        };
        Ok(Base { reader, resolution: bin_size })
    }

    /// The base resolution in bp.
    #[must_use]
    pub fn resolution(&self) -> u64 {
        self.resolution
    }

    /// The file's path.
    #[must_use]
    pub fn path(&self) -> &Path {
        self.reader.path()
    }

    /// The base genome (chromosomes, fixed bins, weights).
    #[must_use]
    pub fn genome(&self) -> &Genome {
        self.reader.genome().expect("checked at open")
    }

    /// The base's reader.
    #[must_use]
    pub fn reader(&self) -> &Reader {
        &self.reader
    }

    /// The base's reader, given back.
    #[must_use]
    pub fn into_reader(self) -> Reader {
        self.reader
    }

    /// The coarser resolutions `resolutions` asks for, increasing (empty when a progression
    /// has no step below the genome-sized top).
    ///
    /// # Errors
    /// As [`plan::check`] for a list.
    pub fn plan(&self, resolutions: &Resolutions) -> Result<Vec<u64>, ZoomifyError> {
        let length = self.genome().chroms().iter().map(|c| c.length).sum();
        resolutions.resolve(self.resolution, length)
    }
}

/// One coarse level written.
#[derive(Debug)]
pub struct Level {
    /// Its resolution in bp.
    pub resolution: u64,
    /// The writer's summary.
    pub summary: WriteSummary,
}

/// Writes each coarser level of `base` to its own single-resolution `.gzcm` file: `outputs`
/// pairs a resolution (increasing, each a multiple of the base) with its path. The levels are
/// built in one pass over the base; `settings` give the version, codec, level, tile size,
/// index layout, overwrite and progress, as for `convert`.
///
/// # Errors
/// [`ConvertError::OutputIsInput`] when an output is the base file; the errors of
/// [`plan::check`] for the resolutions; [`SettingError::NotForZoomify`] for the adaptive codec
/// choice or a cell type; the settings' own errors; [`ZoomifyError::CountOverflow`] and
/// [`ZoomifyError::FloatOverflow`] for a sum the base's cell type cannot hold; reading and
/// writing errors.
pub fn coarsen_into(
    base: &Base,
    outputs: &[(u64, PathBuf)],
    settings: &Settings,
) -> Result<Vec<Level>, ZoomifyError> {
    for (_, output) in outputs {
        refuse_same_file([base.path()], output)?;
    }
    let resolutions: Vec<u64> = outputs.iter().map(|(r, _)| *r).collect();
    plan::check(base.resolution, &resolutions)?;
    let refused = [(settings.adaptive, Setting::Adaptive), (settings.dtype.is_some(), Setting::Dtype)];
    let refused: Vec<Setting> = refused.into_iter().filter_map(|(given, s)| given.then_some(s)).collect();
    if !refused.is_empty() {
        return Err(SettingError::NotForZoomify { settings: refused }.into());
    }
    let checked = settings.check()?;
    let dtype = base.reader.dtype();
    let codecs = settings.codec_plan(&checked, dtype, |_, _, _| {
        Err(SettingError::NotForZoomify { settings: vec![Setting::Adaptive] }.into())
    })?;
    let maps: Vec<BinMap> = resolutions.iter().map(|&r| BinMap::new(base.genome(), r)).collect();
    let summaries = match dtype {
        Dtype::U32 => write_levels::<u32>(base, &maps, outputs, settings, checked.version, &codecs)?,
        Dtype::F32 => write_levels::<f32>(base, &maps, outputs, settings, checked.version, &codecs)?,
        dtype => return Err(ConvertError::UnsupportedDtype { dtype, stage: "writer" }.into()),
    };
    Ok(resolutions
        .into_iter()
        .zip(summaries)
        .map(|(resolution, summary)| Level { resolution, summary })
        .collect())
}

/// Opens a sorted writer per level and runs the pass.
fn write_levels<T: Summed>(
    base: &Base,
    maps: &[BinMap],
    outputs: &[(u64, PathBuf)],
    settings: &Settings,
    version: u32,
    codecs: &CodecPlan,
) -> Result<Vec<WriteSummary>, ZoomifyError> {
    let symmetric = base.reader.symmetric();
    let sinks = maps
        .iter()
        .zip(outputs)
        .map(|(map, (_, path))| {
            let genome = map.coarse_genome().clone();
            let n = genome.n_bins();
            let tile = tile_size::choose(settings.tile_size, (n, n), symmetric, None).tile_size;
            let mut options = settings.write_options(tile, version, codecs.clone(), T::DTYPE, Some(genome));
            // Levels are written side by side: the pass reports progress, not each writer.
            options.progress = Arc::new(NoProgress);
            let mut metadata = Metadata::default();
            metadata.symmetric = symmetric;
            metadata.region.clone_from(&base.reader.header().metadata.region);
            metadata.source_file = Some(base.path().display().to_string());
            let writer = builder(path, (n, n), symmetric, metadata, &options).create()?;
            Ok(LevelSink::new(writer))
        })
        .collect::<Result<Vec<_>, ZoomifyError>>()?;
    coarsen::coarsen::<T>(&base.reader, maps, sinks, settings.progress.as_ref())
}
