//! `gzcm convert`: any input into a `.gzcm` file.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use clap::{Args, ValueEnum};
use gzcm::{CodecHandle, Dtype, EncodeOptions};
use gzcm_container::WriteSummary;
use gzcm_io::{MatrixSource, OpenOptions, Shape};

use crate::adaptive::{PickerArgs, decide, parse_goal, parse_normalisation, parse_weights};
use crate::args::parse_tile_size;
use crate::bins_tsv;
use crate::codec_plan::{CodecPlan, check_stores, fixed_codec};
use crate::hic_input::{self, HicOptions};
use crate::ingest::{WriteOptions, open_source, registry, write_source};
use crate::table::bytes;
use gzcm_picker::{Goal, Normalisation, Weights};

/// Convert a contact matrix into a .gzcm file.
///
/// IN is a cooler file (`x.cool`, `x.mcool::/resolutions/10000`, or `x.mcool --resolution
/// 10000`), a Juicer file (`x.hic --resolution 10000 [--chrom chr2]`) — both stored with their
/// chromosomes, bins and balancing weights — or COO text (`bin1 bin2 value` per line, tab- or space-separated, optionally gzip),
/// a dense .npy (or .npy.zst), or a synthetic map spec `synthetic:N[:key=value…]`
/// (keys: seed, alpha, depth, tad, tad-size, compartments, masked; e.g. `synthetic:200k:seed=7`).
/// The shape, symmetry and dtype are inferred when not given: COO text is pre-scanned (largest
/// bin + 1; square and bin1 <= bin2 everywhere ⇒ symmetric upper triangle; all integers ⇒ u32),
/// a square .npy is symmetric when it equals its transpose.
#[derive(Debug, Args)]
pub(crate) struct ConvertArgs {
    /// The input: a COO text file (.gz), a .npy/.npy.zst file, or `synthetic:N[:key=value…]`.
    #[arg(value_name = "IN")]
    input: String,
    /// The .gzcm file to write (atomically: a temporary file, then a rename), or an object-store
    /// URL (s3://, gs://, az://): written locally, then uploaded with a multipart upload.
    #[arg(value_name = "OUT")]
    pub(crate) output: PathBuf,
    /// Codec for every tile, by registry name (see `gzcm codecs`).
    #[arg(long)]
    codec: Option<String>,
    /// File format version: 1 dense, 2 tiled raw, 3 compressed tiles (default), 4 anti-diagonal
    /// order with a codec per region (default with --adaptive).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=4))]
    version: Option<u32>,
    /// Version 4: split the tiles into regions from the data and pick each region's codec by
    /// measuring the candidates on sample tiles (see --codec-candidates, --picker-weights).
    #[arg(long, conflicts_with = "codec")]
    adaptive: bool,
    /// Candidate codecs for --adaptive, comma-separated (default: every registered codec that
    /// stores the dtype).
    #[arg(long, value_delimiter = ',', requires = "adaptive")]
    codec_candidates: Vec<String>,
    /// What --adaptive optimises: `balanced` (default) keeps the smallest candidate whose decode
    /// is within 2× of the fastest; `smallest` the fewest bytes; `fastest` the fastest decode.
    #[arg(long, default_value = "balanced", value_parser = parse_goal, requires = "adaptive")]
    picker_goal: Goal,
    /// Weights of decode time, size and encode time for --adaptive, replacing the goal's (and
    /// its decode budget): three non-negative numbers that sum to 1, e.g. 0.5,0.3,0.2.
    #[arg(long, value_parser = parse_weights, requires = "adaptive")]
    picker_weights: Option<Weights>,
    /// How --adaptive normalises each criterion across the candidates before weighting:
    /// divide-by-best, min-max or log-ratio (default: the goal's, log-ratio).
    #[arg(long, value_parser = parse_normalisation, requires = "adaptive")]
    picker_normalisation: Option<Normalisation>,
    /// Tile edge T (tiles are T×T), 16..=4096.
    #[arg(long, default_value_t = 256, value_parser = parse_tile_size)]
    tile_size: u32,
    /// Cell type to store. Default: u32 for integer COO values and integer .npy dtypes, f32
    /// otherwise (a `<f4` .npy holding whole counts stays f32 unless you pass --dtype u32;
    /// values that do not fit the chosen type are errors, never rounded).
    #[arg(long, value_enum)]
    dtype: Option<DtypeArg>,
    /// The input is symmetric: store only the upper triangle (COO input must then have
    /// bin1 <= bin2 on every line; a .npy is checked against its transpose).
    #[arg(long, overrides_with = "no_symmetric")]
    symmetric: bool,
    /// The input is not symmetric: store every cell.
    #[arg(long, overrides_with = "symmetric")]
    no_symmetric: bool,
    /// Matrix shape for COO text, as N or RxC; inferred (largest bin + 1) when absent.
    #[arg(long, value_parser = parse_shape)]
    shape: Option<Shape>,
    /// Replace OUT if it exists.
    #[arg(long)]
    pub(crate) overwrite: bool,
    /// Compression level for codecs that have one (zstd: 1..=22).
    #[arg(long, allow_negative_numbers = true)]
    level: Option<i32>,
    /// Worker threads for tile encoding (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Hi-C inputs: the resolution in bp (needed for .hic and for an .mcool given without
    /// `::/resolutions/R`).
    #[arg(long, help_heading = "Hi-C inputs (.cool, .mcool, .hic)")]
    resolution: Option<u64>,
    /// Hi-C inputs: only this chromosome's intra-chromosomal matrix.
    #[arg(long, help_heading = "Hi-C inputs (.cool, .mcool, .hic)")]
    chrom: Option<String>,
    /// Hi-C inputs: the balancing vectors to store: `all` (default), `none`, or names
    /// (`weight,KR`).
    #[arg(long, help_heading = "Hi-C inputs (.cool, .mcool, .hic)")]
    weights: Option<String>,
    /// COO input: a `chrom<TAB>start<TAB>end` file (one line per bin, optional header line
    /// `chrom start end NAME…` naming weight columns) giving the matrix genomic coordinates;
    /// the shape defaults to its number of bins.
    #[arg(long, value_name = "FILE.bins.tsv")]
    bins: Option<PathBuf>,
}

/// The `--dtype` choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum DtypeArg {
    /// Unsigned 32-bit counts.
    U32,
    /// 32-bit floats.
    F32,
}

impl From<DtypeArg> for Dtype {
    fn from(arg: DtypeArg) -> Self {
        match arg {
            DtypeArg::U32 => Dtype::U32,
            DtypeArg::F32 => Dtype::F32,
        }
    }
}

fn parse_shape(text: &str) -> Result<Shape, String> {
    text.parse().map_err(|e: gzcm_io::SourceError| e.to_string())
}

pub(crate) fn run(args: &ConvertArgs) -> anyhow::Result<()> {
    crate::safety::refuse_same_file(std::path::Path::new(&args.input), &args.output)?;
    crate::safety::clean_up_on_signals()?;
    set_threads(args.threads)?;
    let version = version(args)?;
    let symmetric = match (args.symmetric, args.no_symmetric) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let fixed = fixed_codec_of(args, version)?;
    if let (Some(handle), Some(dtype)) = (&fixed, args.dtype) {
        check_stores(handle, dtype.into())?;
    }
    let start = Instant::now();
    if hic_input::is_hic(&args.input)? {
        return run_hic(args, version, fixed, start);
    }
    if args.resolution.is_some() || args.chrom.is_some() || args.weights.is_some() {
        anyhow::bail!(
            "--resolution, --chrom and --weights apply to .cool, .mcool and .hic inputs; `{}` is none",
            args.input
        );
    }
    let genome = match &args.bins {
        Some(path) => Some(bins_tsv::read(path)?),
        None => None,
    };
    let shape = match (args.shape, &genome) {
        (None, Some(genome)) => {
            let n = u32::try_from(genome.n_bins()).map_err(|_| {
                anyhow::anyhow!("{} bins are more than a COO input can address", genome.n_bins())
            })?;
            Some(Shape::new(n, n))
        }
        (shape, _) => shape,
    };
    let source = open_source(&args.input, OpenOptions { shape, symmetric })?;
    let dtype = args.dtype.map_or(source.info().dtype, Dtype::from);
    let codecs = if args.adaptive {
        let picker_args = PickerArgs {
            candidates: args.codec_candidates.clone(),
            goal: args.picker_goal,
            weights: args.picker_weights,
            normalisation: args.picker_normalisation,
            level: args.level,
        };
        CodecPlan::PerRegion(decide(&source, args.tile_size, dtype, &registry(), &picker_args)?)
    } else if let Some(handle) = fixed {
        check_stores(&handle, dtype)?;
        CodecPlan::Fixed(handle)
    } else {
        CodecPlan::Uncompressed
    };
    let options = WriteOptions {
        codecs,
        version,
        tile_size: args.tile_size,
        dtype,
        level: args.level,
        overwrite: args.overwrite,
        progress: true,
        genome,
    };
    let summary = write_source(&source, &args.output, &options)?;
    print_summary(&summary, source.info().symmetric, start.elapsed().as_secs_f64());
    if let CodecPlan::PerRegion(decision) = &options.codecs {
        print!("\n{}", decision.record().render_table());
    }
    if matches!(source, MatrixSource::Coo(_)) && shape.is_none() {
        println!("  note     shape inferred as largest bin + 1; give --shape if trailing bins are empty");
    }
    Ok(())
}

/// Converts a `.cool`, `.mcool` or `.hic` input, with its genome and weights.
fn run_hic(
    args: &ConvertArgs,
    version: u32,
    fixed: Option<Arc<CodecHandle>>,
    start: Instant,
) -> anyhow::Result<()> {
    if args.adaptive || args.bins.is_some() || args.shape.is_some() {
        anyhow::bail!(
            "--adaptive, --bins and --shape do not apply to .cool, .mcool and .hic inputs \
             (their bins come from the file; use --codec)"
        );
    }
    let hic =
        HicOptions { resolution: args.resolution, chrom: args.chrom.clone(), weights: args.weights.clone() };
    let mut source = hic_input::open(&args.input, &hic)?;
    let genome = hic_input::genome(source.as_ref())?;
    let dtype = args.dtype.map_or_else(|| hic_input::natural_dtype(source.as_ref()), Dtype::from);
    let codecs = match fixed {
        Some(handle) => {
            check_stores(&handle, dtype)?;
            CodecPlan::Fixed(handle)
        }
        None => CodecPlan::Uncompressed,
    };
    let options = WriteOptions {
        codecs,
        version,
        tile_size: args.tile_size,
        dtype,
        level: args.level,
        overwrite: args.overwrite,
        progress: true,
        genome: None,
    };
    let (chroms, weights) = (genome.chroms().len(), genome.weights().len());
    let summary = hic_input::write(source.as_mut(), genome, &args.output, &options)?;
    print_summary(&summary, source.symmetric(), start.elapsed().as_secs_f64());
    println!("  genome   {chroms} chromosomes, {weights} weight vectors (from {})", source.describe());
    Ok(())
}

/// The one codec of a non-adaptive compressed write (--codec, else the default), resolved once;
/// `None` for --adaptive and for the uncompressed versions 1 and 2, which refuse --codec and
/// --level rather than ignore them.
fn fixed_codec_of(args: &ConvertArgs, version: u32) -> anyhow::Result<Option<Arc<CodecHandle>>> {
    if version <= 2 {
        if let Some(codec) = &args.codec {
            anyhow::bail!(
                "version {version} stores tiles uncompressed, so --codec {codec} would be ignored; \
                 drop --codec or write --version 3 or 4"
            );
        }
        if let Some(level) = args.level {
            anyhow::bail!(
                "version {version} stores tiles uncompressed, so --level {level} would be ignored; \
                 drop --level or write --version 3 or 4"
            );
        }
        return Ok(None);
    }
    if args.adaptive {
        return Ok(None);
    }
    let name = args.codec.as_deref().unwrap_or(gzcm_container::DEFAULT_CODEC);
    let encode = args.level.map(EncodeOptions::with_level).unwrap_or_default();
    fixed_codec(name, &encode).map(Some)
}

/// The format version: as given, 4 with --adaptive, 3 otherwise.
fn version(args: &ConvertArgs) -> anyhow::Result<u32> {
    match (args.version, args.adaptive) {
        (Some(v), true) if v != 4 => anyhow::bail!("--adaptive writes version 4 files; drop --version {v}"),
        (Some(v), _) => Ok(v),
        (None, true) => Ok(4),
        (None, false) => Ok(gzcm_container::DEFAULT_VERSION),
    }
}

fn set_threads(threads: Option<u16>) -> anyhow::Result<()> {
    if let Some(threads) = threads {
        rayon::ThreadPoolBuilder::new().num_threads(threads.into()).build_global()?;
    }
    Ok(())
}

fn print_summary(summary: &WriteSummary, symmetric: bool, seconds: f64) {
    let (rows, cols) = summary.shape;
    let symmetric = match (symmetric, summary.version) {
        (false, _) => "full",
        (true, 1 | 2) => "symmetric, both triangles stored",
        (true, _) => "symmetric, upper triangle stored",
    };
    println!("wrote {} (version {})", summary.path.display(), summary.version);
    println!(
        "  matrix   {rows}×{cols} {} ({symmetric}), {} non-zero cells stored",
        summary.dtype, summary.nnz
    );
    println!(
        "  tiles    {} stored of {} ({}×{} cells each)",
        summary.tiles_stored, summary.tiles_total, summary.tile_size, summary.tile_size
    );
    let codecs: Vec<String> = summary.codec_counts.iter().map(|(c, n)| format!("{c} ×{n}")).collect();
    println!("  codecs   {}", codecs.join(", "));
    println!(
        "  bytes    {} file, {} payload, {} dense: ratio {:.1}×",
        bytes(summary.file_bytes),
        bytes(summary.payload_bytes),
        bytes(summary.dense_bytes),
        summary.ratio
    );
    println!("  seconds  {seconds:.2} ({:.2} writing)", summary.seconds);
}
