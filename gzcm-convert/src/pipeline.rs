//! One conversion from a request: what `gzcm convert` and `gzcm.convert_to_gzcm` do with a
//! path, and the shared tail for in-memory matrices.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gzcm::{CodecHandle, Dtype, EncodeOptions};
use gzcm_container::{Genome, WriteSummary};
use gzcm_io::{MatrixSource, OpenOptions, Shape};
use gzcm_picker::Decision;

use crate::adaptive::{PickerArgs, decide};
use crate::codec_plan::{CodecPlan, check_stores, fixed_codec};
use crate::error::ConvertError;
use crate::hic_input::{self, HicOptions};
use crate::ingest::{CellInput, WriteOptions, open_source, registry, write_source};
use crate::progress::{NoProgress, Progress};
use crate::tile_size::{self, TileSizeChoice};

/// How to write, whatever the input.
#[derive(Clone)]
pub struct Settings {
    /// Format version; `None`: 4 when adaptive, else the container's default (3).
    pub version: Option<u32>,
    /// The codec of every tile; `None`: the container's default (zstd) for versions 3 and 4.
    pub codec: Option<String>,
    /// Compression level for the codecs that have one.
    pub level: Option<i32>,
    /// `Some`: choose a codec per region (version 4) as asked.
    pub adaptive: Option<PickerArgs>,
    /// Tile edge; `None`: chosen from the input ([`crate::tile_size::choose`]: 256, larger for
    /// large sparse maps).
    pub tile_size: Option<u32>,
    /// Stored cell type; `None`: the input's natural one.
    pub dtype: Option<Dtype>,
    /// Replace an existing output.
    pub overwrite: bool,
    /// v3/v4: store the tile index packed, without header padding (format revision
    /// packed-index-1); the default. `false`: the padded layout of SPEC §4.
    pub packed_index: bool,
    /// The metadata's `writer` field, e.g. `gzcm 0.1.0`.
    pub writer: String,
    /// Where progress goes.
    pub progress: Arc<dyn Progress>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: None,
            codec: None,
            level: None,
            adaptive: None,
            tile_size: Some(gzcm_container::DEFAULT_TILE_SIZE),
            dtype: None,
            overwrite: false,
            packed_index: true,
            writer: format!("gzcm {}", env!("CARGO_PKG_VERSION")),
            progress: Arc::new(NoProgress),
        }
    }
}

/// What describes a path input beyond the path.
#[derive(Clone, Debug, Default)]
pub struct InputOptions {
    /// Whether the matrix is symmetric; `None`: inferred (COO/npy), from the file (Hi-C).
    pub symmetric: Option<bool>,
    /// COO text: the shape; `None`: the bins file's bin count, else largest bin + 1.
    pub shape: Option<Shape>,
    /// Hi-C inputs: resolution, chromosome, weights.
    pub hic: HicOptions,
    /// COO input: a `.bins.tsv` giving the matrix genomic coordinates.
    pub bins: Option<PathBuf>,
}

/// What a conversion wrote.
#[derive(Debug)]
pub struct Converted {
    /// The writer's summary.
    pub summary: WriteSummary,
    /// Whether the matrix was stored as symmetric.
    pub symmetric: bool,
    /// The per-region choice, when adaptive.
    pub decision: Option<Arc<Decision>>,
    /// COO text whose shape was inferred as largest bin + 1 (trailing empty bins are lost).
    pub shape_inferred: bool,
    /// Hi-C inputs: what was stored of the genome.
    pub hic: Option<HicSummary>,
    /// The tile edge and why.
    pub tile_size: TileSizeChoice,
}

/// What a Hi-C conversion stored besides the matrix.
#[derive(Clone, Debug)]
pub struct HicSummary {
    /// Chromosomes stored.
    pub chroms: usize,
    /// Weight vectors stored.
    pub weights: usize,
    /// The source as the reader describes it (file, resolution, chromosome).
    pub source: String,
}

impl Settings {
    /// The format version: as given, 4 when adaptive, 3 otherwise.
    pub fn resolved_version(&self) -> Result<u32, ConvertError> {
        match (self.version, self.adaptive.is_some()) {
            (Some(version), true) if version != 4 => Err(ConvertError::AdaptiveVersion { version }),
            (Some(version), _) => Ok(version),
            (None, true) => Ok(4),
            (None, false) => Ok(gzcm_container::DEFAULT_VERSION),
        }
    }

    /// The one codec of a non-adaptive compressed write (the given one, else the default),
    /// resolved once; `None` when adaptive and for the uncompressed versions 1 and 2, which
    /// refuse a codec and a level rather than ignore them.
    fn fixed_codec(&self, version: u32) -> Result<Option<Arc<CodecHandle>>, ConvertError> {
        if version <= 2 {
            if let Some(codec) = &self.codec {
                return Err(ConvertError::IgnoredByUncompressed {
                    version,
                    option: "codec",
                    value: codec.clone(),
                });
            }
            if let Some(level) = self.level {
                let value = level.to_string();
                return Err(ConvertError::IgnoredByUncompressed { version, option: "level", value });
            }
            return Ok(None);
        }
        if self.adaptive.is_some() {
            return Ok(None);
        }
        let name = self.codec.as_deref().unwrap_or(gzcm_container::DEFAULT_CODEC);
        let encode = self.level.map(EncodeOptions::with_level).unwrap_or_default();
        fixed_codec(name, &encode).map(Some)
    }

    /// The codecs of a write: the picker's per-region choice (`pick`) when adaptive, else the
    /// fixed codec (checked against `dtype`), else none (versions 1 and 2).
    fn codec_plan(
        &self,
        fixed: Option<Arc<CodecHandle>>,
        dtype: Dtype,
        pick: impl FnOnce(&PickerArgs, &dyn Progress) -> Result<Arc<Decision>, ConvertError>,
    ) -> Result<CodecPlan, ConvertError> {
        Ok(match (&self.adaptive, fixed) {
            (Some(picker), _) => CodecPlan::PerRegion(pick(picker, self.progress.as_ref())?),
            (None, Some(handle)) => {
                check_stores(&handle, dtype)?;
                CodecPlan::Fixed(handle)
            }
            (None, None) => CodecPlan::Uncompressed,
        })
    }

    fn write_options(
        &self,
        tile_size: u32,
        version: u32,
        codecs: CodecPlan,
        dtype: Dtype,
        genome: Option<Genome>,
    ) -> WriteOptions {
        WriteOptions {
            codecs,
            version,
            tile_size,
            dtype,
            level: self.level,
            overwrite: self.overwrite,
            packed_index: self.packed_index,
            genome,
            writer: self.writer.clone(),
            progress: Arc::clone(&self.progress),
        }
    }
}

/// Converts the input at `input` (COO text, `.npy`, `synthetic:`, `.cool`, `.mcool[::/resolutions/R]`,
/// `.hic`, told apart by content) into a new `.gzcm` file at `output`.
pub fn convert(
    input: &str,
    output: &Path,
    settings: &Settings,
    options: &InputOptions,
) -> Result<Converted, ConvertError> {
    let version = settings.resolved_version()?;
    let fixed = settings.fixed_codec(version)?;
    if let (Some(handle), Some(dtype)) = (&fixed, settings.dtype) {
        check_stores(handle, dtype)?;
    }
    if hic_input::is_hic(input)? {
        if options.bins.is_some() || options.shape.is_some() {
            return Err(ConvertError::NotForHic);
        }
        return convert_hic(input, output, settings, &options.hic, version, fixed);
    }
    if options.hic.is_set() {
        return Err(ConvertError::HicOptionsWithoutHic { input: input.to_owned() });
    }
    let genome = match &options.bins {
        Some(path) => Some(crate::bins_tsv::read(path)?),
        None => None,
    };
    let shape = match (options.shape, &genome) {
        (None, Some(genome)) => {
            let bins = genome.n_bins();
            let n = u32::try_from(bins).map_err(|_| ConvertError::TooManyBins { bins })?;
            Some(Shape::new(n, n))
        }
        (shape, _) => shape,
    };
    let source = open_source(input, OpenOptions { shape, symmetric: options.symmetric })?;
    let mut converted = write_cells(&source, output, settings, version, fixed, genome)?;
    converted.shape_inferred = matches!(source, MatrixSource::Coo(_)) && shape.is_none();
    Ok(converted)
}

/// Converts a matrix already in memory (or any other [`CellInput`]), with an optional genome.
pub fn convert_cells(
    input: &impl CellInput,
    output: &Path,
    settings: &Settings,
    genome: Option<Genome>,
) -> Result<Converted, ConvertError> {
    let version = settings.resolved_version()?;
    let fixed = settings.fixed_codec(version)?;
    write_cells(input, output, settings, version, fixed, genome)
}

fn write_cells(
    input: &impl CellInput,
    output: &Path,
    settings: &Settings,
    version: u32,
    fixed: Option<Arc<CodecHandle>>,
    genome: Option<Genome>,
) -> Result<Converted, ConvertError> {
    let dtype = settings.dtype.unwrap_or(input.info().dtype);
    let info = input.info();
    let shape = (u64::from(info.shape.rows), u64::from(info.shape.cols));
    let tile = tile_size::choose(settings.tile_size, shape, info.symmetric, info.nnz);
    let codecs = settings.codec_plan(fixed, dtype, |picker, progress| {
        decide(input, tile.tile_size, dtype, &registry(), picker, progress)
    })?;
    let options = settings.write_options(tile.tile_size, version, codecs, dtype, genome);
    let summary = write_source(input, output, &options)?;
    let decision = options.codecs.into_decision();
    Ok(Converted {
        summary,
        symmetric: info.symmetric,
        decision,
        shape_inferred: false,
        hic: None,
        tile_size: tile,
    })
}

/// Converts a `.cool`, `.mcool` or `.hic` input, with its genome and weights.
fn convert_hic(
    input: &str,
    output: &Path,
    settings: &Settings,
    hic: &HicOptions,
    version: u32,
    fixed: Option<Arc<CodecHandle>>,
) -> Result<Converted, ConvertError> {
    let mut source = hic_input::open(input, hic)?;
    let genome = source.genome().clone();
    let dtype = settings.dtype.unwrap_or_else(|| hic_input::natural_dtype(source.as_ref()));
    let bins = genome.n_bins();
    let tile =
        tile_size::choose(settings.tile_size, (bins, bins), source.symmetric(), source.pixel_count_hint());
    let codecs = settings.codec_plan(fixed, dtype, |picker, progress| {
        hic_input::decide(source.as_mut(), tile.tile_size, dtype, &registry(), picker, progress)
    })?;
    let stored =
        HicSummary { chroms: genome.chroms().len(), weights: genome.weights().len(), source: String::new() };
    let options = settings.write_options(tile.tile_size, version, codecs, dtype, Some(genome));
    let summary = hic_input::write(source.as_mut(), output, &options)?;
    let hic = HicSummary { source: source.describe(), ..stored };
    let decision = options.codecs.into_decision();
    Ok(Converted {
        summary,
        symmetric: source.symmetric(),
        decision,
        shape_inferred: false,
        hic: Some(hic),
        tile_size: tile,
    })
}
