//! `gzcm expected FILE -o OUT.tsv`: cis expected per region and diagonal, as `cooltools
//! expected-cis` writes it. The work is `gzcm_balance::expected_cis`.

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use gzcm_atomic::AtomicFile;
use gzcm_balance::{ExpectedOptions, read_bed};
use gzcm_container::ReaderOptions;

use crate::args::parse_bytes;
use crate::file_arg::{FileAt, presented};
use crate::out::outln;

/// Compute the cis expected (contacts by distance) of a .gzcm file per chromosome, or per
/// region of a view, with cooltools' `expected_cis` columns (region1, region2, dist, dist_bp,
/// contact_frequency, n_total, n_valid, count.sum, balanced.sum, count.avg, balanced.avg;
/// smooth=False).
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
    #[arg(short, long, value_name = "OUT.tsv")]
    output: PathBuf,
    /// Replace OUT.tsv if it exists.
    #[arg(long)]
    force: bool,
    /// The memory budget: the per-bin vectors first (a map whose vectors alone exceed it is refused), then decoded tiles kept in memory.
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
    let table = gzcm_balance::expected_cis(&reader, &options)?;
    if args.output.as_os_str() == "-" {
        let mut text = Vec::new();
        table.write_tsv(&mut text)?;
        crate::out::out!("{}", String::from_utf8_lossy(&text))?;
        return Ok(());
    }
    gzcm_convert::refuse_same_file([args.at.input_file()], &args.output)?;
    let out = AtomicFile::create(&args.output, args.force)?;
    let mut writer = BufWriter::new(out.file());
    table.write_tsv(&mut writer).and_then(|()| writer.flush()).context("cannot write the table")?;
    drop(writer);
    out.commit()?;
    let regions = table.rows.iter().filter(|r| r.dist == 0).count();
    outln!(
        "{}: {} rows ({regions} regions) written to {}",
        args.at.display(),
        table.rows.len(),
        args.output.display()
    )?;
    Ok(())
}
