//! `gzcm verify`: decode every tile and check it.

use std::time::Instant;

use clap::Args;
use gzcm_container::{Collection, GzcmFile, VerifyReport};

use crate::file_arg::{FileAt, presented};
use crate::out::outln;

/// Decode every stored tile of a .gzcm file and check its crc32c, its non-zero count and (for
/// symmetric files) its diagonal mirror. Exits with 1 when any tile fails.
///
/// A multi-resolution file is checked whole (every resolution, and each one's structure
/// against the file's resolution table) unless --resolution R (or FILE::/resolutions/R) names
/// one.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    at: FileAt,
}

pub(crate) fn run(args: &VerifyArgs) -> anyhow::Result<()> {
    let start = Instant::now();
    let reader = match args.at.file(false)? {
        (GzcmFile::Multi(collection), None) => return verify_collection(args, &collection, start),
        (file, resolution) => file.into_reader(resolution).map_err(|e| presented(&args.at.file, e))?,
    };
    let report = reader.verify();
    let seconds = start.elapsed().as_secs_f64();
    print_failures(&report, "");
    if !report.is_ok() {
        anyhow::bail!(
            "{}: {} of {} and {} file-level checks failed verification",
            args.at.display(),
            report.failures.len(),
            checked(report.tiles_checked, report.tile_groups_checked),
            report.file_failures.len()
        );
    }
    let note = if report.checksums {
        ""
    } else {
        " (the file predates header and index checksums: damage there cannot be detected)"
    };
    outln!(
        "{}: ok, {} verified in {seconds:.2} s{note}",
        args.at.display(),
        checked(report.tiles_checked, report.tile_groups_checked)
    )?;
    Ok(())
}

/// Every resolution of a multi-resolution file.
fn verify_collection(args: &VerifyArgs, collection: &Collection, start: Instant) -> anyhow::Result<()> {
    let report = collection.verify();
    let seconds = start.elapsed().as_secs_f64();
    for member in &report.members {
        print_failures(&member.report, &format!("resolution {}: ", member.resolution));
    }
    for failure in &report.failures {
        eprintln!("{failure}");
    }
    if !report.is_ok() {
        let failed = report.members.iter().filter(|m| !m.report.is_ok()).count() + report.failures.len();
        anyhow::bail!(
            "{}: {failed} of {} resolutions failed verification",
            args.at.display(),
            collection.resolutions().len()
        );
    }
    outln!(
        "{}: ok, {} resolutions, {} verified in {seconds:.2} s",
        args.at.display(),
        report.members.len(),
        checked(report.tiles_checked(), report.tile_groups_checked())
    )?;
    Ok(())
}

/// "N tiles", and the tile groups when there are any.
fn checked(tiles: u64, groups: u64) -> String {
    match groups {
        0 => format!("{tiles} tiles"),
        groups => format!("{tiles} tiles and {groups} tile groups"),
    }
}

/// Each failed tile and file-level check on stderr, after `prefix`.
fn print_failures(report: &VerifyReport, prefix: &str) {
    for failure in &report.failures {
        eprintln!("{prefix}tile ({}, {}): {}", failure.tile_row, failure.tile_col, failure.error);
    }
    for failure in &report.file_failures {
        eprintln!("{prefix}{failure}");
    }
}
