//! Why writing a cooler file failed.

/// An error while writing a `.cool` or `.mcool` file.
#[derive(Debug, thiserror::Error)]
pub enum CoolWriteError {
    /// The HDF5 layer refused or failed an operation.
    #[error("cannot {action} in the cooler file: {source}")]
    Hdf5 {
        /// What was being done (`create the skeleton`, `append pixels`, …).
        action: &'static str,
        /// The HDF5 writer's error.
        #[source]
        source: hdf5_pure::Error,
    },
    /// The genome cannot be written as cooler columns.
    #[error("the genome cannot be written to a cooler file: {0}")]
    Genome(String),
    /// A pixel is outside the matrix.
    #[error("pixel ({bin1}, {bin2}) is outside the {n_bins}-bin matrix")]
    PixelOutOfRange {
        /// Row bin.
        bin1: u64,
        /// Column bin.
        bin2: u64,
        /// The matrix edge.
        n_bins: u64,
    },
    /// Pixels must come sorted by row, then column, each cell once.
    #[error(
        "pixel ({bin1}, {bin2}) comes after ({prev1}, {prev2}); pixels must be sorted by bin1, then bin2"
    )]
    Unsorted {
        /// Row bin of the offending pixel.
        bin1: u64,
        /// Column bin of the offending pixel.
        bin2: u64,
        /// Row bin of the pixel before it.
        prev1: u64,
        /// Column bin of the pixel before it.
        prev2: u64,
    },
    /// A symmetric (upper-triangle) file got a pixel below the diagonal.
    #[error("pixel ({bin1}, {bin2}) lies below the diagonal of a symmetric-upper file")]
    BelowDiagonal {
        /// Row bin.
        bin1: u64,
        /// Column bin.
        bin2: u64,
    },
    /// An integer count that cooler's int32 `count` column cannot hold.
    #[error("count {count} at ({bin1}, {bin2}) is not an int32 (cooler stores integer counts as int32)")]
    CountOutOfRange {
        /// Row bin.
        bin1: u64,
        /// Column bin.
        bin2: u64,
        /// The value.
        count: f64,
    },
    /// A `.mcool` resolution whose genome does not have fixed bins of that size.
    #[error(
        "resolution {resolution} needs fixed {resolution}-bp bins, but the matrix has {}",
        bin_size.map_or_else(|| "variable bins".to_owned(), |b| format!("{b}-bp bins"))
    )]
    ResolutionMismatch {
        /// The resolution asked for (the group `/resolutions/R`).
        resolution: u64,
        /// The genome's fixed bin size, `None` for variable bins.
        bin_size: Option<u64>,
    },
    /// A `.mcool` resolution written twice.
    #[error("resolution {resolution} is already in the .mcool file")]
    DuplicateResolution {
        /// The resolution.
        resolution: u64,
    },
    /// A `.mcool` resolution was started and not finished (its writer was dropped or failed),
    /// so the file cannot be completed.
    #[error("resolution {resolution} was not finished; the .mcool file is incomplete")]
    UnfinishedResolution {
        /// The resolution left unfinished.
        resolution: u64,
    },
    /// A `.mcool` file needs at least one resolution.
    #[error("a .mcool file needs at least one resolution")]
    NoResolutions,
}

impl CoolWriteError {
    pub(crate) fn hdf5(action: &'static str) -> impl FnOnce(hdf5_pure::Error) -> CoolWriteError {
        move |source| CoolWriteError::Hdf5 { action, source }
    }
}
