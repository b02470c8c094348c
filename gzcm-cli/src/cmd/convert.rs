//! `gzcm convert`: any input into a `.gzcm` file.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use gzcm::Dtype;
use gzcm_container::WriteSummary;
use gzcm_convert::policy::DEFAULT_GOAL;
use gzcm_convert::{
    CollectionConverted, Conversion, ConvertError, Converted, HicOptions, InputOptions, PickerArgs, Setting,
    Settings, Spelling, hic_input,
};
use gzcm_io::Shape;
use gzcm_picker::{Goal, Normalisation, Weights};

use crate::args::{ConvertTileSize, parse_convert_tile_size};
use crate::out::{out, outln};
use crate::progress::Bars;
use crate::table::bytes;

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
    /// Codec for every tile, by registry name (see `gzcm codecs`); writes version 3 unless
    /// --version says otherwise. Default: none, a codec per region (see --adaptive).
    #[arg(long)]
    codec: Option<String>,
    /// File format version: 1 dense, 2 tiled raw, 3 compressed tiles (zstd unless --codec),
    /// 4 anti-diagonal order with a codec per region. Default: 4 with the adaptive choice; 3 when
    /// --codec is given.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=4))]
    version: Option<u32>,
    /// Version 4 with a codec per region: split the tiles into regions from the data and pick
    /// each region's codec by measuring the candidates on sample tiles (see --codec-candidates,
    /// --picker-goal). The default when neither --codec nor --version is given; `gzcm info`
    /// shows what was chosen and why.
    #[arg(long, conflicts_with = "codec")]
    adaptive: bool,
    /// Candidate codecs of the adaptive choice, comma-separated (default: the goal's; `balanced`
    /// measures rans, shuffle_zstd and zstd, the other goals every registered codec that
    /// stores the dtype).
    #[arg(long, value_delimiter = ',')]
    codec_candidates: Vec<String>,
    /// What the adaptive choice optimises: `balanced` (default) keeps the smallest candidate
    /// whose decode is within 1.5× of zstd's (of the fastest when zstd is not a candidate);
    /// `smallest` the fewest bytes; `fastest` the fastest decode.
    #[arg(long, value_parser = parse_goal)]
    picker_goal: Option<Goal>,
    /// Weights of decode time, size and encode time for the adaptive choice, replacing the
    /// goal's (its decode budget and candidates too): three non-negative numbers that sum to 1,
    /// e.g. 0.5,0.3,0.2.
    #[arg(long, value_parser = parse_weights)]
    picker_weights: Option<Weights>,
    /// How the adaptive choice normalises each criterion across the candidates before
    /// weighting: divide-by-best, min-max or log-ratio (default: the goal's, log-ratio).
    #[arg(long, value_parser = parse_normalisation)]
    picker_normalisation: Option<Normalisation>,
    /// Tile edge T (tiles are T×T), 16..=4096, or `auto`: 256, raised to 512 or 1024 for a
    /// large sparse map whose non-zero count is known (.cool, .hic, COO text) so that a tile
    /// holds ~1,000 non-zeros; that shrinks files of the model codecs (rans, cmc), whose tiles
    /// carry side information, at the price of slower windows. Default: 256.
    #[arg(long, value_parser = parse_convert_tile_size)]
    tile_size: Option<ConvertTileSize>,
    /// Cell type to store. Default: u32 for integer COO values and integer .npy dtypes, f32
    /// otherwise (a `<f4` .npy holding whole counts stays f32 unless you pass --dtype u32;
    /// values that do not fit the chosen type are errors, never rounded).
    #[arg(long, value_parser = parse_dtype, value_name = "u32|f32")]
    dtype: Option<Dtype>,
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
    /// v3/v4: store the tile index packed, without header padding, and opaque payloads without
    /// their 8-byte shape header (format revisions packed-index-1 and bare-payloads-1; the
    /// default: smaller files, above all for sparse maps).
    #[arg(long, overrides_with = "padded_index")]
    packed_index: bool,
    /// v3/v4: store the tile index as fixed 32-byte records after a header padded to 4 KiB (the
    /// layout of SPEC §4, readable by gzcm builds from before the packed-index revision).
    #[arg(long, overrides_with = "packed_index")]
    padded_index: bool,
    /// Compression level for codecs that have one (zstd: 1..=22).
    #[arg(long, allow_negative_numbers = true)]
    level: Option<i32>,
    /// Worker threads for tile encoding (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Hi-C inputs: keep only this resolution (in bp). Without it, and without
    /// `::/resolutions/R`, an .mcool or .hic input keeps every resolution it has, in one
    /// multi-resolution .gzcm file.
    #[arg(long, help_heading = "Hi-C inputs (.cool, .mcool, .hic)", conflicts_with = "resolutions")]
    resolution: Option<u64>,
    /// Hi-C inputs: keep these resolutions (comma-separated, in bp), a subset of the file's.
    #[arg(long, value_delimiter = ',', help_heading = "Hi-C inputs (.cool, .mcool, .hic)")]
    resolutions: Option<Vec<u64>>,
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

/// Parses `--dtype`: u32 (uint32) or f32 (float32).
fn parse_dtype(text: &str) -> Result<Dtype, String> {
    gzcm_convert::dtype_named(text).map_err(|e| e.spelled(&Flags))
}

/// Parses `--picker-weights`: three non-negative numbers summing to 1.
fn parse_weights(text: &str) -> Result<Weights, String> {
    Weights::parse(text).map_err(|e| e.to_string())
}

/// Parses `--picker-goal`: smallest, fastest or balanced.
fn parse_goal(text: &str) -> Result<Goal, String> {
    text.parse().map_err(|e: gzcm_picker::PickerError| e.to_string())
}

/// Parses `--picker-normalisation`: divide-by-best, min-max or log-ratio.
fn parse_normalisation(text: &str) -> Result<Normalisation, String> {
    text.parse().map_err(|e: gzcm_picker::PickerError| e.to_string())
}

fn parse_shape(text: &str) -> Result<Shape, String> {
    text.parse().map_err(|e: gzcm_io::SourceError| e.to_string())
}

pub(crate) fn run(args: &ConvertArgs) -> anyhow::Result<()> {
    crate::safety::clean_up_on_signals()?;
    set_threads(args.threads)?;
    let start = Instant::now();
    let conversion =
        gzcm_convert::convert(&args.input, &args.output, &settings(args), &inputs(args)).map_err(in_flags)?;
    let seconds = start.elapsed().as_secs_f64();
    match &conversion {
        Conversion::File(converted) => print_converted(converted, seconds)?,
        Conversion::Collection(collection) => print_collection(collection, seconds)?,
    }
    Ok(())
}

/// The settings as given on the command line; the policy (`gzcm_convert::policy`) fills in the
/// defaults and checks them.
fn settings(args: &ConvertArgs) -> Settings {
    let defaults = Settings::default();
    Settings {
        version: args.version,
        codec: args.codec.clone(),
        level: args.level,
        adaptive: args.adaptive.then_some(true),
        picker: PickerArgs {
            candidates: args.codec_candidates.clone(),
            goal: args.picker_goal.unwrap_or(DEFAULT_GOAL),
            weights: args.picker_weights,
            normalisation: args.picker_normalisation,
            level: None,
        },
        tile_size: args.tile_size.map_or(defaults.tile_size, ConvertTileSize::edge),
        dtype: args.dtype,
        overwrite: args.overwrite,
        packed_index: args.packed_index || !args.padded_index,
        progress: Arc::new(Bars::default()),
        ..defaults
    }
}

/// What describes the input beyond its path.
fn inputs(args: &ConvertArgs) -> InputOptions {
    let symmetric = match (args.symmetric, args.no_symmetric) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    InputOptions {
        symmetric,
        shape: args.shape,
        hic: HicOptions {
            resolution: args.resolution,
            resolutions: args.resolutions.clone(),
            chrom: args.chrom.clone(),
            weights: hic_input::selection(args.weights.as_deref()),
        },
        bins: args.bins.clone(),
    }
}

/// A conversion error, with settings spelled as flags.
fn in_flags(error: ConvertError) -> anyhow::Error {
    match error {
        ConvertError::Setting(setting) => anyhow::anyhow!(setting.spelled(&Flags)),
        other => other.into(),
    }
}

/// Settings as `gzcm convert` spells them: `--tile-size`, `--version 3`, `--symmetric`.
pub(crate) struct Flags;

impl Spelling for Flags {
    fn setting(&self, setting: Setting) -> String {
        format!("--{}", setting.name().replace('_', "-"))
    }

    fn assignment(&self, setting: Setting, value: &str) -> String {
        if setting.is_switch() { self.setting(setting) } else { format!("{} {value}", self.setting(setting)) }
    }
}

/// The summary of a multi-resolution conversion: a line per resolution, then the file.
fn print_collection(collection: &CollectionConverted, seconds: f64) -> std::io::Result<()> {
    let summary = &collection.summary;
    let resolutions = collection.members.len();
    outln!("wrote {} ({resolutions} resolutions in one file)", summary.path.display())?;
    for (resolution, converted) in &collection.members {
        let member = &converted.summary;
        let codecs: Vec<String> = member.codec_counts.iter().map(|(c, n)| format!("{c} ×{n}")).collect();
        outln!(
            "  {resolution:>10} bp  {}×{} {}, {} non-zero cells, {} tiles of {}², {} ({})",
            member.shape.0,
            member.shape.1,
            member.dtype,
            member.nnz,
            member.tiles_stored,
            member.tile_size,
            bytes(member.file_bytes),
            codecs.join(", ")
        )?;
    }
    if let Some((_, first)) = collection.members.first()
        && let Some(hic) = &first.hic
    {
        outln!("  genome   {} chromosomes, weight vectors per resolution (from {})", hic.chroms, hic.source)?;
    }
    outln!("  bytes    {} file", bytes(summary.bytes))?;
    outln!("  seconds  {seconds:.2}")
}

/// The summary of a conversion, with the picker's table and the notes that apply.
fn print_converted(converted: &Converted, seconds: f64) -> std::io::Result<()> {
    print_summary(&converted.summary, converted.symmetric, seconds)?;
    if let Some(hic) = &converted.hic {
        outln!(
            "  genome   {} chromosomes, {} weight vectors (from {})",
            hic.chroms,
            hic.weights,
            hic.source
        )?;
    }
    if let Some(decision) = &converted.decision {
        out!("\n{}", decision.record().render_table())?;
    }
    if let Some(per_tile) = converted.tile_size.raised_for_sparsity {
        outln!(
            "  note     tile size {0} chosen for a sparse map ({per_tile} non-zeros per 256×256 tile); \
             --tile-size sets it",
            converted.tile_size.tile_size
        )?;
    }
    if converted.shape_inferred {
        outln!("  note     shape inferred as largest bin + 1; give --shape if trailing bins are empty")?;
    }
    Ok(())
}

fn set_threads(threads: Option<u16>) -> anyhow::Result<()> {
    if let Some(threads) = threads {
        rayon::ThreadPoolBuilder::new().num_threads(threads.into()).build_global()?;
    }
    Ok(())
}

fn print_summary(summary: &WriteSummary, symmetric: bool, seconds: f64) -> std::io::Result<()> {
    let (rows, cols) = summary.shape;
    let symmetric = match (symmetric, summary.version) {
        (false, _) => "full",
        (true, 1 | 2) => "symmetric, both triangles stored",
        (true, _) => "symmetric, upper triangle stored",
    };
    outln!("wrote {} (version {})", summary.path.display(), summary.version)?;
    outln!(
        "  matrix   {rows}×{cols} {} ({symmetric}), {} non-zero cells stored",
        summary.dtype,
        summary.nnz
    )?;
    outln!(
        "  tiles    {} stored of {} ({}×{} cells each)",
        summary.tiles_stored,
        summary.tiles_total,
        summary.tile_size,
        summary.tile_size
    )?;
    let codecs: Vec<String> = summary.codec_counts.iter().map(|(c, n)| format!("{c} ×{n}")).collect();
    outln!("  codecs   {}", codecs.join(", "))?;
    outln!(
        "  bytes    {} file, {} payload, {} dense: ratio {:.1}×",
        bytes(summary.file_bytes),
        bytes(summary.payload_bytes),
        bytes(summary.dense_bytes),
        summary.ratio
    )?;
    outln!("  seconds  {seconds:.2} ({:.2} writing)", summary.seconds)
}
