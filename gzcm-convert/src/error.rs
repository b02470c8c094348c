//! Everything a conversion can report, typed so each front end (the CLI's message chain, the
//! Python package's exception classes) can present it.

use std::path::PathBuf;

use gzcm::{Dtype, RegistryError, TileError};
use gzcm_container::ContainerError;
use gzcm_hic::HicError;
use gzcm_io::{SourceError, ValueFault};
use gzcm_picker::PickerError;

use crate::bins_tsv::BinsError;
use crate::setting::SettingError;

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
    /// The settings are out of range, do not fit together or do not fit the input; the message
    /// uses neutral setting names ([`SettingError::spelled`] writes a front end's).
    #[error(transparent)]
    Setting(#[from] SettingError),
    /// The output is one of the inputs (the same file, through links or a `::` group): writing
    /// it would destroy the input, so it is refused even with overwrite.
    #[error("the output {} is the input {} (the same file); write to another path", output.display(), input.display())]
    OutputIsInput {
        /// The input file.
        input: PathBuf,
        /// The output as given.
        output: PathBuf,
    },
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
