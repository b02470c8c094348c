//! `gzcm load PAIRS OUT`: read pairs (4DN `.pairs`, HiC-Pro validPairs, bedGraph2, COO; plain
//! or gzip) into a `.gzcm` file at every resolution asked, in one pass over the pairs.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use gzcm_convert::Settings;
use gzcm_convert::load::{LoadError, LoadOptions, Loaded};
use gzcm_pairs::{Filters, Format};

use crate::args::{ConvertTileSize, parse_bytes, parse_convert_tile_size, write_settings};
use crate::out::outln;
use crate::table::bytes;

/// The arguments of `gzcm load` (its help text is on `Command::Load`).
#[derive(Debug, Args)]
pub(crate) struct LoadArgs {
    /// The pairs file: .pairs, validPairs, .bg2 or COO text, plain or gzip/bgzip; `-` reads
    /// standard input.
    #[arg(value_name = "PAIRS")]
    input: PathBuf,
    /// The .gzcm file to write (atomically): multi-resolution when several resolutions are
    /// asked for.
    #[arg(value_name = "OUT")]
    output: PathBuf,
    /// Every resolution in bp, comma-separated; the finest is the base, the others must be
    /// multiples of it (e.g. 1000,5000,10000,100000,1000000).
    #[arg(long, value_delimiter = ',', num_args = 1.., required_unless_present = "base", conflicts_with = "base")]
    resolutions: Option<Vec<u64>>,
    /// The base resolution in bp; the coarser ones follow --nice or --base-multiples (the
    /// default: base × 2, 4, 8, … up to the genome in one 256-bin tile, as cooler zoomify).
    #[arg(long, value_name = "BP")]
    base: Option<u64>,
    /// With --base: base × 2, 5, 10, 20, 50, … (cooler's `-r N`).
    #[arg(long, requires = "base", conflicts_with = "base_multiples")]
    nice: bool,
    /// With --base: base × 2, 4, 8, 16, … (cooler's `-r B`); the default.
    #[arg(long, requires = "base")]
    base_multiples: bool,
    /// A chromosome sizes file (`name<TAB>length` per line, in the order bins are laid out);
    /// default: the pairs header's `#chromsize:` lines.
    #[arg(long, value_name = "FILE")]
    chromsizes: Option<PathBuf>,
    /// The genome assembly name to store (default: the header's `#genome_assembly:`).
    #[arg(long, value_name = "NAME")]
    assembly: Option<String>,
    /// The input format: pairs, validpairs, bg2 or coo (default: from the header's
    /// `## pairs format` line, else from the file name).
    #[arg(long, value_parser = clap::value_parser!(Format))]
    format: Option<Format>,
    /// Drop pairs where either side's mapping quality is below N (needs mapq1/mapq2 columns).
    #[arg(long, value_name = "N")]
    min_mapq: Option<u32>,
    /// Keep only intra-chromosomal pairs at most BP apart (a band-limited map); inter-
    /// chromosomal pairs are dropped. The dropped pairs are counted in the report.
    #[arg(long, value_name = "BP")]
    max_distance: Option<u64>,
    /// Skip lines that cannot be loaded (unparseable, unknown chromosome, position past the
    /// chromosome's end) and report how many of each, instead of stopping at the first.
    #[arg(long)]
    skip_bad_lines: bool,
    /// The memory budget; the pairs are sorted in a buffer of what 160 MiB of working memory
    /// leaves (16 bytes a pixel), the rest spilled to sorted runs next to OUT.
    #[arg(long, default_value = "1G", value_parser = parse_bytes, value_name = "BYTES")]
    memory: u64,
    /// Codec for every tile that is not in a tile group (default: `shuffle_zstd`).
    #[arg(long)]
    codec: Option<String>,
    /// Compression level for codecs that have one (zstd: 1..=22).
    #[arg(long, allow_negative_numbers = true)]
    level: Option<i32>,
    /// Format version: 3 (default) or 4.
    #[arg(long, value_parser = clap::value_parser!(u32).range(3..=4))]
    version: Option<u32>,
    /// Tile edge, 16..=4096, or `auto` (default 256).
    #[arg(long, value_parser = parse_convert_tile_size)]
    tile_size: Option<ConvertTileSize>,
    /// Worker threads for parsing, sorting and encoding (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
    /// Replace OUT if it exists.
    #[arg(long)]
    overwrite: bool,
    /// Store every tile under a record of its own instead of gathering each row's sparse tiles
    /// into tile groups (format revision groups-1; builds of gzcm before it cannot read
    /// groups). Without groups a fine resolution's file is several times larger and slower to
    /// write.
    #[arg(long)]
    no_tile_groups: bool,
}

impl LoadArgs {
    fn options(&self) -> Result<LoadOptions, LoadError> {
        let mut options = LoadOptions::choose(self.resolutions.as_deref(), self.base, self.nice)?;
        options.format = self.format;
        options.chromsizes.clone_from(&self.chromsizes);
        options.assembly.clone_from(&self.assembly);
        options.filters = Filters {
            min_mapq: self.min_mapq,
            max_distance: self.max_distance,
            skip_bad_lines: self.skip_bad_lines,
        };
        options.memory = self.memory;
        Ok(options)
    }

    fn settings(&self) -> Settings {
        let settings =
            write_settings(self.version, self.codec.clone(), self.level, self.tile_size, self.overwrite);
        Settings { tile_groups: self.no_tile_groups.then_some(false), ..settings }
    }
}

pub(crate) fn run(args: &LoadArgs) -> anyhow::Result<()> {
    crate::safety::clean_up_on_signals()?;
    if let Some(threads) = args.threads {
        rayon::ThreadPoolBuilder::new().num_threads(threads.into()).build_global()?;
    }
    let start = Instant::now();
    let loaded = gzcm_convert::load::load(&args.input, &args.output, &args.options()?, &args.settings())?;
    print_loaded(&loaded, start.elapsed().as_secs_f64())?;
    Ok(())
}

/// "N tiles", with how many tile groups hold the sparse ones.
fn tiles(summary: &gzcm_container::WriteSummary) -> String {
    match summary.tile_groups {
        0 => format!("{} tiles", summary.tiles_stored),
        groups => format!("{} tiles ({groups} tile groups hold the sparse ones)", summary.tiles_stored),
    }
}

fn print_loaded(loaded: &Loaded, seconds: f64) -> std::io::Result<()> {
    let tally = &loaded.tally;
    let resolutions = loaded.levels.len() + 1;
    outln!(
        "wrote {} ({resolutions} resolution{})",
        loaded.path.display(),
        if resolutions == 1 { "" } else { "s" }
    )?;
    outln!(
        "  read     {} {} lines, {} contacts loaded ({:.0} lines/s)",
        tally.lines,
        loaded.format,
        tally.contacts,
        tally.lines as f64 / seconds.max(1e-9)
    )?;
    if tally.zero_counts > 0 {
        outln!("  zero     {} lines with a count of 0 (nothing to add)", tally.zero_counts)?;
    }
    if tally.below_min_mapq > 0 {
        outln!("  dropped  {} pairs below --min-mapq", tally.below_min_mapq)?;
    }
    if tally.beyond_max_distance > 0 {
        outln!(
            "  dropped  {} pairs beyond --max-distance or between chromosomes",
            tally.beyond_max_distance
        )?;
    }
    if tally.skipped_total() > 0 {
        outln!("  skipped  {} bad lines (--skip-bad-lines):", tally.skipped_total())?;
        for (class, n) in &tally.skipped {
            outln!("             {n} {class}")?;
        }
        if let Some(first) = &tally.first_skipped {
            outln!("             the first: {first}")?;
        }
    }
    let (n, _) = loaded.base_summary.shape;
    outln!(
        "  {:>8} bp  {n}×{n}, {} non-zero cells, {} (base{})",
        loaded.base,
        loaded.base_summary.nnz,
        tiles(&loaded.base_summary),
        if loaded.runs > 0 { format!(", sorted in {} runs on disk", loaded.runs) } else { String::new() }
    )?;
    for level in &loaded.levels {
        let (n, _) = level.summary.shape;
        outln!(
            "  {:>8} bp  {n}×{n}, {} non-zero cells, {}",
            level.resolution,
            level.summary.nnz,
            tiles(&level.summary)
        )?;
    }
    outln!("  bytes    {} file", bytes(loaded.file_bytes))?;
    outln!("  seconds  {seconds:.2}")
}
