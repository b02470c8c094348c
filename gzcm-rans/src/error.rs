//! The one error type of the crate.

/// Why a tile could not be encoded or decoded.
///
/// Decoders return these for any malformed payload; they never panic on input bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RansError {
    /// The tile shape is outside `1..=4096` in either dimension.
    #[error("tile shape {rows}x{cols} is out of range (each side must be 1..={max})")]
    BadShape {
        /// Rows asked for.
        rows: usize,
        /// Columns asked for.
        cols: usize,
        /// Largest side allowed.
        max: usize,
    },
    /// A value slice does not hold `rows * cols` elements.
    #[error("buffer holds {actual} values but the {rows}x{cols} tile needs {expected}")]
    BadLength {
        /// Rows of the tile.
        rows: usize,
        /// Columns of the tile.
        cols: usize,
        /// `rows * cols`.
        expected: usize,
        /// Length of the slice given.
        actual: usize,
    },
    /// The payload ended before the decoder had what it needed.
    #[error("payload truncated: needed {needed} bytes, only {available} available")]
    Truncated {
        /// Bytes the decoder needed (a lower bound).
        needed: usize,
        /// Bytes the payload holds.
        available: usize,
    },
    /// The payload starts with a format version this crate does not know.
    #[error("unsupported payload version {found} (this build reads versions 1 to {supported})")]
    UnsupportedVersion {
        /// Version byte found.
        found: u8,
        /// Newest version this build reads (and the one it writes).
        supported: u8,
    },
    /// The payload's walk mode needs a square tile but the caller's shape is not square.
    #[error("payload is a symmetric (square) tile but the shape given is {rows}x{cols}")]
    ShapeMismatch {
        /// Rows given by the caller.
        rows: usize,
        /// Columns given by the caller.
        cols: usize,
    },
    /// A list of non-zero cells given to an encoder is not one: an index outside the tile,
    /// indices that do not strictly ascend, or a zero count.
    #[error("cell {at} of the list: {reason}")]
    BadCells {
        /// Position of the offending entry in the list.
        at: usize,
        /// What was wrong.
        reason: &'static str,
    },
    /// The payload is internally inconsistent.
    #[error("corrupt payload: {reason}")]
    Corrupt {
        /// What was wrong.
        reason: &'static str,
    },
}
