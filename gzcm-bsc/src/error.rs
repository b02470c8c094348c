//! The one error type of this crate.

/// Why a payload could not be decoded (or, rarely, an input not encoded).
///
/// Every variant names the fault and carries the numbers that show it, so a
/// message in a log is enough to tell a truncated file from a corrupted one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BscError {
    /// The payload ends before the decoder has what it needs.
    #[error("bsc payload truncated: needed {needed} bytes, only {available} available")]
    Truncated {
        /// Bytes the decoder needed (at least).
        needed: usize,
        /// Bytes the payload has.
        available: usize,
    },
    /// The payload is internally inconsistent.
    #[error("bsc payload corrupt: {reason}")]
    Corrupt {
        /// What check failed.
        reason: &'static str,
    },
    /// The payload decodes to a length other than the caller's.
    #[error("bsc length mismatch: expected {expected} bytes, payload holds {found}")]
    LengthMismatch {
        /// Length the caller expects (from the validated tile shape).
        expected: usize,
        /// Length the payload describes.
        found: usize,
    },
    /// The leading format-version byte is not one this build reads.
    #[error("bsc payload format version {found} unsupported (this build reads {supported})")]
    UnsupportedVersion {
        /// Version byte found.
        found: u8,
        /// Version this build reads.
        supported: u8,
    },
    /// The method byte names no method this build knows.
    #[error("bsc payload method {found} unknown")]
    UnknownMethod {
        /// Method byte found.
        found: u8,
    },
    /// The payload decoded completely but bytes are left over.
    #[error("bsc payload has {extra} trailing bytes after {used} used")]
    TrailingBytes {
        /// Bytes consumed by the decoder.
        used: usize,
        /// Bytes left over.
        extra: usize,
    },
    /// The input is larger than the format can describe.
    #[error("bsc input too large: {len} bytes (at most {max})")]
    InputTooLarge {
        /// Input length.
        len: usize,
        /// Largest supported length.
        max: usize,
    },
    /// The suffix sorter refused the input (should not happen for valid sizes).
    #[error("bsc suffix sorting failed: {reason}")]
    SuffixSort {
        /// What libsais reported.
        reason: &'static str,
    },
}
