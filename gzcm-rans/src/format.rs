//! The two-byte payload header: version, then walk mode.

use crate::error::RansError;

/// Version byte written first in every payload.
pub(crate) const VERSION: u8 = 3;

/// The oldest version still read (version 1: no zero flags).
pub(crate) const OLDEST_VERSION: u8 = 1;

/// Largest tile side accepted (the container's largest tile size).
pub(crate) const MAX_SIDE: usize = 4096;

/// Which cells the payload holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Every value is zero; nothing follows the header.
    Zero = 0,
    /// Every cell, row by row.
    Full = 1,
    /// A square symmetric tile: the upper triangle row by row; the decoder mirrors it.
    Symmetric = 2,
    /// Version 3: every cell, as a sparse list (gaps and counts of the non-zero cells).
    SparseFull = 3,
    /// Version 3: a square symmetric tile's upper triangle as a sparse list; mirrored on decode.
    SparseSymmetric = 4,
}

impl Mode {
    /// Whether only the upper triangle of a square tile is stored.
    pub(crate) fn symmetric(self) -> bool {
        matches!(self, Self::Symmetric | Self::SparseSymmetric)
    }

    /// Whether the cells are a sparse list (else the cell walk).
    pub(crate) fn sparse(self) -> bool {
        matches!(self, Self::SparseFull | Self::SparseSymmetric)
    }
}

/// Writes the header for `mode`.
pub(crate) fn write_header(mode: Mode, out: &mut Vec<u8>) {
    out.push(VERSION);
    out.push(mode as u8);
}

/// Reads and checks the header; returns the version, the mode and the bytes after it.
pub(crate) fn read_header(payload: &[u8], rows: usize, cols: usize) -> Result<(u8, Mode, &[u8]), RansError> {
    let [version, mode, rest @ ..] = payload else {
        return Err(RansError::Truncated { needed: 2, available: payload.len() });
    };
    if !(OLDEST_VERSION..=VERSION).contains(version) {
        return Err(RansError::UnsupportedVersion { found: *version, supported: VERSION });
    }
    let mode = match mode {
        0 => Mode::Zero,
        1 => Mode::Full,
        2 => Mode::Symmetric,
        3 if *version >= 3 => Mode::SparseFull,
        4 if *version >= 3 => Mode::SparseSymmetric,
        _ => return Err(RansError::Corrupt { reason: "unknown walk mode" }),
    };
    if mode.symmetric() && rows != cols {
        return Err(RansError::ShapeMismatch { rows, cols });
    }
    if mode == Mode::Zero && !rest.is_empty() {
        return Err(RansError::Corrupt { reason: "bytes after an all-zero tile's header" });
    }
    Ok((*version, mode, rest))
}

/// Checks a caller-supplied shape and slice length before any work is done.
pub(crate) fn check_shape(rows: usize, cols: usize, len: usize) -> Result<(), RansError> {
    if !(1..=MAX_SIDE).contains(&rows) || !(1..=MAX_SIDE).contains(&cols) {
        return Err(RansError::BadShape { rows, cols, max: MAX_SIDE });
    }
    if len != rows * cols {
        return Err(RansError::BadLength { rows, cols, expected: rows * cols, actual: len });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_faults_are_named() {
        assert!(matches!(read_header(&[1], 1, 1), Err(RansError::Truncated { .. })));
        assert!(matches!(read_header(&[7, 0], 1, 1), Err(RansError::UnsupportedVersion { found: 7, .. })));
        assert!(matches!(read_header(&[1, 3], 1, 1), Err(RansError::Corrupt { .. })));
        assert!(matches!(read_header(&[1, 0, 0], 1, 1), Err(RansError::Corrupt { .. })));
        assert!(matches!(read_header(&[1, 2], 2, 3), Err(RansError::ShapeMismatch { rows: 2, cols: 3 })));
        assert_eq!(read_header(&[1, 1, 9], 2, 3).unwrap(), (1, Mode::Full, &[9u8][..]));
        assert_eq!(read_header(&[2, 2, 9], 3, 3).unwrap(), (2, Mode::Symmetric, &[9u8][..]));
        assert_eq!(read_header(&[3, 3, 9], 2, 3).unwrap(), (3, Mode::SparseFull, &[9u8][..]));
        assert!(matches!(read_header(&[2, 3, 9], 2, 3), Err(RansError::Corrupt { .. })));
        assert!(matches!(read_header(&[3, 4, 9], 2, 3), Err(RansError::ShapeMismatch { rows: 2, cols: 3 })));
        assert!(matches!(read_header(&[3, 5, 9], 2, 3), Err(RansError::Corrupt { .. })));
        assert!(matches!(read_header(&[4, 1, 9], 2, 3), Err(RansError::UnsupportedVersion { found: 4, .. })));
    }

    #[test]
    fn shape_limits() {
        assert!(check_shape(1, 1, 1).is_ok());
        assert!(check_shape(0, 1, 0).is_err());
        assert!(check_shape(4097, 1, 4097).is_err());
        assert!(matches!(check_shape(2, 2, 3), Err(RansError::BadLength { expected: 4, .. })));
    }
}
