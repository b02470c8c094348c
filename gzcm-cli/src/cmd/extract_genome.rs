//! `gzcm extract` in genomic terms: `--range chr1:1,000,000-2,000,000 [--range2 chrX:…]`,
//! `--balance[=NAME]` (count · w_i · w_j), `--oe` (balanced ÷ the cis expected of the cell's
//! diagonal, `gzcm_balance::ObservedExpected`) and `--join` (`chrom1 start1 end1 chrom2 start2
//! end2 value`, like `cooler dump --join`), for files that carry genome data.

use std::io::Write;
use std::ops::Range;

use clap::Args;
use gzcm::TileData;
use gzcm_balance::{DEFAULT_MEMORY, ExpectedSource, ObservedExpected, cis_chrom};
use gzcm_container::{Genome, Reader};
use gzcm_genome::balance;
use gzcm_io::CellValue;
use gzcm_io::sink::{OutputFormat, write_npy_header, write_npy_preamble, write_npy_rows};
use ndarray::ArrayView2;

use crate::genome_range::{RangeSpec, parse_range};
use crate::strips::strips;

/// The message for genomic options on a file without genome data.
pub(crate) const NO_GENOME: &str =
    "this file has no genomic coordinates; convert from .cool/.mcool/.hic or pass --bins";

/// The genomic options of `gzcm extract`.
#[derive(Debug, Args)]
pub(crate) struct GenomeArgs {
    /// Rows (and columns, without --range2) as a genomic range: `chr1`, `chr1:1000000-2000000`
    /// or `chr1:1,000,000-2,000,000`; every bin that overlaps it is included, as cooler does.
    #[arg(long, value_parser = parse_range, conflicts_with_all = ["rows", "cols"])]
    range: Option<RangeSpec>,
    /// Columns as a genomic range (default: the --range).
    #[arg(long, value_parser = parse_range, requires = "range")]
    range2: Option<RangeSpec>,
    /// Balanced values count · w_i · w_j with weight vector NAME (default `weight`, else the
    /// file's first); cells with a NaN weight are NaN in .npy (float64) and left out of .tsv.
    #[arg(long, value_name = "NAME", num_args = 0..=1, default_missing_value = "", require_equals = true)]
    balance: Option<String>,
    /// Observed/expected: each balanced value divided by the cis expected of its diagonal
    /// (`balanced.avg` of `gzcm expected` for its chromosome; the table stored by `gzcm
    /// expected --store` when it matches the weights and --ignore-diags, else computed once).
    /// Implies --balance (the default vector) as cooltools does; NaN where undefined (masked
    /// bins, ignored diagonals, an expected of 0). Cis windows only: rows and columns of one
    /// chromosome.
    #[arg(long)]
    oe: bool,
    /// With --oe: the diagonals the expected leaves out (cooltools' ignore_diags); their
    /// cells are NaN.
    #[arg(long, value_name = "N", default_value_t = 2, requires = "oe")]
    ignore_diags: u64,
    /// Write `chrom1 start1 end1 chrom2 start2 end2 value` lines (.tsv output), like
    /// `cooler dump --join`.
    #[arg(long)]
    join: bool,
}

impl GenomeArgs {
    /// Whether any genomic option was given.
    pub(crate) fn used(&self) -> bool {
        self.range.is_some() || self.balance.is_some() || self.oe || self.join
    }
}

/// Where the output goes and which window, in bins.
pub(crate) struct Window {
    /// Rows as bin numbers (from --rows when --range is absent).
    pub(crate) rows: Option<Range<u64>>,
    /// Columns as bin numbers (from --cols when --range is absent).
    pub(crate) cols: Option<Range<u64>>,
    /// `.npy` or `.tsv`.
    pub(crate) format: OutputFormat,
    /// Only `bin1 <= bin2` in `.tsv` output (symmetric files without --full).
    pub(crate) upper_only: bool,
    /// `--force`: write a dense output above the size limit.
    pub(crate) force: bool,
}

/// What to write, resolved against the file.
struct Plan<'a> {
    rows: Range<u64>,
    cols: Range<u64>,
    format: OutputFormat,
    upper_only: bool,
    genome: &'a Genome,
    weights: Option<&'a [f64]>,
    oe: Option<ObservedExpected>,
    join: bool,
}

/// Writes the window the genomic options select.
pub(crate) fn write(
    reader: &Reader,
    args: &GenomeArgs,
    window: Window,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let genome = reader.genome().ok_or_else(|| anyhow::anyhow!(NO_GENOME))?;
    let (rows, cols) = match &args.range {
        Some(range) => {
            let rows = range.resolve(genome)?.bins;
            let cols =
                args.range2.as_ref().map_or(Ok(rows.clone()), |r| r.resolve(genome).map(|r| r.bins))?;
            (rows, cols)
        }
        None => {
            let (n_rows, n_cols) = reader.shape();
            (window.rows.unwrap_or(0..n_rows), window.cols.unwrap_or(0..n_cols))
        }
    };
    if !window.force {
        let cell_bytes = if args.balance.is_some() || args.oe { 8 } else { 4 };
        super::extract::check_output_size(window.format, &rows, &cols, cell_bytes)?;
    }
    if args.join && window.format == OutputFormat::Npy {
        anyhow::bail!("--join writes text lines; choose a .tsv output (or drop --join for .npy)");
    }
    // --oe balances with the default vector unless --balance names one (cooltools'
    // clr_weight_name="weight").
    let balance = args.balance.as_deref().or(args.oe.then_some(""));
    let weights = match balance {
        None => None,
        Some(name) => Some(weight_vector(reader, name)?),
    };
    let oe = match weights {
        Some((name, _)) if args.oe => {
            // A trans window is refused before the expected is computed.
            cis_chrom(genome, &rows, &cols)?;
            let oe = ObservedExpected::new(reader, name, args.ignore_diags, DEFAULT_MEMORY)?;
            let how = match oe.source() {
                ExpectedSource::Stored => "read from the file (stored by gzcm expected --store)",
                ExpectedSource::Computed => "computed from the tiles",
            };
            eprintln!("note: expected (weights `{name}`, ignore_diags {}) {how}", args.ignore_diags);
            Some(oe)
        }
        _ => None,
    };
    if window.upper_only && window.format != OutputFormat::Npy && rows.start >= cols.end {
        eprintln!(
            "note: the window lies below the diagonal of a symmetric file, where nothing is stored; \
             add --full, or swap --range and --range2"
        );
    }
    let plan = Plan {
        rows,
        cols,
        format: window.format,
        upper_only: window.upper_only,
        genome,
        weights: weights.map(|(_, w)| w),
        oe,
        join: args.join,
    };
    write_plan(reader, &plan, out)
}

/// The weight vector `name` (`""`: `weight`, else the first), with the name chosen.
fn weight_vector<'a>(reader: &'a Reader, name: &'a str) -> anyhow::Result<(&'a str, &'a [f64])> {
    let names = reader.weight_names();
    if name.is_empty() && names.is_empty() {
        anyhow::bail!(
            "this file has no weight vectors to balance with; convert from a .cool/.mcool/.hic that has some (--weights all), or give --bins a file with weight columns"
        );
    }
    let vector = reader.genome().and_then(|g| g.chosen_weight(name)).ok_or_else(|| {
        let available = if names.is_empty() { "none".to_owned() } else { names.join(", ") };
        anyhow::anyhow!("no weight vector `{name}`; the file's vectors: {available}")
    })?;
    Ok((vector.name.as_str(), vector.values.as_slice()))
}

/// Reads the window in strips of one tile row, so memory stays at one strip.
fn write_plan(reader: &Reader, plan: &Plan<'_>, out: &mut impl Write) -> anyhow::Result<()> {
    let (n_rows, n_cols) = reader.shape();
    if plan.rows.end > n_rows || plan.cols.end > n_cols || plan.rows.is_empty() || plan.cols.is_empty() {
        anyhow::bail!(
            "bins {}:{} × {}:{} are outside the {n_rows}×{n_cols} matrix",
            plan.rows.start,
            plan.rows.end,
            plan.cols.start,
            plan.cols.end
        );
    }
    if plan.format == OutputFormat::Npy {
        let (rows, cols) = (plan.rows.end - plan.rows.start, plan.cols.end - plan.cols.start);
        match (plan.weights, reader.dtype()) {
            (Some(_), _) => write_npy_preamble(out, "<f8", rows, cols)?,
            (None, gzcm::Dtype::F32) => write_npy_header::<f32>(out, rows, cols)?,
            (None, _) => write_npy_header::<u32>(out, rows, cols)?,
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

fn write_strip<T: CellValue + Into<f64>>(
    out: &mut impl Write,
    plan: &Plan<'_>,
    row0: u64,
    cells: ArrayView2<'_, T>,
) -> std::io::Result<()> {
    let col0 = plan.cols.start;
    let mut balanced = plan.weights.map(|w| {
        let (rows, cols) = cells.dim();
        balance::apply(cells, weights_of(w, row0, rows), weights_of(w, col0, cols))
    });
    if let (Some(oe), Some(balanced)) = (&plan.oe, balanced.as_mut()) {
        oe.divide(balanced, row0, col0).map_err(std::io::Error::other)?;
    }
    match (plan.format, &balanced) {
        (OutputFormat::Npy, None) => write_npy_rows(out, cells),
        (OutputFormat::Npy, Some(balanced)) => {
            for value in balanced {
                out.write_all(&value.to_le_bytes())?;
            }
            Ok(())
        }
        _ => {
            for ((r, c), &value) in cells.indexed_iter() {
                let (row, col) = (row0 + r as u64, col0 + c as u64);
                if value.is_zero() || (plan.upper_only && row > col) {
                    continue;
                }
                write_line(out, plan, row, col, value, balanced.as_ref().map(|b| b[[r, c]]))?;
            }
            Ok(())
        }
    }
}

/// The weights of `len` bins from `first` on (shorter when the vector ends first: the bins
/// past it count as masked).
fn weights_of(weights: &[f64], first: u64, len: usize) -> &[f64] {
    let start = usize::try_from(first).unwrap_or(usize::MAX).min(weights.len());
    &weights[start..start.saturating_add(len).min(weights.len())]
}

/// One `.tsv` line: the cell's bins (or their coordinates with --join) and its value, or its
/// `balanced` value (none for a masked cell).
fn write_line<T: CellValue>(
    out: &mut impl Write,
    plan: &Plan<'_>,
    row: u64,
    col: u64,
    value: T,
    balanced: Option<f64>,
) -> std::io::Result<()> {
    if balanced.is_some_and(f64::is_nan) {
        return Ok(());
    }
    if plan.join {
        for (bin, sep) in [(row, b'\t'), (col, b'\t')] {
            let (chrom, span) =
                plan.genome.bin(bin).ok_or_else(|| std::io::Error::other("bin outside the genome"))?;
            write!(out, "{}\t{}\t{}", plan.genome.chroms()[chrom].name, span.start, span.end)?;
            out.write_all(&[sep])?;
        }
    } else {
        write!(out, "{row}\t{col}\t")?;
    }
    match balanced {
        Some(v) => write!(out, "{v}")?,
        None => value.write_text(out)?,
    }
    out.write_all(b"\n")
}
