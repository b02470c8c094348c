//! `gzcm expected FILE -o OUT.tsv`: cis expected per region and diagonal, as `cooltools
//! expected-cis` writes it; `--store` keeps it in the file for `gzcm extract --oe`. The work is
//! `gzcm_balance::expected_for` (a matching stored table, else `expected_cis`) and
//! `gzcm_balance::store_expected_file`.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use gzcm_atomic::AtomicFile;
use gzcm_balance::{
    ExpectedOptions, ExpectedSource, ExpectedTable, expected_for, read_bed, store_expected_file,
};
use gzcm_container::ReaderOptions;

use crate::args::parse_bytes;
use crate::file_arg::{FileAt, presented};
use crate::out::outln;

/// Compute the cis expected (contacts by distance) of a .gzcm file per chromosome, or per
/// region of a view, with cooltools' `expected_cis` columns (region1, region2, dist, dist_bp,
/// contact_frequency, n_total, n_valid, count.sum, balanced.sum, count.avg, balanced.avg;
/// smooth=False). A table stored in the file (--store) for the same weights and
/// --ignore-diags is read instead of computed.
#[derive(Debug, Args)]
pub(crate) struct ExpectedArgs {
    #[command(flatten)]
    at: FileAt,
    /// The weight vector that balances counts and marks bad bins.
    #[arg(long, default_value = "weight", conflicts_with = "raw", value_name = "NAME")]
    balance: String,
    /// Raw counts: no balancing, every bin valid.
    #[arg(long)]
    raw: bool,
    /// Diagonals left out (their sums are NaN).
    #[arg(long, default_value_t = 2, value_name = "N")]
    ignore_diags: u64,
    /// A BED file of regions (chrom, start, end, name), e.g. chromosome arms, instead of whole chromosomes.
    #[arg(long, value_name = "BED")]
    view: Option<PathBuf>,
    /// The table to write (tab-separated; `-` for standard output).
    #[arg(short, long, value_name = "OUT.tsv", required_unless_present = "store")]
    output: Option<PathBuf>,
    /// Compute the table per chromosome and store it in FILE (atomically; tile payloads are
    /// copied), keyed by --balance and --ignore-diags, so `gzcm extract --oe` and readers need
    /// not recompute it. A local file; not with --raw or --view.
    #[arg(long, conflicts_with_all = ["raw", "view"])]
    store: bool,
    /// Replace OUT.tsv if it exists, and with --store a table stored under the same key.
    #[arg(long)]
    force: bool,
    /// The memory budget for the per-bin vectors (a map whose vectors exceed it is refused); tiles are decoded as the one pass goes, never kept.
    #[arg(long, default_value = "1G", value_parser = parse_bytes, value_name = "BYTES")]
    memory: u64,
}

pub(crate) fn run(args: &ExpectedArgs) -> anyhow::Result<()> {
    // A whole-file computation reads each tile once per pass: no tile cache.
    let (file, resolution) = args.at.file_with(ReaderOptions::new().cache_bytes(0))?;
    let reader = file.into_reader(resolution).map_err(|e| presented(&args.at.file, e))?;
    let mut options = ExpectedOptions::default();
    options.balance = (!args.raw).then(|| args.balance.clone());
    options.ignore_diags = args.ignore_diags;
    options.memory = args.memory;
    if let Some(view) = &args.view {
        let genome = reader.genome().context("a view needs a file with chromosomes")?;
        options.view = Some(read_bed(view, genome)?);
    }
    let (table, source) = if args.store {
        drop(reader);
        crate::safety::clean_up_on_signals()?;
        let table = store_expected_file(args.at.input_file(), resolution, &options, args.force)?;
        outln!(
            "{}: expected (weights `{}`, ignore_diags {}) stored: {} rows",
            args.at.display(),
            args.balance,
            args.ignore_diags,
            table.rows.len()
        )?;
        (table, ExpectedSource::Computed)
    } else {
        expected_for(&reader, &options)?
    };
    match &args.output {
        Some(output) => write_table(args, &table, source, output),
        None => Ok(()),
    }
}

fn write_table(
    args: &ExpectedArgs,
    table: &ExpectedTable,
    source: ExpectedSource,
    output: &Path,
) -> anyhow::Result<()> {
    if output.as_os_str() == "-" {
        let mut text = Vec::new();
        table.write_tsv(&mut text)?;
        crate::out::out!("{}", String::from_utf8_lossy(&text))?;
        return Ok(());
    }
    gzcm_convert::refuse_same_file([args.at.input_file()], output)?;
    let out = AtomicFile::create(output, args.force)?;
    let mut writer = BufWriter::new(out.file());
    table.write_tsv(&mut writer).and_then(|()| writer.flush()).context("cannot write the table")?;
    drop(writer);
    out.commit()?;
    let regions = table.rows.iter().filter(|r| r.dist == 0).count();
    let stored = if source == ExpectedSource::Stored { " (the table stored in the file)" } else { "" };
    outln!(
        "{}: {} rows ({regions} regions) written to {}{stored}",
        args.at.display(),
        table.rows.len(),
        output.display()
    )?;
    Ok(())
}
