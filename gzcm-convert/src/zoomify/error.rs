//! Everything a zoomify can report: a base it cannot coarsen, a resolution list that does not fit
//! the base, a sum the stored cell type cannot hold, and the conversion errors it shares with
//! `convert` (settings, the output being the input, reading and writing files).

use std::path::PathBuf;

use gzcm::Dtype;
use gzcm_container::ContainerError;
use gzcm_container::resolution_uri::ResolutionUriError;

use crate::error::ConvertError;
use crate::setting::SettingError;

/// A zoomify failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ZoomifyError {
    /// The input has no genome (chromosomes and bins).
    #[error(
        "{}: zoomify needs genomic bins; convert with --bins or from a .cool (this file has no chromosomes or bins)",
        input.display()
    )]
    NoGenome {
        /// The input file.
        input: PathBuf,
    },
    /// The input's bins are listed one by one (cooler's variable bins): no resolution to
    /// multiply.
    #[error(
        "{}: zoomify needs genomic bins of one fixed size; convert with --bins or from a .cool (this file has variable bins)",
        input.display()
    )]
    VariableBins {
        /// The input file.
        input: PathBuf,
    },
    /// The list of resolutions is empty.
    #[error("no resolutions given; list at least one multiple of the base resolution {base} bp")]
    NoResolutions {
        /// The base resolution in bp.
        base: u64,
    },
    /// A resolution of 0 bp.
    #[error("resolution 0 is not a bin size; list multiples of the base resolution {base} bp")]
    ZeroResolution {
        /// The base resolution in bp.
        base: u64,
    },
    /// A resolution equal to the base: the base is always kept, as it is.
    #[error("resolution {base} is the base resolution, which is kept as it is; list only coarser ones")]
    EqualsBase {
        /// The base resolution in bp.
        base: u64,
    },
    /// A resolution finer than the base: coarsening cannot split bins.
    #[error("resolution {resolution} is finer than the base resolution {base} bp; list only coarser ones")]
    Finer {
        /// The resolution asked for, in bp.
        resolution: u64,
        /// The base resolution in bp.
        base: u64,
    },
    /// A resolution that is not an integer multiple of the base.
    #[error(
        "resolution {resolution} is not a multiple of the base resolution {base} bp (bins are summed whole); \
         try {below} or {above}",
        below = resolution / base * base,
        above = (resolution / base + 1) * base
    )]
    NotAMultiple {
        /// The resolution asked for, in bp.
        resolution: u64,
        /// The base resolution in bp.
        base: u64,
    },
    /// A resolution that does not follow the one before it upwards (an unsorted list or a
    /// repeated value).
    #[error(
        "resolution {resolution} follows {previous}: list the resolutions in increasing order, each once"
    )]
    NotIncreasing {
        /// The resolution before it.
        previous: u64,
        /// The resolution asked for, in bp.
        resolution: u64,
    },
    /// A summed integer count that `uint32` cannot hold (the sum is never wrapped).
    #[error(
        "at resolution {resolution}, pixel ({row}, {col}) sums to {sum}, more than {dtype} holds; \
         convert the base with --dtype f32 to coarsen it"
    )]
    CountOverflow {
        /// The coarse resolution in bp.
        resolution: u64,
        /// Coarse row bin.
        row: u64,
        /// Coarse column bin.
        col: u64,
        /// The exact sum.
        sum: u64,
        /// The stored cell type.
        dtype: Dtype,
    },
    /// A summed float count that `float32` cannot hold (it would become infinite).
    #[error("at resolution {resolution}, pixel ({row}, {col}) sums to {sum:e}, more than {dtype} holds")]
    FloatOverflow {
        /// The coarse resolution in bp.
        resolution: u64,
        /// Coarse row bin.
        row: u64,
        /// Coarse column bin.
        col: u64,
        /// The sum in float64.
        sum: f64,
        /// The stored cell type.
        dtype: Dtype,
    },
    /// The input's `FILE::/resolutions/R` is malformed.
    #[error(transparent)]
    Uri(#[from] ResolutionUriError),
    /// A setting, reading the input or writing a level failed as in `convert` (boxed: it is
    /// the largest).
    #[error(transparent)]
    Convert(Box<ConvertError>),
}

impl ZoomifyError {
    /// The setting error inside, when the request's settings do not fit (for a front end to
    /// spell in its own words).
    #[must_use]
    pub fn setting(&self) -> Option<&SettingError> {
        match self {
            ZoomifyError::Convert(error) => match error.as_ref() {
                ConvertError::Setting(setting) => Some(setting),
                _ => None,
            },
            _ => None,
        }
    }
}

impl From<ConvertError> for ZoomifyError {
    fn from(error: ConvertError) -> Self {
        ZoomifyError::Convert(Box::new(error))
    }
}

impl From<ContainerError> for ZoomifyError {
    fn from(error: ContainerError) -> Self {
        ConvertError::Container(error).into()
    }
}

impl From<SettingError> for ZoomifyError {
    fn from(error: SettingError) -> Self {
        ConvertError::Setting(error).into()
    }
}
