//! Everything a conversion can report, typed so each front end (the CLI's message chain, the
//! Python package's exception classes) can present it.

use gzcm::{Dtype, RegistryError, TileError};
use gzcm_container::ContainerError;
use gzcm_hic::HicError;
use gzcm_io::{SourceError, ValueFault};
use gzcm_picker::PickerError;

use crate::bins_tsv::BinsError;

/// A conversion failed.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// The input (COO text, `.npy`, `synthetic:`) could not be read; its message names it.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The input could not be opened, and the reader's message does not name it.
    #[error("cannot open input `{input}`")]
    OpenSource {
        /// The input as given.
        input: String,
        /// The reader's error.
        #[source]
        source: SourceError,
    },
    /// A `.cool`, `.mcool` or `.hic` input could not be opened.
    #[error("cannot open input `{input}`")]
    OpenHic {
        /// The input as given.
        input: String,
        /// The reader's error.
        #[source]
        source: HicError,
    },
    /// A `.cool`, `.mcool` or `.hic` input failed while its pixels were read.
    #[error(transparent)]
    Hic(#[from] HicError),
    /// A Hi-C pixel's count does not fit the stored cell type.
    #[error("{input}: pixel ({bin1}, {bin2}) has count {count} that {dtype} cannot hold")]
    Count {
        /// The input's description.
        input: String,
        /// Row bin.
        bin1: u64,
        /// Column bin.
        bin2: u64,
        /// The count in the file.
        count: f64,
        /// The stored cell type.
        dtype: Dtype,
        /// Why it does not fit.
        #[source]
        fault: ValueFault,
    },
    /// A `.bins.tsv` file is unreadable or malformed.
    #[error(transparent)]
    Bins(#[from] BinsError),
    /// A bins file lists more bins than a COO input can address (u32).
    #[error("{bins} bins are more than a COO input can address")]
    TooManyBins {
        /// The number of bins.
        bins: u64,
    },
    /// Writing the `.gzcm` file failed.
    #[error(transparent)]
    Container(#[from] ContainerError),
    /// The adaptive codec choice failed (boxed, like the next two: they are the largest).
    #[error(transparent)]
    Picker(Box<PickerError>),
    /// A codec name is unknown (or the registry refused it).
    #[error(transparent)]
    Registry(Box<RegistryError>),
    /// A codec refused its options (e.g. a level it does not have).
    #[error(transparent)]
    CodecSetup(Box<TileError>),
    /// The codec cannot store the cell type.
    #[error("codec `{codec}` cannot store {dtype} tiles; see `gzcm codecs`")]
    CodecCannotStore {
        /// The codec.
        codec: String,
        /// The cell type.
        dtype: Dtype,
    },
    /// A cell type the writer or the picker does not store.
    #[error("dtype {dtype} is not supported by the {stage}")]
    UnsupportedDtype {
        /// The cell type.
        dtype: Dtype,
        /// `writer` or `picker`.
        stage: &'static str,
    },
    /// An option that the uncompressed versions 1 and 2 would ignore.
    #[error(
        "version {version} stores tiles uncompressed, so --{option} {value} would be ignored; \
         drop --{option} or write --version 3 or 4"
    )]
    IgnoredByUncompressed {
        /// The version asked for.
        version: u32,
        /// `codec` or `level`.
        option: &'static str,
        /// The value given.
        value: String,
    },
    /// `--adaptive` with a version other than 4.
    #[error("--adaptive writes version 4 files; drop --version {version}")]
    AdaptiveVersion {
        /// The version asked for.
        version: u32,
    },
    /// Hi-C options given for an input that is not a Hi-C file.
    #[error("--resolution, --chrom and --weights apply to .cool, .mcool and .hic inputs; `{input}` is none")]
    HicOptionsWithoutHic {
        /// The input as given.
        input: String,
    },
    /// Options of COO/npy inputs given for a Hi-C file.
    #[error(
        "--bins and --shape do not apply to .cool, .mcool and .hic inputs \
         (their bins come from the file)"
    )]
    NotForHic,
}

impl From<PickerError> for ConvertError {
    fn from(error: PickerError) -> Self {
        ConvertError::Picker(Box::new(error))
    }
}

impl From<RegistryError> for ConvertError {
    fn from(error: RegistryError) -> Self {
        ConvertError::Registry(Box::new(error))
    }
}

impl From<TileError> for ConvertError {
    fn from(error: TileError) -> Self {
        ConvertError::CodecSetup(Box::new(error))
    }
}
