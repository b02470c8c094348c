//! `gzcm zoomify IN OUT`: coarser resolutions of a `.gzcm` file with genomic bins, as
//! `cooler zoomify` builds them, into one multi-resolution `.gzcm` file.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use gzcm_convert::Settings;
use gzcm_convert::zoomify::{Resolutions, WEIGHTS_NOTE, Zoomified, ZoomifyError};

use crate::args::{ConvertTileSize, parse_convert_tile_size, write_settings};
use crate::cmd::convert::Flags;
use crate::out::outln;
use crate::table::bytes;

/// The arguments of `gzcm zoomify` (its help text is on `Command::Zoomify`).
#[derive(Debug, Args)]
pub(crate) struct ZoomifyArgs {
    /// The base: a .gzcm file with genomic bins, or `FILE::/resolutions/R`.
    #[arg(value_name = "IN")]
    input: String,
    /// The multi-resolution .gzcm file to write (atomically), holding the base and every
    /// coarser resolution.
    #[arg(value_name = "OUT")]
    output: PathBuf,
    /// The coarser resolutions in bp, comma-separated and increasing, each a multiple of the
    /// base (e.g. 20000,50000,100000).
    #[arg(long, value_delimiter = ',', num_args = 1.., conflicts_with_all = ["nice", "base_multiples"])]
    resolutions: Option<Vec<u64>>,
    /// base × 2, 5, 10, 20, 50, 100, … up to the genome in one 256-bin tile (cooler's `-r N`).
    #[arg(long, conflicts_with = "base_multiples")]
    nice: bool,
    /// base × 2, 4, 8, 16, … up to the genome in one 256-bin tile (cooler's `-r B`); the default.
    #[arg(long)]
    base_multiples: bool,
    /// Codec for every tile of the coarser levels that is not in a tile group, by registry name
    /// (default: `shuffle_zstd`).
    #[arg(long)]
    codec: Option<String>,
    /// Compression level for codecs that have one (zstd: 1..=22).
    #[arg(long, allow_negative_numbers = true)]
    level: Option<i32>,
    /// Format version of the coarser levels: 3 (default) or 4.
    #[arg(long, value_parser = clap::value_parser!(u32).range(3..=4))]
    version: Option<u32>,
    /// Tile edge of the coarser levels, 16..=4096, or `auto` (default 256).
    #[arg(long, value_parser = parse_convert_tile_size)]
    tile_size: Option<ConvertTileSize>,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Replace OUT if it exists.
    #[arg(long)]
    overwrite: bool,
}

impl ZoomifyArgs {
    fn resolutions(&self) -> Resolutions {
        match (&self.resolutions, self.nice) {
            (Some(list), _) => Resolutions::List(list.clone()),
            (None, true) => Resolutions::Nice,
            (None, false) => Resolutions::BaseMultiples,
        }
    }

    fn settings(&self) -> Settings {
        write_settings(self.version, self.codec.clone(), self.level, self.tile_size, self.overwrite)
    }
}

pub(crate) fn run(args: &ZoomifyArgs) -> anyhow::Result<()> {
    crate::safety::clean_up_on_signals()?;
    if let Some(threads) = args.threads {
        rayon::ThreadPoolBuilder::new().num_threads(threads.into()).build_global()?;
    }
    let start = Instant::now();
    let zoomified =
        gzcm_convert::zoomify::zoomify(&args.input, &args.output, &args.resolutions(), &args.settings())
            .map_err(in_flags)?;
    eprintln!("note: {WEIGHTS_NOTE}");
    print_zoomified(&zoomified, start.elapsed().as_secs_f64())?;
    Ok(())
}

/// A zoomify error, with settings spelled as flags.
fn in_flags(error: ZoomifyError) -> anyhow::Error {
    match error.setting() {
        Some(setting) => anyhow::anyhow!(setting.spelled(&Flags)),
        None => error.into(),
    }
}

fn print_zoomified(zoomified: &Zoomified, seconds: f64) -> std::io::Result<()> {
    outln!("wrote {} ({} resolutions)", zoomified.path.display(), zoomified.levels.len() + 1)?;
    outln!("  base     {} bp (kept as it was, weight vectors included)", zoomified.base)?;
    for level in &zoomified.levels {
        let (n, _) = level.summary.shape;
        outln!(
            "  {:>8} bp  {n}×{n}, {} non-zero cells, {} tiles, {}",
            level.resolution,
            level.summary.nnz,
            level.summary.tiles_stored,
            bytes(level.summary.file_bytes)
        )?;
    }
    if zoomified.levels.is_empty() {
        outln!(
            "  note     the map already fits a 256-bin tile at the base resolution: nothing coarser \
             was built (cooler does the same); give --resolutions to coarsen further"
        )?;
    }
    outln!("  bytes    {} file", bytes(zoomified.file_bytes))?;
    outln!("  seconds  {seconds:.2}")
}
