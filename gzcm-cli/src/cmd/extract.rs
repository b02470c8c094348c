//! `gzcm extract`: a region out of a `.gzcm` file, as `.tsv` triples or a dense `.npy`.

use std::io::{BufWriter, Write};
use std::ops::Range;
use std::path::PathBuf;

use clap::Args;
use gzcm::{Dtype, TileData};
use gzcm_container::Reader;
use gzcm_io::CellValue;
use gzcm_io::sink::{AtomicFile, OutputFormat, write_npy_header, write_npy_rows, write_tsv_region};

use crate::args::{BinRange, parse_bin_range};
use crate::cmd::extract_genome;
use crate::cmd::extract_genome::{GenomeArgs, Window};
use crate::file_arg::FileAt;
use crate::strips::strips;

/// Write the cells of a region as `bin1<TAB>bin2<TAB>value` lines (one per non-zero cell, as
/// `cooler dump` does) or as a dense .npy array.
///
/// Ranges are half-open `start:end` bin numbers; an end may be left out (`100:`, `:`).
/// For symmetric files the .tsv output holds only cells with bin1 <= bin2 unless --full;
/// the .npy output is always the full dense region.
///
/// Files with genome data (converted from .cool/.mcool/.hic, or COO with --bins) also take
/// genomic ranges (--range chr1:1,000,000-2,000,000 [--range2 chrX]), balanced values
/// (--balance[=NAME]) and chromosome coordinates in the output (--join).
#[derive(Debug, Args)]
pub(crate) struct ExtractArgs {
    #[command(flatten)]
    at: FileAt,
    /// Rows to extract, as start:end.
    #[arg(long, value_parser = parse_bin_range, allow_hyphen_values = true, required_unless_present = "range")]
    rows: Option<BinRange>,
    /// Columns to extract, as start:end.
    #[arg(long, value_parser = parse_bin_range, allow_hyphen_values = true, required_unless_present = "range")]
    cols: Option<BinRange>,
    /// Genomic ranges, balancing and chromosome names (files with genome data).
    #[command(flatten)]
    genomic: GenomeArgs,
    /// Output file: `.npy` for a dense array, anything else for .tsv lines (default: .tsv on
    /// standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// For symmetric files, write the cells below the diagonal too (.tsv output).
    #[arg(long)]
    full: bool,
    /// Replace the output file if it exists.
    #[arg(long)]
    overwrite: bool,
    /// Write a dense .npy output above 4 GiB, or a .tsv output of a window above 2^32 cells.
    #[arg(long)]
    force: bool,
}

/// Largest dense output (`.npy`) written without `--force`: 4 GiB.
pub(crate) const DENSE_LIMIT_BYTES: u64 = 4 << 30;

/// The most cells a `.tsv` extraction visits without `--force`: text output reads every cell of
/// the window (2^32 cells take seconds; a window claimed by a lying header could take days).
pub(crate) const TEXT_LIMIT_CELLS: u64 = 1 << 32;

/// Why a region cannot be written.
#[derive(Debug, thiserror::Error)]
enum ExtractError {
    /// The file's cell type is newer than this `.npy` writer.
    #[error("cannot write {dtype} cells as .npy: this gzcm only writes uint32 and float32 arrays")]
    UnsupportedDtype {
        /// The file's cell type.
        dtype: Dtype,
    },
}

/// What to write and where.
struct Plan {
    rows: Range<u64>,
    cols: Range<u64>,
    format: OutputFormat,
    upper_only: bool,
}

pub(crate) fn run(args: &ExtractArgs) -> anyhow::Result<()> {
    let reader = args.at.reader(false)?;
    let (rows, cols) = reader.shape();
    let format = args.output.as_deref().map_or(OutputFormat::Tsv, OutputFormat::for_path);
    if args.genomic.used() {
        let window = Window {
            rows: args.rows.map(|r| r.resolve(rows)),
            cols: args.cols.map(|c| c.resolve(cols)),
            format,
            upper_only: reader.symmetric() && !args.full,
            force: args.force,
        };
        return write_output(args, |mut out| extract_genome::write(&reader, &args.genomic, window, &mut out));
    }
    let (Some(row_range), Some(col_range)) = (args.rows, args.cols) else {
        anyhow::bail!("give --rows and --cols, or --range");
    };
    let plan = Plan {
        rows: row_range.resolve(rows),
        cols: col_range.resolve(cols),
        format,
        upper_only: reader.symmetric() && !args.full,
    };
    check_bounds(&plan, (rows, cols))?;
    if !args.force {
        check_output_size(plan.format, &plan.rows, &plan.cols, 4)?;
    }
    write_output(args, |mut out| write_region(&reader, &plan, &mut out))
}

/// Runs `write` into the output file (atomically) or standard output.
fn write_output(
    args: &ExtractArgs,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    match &args.output {
        Some(path) => {
            gzcm_convert::refuse_same_file([args.at.input_file()], path)?;
            crate::safety::clean_up_on_signals()?;
            let mut file = AtomicFile::create(path, args.overwrite)?;
            write(&mut file)?;
            file.finish()?;
        }
        None => {
            let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            write(&mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}

/// Refuses a `.npy` output above [`DENSE_LIMIT_BYTES`] and a `.tsv` output whose window holds
/// more than [`TEXT_LIMIT_CELLS`] cells (`--force` skips this check).
pub(crate) fn check_output_size(
    format: OutputFormat,
    rows: &Range<u64>,
    cols: &Range<u64>,
    cell_bytes: u64,
) -> anyhow::Result<()> {
    let (n_rows, n_cols) = (rows.end.saturating_sub(rows.start), cols.end.saturating_sub(cols.start));
    let cells = u128::from(n_rows) * u128::from(n_cols);
    let bytes = cells * u128::from(cell_bytes);
    if format == OutputFormat::Npy && bytes > u128::from(DENSE_LIMIT_BYTES) {
        anyhow::bail!(
            "the dense region is {n_rows}×{n_cols} cells, {bytes} bytes, above the {DENSE_LIMIT_BYTES}-byte \
             (4 GiB) limit for .npy output; extract a smaller window, write .tsv, or pass --force"
        );
    }
    if format != OutputFormat::Npy && cells > u128::from(TEXT_LIMIT_CELLS) {
        anyhow::bail!(
            "the window is {n_rows}×{n_cols} = {cells} cells, above the {TEXT_LIMIT_CELLS}-cell limit for \
             text output (every cell is visited); extract a smaller window, or pass --force"
        );
    }
    Ok(())
}

fn check_bounds(plan: &Plan, (rows, cols): (u64, u64)) -> anyhow::Result<()> {
    for (what, range, len) in [("rows", &plan.rows, rows), ("cols", &plan.cols, cols)] {
        if range.end > len || range.start >= range.end {
            anyhow::bail!(
                "{what} {}:{} are outside the matrix, which has {len} {what} (valid: 0:{len})",
                range.start,
                range.end
            );
        }
    }
    Ok(())
}

/// Reads the region in strips of one tile row, so memory stays at one strip.
fn write_region(reader: &Reader, plan: &Plan, out: &mut impl Write) -> anyhow::Result<()> {
    if plan.format == OutputFormat::Npy {
        let (rows, cols) = (plan.rows.end - plan.rows.start, plan.cols.end - plan.cols.start);
        match reader.dtype() {
            Dtype::U32 => write_npy_header::<u32>(out, rows, cols)?,
            Dtype::F32 => write_npy_header::<f32>(out, rows, cols)?,
            dtype => return Err(ExtractError::UnsupportedDtype { dtype }.into()),
        }
    }
    for strip in strips(reader, plan.rows.clone(), plan.cols.clone()) {
        match strip? {
            (row0, TileData::U32(cells)) => write_strip(out, plan, row0, cells.view())?,
            (row0, TileData::F32(cells)) => write_strip(out, plan, row0, cells.view())?,
        }
    }
    Ok(())
}

fn write_strip<T: CellValue>(
    out: &mut impl Write,
    plan: &Plan,
    row0: u64,
    cells: ndarray::ArrayView2<'_, T>,
) -> std::io::Result<()> {
    match plan.format {
        OutputFormat::Npy => write_npy_rows(out, cells),
        _ => write_tsv_region(out, (row0, plan.cols.start), cells, plan.upper_only).map(drop),
    }
}
