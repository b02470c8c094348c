//! Why a heatmap cannot be made.

use std::path::PathBuf;

use gzcm_balance::ObservedExpectedError;
use gzcm_container::{ContainerError, RegionError};

/// Why a heatmap cannot be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlotError {
    /// The file has no genome (a plain matrix).
    #[error(
        "{path}: this file has no genomic coordinates to plot; convert from .cool/.mcool/.hic or pass --bins"
    )]
    NoGenome {
        /// The file.
        path: PathBuf,
    },
    /// A range does not fit the file's genome.
    #[error(transparent)]
    Region(#[from] RegionError),
    /// No weight vector of that name (or none at all).
    #[error("{path}: no weight vector `{name}` to balance with; the file's vectors: {available}")]
    NoSuchWeight {
        /// The file (and resolution).
        path: PathBuf,
        /// The vector asked for (`weight` for the default).
        name: String,
        /// The vectors it has.
        available: String,
    },
    /// Observed/expected cannot be given for the window (trans, no expected).
    #[error(transparent)]
    ObservedExpected(#[from] ObservedExpectedError),
    /// The file could not be read.
    #[error(transparent)]
    Container(#[from] ContainerError),
    /// An unknown colour map.
    #[error("no colour map `{name}`; choose one of {available}")]
    UnknownColormap {
        /// The name given.
        name: String,
        /// The names known.
        available: String,
    },
    /// An unknown scale.
    #[error("no scale `{name}`; choose log or linear")]
    UnknownScale {
        /// The name given.
        name: String,
    },
    /// Colour limits that cannot be used.
    #[error("bad colour limits: {reason}")]
    BadLimits {
        /// What is wrong.
        reason: String,
    },
    /// A picture size outside the bounds.
    #[error("a picture of {size} pixels (cells) a side: give a size between {min} and {max}")]
    BadSize {
        /// The size asked for.
        size: u32,
        /// The smallest.
        min: u32,
        /// The largest.
        max: u32,
    },
    /// An output whose extension names no picture format.
    #[error("{path}: write the picture as .png or .svg (the extension chooses the format)")]
    BadOutput {
        /// The output path.
        path: PathBuf,
    },
    /// The picture could not be encoded.
    #[error("cannot encode the PNG: {0}")]
    Png(#[from] png::EncodingError),
    /// The output could not be created or put in place.
    #[error(transparent)]
    Atomic(#[from] gzcm_atomic::AtomicError),
    /// The output could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The output path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}
