//! One conversion from a request: what `gzcm convert` and `gzcm.convert_to_gzcm` do with a
//! path, and the shared tail for in-memory matrices.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gzcm::{Dtype, Registry};
use gzcm_container::{CollectionSummary, CollectionWriter, Genome, WriteSummary};
use gzcm_hic::WeightSelection;
use gzcm_io::{MatrixSource, OpenOptions, Shape};
use gzcm_picker::Decision;

use crate::adaptive::{PickerArgs, decide};
use crate::codec_plan::{CodecPlan, check_stores};
use crate::error::ConvertError;
use crate::gzcm_input::{self, GzcmInput};
use crate::hic_input::{self, HicOptions};
use crate::ingest::{CellInput, WriteOptions, open_source, write_source};
use crate::policy::{Checked, Settings};
use crate::progress::Progress;
use crate::resolution_plan::{ResolutionPlan, plan as plan_resolutions};
use crate::same_file::{input_file, refuse_same_file};
use crate::setting::{Setting, SettingError};
use crate::tile_size::{self, TileSizeChoice};

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

/// What a conversion wrote: one matrix, or several resolutions of a Hi-C input in one
/// multi-resolution file.
#[derive(Debug)]
pub enum Conversion {
    /// A single-resolution file.
    File(Converted),
    /// A multi-resolution file.
    Collection(CollectionConverted),
}

impl Conversion {
    /// The path written.
    #[must_use]
    pub fn path(&self) -> &Path {
        match self {
            Conversion::File(converted) => &converted.summary.path,
            Conversion::Collection(collection) => &collection.summary.path,
        }
    }
}

/// What a multi-resolution conversion wrote.
#[derive(Debug)]
pub struct CollectionConverted {
    /// The collection writer's summary (path, bytes, the resolution table).
    pub summary: CollectionSummary,
    /// Each resolution's conversion, ascending. Their `summary.path` names the scratch file the
    /// resolution was written to before it was copied into the collection (gone by now); their
    /// byte counts are those of that single-resolution file.
    pub members: Vec<(u64, Converted)>,
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
    /// The codecs of a write: the picker's per-region choice (`pick`) when adaptive, else the
    /// fixed codec (checked against `dtype`), else none (versions 1 and 2).
    pub(crate) fn codec_plan(
        &self,
        checked: &Checked,
        dtype: Dtype,
        pick: impl FnOnce(&PickerArgs, &Registry, &dyn Progress) -> Result<Arc<Decision>, ConvertError>,
    ) -> Result<CodecPlan, ConvertError> {
        Ok(match (&checked.picker, &checked.fixed) {
            (Some(picker), _) => {
                let registry = gzcm::with_registry(Registry::clone);
                CodecPlan::PerRegion(pick(picker, &registry, self.progress.as_ref())?)
            }
            (None, Some(handle)) => {
                check_stores(handle, dtype)?;
                CodecPlan::Fixed(Arc::clone(handle))
            }
            (None, None) => CodecPlan::Uncompressed,
        })
    }

    /// The options of one write with these settings and what the input decided.
    pub(crate) fn write_options(
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
            group_tiles: self.resolved_tile_groups(dtype, version),
            genome,
            writer: self.writer.clone(),
            progress: Arc::clone(&self.progress),
        }
    }
}

/// Converts the input at `input` (COO text, `.npy`, `synthetic:`, `.cool`, `.mcool[::/resolutions/R]`,
/// `.hic`, `.gzcm`, told apart by content) into a new `.gzcm` file at `output`.
///
/// # Errors
/// [`ConvertError::OutputIsInput`] when `output` is the input (or its bins file), whatever
/// `settings.overwrite` says; [`ConvertError::Setting`] for settings that do not fit together
/// or do not fit the input; then every error of reading the input and writing the file.
pub fn convert(
    input: &str,
    output: &Path,
    settings: &Settings,
    options: &InputOptions,
) -> Result<Conversion, ConvertError> {
    refuse_same_file(std::iter::once(input_file(input)).chain(options.bins.as_deref()), output)?;
    let checked = settings.check()?;
    if hic_input::is_hic(input)? {
        let coo = options.coo_settings();
        if !coo.is_empty() {
            return Err(SettingError::NotForHic { settings: coo }.into());
        }
        return match plan_resolutions(input, &options.hic)? {
            ResolutionPlan::One => {
                convert_hic(input, output, settings, &options.hic, &checked).map(Conversion::File)
            }
            ResolutionPlan::Many(resolutions) => {
                convert_resolutions(input, output, settings, &options.hic, &checked, &resolutions)
                    .map(Conversion::Collection)
            }
        };
    }
    let hic = hic_settings(&options.hic);
    if !hic.is_empty() {
        return Err(SettingError::HicSettingsWithoutHic { input: input.to_owned(), settings: hic }.into());
    }
    if gzcm_input::is_gzcm(Path::new(input)) {
        let mut given = options.coo_settings();
        if options.symmetric.is_some() {
            given.push(Setting::Symmetric);
        }
        if !given.is_empty() {
            return Err(SettingError::NotForGzcm { settings: given }.into());
        }
        return convert_gzcm(&GzcmInput::open(Path::new(input))?, output, settings, &checked)
            .map(Conversion::File);
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
    let mut converted = write_cells(&source, output, settings, &checked, genome)?;
    converted.shape_inferred = matches!(source, MatrixSource::Coo(_)) && shape.is_none();
    Ok(Conversion::File(converted))
}

/// The Hi-C settings given (resolution, chromosome, a weight selection other than all).
fn hic_settings(hic: &HicOptions) -> Vec<Setting> {
    let given = [
        (hic.resolution.is_some(), Setting::Resolution),
        (hic.resolutions.is_some(), Setting::Resolutions),
        (hic.chrom.is_some(), Setting::Chrom),
        (hic.weights != WeightSelection::All, Setting::Weights),
    ];
    given.into_iter().filter_map(|(given, setting)| given.then_some(setting)).collect()
}

impl InputOptions {
    /// The COO settings given (bins file, shape).
    fn coo_settings(&self) -> Vec<Setting> {
        let given = [(self.bins.is_some(), Setting::Bins), (self.shape.is_some(), Setting::Shape)];
        given.into_iter().filter_map(|(given, setting)| given.then_some(setting)).collect()
    }
}

/// Converts a matrix already in memory (or any other [`CellInput`]), with an optional genome.
///
/// # Errors
/// [`ConvertError::Setting`] for settings that do not fit together; then every error of
/// writing the file.
pub fn convert_cells(
    input: &impl CellInput,
    output: &Path,
    settings: &Settings,
    genome: Option<Genome>,
) -> Result<Converted, ConvertError> {
    let checked = settings.check()?;
    write_cells(input, output, settings, &checked, genome)
}

fn write_cells(
    input: &impl CellInput,
    output: &Path,
    settings: &Settings,
    checked: &Checked,
    genome: Option<Genome>,
) -> Result<Converted, ConvertError> {
    let dtype = settings.dtype.unwrap_or(input.info().dtype);
    let info = input.info();
    let shape = (u64::from(info.shape.rows), u64::from(info.shape.cols));
    let tile = tile_size::choose(settings.tile_size, shape, info.symmetric, info.nnz);
    let codecs = settings.codec_plan(checked, dtype, |picker, registry, progress| {
        decide(input, tile.tile_size, dtype, registry, picker, progress)
    })?;
    let options = settings.write_options(tile.tile_size, checked.version, codecs, dtype, genome);
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

/// Converts several resolutions of an `.mcool` or `.hic` input into one multi-resolution file:
/// each resolution is converted as a single-resolution file would be (its own tile size, codec
/// plan and weights) into the collection's scratch space, one after the other, so peak memory
/// is that of the largest resolution alone.
fn convert_resolutions(
    input: &str,
    output: &Path,
    settings: &Settings,
    hic: &HicOptions,
    checked: &Checked,
    resolutions: &[u64],
) -> Result<CollectionConverted, ConvertError> {
    let mut collection = CollectionWriter::create(output, settings.overwrite)?.writer_name(&settings.writer);
    let mut members = Vec::with_capacity(resolutions.len());
    for &resolution in resolutions {
        let scratch = collection.scratch_path(resolution);
        let one = HicOptions { resolution: Some(resolution), resolutions: None, ..hic.clone() };
        let progress = Labelled { inner: Arc::clone(&settings.progress), label: format!("{resolution} bp") };
        let member_settings = Settings { progress: Arc::new(progress), overwrite: false, ..settings.clone() };
        let converted = convert_hic(input, &scratch, &member_settings, &one, checked)?;
        collection.add(resolution, &scratch)?;
        members.push((resolution, converted));
    }
    let summary = collection.finish()?;
    Ok(CollectionConverted { summary, members })
}

/// A front end's progress, with each phase's message prefixed by the resolution it is about:
/// one bar per resolution and phase.
struct Labelled {
    inner: Arc<dyn Progress>,
    label: String,
}

impl Progress for Labelled {
    fn begin(&self, message: &str, unit: &str, total: Option<u64>) {
        self.inner.begin(&format!("{}: {message}", self.label), unit, total);
    }

    fn set_position(&self, done: u64) {
        self.inner.set_position(done);
    }

    fn set_total(&self, total: u64) {
        self.inner.set_total(total);
    }

    fn set_message(&self, message: &str) {
        self.inner.set_message(&format!("{}: {message}", self.label));
    }

    fn end(&self) {
        self.inner.end();
    }

    fn bands(&self, done: u32, total: u32) {
        self.inner.bands(done, total);
    }
}

/// Converts a `.cool`, `.mcool` or `.hic` input, with its genome and weights.
fn convert_hic(
    input: &str,
    output: &Path,
    settings: &Settings,
    hic: &HicOptions,
    checked: &Checked,
) -> Result<Converted, ConvertError> {
    let mut source = hic_input::open(input, hic)?;
    let genome = source.genome().clone();
    let dtype = settings.dtype.unwrap_or_else(|| hic_input::natural_dtype(source.as_ref()));
    let bins = genome.n_bins();
    let tile =
        tile_size::choose(settings.tile_size, (bins, bins), source.symmetric(), source.pixel_count_hint());
    let codecs = settings.codec_plan(checked, dtype, |picker, registry, progress| {
        hic_input::decide(source.as_mut(), tile.tile_size, dtype, registry, picker, progress)
    })?;
    let stored =
        HicSummary { chroms: genome.chroms().len(), weights: genome.weights().len(), source: String::new() };
    let options = settings.write_options(tile.tile_size, checked.version, codecs, dtype, Some(genome));
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

/// Re-encodes a `.gzcm` input, with its genome and weights.
pub(crate) fn convert_gzcm(
    source: &GzcmInput,
    output: &Path,
    settings: &Settings,
    checked: &Checked,
) -> Result<Converted, ConvertError> {
    let dtype = settings.dtype.unwrap_or_else(|| source.dtype());
    let tile = tile_size::choose(settings.tile_size, source.shape(), source.symmetric(), source.nnz());
    let codecs = settings.codec_plan(checked, dtype, |picker, registry, progress| {
        source.decide(tile.tile_size, dtype, registry, picker, progress)
    })?;
    let options = settings.write_options(tile.tile_size, checked.version, codecs, dtype, source.genome());
    let summary = source.write(output, &options)?;
    let decision = options.codecs.into_decision();
    Ok(Converted {
        summary,
        symmetric: source.symmetric(),
        decision,
        shape_inferred: false,
        hic: None,
        tile_size: tile,
    })
}
