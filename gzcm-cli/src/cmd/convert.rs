//! `gzcm convert`: any input into a `.gzcm` file.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};
use gzcm::Dtype;
use gzcm_container::WriteSummary;
use gzcm_io::{OpenOptions, Shape};

use crate::args::parse_tile_size;
use crate::ingest::{WriteOptions, check_codec, open_source, write_source};
use crate::table::bytes;

/// Convert a contact matrix into a .gzcm file.
///
/// IN is COO text (`bin1 bin2 value` per line, tab- or space-separated, optionally gzip),
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
    /// The .gzcm file to write (atomically: a temporary file, then a rename).
    #[arg(value_name = "OUT")]
    output: PathBuf,
    /// Codec for every tile, by registry name (see `gzcm codecs`).
    #[arg(long, default_value = gzcm_container::DEFAULT_CODEC)]
    codec: String,
    /// File format version: 1 dense, 2 tiled raw, 3 compressed tiles, 4 anti-diagonal order.
    #[arg(long, default_value_t = gzcm_container::DEFAULT_VERSION,
          value_parser = clap::value_parser!(u32).range(1..=4))]
    version: u32,
    /// Tile edge T (tiles are T×T), 16..=4096.
    #[arg(long, default_value_t = 256, value_parser = parse_tile_size)]
    tile_size: u32,
    /// Cell type to store; default: u32 for integer data, f32 otherwise.
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
    overwrite: bool,
    /// Compression level for codecs that have one (zstd: 1..=22).
    #[arg(long, allow_negative_numbers = true)]
    level: Option<i32>,
    /// Worker threads for tile encoding (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
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
    set_threads(args.threads)?;
    let symmetric = match (args.symmetric, args.no_symmetric) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    if let Some(dtype) = args.dtype {
        check_codec(&args.codec, dtype.into())?;
    } else {
        gzcm::get_codec(&args.codec)?;
    }
    let start = Instant::now();
    let source = open_source(&args.input, OpenOptions { shape: args.shape, symmetric })?;
    let dtype = args.dtype.map_or(source.info().dtype, Dtype::from);
    check_codec(&args.codec, dtype)?;
    let options = WriteOptions {
        codec: args.codec.clone(),
        version: args.version,
        tile_size: args.tile_size,
        dtype,
        level: args.level,
        overwrite: args.overwrite,
        progress: true,
    };
    let summary = write_source(&source, &args.output, &options)?;
    print_summary(&summary, source.info(), start.elapsed().as_secs_f64());
    Ok(())
}

fn set_threads(threads: Option<u16>) -> anyhow::Result<()> {
    if let Some(threads) = threads {
        rayon::ThreadPoolBuilder::new().num_threads(threads.into()).build_global()?;
    }
    Ok(())
}

fn print_summary(summary: &WriteSummary, info: &gzcm_io::SourceInfo, seconds: f64) {
    let (rows, cols) = summary.shape;
    let symmetric = if info.symmetric { "symmetric, upper triangle stored" } else { "full" };
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
