//! `load`: a pairs file (4DN `.pairs`, HiC-Pro validPairs, bedGraph2, COO; plain or gzip) to a
//! `.gzcm` file at every resolution asked, in one pass over the pairs.
//!
//! 1. The header (or `--chromsizes`) gives the genome; the format comes from `--format`, the
//!    header's `## pairs format` signature or the file name.
//! 2. One reading pass bins every line at the base (finest) resolution, folded onto the upper
//!    triangle as cooler folds pairs ([`gzcm_pairs::parse`]), into a summing external sort
//!    (`runs`) whose buffer the memory budget sizes; full buffers spill as sorted runs next to
//!    the output.
//! 3. The runs merge into the base resolution's sorted writer, pixel by pixel.
//! 4. The coarser resolutions are summed from the base in one streaming pass, as `zoomify`
//!    builds them (pixel for pixel what `cooler zoomify` gives), and every resolution goes into
//!    one multi-resolution file; with one resolution the output is a single-resolution file.
//!
//! The output is written atomically; the runs and the scratch files are removed on error (and
//! by the CLI on signals). Lines dropped by a filter or skipped as bad are counted in the
//! [`Loaded`] report, never dropped silently.
//!
//! ```no_run
//! use gzcm_convert::Settings;
//! use gzcm_convert::load::{LoadOptions, load};
//! use gzcm_convert::zoomify::Resolutions;
//!
//! let options = LoadOptions::new(1000, Resolutions::List(vec![5000, 10000]));
//! let loaded = load("sample.pairs.gz".as_ref(), "sample.gzcm".as_ref(), &options, &Settings::default())?;
//! println!("{} pairs into {} pixels", loaded.tally.contacts, loaded.base_pixels);
//! # Ok::<(), gzcm_convert::load::LoadError>(())
//! ```

pub mod error;
mod read;
mod runs;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gzcm::Dtype;
use gzcm_container::{CollectionWriter, Genome, Metadata, WriteSummary};
use gzcm_pairs::format::Layout;
use gzcm_pairs::{Filters, Format, Header, LineParser, PairsError, PairsInput, Tally};

pub use error::LoadError;

use crate::ingest::builder;
use crate::policy::Settings;
use crate::progress::{NoProgress, Phase};
use crate::same_file::refuse_same_file;
use crate::tile_size;
use crate::zoomify::{Level, PixelLevels, Resolutions};

/// The memory budget when none is given: 1 GiB.
pub const DEFAULT_MEMORY: u64 = 1 << 30;

/// Memory `load` keeps out of the sort buffer: the writers (one band of sparse cells each), the
/// coarsening pass, the merge's read buffers, the chunks in flight, the program itself.
pub const RESERVED_MEMORY: u64 = 160 << 20;

/// What to load and how: everything but the paths and the write settings.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// The format; `None`: from the header's signature or the file name.
    pub format: Option<Format>,
    /// A chromosome sizes file; `None`: the header's `#chromsize:` lines.
    pub chromsizes: Option<PathBuf>,
    /// The assembly name to store; `None`: the header's `#genome_assembly:`, if any.
    pub assembly: Option<String>,
    /// The base (finest) resolution in bp.
    pub base: u64,
    /// The coarser resolutions, built from the base as `zoomify` builds them.
    pub coarser: Resolutions,
    /// Filters and the bad-line policy.
    pub filters: Filters,
    /// The memory budget in bytes (the sort buffer gets what [`RESERVED_MEMORY`] leaves).
    pub memory: u64,
}

impl LoadOptions {
    /// Options for base resolution `base` and the coarser `coarser`, everything else default.
    #[must_use]
    pub fn new(base: u64, coarser: Resolutions) -> LoadOptions {
        LoadOptions {
            format: None,
            chromsizes: None,
            assembly: None,
            base,
            coarser,
            filters: Filters::default(),
            memory: DEFAULT_MEMORY,
        }
    }

    /// Options from a list of resolutions in any order: the finest is the base, the others
    /// coarser levels (each must be a multiple of the base).
    ///
    /// # Errors
    /// [`LoadError::Resolutions`] for an empty list.
    pub fn from_resolutions(resolutions: &[u64]) -> Result<LoadOptions, LoadError> {
        let mut sorted = resolutions.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let Some((&base, coarser)) = sorted.split_first() else {
            return Err(LoadError::Resolutions("no resolution given".to_owned()));
        };
        Ok(LoadOptions::new(base, Resolutions::List(coarser.to_vec())))
    }

    /// Options from what a front end was given: a list of resolutions (as
    /// [`LoadOptions::from_resolutions`]), or a base with cooler's progression above it
    /// (`nice`: base × 2, 5, 10, …; otherwise base × 2, 4, 8, …).
    ///
    /// # Errors
    /// [`LoadError::Resolutions`] unless exactly one of a list and a base is given (and `nice`
    /// only with a base), or for an empty list.
    pub fn choose(
        resolutions: Option<&[u64]>,
        base: Option<u64>,
        nice: bool,
    ) -> Result<LoadOptions, LoadError> {
        match (resolutions, base) {
            (Some(list), None) if !nice => LoadOptions::from_resolutions(list),
            (None, Some(base)) => {
                Ok(LoadOptions::new(base, if nice { Resolutions::Nice } else { Resolutions::BaseMultiples }))
            }
            _ => Err(LoadError::Resolutions(
                "give the resolutions (the finest is the base), or a base resolution with cooler's \
                 progression above it (base × 2, 4, 8, …, or nice: × 2, 5, 10, …)"
                    .to_owned(),
            )),
        }
    }
}

/// What a load wrote and read.
#[derive(Debug)]
pub struct Loaded {
    /// The output file.
    pub path: PathBuf,
    /// Its length in bytes.
    pub file_bytes: u64,
    /// The format read.
    pub format: Format,
    /// The base resolution in bp.
    pub base: u64,
    /// The base resolution's writer summary.
    pub base_summary: WriteSummary,
    /// Distinct pixels at the base resolution.
    pub base_pixels: u64,
    /// Every coarser resolution, increasing.
    pub levels: Vec<Level>,
    /// What became of the lines.
    pub tally: Tally,
    /// Sorted runs spilled to disk (0 when the pairs fitted the memory budget).
    pub runs: usize,
}

/// Loads the pairs file `input` (`-`: standard input) into a new `.gzcm` file at `output`.
///
/// # Errors
/// [`LoadError`]: the input's (with the line number and text of a bad line), the genome's,
/// the resolutions', the memory budget's, and the write's.
pub fn load(
    input: &Path,
    output: &Path,
    options: &LoadOptions,
    settings: &Settings,
) -> Result<Loaded, LoadError> {
    if input != Path::new("-") {
        refuse_same_file([input], output)?;
    }
    if options.base == 0 {
        return Err(LoadError::Resolutions("the base resolution must be at least 1 bp".to_owned()));
    }
    let settings = &settings.without_default_choice();
    let checked = settings.check()?;
    let codecs = settings.codec_plan(&checked, Dtype::U32, |_, _, _| {
        Err(crate::setting::SettingError::NotForZoomify { settings: vec![crate::setting::Setting::Adaptive] }
            .into())
    })?;
    let mut pairs = PairsInput::open(input)?;
    let header = pairs.read_header()?;
    let format = format_of(input, &header, options.format)?;
    let genome = genome_of(input, &header, options)?;
    let n_bins = genome.n_bins();
    if n_bins.checked_mul(n_bins).is_none() {
        return Err(LoadError::TooManyBins { n_bins, resolution: options.base });
    }
    let coarser = plan_coarser(&genome, options)?;
    let capacity = sort_capacity(options.memory)?;
    let layout = layout_of(input, format, &header)?;
    let parser = LineParser::new(&genome, layout, options.filters)
        .map_err(|source| LoadError::Layout { path: input.to_owned(), source })?;

    let mut collection = if coarser.is_empty() {
        None
    } else {
        let writer = CollectionWriter::create(output, settings.overwrite)?;
        Some(writer.writer_name(settings.writer.clone()))
    };
    let base_path = collection.as_ref().map_or_else(|| output.to_owned(), |c| c.scratch_path(options.base));
    let mut runs = runs::Runs::new(output, n_bins, options.base, capacity);
    let tally = read::read_all(pairs, &parser, &mut runs, settings.progress.as_ref())?;
    let spilled = runs.spilled();

    // The base: a single-resolution file, or the first member of the collection (written
    // into its scratch directory, which is fresh: nothing there to overwrite).
    let tile = tile_size::choose(settings.tile_size, (n_bins, n_bins), true, None).tile_size;
    let mut write =
        settings.write_options(tile, checked.version, codecs.clone(), Dtype::U32, Some(genome.clone()));
    write.overwrite = settings.overwrite && collection.is_none();
    write.progress = Arc::new(NoProgress);
    let mut metadata = Metadata::default();
    metadata.symmetric = true;
    metadata.source_file = Some(input.display().to_string());
    let mut writer = builder(&base_path, (n_bins, n_bins), true, metadata, &write).create()?;
    // The coarser resolutions are summed from the same merged pixels, on their way to the base.
    let scratch = Settings { overwrite: false, ..settings.clone() };
    let outputs: Vec<(u64, PathBuf)> = collection
        .as_ref()
        .map(|c| coarser.iter().map(|&r| (r, c.scratch_path(r))).collect())
        .unwrap_or_default();
    let mut levels = match &collection {
        Some(_) => Some(PixelLevels::create(&genome, options.base, &outputs, &scratch, input)?),
        None => None,
    };
    let bar = Phase::begin(settings.progress.as_ref(), "merging and encoding", "pixels", None);
    let mut pushed = 0u64;
    let base_pixels = runs.merge(|row, col, count| {
        writer.push(row, col, count)?;
        if let Some(levels) = levels.as_mut() {
            levels.push(row, col, count)?;
        }
        pushed += 1;
        if pushed.is_multiple_of(1 << 16) {
            bar.set_position(pushed);
        }
        Ok(())
    })?;
    drop(bar);
    let base_summary = writer.finish()?;
    let levels = match levels {
        Some(levels) => {
            let _phase = Phase::begin(settings.progress.as_ref(), "writing coarser resolutions", "", None);
            levels.finish()?
        }
        None => Vec::new(),
    };

    let Some(mut collection) = collection.take() else {
        return Ok(Loaded {
            path: base_summary.path.clone(),
            file_bytes: base_summary.file_bytes,
            format,
            base: options.base,
            base_summary,
            base_pixels,
            levels: Vec::new(),
            tally,
            runs: spilled,
        });
    };
    let _phase = Phase::begin(settings.progress.as_ref(), "assembling resolutions", "", None);
    collection.add(options.base, &base_path)?;
    for (resolution, path) in &outputs {
        collection.add(*resolution, path)?;
    }
    let summary = collection.finish()?;
    Ok(Loaded {
        path: summary.path,
        file_bytes: summary.bytes,
        format,
        base: options.base,
        base_summary,
        base_pixels,
        levels,
        tally,
        runs: spilled,
    })
}

/// The contacts the sort buffer holds under a `memory`-byte budget.
///
/// # Errors
/// [`LoadError::OverBudget`] below [`minimum_memory`].
pub fn sort_capacity(memory: u64) -> Result<usize, LoadError> {
    let minimum = minimum_memory();
    if memory < minimum {
        return Err(LoadError::OverBudget { given: memory, minimum });
    }
    let contacts = (memory - RESERVED_MEMORY) / runs::CONTACT_BYTES;
    Ok(usize::try_from(contacts).unwrap_or(usize::MAX))
}

/// The smallest memory budget `load` takes: the reserve and a 16 MiB sort buffer.
#[must_use]
pub fn minimum_memory() -> u64 {
    RESERVED_MEMORY + (16 << 20)
}

fn format_of(input: &Path, header: &Header, given: Option<Format>) -> Result<Format, LoadError> {
    if let Some(format) = given {
        return Ok(format);
    }
    if header.pairs_signature {
        return Ok(Format::Pairs);
    }
    let name = input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Format::from_file_name(&name).ok_or_else(|| LoadError::UnknownFormat { path: input.to_owned() })
}

fn genome_of(input: &Path, header: &Header, options: &LoadOptions) -> Result<Genome, LoadError> {
    let chroms = match &options.chromsizes {
        Some(path) => gzcm_pairs::read_chromsizes(path)?,
        None if header.chromsizes.is_empty() => {
            return Err(PairsError::NoChromsizes { path: input.to_owned() }.into());
        }
        None => gzcm_pairs::chromsizes::check(
            &format!("{} (its #chromsize: lines)", input.display()),
            header.chromsizes.clone(),
        )?,
    };
    let assembly = options.assembly.clone().or_else(|| header.assembly.clone());
    Genome::fixed(&chroms, options.base)
        .map(|g| g.with_assembly(assembly))
        .map_err(|source| LoadError::Genome { resolution: options.base, source })
}

fn layout_of(input: &Path, format: Format, header: &Header) -> Result<Layout, LoadError> {
    match (&header.columns, format) {
        (Some(columns), Format::Pairs) => Layout::from_pairs_columns(columns)
            .map_err(|column| PairsError::MissingColumn { path: input.to_owned(), column }.into()),
        _ => Ok(format.layout()),
    }
}

fn plan_coarser(genome: &Genome, options: &LoadOptions) -> Result<Vec<u64>, LoadError> {
    if options.coarser == Resolutions::List(Vec::new()) {
        return Ok(Vec::new());
    }
    let length = genome.chroms().iter().map(|c| c.length).sum();
    options.coarser.resolve(options.base, length).map_err(LoadError::from)
}
