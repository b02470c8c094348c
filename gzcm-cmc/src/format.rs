//! The two-byte header shared by `encode` and `transform` payloads: version, then walk mode.

use crate::error::CmcError;

/// Version byte written first in every payload.
pub(crate) const VERSION: u8 = 1;

/// Largest tile side accepted (the container's largest tile size).
pub(crate) const MAX_SIDE: usize = 4096;

/// How the tile's cells were visited; recorded so decoding needs no layout argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Every value is zero; nothing follows the header.
    Zero = 0,
    /// All cells, diagonal by diagonal from the bottom-left corner to the top-right one.
    Full = 1,
    /// Square symmetric tile: upper triangle only, main diagonal first; the decoder mirrors.
    Symmetric = 2,
}

/// Writes the header for `mode`.
pub(crate) fn write_header(mode: Mode, out: &mut Vec<u8>) {
    out.push(VERSION);
    out.push(mode as u8);
}

/// Reads and checks the header; returns the mode and the bytes after it.
pub(crate) fn read_header(payload: &[u8], rows: usize, cols: usize) -> Result<(Mode, &[u8]), CmcError> {
    let [version, mode, rest @ ..] = payload else {
        return Err(CmcError::Truncated { needed: 2, available: payload.len() });
    };
    if *version != VERSION {
        return Err(CmcError::UnsupportedVersion { found: *version, supported: VERSION });
    }
    let mode = match mode {
        0 => Mode::Zero,
        1 => Mode::Full,
        2 => Mode::Symmetric,
        _ => {
            return Err(CmcError::Corrupt { reason: "unknown walk mode" });
        }
    };
    if mode == Mode::Symmetric && rows != cols {
        return Err(CmcError::ShapeMismatch { rows, cols });
    }
    Ok((mode, rest))
}

/// Checks a caller-supplied shape and slice length before any work is done.
pub(crate) fn check_shape(rows: usize, cols: usize, len: usize) -> Result<(), CmcError> {
    if !(1..=MAX_SIDE).contains(&rows) || !(1..=MAX_SIDE).contains(&cols) {
        return Err(CmcError::BadShape { rows, cols, max: MAX_SIDE });
    }
    if len != rows * cols {
        return Err(CmcError::BadLength { rows, cols, expected: rows * cols, actual: len });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips() {
        let mut out = Vec::new();
        write_header(Mode::Symmetric, &mut out);
        out.push(9);
        let (mode, rest) = read_header(&out, 3, 3).unwrap();
        assert_eq!(mode, Mode::Symmetric);
        assert_eq!(rest, &[9]);
    }

    #[test]
    fn header_faults_are_named() {
        assert!(matches!(read_header(&[1], 1, 1), Err(CmcError::Truncated { .. })));
        assert!(matches!(read_header(&[7, 0], 1, 1), Err(CmcError::UnsupportedVersion { found: 7, .. })));
        assert!(matches!(read_header(&[1, 3], 1, 1), Err(CmcError::Corrupt { .. })));
        assert!(matches!(read_header(&[1, 2], 2, 3), Err(CmcError::ShapeMismatch { rows: 2, cols: 3 })));
    }

    #[test]
    fn shape_limits() {
        assert!(check_shape(1, 1, 1).is_ok());
        assert!(check_shape(0, 1, 0).is_err());
        assert!(check_shape(4097, 1, 4097).is_err());
        assert!(matches!(check_shape(2, 2, 3), Err(CmcError::BadLength { expected: 4, .. })));
    }
}
