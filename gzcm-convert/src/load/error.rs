//! What `load` can report.

use std::path::PathBuf;

use gzcm_genome::GenomeError;
use gzcm_pairs::{LayoutError, PairsError};

use crate::error::ConvertError;
use crate::zoomify::ZoomifyError;

/// Loading pairs failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The pairs file (or the chromosome sizes) could not be read, or a line is bad.
    #[error(transparent)]
    Pairs(#[from] PairsError),
    /// The format was not given and neither the header nor the file name tells it.
    #[error(
        "{}: cannot tell its format from its header or name; give --format pairs, validpairs, \
         bg2 or coo",
        path.display()
    )]
    UnknownFormat {
        /// The pairs file.
        path: PathBuf,
    },
    /// The format's columns and the options do not fit together.
    #[error("{}: {source}", path.display())]
    Layout {
        /// The pairs file.
        path: PathBuf,
        /// Why.
        #[source]
        source: LayoutError,
    },
    /// The chromosome sizes and resolution make no genome.
    #[error("the chromosome sizes at {resolution} bp make no genome")]
    Genome {
        /// The base resolution.
        resolution: u64,
        /// Why.
        #[source]
        source: GenomeError,
    },
    /// The base resolution is 0, or a coarser one is not a multiple of it.
    #[error("{0}")]
    Resolutions(String),
    /// The map has more bins than a cell key can address (`bins² ≥ 2⁶⁴`).
    #[error(
        "{n_bins} bins at {resolution} bp is too many to load (at most {} bins); use a coarser \
         base resolution",
        u32::MAX
    )]
    TooManyBins {
        /// Bins at the base resolution.
        n_bins: u64,
        /// The base resolution.
        resolution: u64,
    },
    /// `--memory` below what loading needs.
    #[error(
        "--memory {given} bytes is below the {minimum} bytes loading needs (its per-bin tables \
         and the smallest sort buffer); give at least that much"
    )]
    OverBudget {
        /// The budget given.
        given: u64,
        /// The least that works for this genome.
        minimum: u64,
    },
    /// A pixel's count does not fit uint32.
    #[error("pixel ({row}, {col}) at {resolution} bp sums to {sum} contacts, more than uint32 holds")]
    CountOverflow {
        /// Row bin.
        row: u64,
        /// Column bin.
        col: u64,
        /// The base resolution.
        resolution: u64,
        /// The sum.
        sum: u64,
    },
    /// A temporary sorted run could not be written or read back.
    #[error("cannot {action} the temporary run {}: {source}", path.display())]
    Run {
        /// What was being done.
        action: &'static str,
        /// The run file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Writing the base resolution (or the output) failed.
    #[error(transparent)]
    Convert(#[from] ConvertError),
    /// Building the coarser resolutions failed.
    #[error(transparent)]
    Zoomify(#[from] ZoomifyError),
}

impl From<gzcm_container::ContainerError> for LoadError {
    fn from(error: gzcm_container::ContainerError) -> Self {
        LoadError::Convert(error.into())
    }
}

impl From<gzcm_atomic::AtomicError> for LoadError {
    fn from(error: gzcm_atomic::AtomicError) -> Self {
        LoadError::Convert(gzcm_container::ContainerError::from(error).into())
    }
}
