//! `gzcm verify`: decode every tile and check it.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use crate::cmd::info::open_reader;
use crate::out::outln;

/// Decode every stored tile of a .gzcm file and check its crc32c, its non-zero count and (for
/// symmetric files) its diagonal mirror. Exits with 1 when any tile fails.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The .gzcm file.
    file: PathBuf,
}

pub(crate) fn run(args: &VerifyArgs) -> anyhow::Result<()> {
    let start = Instant::now();
    let reader = open_reader(&args.file, false)?;
    let report = reader.verify();
    let seconds = start.elapsed().as_secs_f64();
    for failure in &report.failures {
        eprintln!("tile ({}, {}): {}", failure.tile_row, failure.tile_col, failure.error);
    }
    for failure in &report.file_failures {
        eprintln!("{failure}");
    }
    if !report.is_ok() {
        anyhow::bail!(
            "{}: {} of {} tiles and {} file-level checks failed verification",
            args.file.display(),
            report.failures.len(),
            report.tiles_checked,
            report.file_failures.len()
        );
    }
    let note = if report.checksums {
        ""
    } else {
        " (the file predates header and index checksums: damage there cannot be detected)"
    };
    outln!("{}: ok, {} tiles verified in {seconds:.2} s{note}", args.file.display(), report.tiles_checked)?;
    Ok(())
}
