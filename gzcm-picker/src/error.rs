//! The picker's error type.

use gzcm_core::{Dtype, RegistryError};

/// Everything the picker can refuse or fail at.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PickerError {
    /// The matrix geometry is unusable.
    #[error("invalid matrix geometry: {reason}")]
    InvalidGrid {
        /// What is wrong, and what is valid.
        reason: String,
    },
    /// A cell lies outside the matrix.
    #[error(
        "cell ({row}, {col}) is outside the {rows}×{cols} matrix; valid rows are 0..{rows}, columns 0..{cols}"
    )]
    CellOutOfBounds {
        /// Row given.
        row: u64,
        /// Column given.
        col: u64,
        /// Matrix rows.
        rows: u64,
        /// Matrix columns.
        cols: u64,
    },
    /// The weights string or values are invalid.
    #[error(
        "invalid picker weights `{given}`: {reason}; expected three finite non-negative numbers \
         decode,size,encode that sum to 1, e.g. 0.5,0.3,0.2"
    )]
    InvalidWeights {
        /// The weights as given.
        given: String,
        /// What is wrong.
        reason: String,
    },
    /// A `--picker-goal` or `--picker-normalisation` name is not known.
    #[error("unknown picker {setting} `{given}`; valid: {expected}")]
    UnknownSetting {
        /// Which setting (`goal`, `normalisation`).
        setting: &'static str,
        /// The name given.
        given: String,
        /// The valid names.
        expected: &'static str,
    },
    /// A candidate codec name is not registered.
    #[error("unknown candidate codec `{name}`; valid candidates: {}", valid.join(", "))]
    UnknownCandidate {
        /// The name asked for.
        name: String,
        /// Registered codecs that support the matrix dtype.
        valid: Vec<String>,
    },
    /// A candidate is registered but cannot store the matrix dtype.
    #[error("candidate codec `{name}` does not support {dtype} tiles; valid candidates: {}", valid.join(", "))]
    UnsupportedCandidate {
        /// The codec.
        name: String,
        /// The matrix dtype.
        dtype: Dtype,
        /// Registered codecs that support the dtype.
        valid: Vec<String>,
    },
    /// The candidate list is empty (after filtering by dtype).
    #[error("no candidate codecs for {dtype} tiles; valid candidates: {}", valid.join(", "))]
    NoCandidates {
        /// The matrix dtype.
        dtype: Dtype,
        /// Registered codecs that support the dtype.
        valid: Vec<String>,
    },
    /// The same candidate was named twice.
    #[error("candidate codec `{name}` is listed more than once")]
    DuplicateCandidate {
        /// The repeated name.
        name: String,
    },
    /// Every candidate refused the sample of a region.
    #[error("every candidate codec refused region {region} ({name}): {}", reasons.join("; "))]
    NoViableCodec {
        /// Region id.
        region: usize,
        /// Region name.
        name: String,
        /// `codec: reason` for each candidate.
        reasons: Vec<String>,
    },
    /// A sample cell has a different dtype from the collector's.
    #[error("sample cell has dtype {found}, but the matrix dtype is {expected}")]
    DtypeMismatch {
        /// The collector's dtype.
        expected: Dtype,
        /// The pushed value's dtype.
        found: Dtype,
    },
    /// The sampled tiles were collected for a different plan or sample size.
    #[error("the collected sample tiles do not belong to this plan: {reason}")]
    SampleMismatch {
        /// What differs.
        reason: String,
    },
    /// A codec lookup failed.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// A `codec_picker` record could not be parsed.
    #[error("invalid codec_picker record: {reason}")]
    InvalidRecord {
        /// What is missing or malformed, with its JSON path.
        reason: String,
    },
}

/// Shorthand for results with [`PickerError`].
pub type Result<T, E = PickerError> = std::result::Result<T, E>;
