//! The command line: the top-level parser, the subcommand list, and value parsers shared by
//! several subcommands.

use std::ops::Range;

use clap::{Parser, Subcommand};
use gzcm::grid::{MAX_TILE_SIZE, MIN_TILE_SIZE, TILE_SIZES};

use crate::cmd::{
    balance, codecs, convert, demo, expected, export, extract, info, load, plot, serve, verify, zoomify,
};

/// Hi-C contact matrices as compressed, randomly accessible tiles.
///
/// Start with `gzcm demo`: it generates a synthetic map, stores it with every codec, reads
/// random regions back and prints what each codec costs.
#[derive(Debug, Parser)]
#[command(name = "gzcm", version, about, long_about)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
    /// Object-store endpoint for s3:// (and az://) URLs, e.g. http://127.0.0.1:9000 for a
    /// local S3 server (default: $GZCM_ENDPOINT, else the store's environment such as
    /// $AWS_ENDPOINT_URL).
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) endpoint: Option<String>,
    /// The most one object-store operation (the first read, a ranged read, an upload step)
    /// may take, retries included, in seconds; a dead or stalled server fails after it
    /// (default: $GZCM_TIMEOUT, else 60).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = timeout)]
    pub(crate) timeout: Option<std::time::Duration>,
}

/// `--timeout SECONDS`.
fn timeout(text: &str) -> Result<std::time::Duration, String> {
    gzcm_remote::parse_timeout("--timeout", text).map_err(|e| e.to_string())
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Convert COO text, .npy or a synthetic map into a .gzcm file.
    Convert(convert::ConvertArgs),
    /// Show a .gzcm file's header, codecs, tiles and sizes.
    Info(info::InfoArgs),
    /// List the registered codecs with their wire formats and origin.
    Codecs(codecs::CodecsArgs),
    /// Write a region of a .gzcm file as .tsv triples or a dense .npy.
    Extract(extract::ExtractArgs),
    /// Decode every tile of a .gzcm file, checking crc32c and nnz.
    Verify(verify::VerifyArgs),
    /// Store a synthetic map with every codec, read it back and compare the codecs.
    Demo(demo::DemoArgs),
    /// Write a .gzcm file with genomic coordinates as a cooler file (.cool) that cooler opens.
    Export(export::ExportArgs),
    /// Build coarser resolutions (summed within chromosomes, as cooler zoomify) into one
    /// multi-resolution .gzcm file.
    ///
    /// Bins are summed within chromosomes, as `cooler zoomify` does: at resolution R a
    /// chromosome has ceil(length / R) bins (its last one shorter), and base bin i of a
    /// chromosome falls in its coarse bin floor(i · base / R); the pixels equal cooler's at every
    /// resolution. IN is a single-resolution .gzcm file with genomic bins of one size (converted
    /// from .cool, .mcool or .hic, or from COO text with --bins), or `FILE::/resolutions/R` of a
    /// multi-resolution one. Resolutions must be multiples of the base, coarser than it, in
    /// increasing order; without --resolutions or --nice they are base × 2, 4, 8, … (cooler's
    /// default). OUT holds the base and every coarser resolution.
    ///
    /// Integer counts stay integers (a sum beyond uint32 is an error, never wrapped); float
    /// counts are summed in float64 and stored as float32. Weights are not summed: the base keeps
    /// its weight vectors, the coarser resolutions have none (balance them with `gzcm balance`).
    /// The coarser levels are written as `convert` writes a file: the same --codec, --level,
    /// --version and --tile-size defaults and checks.
    ///
    /// Example: gzcm zoomify yeast.gzcm yeast.zoom.gzcm --resolutions 20000,50000,100000
    Zoomify(zoomify::ZoomifyArgs),
    /// Balance a contact map (ICE as cooler; VC, VC_SQRT, SCALE as Juicer) and store the vector in the file.
    Balance(balance::BalanceArgs),
    /// Write the cis expected (contacts by distance) as cooltools' expected_cis table.
    Expected(expected::ExpectedArgs),
    /// Load read pairs (.pairs, validPairs, .bg2, COO; plain or gzip) into a .gzcm file at every
    /// resolution, in one pass.
    ///
    /// Each pair adds 1 to the pixel of its two positions' bins at the base (finest) resolution,
    /// folded onto the upper triangle as `cooler cload pairs` folds it, in any order; the
    /// coarser resolutions are summed from the base as `gzcm zoomify` (and cooler zoomify) build
    /// them, and everything goes into one multi-resolution file. The genome comes from the 4DN
    /// header's `#chromsize:` lines or --chromsizes. Memory stays within --memory whatever the
    /// input's size: pairs beyond it are sorted into temporary runs next to OUT, removed at the
    /// end, on error and on Ctrl-C.
    ///
    /// A line that cannot be loaded (unparseable, a chromosome not in the sizes, a position past
    /// a chromosome's end) stops the load with its line number and text, or with
    /// --skip-bad-lines is counted and skipped; pairs dropped by --min-mapq and --max-distance
    /// are counted too. Balance the result with `gzcm balance`.
    ///
    /// Example: gzcm load sample.pairs.gz sample.gzcm --resolutions 1000,5000,10000,100000,1000000
    Load(load::LoadArgs),
    /// Draw a heatmap of a genomic window (PNG or SVG) with a colour bar and genomic ticks.
    Plot(plot::PlotArgs),
    /// Serve .gzcm files to HiGlass: the HiGlass server API (tileset info, tiles, tileset
    /// list) with clodius's semantics for matrices, and the viewer page.
    ///
    /// Each FILE is a tileset whose zoom level z is its z-th resolution from the coarsest
    /// (a single-resolution file has one zoom level); tiles are 256×256 bins in genome-wide
    /// coordinates, as clodius serves an .mcool; the transforms are the weight vectors every
    /// resolution has (`default` balances with `weight` where a resolution has it). Tiles
    /// are sent as base64 float16 when they fit, float32 otherwise. Endpoints:
    /// /api/v1/tileset_info/?d=UUID, /api/v1/tiles/?d=UUID.Z.X.Y[.TRANSFORM] (repeated d),
    /// /api/v1/tilesets/; bad tile ids get a 4xx answer with a JSON error. With the viewer page
    /// built (scripts/web-build), / shows HiGlass with every file.
    ///
    /// Example: gzcm serve yeast.gzcm --port 8989 --open
    Serve(serve::ServeArgs),
}

/// A half-open bin range `a:b`; either end may be left out (`:b`, `a:`, `:`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BinRange {
    start: Option<u64>,
    end: Option<u64>,
}

impl BinRange {
    /// The range, with open ends resolved against `len` (ends beyond `len` are kept, so the
    /// reader reports them).
    pub(crate) fn resolve(self, len: u64) -> Range<u64> {
        self.start.unwrap_or(0)..self.end.unwrap_or(len)
    }
}

/// Parses `a:b` with `a < b` (either end optional).
pub(crate) fn parse_bin_range(text: &str) -> Result<BinRange, String> {
    let (start, end) = text
        .split_once(':')
        .ok_or_else(|| format!("`{text}` is not a range; write start:end, e.g. 0:512"))?;
    let bound = |part: &str| -> Result<Option<u64>, String> {
        let part = part.trim();
        if part.is_empty() {
            return Ok(None);
        }
        part.parse().map(Some).map_err(|_| format!("`{part}` is not a bin number"))
    };
    let range = BinRange { start: bound(start)?, end: bound(end)? };
    if let (Some(a), Some(b)) = (range.start, range.end)
        && a >= b
    {
        return Err(format!("the range {a}:{b} is empty; the start must be below the end"));
    }
    Ok(range)
}

/// Parses a byte count: a number with an optional binary suffix `K`, `M`, `G`, `T` (also
/// `KiB`, `MB`, …, all powers of 1024), e.g. `512M`, `1G`, `1073741824`.
pub(crate) fn parse_bytes(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let upper = trimmed.to_ascii_uppercase();
    let digits = upper.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = &upper[digits.len()..];
    let shift = match unit.trim_end_matches("IB").trim_end_matches('B') {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return Err(format!("`{text}` is not a size; write e.g. 512M or 2G")),
    };
    let number: f64 =
        digits.trim().parse().map_err(|_| format!("`{text}` is not a size; write e.g. 512M or 2G"))?;
    let bytes = number * f64::from(1u32 << (shift / 2)) * f64::from(1u32 << (shift - shift / 2));
    if !(0.0..1.8e19).contains(&bytes) {
        return Err(format!("`{text}` is not a size of at least 0 bytes"));
    }
    Ok(bytes as u64)
}

/// Parses a tile size: 16..=4096 (the rule of `gzcm::grid`).
pub(crate) fn parse_tile_size(text: &str) -> Result<u32, String> {
    let size: u32 = text.parse().map_err(|_| format!("`{text}` is not a number"))?;
    if TILE_SIZES.contains(&size) {
        Ok(size)
    } else {
        Err(format!(
            "{size} is outside {MIN_TILE_SIZE}..={MAX_TILE_SIZE} (tiles are T×T with \
             {MIN_TILE_SIZE} <= T <= {MAX_TILE_SIZE})"
        ))
    }
}

/// `convert --tile-size`: an edge, or `auto` (chosen from the input by `gzcm_convert::tile_size`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConvertTileSize {
    /// Chosen from the input.
    Auto,
    /// This edge.
    Edge(u32),
}

impl ConvertTileSize {
    /// The edge as the conversion settings take it (`None`: auto).
    pub(crate) fn edge(self) -> Option<u32> {
        match self {
            ConvertTileSize::Auto => None,
            ConvertTileSize::Edge(edge) => Some(edge),
        }
    }
}

/// The write settings of a command that writes coarse or loaded resolutions (`zoomify`, `load`)
/// from its `--version`, `--codec`, `--level`, `--tile-size` and `--overwrite` flags, with
/// progress bars; the policy (`gzcm_convert::policy`) fills in and checks the rest.
pub(crate) fn write_settings(
    version: Option<u32>,
    codec: Option<String>,
    level: Option<i32>,
    tile_size: Option<ConvertTileSize>,
    overwrite: bool,
) -> gzcm_convert::Settings {
    let defaults = gzcm_convert::Settings::default();
    gzcm_convert::Settings {
        version,
        codec,
        level,
        tile_size: tile_size.map_or(defaults.tile_size, ConvertTileSize::edge),
        overwrite,
        progress: std::sync::Arc::new(crate::progress::Bars::default()),
        ..defaults
    }
}

/// Parses `convert --tile-size`: `auto`, or a number as [`parse_tile_size`] takes it.
pub(crate) fn parse_convert_tile_size(text: &str) -> Result<ConvertTileSize, String> {
    if text == "auto" { Ok(ConvertTileSize::Auto) } else { parse_tile_size(text).map(ConvertTileSize::Edge) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn ranges_parse_and_refuse_empty_ones() {
        let r = parse_bin_range("5:9").unwrap();
        assert_eq!(r.resolve(100), 5..9);
        assert_eq!(parse_bin_range(":").unwrap().resolve(100), 0..100);
        assert_eq!(parse_bin_range("7:").unwrap().resolve(100), 7..100);
        assert!(parse_bin_range("5:2").unwrap_err().contains("empty"));
        assert!(parse_bin_range("5:5").is_err());
        assert!(parse_bin_range("5").is_err());
        assert!(parse_bin_range("a:3").is_err());
    }

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_bytes("1G"), Ok(1 << 30));
        assert_eq!(parse_bytes("512MiB"), Ok(512 << 20));
        assert_eq!(parse_bytes("1.5k"), Ok(1536));
        assert_eq!(parse_bytes("4096"), Ok(4096));
        assert!(parse_bytes("lots").is_err());
        assert!(parse_bytes("-1G").is_err());
    }

    #[test]
    fn tile_sizes_are_bounded() {
        assert_eq!(parse_tile_size("256"), Ok(256));
        assert!(parse_tile_size("7").is_err());
        assert!(parse_tile_size("5000").is_err());
        assert_eq!(parse_convert_tile_size("auto").map(ConvertTileSize::edge), Ok(None));
        assert_eq!(parse_convert_tile_size("512").map(ConvertTileSize::edge), Ok(Some(512)));
        assert!(parse_convert_tile_size("big").unwrap_err().contains("not a number"));
    }
}
