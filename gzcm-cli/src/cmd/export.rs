//! `gzcm export FILE OUT.cool` / `gzcm export FILE OUT.mcool`: write a cooler file holding the
//! same pixels, genome and weight vectors, so users can always go back to cooler's tools. This
//! file picks what to write from the input and the output's name; [`super::export_cooler`]
//! writes it.

use std::path::{Path, PathBuf};

use clap::Args;
use gzcm_container::{GzcmFile, Reader, ReaderOptions};

use super::export_cooler::{missing_genome, write_cool, write_mcool};
use crate::file_arg::FileAt;
use crate::out::outln;

/// Write a .gzcm file as a cooler file that `cooler` opens: the same chromosomes, bins, pixels
/// (upper triangle for symmetric maps) and weight vectors (float64 `bins/<name>` columns).
/// OUTPUT ending in .mcool is a multi-resolution cooler file with one /resolutions/R group per
/// resolution (every resolution of a multi-resolution .gzcm, or the one of a file with fixed
/// bins); any other name is a .cool (schema version 3) of one resolution. The file needs
/// genomic coordinates (converted from .cool/.mcool/.hic, or with --bins).
#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    #[command(flatten)]
    input: FileAt,
    /// The cooler file to write: .mcool for a multi-resolution file, else a .cool.
    output: PathBuf,
    /// Replace OUTPUT if it exists.
    #[arg(long, alias = "overwrite")]
    force: bool,
}

pub(crate) fn run(args: &ExportArgs) -> anyhow::Result<()> {
    gzcm_convert::refuse_same_file([args.input.input_file()], &args.output)?;
    crate::safety::clean_up_on_signals()?;
    // Export decodes each tile once: the readers keep no tile cache (it would only grow).
    let (file, resolution) = args.input.file_with(ReaderOptions::new().cache_bytes(0))?;
    let written = if is_mcool(&args.output) {
        write_mcool(mcool_matrices(file, resolution)?, &args.output, args.force)?
    } else {
        vec![write_cool(&file.into_reader(resolution)?, &args.output, args.force)?]
    };
    for matrix in written {
        let group = matrix.resolution.map_or_else(String::new, |r| format!("::/resolutions/{r}"));
        outln!(
            "{}{group}: {} pixels, {} bins, {} chromosomes, weights: {}",
            args.output.display(),
            matrix.nnz,
            matrix.bins,
            matrix.chroms,
            if matrix.weights.is_empty() { "none".to_owned() } else { matrix.weights.join(", ") }
        )?;
    }
    Ok(())
}

/// Whether `output` names a multi-resolution cooler file.
fn is_mcool(output: &Path) -> bool {
    output.extension().is_some_and(|e| e.eq_ignore_ascii_case("mcool"))
}

/// `(resolution, reader)` pairs, each opened when it is taken.
type Matrices = Box<dyn Iterator<Item = anyhow::Result<(u64, Reader)>>>;

/// The `(resolution, reader)` pairs a `.mcool` gets: every resolution of a multi-resolution
/// file (each opened when its turn comes), else the one asked for, else the file's own.
fn mcool_matrices(file: GzcmFile, resolution: Option<u64>) -> anyhow::Result<Matrices> {
    let file = match file {
        GzcmFile::Multi(collection) if resolution.is_none() => {
            let resolutions = collection.resolutions().to_vec();
            return Ok(Box::new(resolutions.into_iter().map(move |r| Ok((r, collection.reader(r)?)))));
        }
        file => file,
    };
    let reader = file.into_reader(resolution)?;
    let Some(resolution) = reader.resolution() else {
        if reader.genome().is_none() {
            return Err(missing_genome(&reader));
        }
        anyhow::bail!(
            "{} has bins of varying size; a .mcool holds fixed-size bins per resolution: \
             export it to a .cool instead",
            reader.path().display()
        );
    };
    Ok(Box::new(std::iter::once(Ok((resolution, reader)))))
}
