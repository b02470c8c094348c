//! Error types of the readers, the synthetic spec parser and the sinks.
//!
//! Every error names the file (and line or cell) it is about; faults carry the offending numbers
//! or text as fields, so callers can match on them and messages read like sentences.

use std::io;
use std::path::PathBuf;

use gzcm_core::Dtype;

/// A matrix source could not be opened or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The operating system refused to open or read the file.
    #[error("cannot read {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// A line of a COO text file is malformed.
    #[error("{}:{line}: {fault}", path.display())]
    Line {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What is wrong with the line.
        fault: LineFault,
    },
    /// A `.npy` header is malformed or asks for something unsupported.
    #[error("{}: {fault}", path.display())]
    Npy {
        /// The file.
        path: PathBuf,
        /// What is wrong with the header.
        fault: NpyFault,
    },
    /// A `.npy` cell holds a value the target dtype cannot hold.
    #[error("{}: cell ({row}, {col}): {fault}", path.display())]
    Cell {
        /// The file.
        path: PathBuf,
        /// Row of the cell.
        row: u64,
        /// Column of the cell.
        col: u64,
        /// Why the value does not fit.
        fault: ValueFault,
    },
    /// A square `.npy` matrix declared or inferred symmetric is not equal to its transpose.
    #[error(
        "{}: the matrix is not symmetric (its lower triangle differs from the transposed upper \
         triangle); declare it non-symmetric to store every cell",
        path.display()
    )]
    NotSymmetric {
        /// The file.
        path: PathBuf,
    },
    /// A declared shape cannot be used.
    #[error("invalid shape {rows}×{cols}: {reason}")]
    BadShape {
        /// Rows asked for.
        rows: u64,
        /// Columns asked for.
        cols: u64,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A shape given as text is not `N`, `RxC` or `R×C`.
    #[error("`{text}` is not a shape: write it as N, RxC or R×C with positive integers below 2^32")]
    ShapeSyntax {
        /// The text given.
        text: String,
    },
    /// The input holds no cell at all, so no shape can be inferred.
    #[error("{}: no matrix cells found; cannot infer the shape (give it explicitly)", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// A `synthetic:` spec string is malformed.
    #[error("invalid synthetic spec `{spec}`: {fault}")]
    Spec {
        /// The spec as given.
        spec: String,
        /// What is wrong with it.
        fault: SpecFault,
    },
}

/// What is wrong with one line of COO text.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum LineFault {
    /// Fewer than three columns.
    #[error("expected 3 columns `bin1 bin2 value`, found {found}")]
    MissingColumn {
        /// Columns found.
        found: usize,
    },
    /// More than three columns.
    #[error("expected 3 columns `bin1 bin2 value`, found {found}")]
    ExtraColumn {
        /// Columns found.
        found: usize,
    },
    /// A bin column is not a non-negative integer.
    #[error("{column} `{text}` is not a bin number (a non-negative integer below 2^32)")]
    BadBin {
        /// `bin1` or `bin2`.
        column: &'static str,
        /// The text found.
        text: String,
    },
    /// A bin lies outside the declared shape.
    #[error("{column} {bin} is outside the declared shape (must be below {limit})")]
    BinOutOfRange {
        /// `bin1` or `bin2`.
        column: &'static str,
        /// The bin found.
        bin: u32,
        /// Rows (for bin1) or columns (for bin2) of the declared shape.
        limit: u32,
    },
    /// The value column does not fit the target dtype.
    #[error("value `{text}`: {fault}")]
    Value {
        /// The text found.
        text: String,
        /// Why it does not fit.
        fault: ValueFault,
    },
    /// A line below the diagonal in a matrix read as the upper triangle of a symmetric one.
    #[error(
        "bin1 {bin1} > bin2 {bin2}, but the matrix is read as the upper triangle of a symmetric \
         matrix; declare it non-symmetric to keep every cell"
    )]
    LowerTriangle {
        /// The row bin.
        bin1: u32,
        /// The column bin.
        bin2: u32,
    },
    /// The line is not valid UTF-8.
    #[error("the line is not valid UTF-8 text")]
    NotText,
}

/// Why a value does not fit the target dtype.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueFault {
    /// Not a number at all.
    #[error("not a number")]
    NotANumber,
    /// NaN or infinite.
    #[error("not a finite number")]
    NotFinite,
    /// Negative where `uint32` counts are expected.
    #[error("negative, but {0} holds only non-negative counts")]
    Negative(Dtype),
    /// Fractional where `uint32` counts are expected.
    #[error("not an integer, but {0} holds integer counts (use float32)")]
    NotAnInteger(Dtype),
    /// Too large for the target dtype.
    #[error("too large for {0}")]
    TooLarge(Dtype),
    /// An integer that `float32` cannot hold exactly (above 2^24).
    #[error("not exactly representable in {0} (whole numbers up to 4294967295 fit uint32: --dtype u32)")]
    Inexact(Dtype),
    /// A non-zero value closer to zero than the target dtype's smallest subnormal: it would
    /// become 0 and the cell would disappear.
    #[error("non-zero, but below the smallest {0} subnormal (about 1.4e-45): it would be stored as 0")]
    Underflow(Dtype),
}

/// What is wrong with a `.npy` header.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NpyFault {
    /// The file does not start with `\x93NUMPY`.
    #[error("not a .npy file (the magic string `\\x93NUMPY` is missing)")]
    BadMagic,
    /// A format version other than 1.0, 2.0 or 3.0.
    #[error(".npy format version {major}.{minor} is not supported (1.0, 2.0 and 3.0 are)")]
    UnsupportedVersion {
        /// Major version byte.
        major: u8,
        /// Minor version byte.
        minor: u8,
    },
    /// The header is longer than any sane header.
    #[error(".npy header claims {len} bytes (at most {max} accepted)")]
    HeaderTooLong {
        /// Claimed length.
        len: u64,
        /// Accepted maximum.
        max: u64,
    },
    /// The header dictionary cannot be parsed.
    #[error("unreadable .npy header dictionary: {reason}")]
    BadHeader {
        /// What the parser tripped on.
        reason: &'static str,
    },
    /// A required key is missing from the header dictionary.
    #[error(".npy header lacks the key `{0}`")]
    MissingKey(&'static str),
    /// A dtype other than the supported ones.
    #[error(".npy dtype `{0}` is not supported (use one of <f4, <u4, <i4, <f8, <i8, <u8)")]
    UnsupportedDtype(String),
    /// Fortran (column-major) order.
    #[error(".npy array is in Fortran order; only C order is supported (save it with np.ascontiguousarray)")]
    FortranOrder,
    /// Not a 2-D array.
    #[error(".npy array has {0} dimensions; a contact matrix needs exactly 2")]
    NotTwoDimensional(usize),
    /// A dimension does not fit gzcm's 32-bit bin numbers.
    #[error(".npy shape ({rows}, {cols}) is too large (each edge must be below 2^32)")]
    ShapeTooLarge {
        /// Rows.
        rows: u64,
        /// Columns.
        cols: u64,
    },
    /// The edges fit, but rows × cols × item size overflows a 64-bit byte count.
    #[error(
        ".npy shape ({rows}, {cols}) is too large: {rows} × {cols} cells of {itemsize} bytes \
         do not fit in a 64-bit byte count"
    )]
    DataTooLarge {
        /// Rows.
        rows: u64,
        /// Columns.
        cols: u64,
        /// Bytes per cell.
        itemsize: usize,
    },
    /// A compressed `.npy` whose header claims far more data than its compressed bytes can
    /// hold for a real matrix (a decompression bomb).
    #[error(
        "the compressed .npy holds {compressed} bytes but its header claims {claimed} bytes of \
         data, {ratio}× more; no contact matrix compresses beyond {max}× (decompress it yourself \
         if this is really meant)"
    )]
    Expansion {
        /// Data bytes the header claims.
        claimed: u64,
        /// The compressed file's size.
        compressed: u64,
        /// `claimed / compressed`, rounded down.
        ratio: u64,
        /// The largest ratio accepted.
        max: u64,
    },
    /// The data ends before a part of the header.
    #[error("the .npy data ends inside {0}: the file, or its compressed stream, is truncated")]
    Truncated(&'static str),
    /// The data size implied by the header differs from what the file holds.
    #[error(".npy header promises {expected} data bytes but the file holds {found}")]
    SizeMismatch {
        /// Bytes implied by shape × itemsize.
        expected: u64,
        /// Bytes present (or read before the stream ended).
        found: u64,
    },
}

/// What is wrong with a `synthetic:` spec string.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SpecFault {
    /// The bin count is missing or not a positive integer.
    #[error("the size `{0}` is not a positive number of bins (e.g. `synthetic:4096` or `synthetic:200k`)")]
    BadSize(String),
    /// An option is not `key=value`.
    #[error("option `{0}` is not of the form key=value")]
    NotKeyValue(String),
    /// An unknown option key.
    #[error("unknown option `{0}` (known: {known})", known = crate::synthetic::OPTION_KEYS.join(", "))]
    UnknownKey(String),
    /// An option value that does not parse or is out of range.
    #[error("option `{key}` = `{value}`: {expected}")]
    BadValue {
        /// The key.
        key: String,
        /// The value given.
        value: String,
        /// What is accepted.
        expected: &'static str,
    },
}

/// A sink could not write its output.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SinkError {
    /// The output exists and overwriting was not asked for.
    #[error("{} already exists (pass overwrite to replace it)", path.display())]
    Exists {
        /// The output path.
        path: PathBuf,
    },
    /// Writing failed.
    #[error("cannot write {}", path.display())]
    Io {
        /// The output path (`-` for standard output).
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
}

impl SinkError {
    /// Whether the failure is a closed pipe on the reading side (e.g. `| head`).
    #[must_use]
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, SinkError::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}
