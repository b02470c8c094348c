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
use coarsen::{LevelSink, PixelCoarsener, Summed};

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
    let dtype = base.reader.dtype();
    let (version, codecs) = level_codecs(settings, dtype)?;
    let maps: Vec<BinMap> = resolutions.iter().map(|&r| BinMap::new(base.genome(), r)).collect();
    let source = LevelSource {
        symmetric: base.reader.symmetric(),
        region: base.reader.header().metadata.region.clone(),
        path: base.path(),
    };
    let summaries = match dtype {
        Dtype::U32 => {
            let sinks = level_sinks::<u32>(&maps, outputs, settings, version, &codecs, &source)?;
            coarsen::coarsen::<u32>(&base.reader, &maps, sinks, settings.progress.as_ref())?
        }
        Dtype::F32 => {
            let sinks = level_sinks::<f32>(&maps, outputs, settings, version, &codecs, &source)?;
            coarsen::coarsen::<f32>(&base.reader, &maps, sinks, settings.progress.as_ref())?
        }
        dtype => return Err(ConvertError::UnsupportedDtype { dtype, stage: "writer" }.into()),
    };
    Ok(levels(resolutions, summaries))
}

/// Coarser resolutions written from a stream of base pixels in row-major order, as `load`
/// merges them: every level is summed from the pixels on their way to the base file, so the
/// base is never read back. The levels' files are as [`coarsen_into`] writes them.
pub(crate) struct PixelLevels {
    coarsener: PixelCoarsener<u32>,
    resolutions: Vec<u64>,
}

impl PixelLevels {
    /// Levels of the `uint32` symmetric map of `genome` (fixed bins of `base` bp) at each
    /// resolution of `outputs`, written to its path; `source` is recorded as the levels' source.
    ///
    /// # Errors
    /// As [`coarsen_into`], before any pixel.
    pub(crate) fn create(
        genome: &Genome,
        base: u64,
        outputs: &[(u64, PathBuf)],
        settings: &Settings,
        source: &Path,
    ) -> Result<PixelLevels, ZoomifyError> {
        let resolutions: Vec<u64> = outputs.iter().map(|(r, _)| *r).collect();
        plan::check(base, &resolutions)?;
        let (version, codecs) = level_codecs(settings, Dtype::U32)?;
        let maps: Vec<BinMap> = resolutions.iter().map(|&r| BinMap::new(genome, r)).collect();
        let source = LevelSource { symmetric: true, region: None, path: source };
        let sinks = level_sinks::<u32>(&maps, outputs, settings, version, &codecs, &source)?;
        Ok(PixelLevels { coarsener: PixelCoarsener::new(maps, sinks), resolutions })
    }

    /// Adds base pixel `(row, col)` (upper triangle; rows must not decrease).
    ///
    /// # Errors
    /// A coarse sum past `uint32`, or a level's write.
    pub(crate) fn push(&mut self, row: u64, col: u64, count: u32) -> Result<(), ZoomifyError> {
        self.coarsener.push(row, col, count)
    }

    /// Sums `pixels` base pixels at a time (instead of some 256k).
    #[cfg(test)]
    fn with_chunk(mut self, pixels: usize) -> Self {
        self.coarsener = self.coarsener.with_chunk(pixels);
        self
    }

    /// Writes the last rows and finishes every level.
    ///
    /// # Errors
    /// As [`PixelLevels::push`], and finishing a level's file.
    pub(crate) fn finish(self) -> Result<Vec<Level>, ZoomifyError> {
        Ok(levels(self.resolutions, self.coarsener.finish()?))
    }
}

fn levels(resolutions: Vec<u64>, summaries: Vec<WriteSummary>) -> Vec<Level> {
    resolutions
        .into_iter()
        .zip(summaries)
        .map(|(resolution, summary)| Level { resolution, summary })
        .collect()
}

/// The format version and codecs of the levels: refuses the settings coarsening cannot honour
/// (the adaptive choice samples a whole matrix; the cell type is the base's).
fn level_codecs(settings: &Settings, dtype: Dtype) -> Result<(u32, CodecPlan), ZoomifyError> {
    let settings = &settings.without_default_choice();
    let refused =
        [(settings.adaptive == Some(true), Setting::Adaptive), (settings.dtype.is_some(), Setting::Dtype)];
    let refused: Vec<Setting> = refused.into_iter().filter_map(|(given, s)| given.then_some(s)).collect();
    if !refused.is_empty() {
        return Err(SettingError::NotForZoomify { settings: refused }.into());
    }
    let checked = settings.check()?;
    let codecs = settings.codec_plan(&checked, dtype, |_, _, _| {
        Err(SettingError::NotForZoomify { settings: vec![Setting::Adaptive] }.into())
    })?;
    Ok((checked.version, codecs))
}

/// What the levels record of where they come from.
struct LevelSource<'a> {
    symmetric: bool,
    region: Option<String>,
    path: &'a Path,
}

/// A sorted writer per level, at the path `outputs` gives it.
fn level_sinks<T: Summed>(
    maps: &[BinMap],
    outputs: &[(u64, PathBuf)],
    settings: &Settings,
    version: u32,
    codecs: &CodecPlan,
    source: &LevelSource<'_>,
) -> Result<Vec<LevelSink<T>>, ZoomifyError> {
    let symmetric = source.symmetric;
    maps.iter()
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
            metadata.region.clone_from(&source.region);
            metadata.source_file = Some(source.path.display().to_string());
            let writer = builder(path, (n, n), symmetric, metadata, &options).create()?;
            Ok(LevelSink::new(writer))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gzcm::TileData;
    use gzcm_container::Writer;

    fn stored(path: &Path) -> Vec<u32> {
        let reader = Reader::open(path).unwrap();
        let (n, _) = reader.shape();
        let TileData::U32(cells) = reader.window(0..n, 0..n).unwrap() else { panic!("a u32 file") };
        cells.into_iter().collect()
    }

    #[test]
    fn levels_summed_from_streamed_pixels_equal_levels_coarsened_from_the_base_file() {
        // Two chromosomes ending in short bins; tiles of 16 bins, so coarse rows and tiles
        // straddle every chunk boundary.
        let chroms = [("a".to_owned(), 403), ("b".to_owned(), 157)];
        let genome = Genome::fixed(&chroms, 5).unwrap();
        let n = genome.n_bins();
        let mut pixels = Vec::new();
        for row in 0..n {
            for col in row..n {
                let count = ((row * 31 + col * 17) % 11) as u32;
                if count > 0 && (col - row < 20 || (row + col) % 7 == 0) {
                    pixels.push((row, col, count));
                }
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let base_path = dir.path().join("base.gzcm");
        let mut writer = Writer::builder(&base_path, n, n)
            .tile_size(16)
            .symmetric(true)
            .genome(genome.clone())
            .create()
            .unwrap();
        for &(row, col, count) in &pixels {
            writer.push(row, col, count).unwrap();
        }
        writer.finish().unwrap();
        let settings = Settings { tile_size: Some(16), ..Settings::default() };
        let resolutions = [10, 15, 30, 40, 1000];
        let outputs = |name: &str| -> Vec<(u64, PathBuf)> {
            resolutions.iter().map(|&r| (r, dir.path().join(format!("{name}.{r}.gzcm")))).collect()
        };
        let from_file = coarsen_into(&Base::open(&base_path).unwrap(), &outputs("file"), &settings).unwrap();
        for chunk in [usize::MAX, 100, 7, 1] {
            let name = format!("stream{}", chunk.min(1000));
            let mut levels = PixelLevels::create(&genome, 5, &outputs(&name), &settings, &base_path)
                .unwrap()
                .with_chunk(chunk);
            for &(row, col, count) in &pixels {
                levels.push(row, col, count).unwrap();
            }
            let streamed = levels.finish().unwrap();
            for (a, b) in from_file.iter().zip(&streamed) {
                assert_eq!(a.resolution, b.resolution);
                assert_eq!(
                    (a.summary.tiles_stored, a.summary.nnz, a.summary.payload_bytes),
                    (b.summary.tiles_stored, b.summary.nnz, b.summary.payload_bytes),
                    "{} bp, chunk {chunk}",
                    a.resolution
                );
                assert_eq!(
                    stored(&a.summary.path),
                    stored(&b.summary.path),
                    "{} bp, chunk {chunk}",
                    a.resolution
                );
            }
        }
    }
}
