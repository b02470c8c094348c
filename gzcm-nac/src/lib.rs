//! `gzcm-nac`: a neighbour-adaptive coder for contact-matrix tiles.
//!
//! Each count is predicted from already decoded neighbours (left, up, and up-left, which lies on
//! the same diagonal and so carries the distance decay) and coded as a few adaptive binary
//! decisions — zero or not, bit length against the predicted one, two mantissa bits — with an
//! LZMA-style range coder (about ten instructions per decision); the low mantissa bits, which
//! are noise, go to a raw bit stream. A 256² tile costs a few decisions per cell instead of the
//! hundreds of context-mixing `cmc` spends.
//!
//! Payload: `version: u8 (1) | walk: u8 | coded_len: u32 LE | coded bytes | raw bits`.
//! `walk` 1 codes a symmetric diagonal tile by its upper triangle (mirrored on decode); 0 codes
//! every cell row-major. Decoding sizes nothing from the payload: the caller gives the validated
//! shape and the output buffer; a hostile payload decodes to some counts or to a typed error,
//! never a panic.

#![forbid(unsafe_code)]

mod bits;
mod model;
mod range;

use bits::{BitReader, BitWriter};
use model::{Coder, Decoding, Encoding, Model};

/// The payload version this crate writes and reads.
pub const VERSION: u8 = 1;
/// Bytes before the coded stream.
const HEADER_LEN: usize = 6;

/// How a tile's cells are walked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Walk {
    /// Every cell, row-major.
    Full,
    /// A symmetric diagonal tile: the upper triangle (diagonal included), mirrored on decode.
    UpperTriangle,
}

/// What can go wrong.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum NacError {
    /// `values.len()` is not `rows × cols`, or a shape is empty.
    #[error("a {rows}×{cols} tile needs {expected} cells, got {found}")]
    Shape {
        /// Rows.
        rows: usize,
        /// Columns.
        cols: usize,
        /// `rows × cols`.
        expected: usize,
        /// Cells given.
        found: usize,
    },
    /// The payload is shorter than its header or its declared coded stream.
    #[error("the payload needs {needed} bytes but has {available}")]
    Truncated {
        /// Bytes needed.
        needed: usize,
        /// Bytes present.
        available: usize,
    },
    /// An unknown payload version.
    #[error("payload version {found} is not {VERSION}")]
    Version {
        /// The version byte.
        found: u8,
    },
    /// An unknown walk, or an upper-triangle walk of a non-square tile.
    #[error("walk {walk} does not apply to a {rows}×{cols} tile")]
    BadWalk {
        /// The walk byte.
        walk: u8,
        /// Rows.
        rows: usize,
        /// Columns.
        cols: usize,
    },
    /// Decoding needed more bytes than a stream holds.
    #[error("the {stream} stream ends before the tile does")]
    StreamOverrun {
        /// `coded` or `raw`.
        stream: &'static str,
    },
}

/// Compresses a `rows × cols` row-major tile, appending to `out`. `walk` is a request:
/// [`Walk::UpperTriangle`] is used only for a square tile that really is symmetric.
///
/// # Errors
/// [`NacError::Shape`] when `values.len() != rows × cols`.
pub fn encode(
    values: &[u32],
    rows: usize,
    cols: usize,
    walk: Walk,
    out: &mut Vec<u8>,
) -> Result<(), NacError> {
    check_shape(rows, cols, values.len())?;
    let walk = match walk {
        Walk::UpperTriangle if rows == cols && is_symmetric(values, rows) => Walk::UpperTriangle,
        _ => Walk::Full,
    };
    let start = out.len();
    out.push(VERSION);
    out.push(u8::from(walk == Walk::UpperTriangle));
    out.extend_from_slice(&[0; 4]);
    let mut coded = Vec::new();
    let mut coder = Encoding { range: range::Encoder::new(&mut coded), raw: BitWriter::new() };
    let mut scratch = values.to_vec();
    walk_tile(&mut coder, &mut scratch, rows, cols, walk);
    let Encoding { range, raw } = coder;
    range.finish();
    let coded_len = u32::try_from(coded.len()).unwrap_or(u32::MAX);
    out[start + 2..start + HEADER_LEN].copy_from_slice(&coded_len.to_le_bytes());
    out.extend_from_slice(&coded);
    out.extend_from_slice(&raw.finish());
    Ok(())
}

/// Decompresses an [`encode`] payload into `out` (`rows × cols`, row-major; every cell is
/// written).
///
/// # Errors
/// [`NacError`] for a malformed payload or a shape that disagrees with `out`.
pub fn decode(payload: &[u8], rows: usize, cols: usize, out: &mut [u32]) -> Result<(), NacError> {
    check_shape(rows, cols, out.len())?;
    let header = payload
        .get(..HEADER_LEN)
        .ok_or(NacError::Truncated { needed: HEADER_LEN, available: payload.len() })?;
    if header[0] != VERSION {
        return Err(NacError::Version { found: header[0] });
    }
    let walk = match header[1] {
        0 => Walk::Full,
        1 if rows == cols => Walk::UpperTriangle,
        walk => return Err(NacError::BadWalk { walk, rows, cols }),
    };
    let coded_len = u32::from_le_bytes([header[2], header[3], header[4], header[5]]) as usize;
    let body = &payload[HEADER_LEN..];
    if coded_len > body.len() {
        return Err(NacError::Truncated {
            needed: HEADER_LEN.saturating_add(coded_len),
            available: payload.len(),
        });
    }
    let (coded, raw) = body.split_at(coded_len);
    let mut coder = Decoding { range: range::Decoder::new(coded), raw: BitReader::new(raw) };
    out.fill(0);
    walk_tile(&mut coder, out, rows, cols, walk);
    if coder.range.overrun() {
        return Err(NacError::StreamOverrun { stream: "coded" });
    }
    if coder.raw.overrun() {
        return Err(NacError::StreamOverrun { stream: "raw" });
    }
    Ok(())
}

fn check_shape(rows: usize, cols: usize, found: usize) -> Result<(), NacError> {
    let expected = rows.saturating_mul(cols);
    if rows == 0 || cols == 0 || expected != found {
        return Err(NacError::Shape { rows, cols, expected, found });
    }
    Ok(())
}

fn is_symmetric(values: &[u32], n: usize) -> bool {
    (0..n).all(|r| (r + 1..n).all(|c| values[r * n + c] == values[c * n + r]))
}

/// Codes every cell of the walk in order. `cells` holds the tile when encoding and receives it
/// when decoding; neighbours are read from it, mirrored cells written to it.
fn walk_tile<C: Coder>(coder: &mut C, cells: &mut [u32], rows: usize, cols: usize, walk: Walk) {
    let mut model = Model::new();
    let upper = walk == Walk::UpperTriangle;
    for r in 0..rows {
        let first = if upper { r } else { 0 };
        for c in first..cols {
            let at = r * cols + c;
            let w = if c > 0 { cells[at - 1] } else { 0 };
            let (n, nw, ne) = if r > 0 {
                let up = at - cols;
                (
                    cells[up],
                    if c > 0 { cells[up - 1] } else { 0 },
                    if c + 1 < cols { cells[up + 1] } else { 0 },
                )
            } else {
                (0, 0, 0)
            };
            let value = model.cell(coder, [w, n, nw, ne], cells[at]);
            cells[at] = value;
            if upper && c > r {
                cells[c * cols + r] = value;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hic_like(rows: usize, cols: usize, offset: usize, seed: u64) -> Vec<u32> {
        let mut state = seed | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut values = vec![0u32; rows * cols];
        for r in 0..rows {
            for c in 0..cols {
                let d = (r + offset).abs_diff(c) as u64;
                let mean = 200_000 / (1 + d * d);
                values[r * cols + c] = if mean == 0 {
                    u32::from(next() % 50 == 0)
                } else {
                    (mean + next() % (1 + mean / 3)) as u32
                };
            }
        }
        values
    }

    fn symmetric(n: usize) -> Vec<u32> {
        let mut v = hic_like(n, n, 0, 3);
        for r in 0..n {
            for c in 0..r {
                v[r * n + c] = v[c * n + r];
            }
        }
        v
    }

    fn round_trip(values: &[u32], rows: usize, cols: usize, walk: Walk) -> Vec<u8> {
        let mut payload = Vec::new();
        encode(values, rows, cols, walk, &mut payload).unwrap();
        let mut back = vec![7u32; rows * cols];
        decode(&payload, rows, cols, &mut back).unwrap();
        assert_eq!(back, values, "{rows}×{cols} {walk:?}");
        payload
    }

    #[test]
    fn tiles_round_trip() {
        for (rows, cols) in [(1, 1), (1, 17), (33, 5), (64, 64), (100, 37)] {
            round_trip(&hic_like(rows, cols, 3, 9), rows, cols, Walk::Full);
        }
        round_trip(&vec![0; 256], 16, 16, Walk::Full);
        round_trip(&vec![u32::MAX; 256], 16, 16, Walk::Full);
        let extremes: Vec<u32> = (0..400u32).map(|i| if i % 3 == 0 { u32::MAX - i } else { i % 5 }).collect();
        round_trip(&extremes, 20, 20, Walk::Full);
    }

    #[test]
    fn symmetric_diagonal_tiles_use_the_upper_triangle() {
        let values = symmetric(64);
        let upper = round_trip(&values, 64, 64, Walk::UpperTriangle);
        let full = round_trip(&values, 64, 64, Walk::Full);
        assert_eq!(upper[1], 1);
        assert!(upper.len() < full.len(), "{} vs {}", upper.len(), full.len());
        // Asked for, but the tile is not symmetric: the full walk.
        let mut skewed = values.clone();
        skewed[1] += 1;
        assert_eq!(round_trip(&skewed, 64, 64, Walk::UpperTriangle)[1], 0);
    }

    #[test]
    fn hostile_payloads_are_errors_or_counts_never_panics() {
        let values = hic_like(32, 32, 1, 5);
        let mut payload = Vec::new();
        encode(&values, 32, 32, Walk::Full, &mut payload).unwrap();
        let mut out = vec![0u32; 32 * 32];
        for len in 0..payload.len() {
            assert!(decode(&payload[..len], 32, 32, &mut out).is_err(), "truncated to {len}");
        }
        let mut bad = payload.clone();
        bad[0] = 9;
        assert_eq!(decode(&bad, 32, 32, &mut out), Err(NacError::Version { found: 9 }));
        let mut bad = payload.clone();
        bad[1] = 1;
        assert!(matches!(decode(&bad, 32, 16, &mut out[..512]), Err(NacError::BadWalk { .. })));
        bad[1] = 2;
        assert!(matches!(decode(&bad, 32, 32, &mut out), Err(NacError::BadWalk { .. })));
        let mut bad = payload.clone();
        bad[2..6].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(decode(&bad, 32, 32, &mut out), Err(NacError::Truncated { .. })));
        for at in HEADER_LEN..payload.len() {
            let mut flipped = payload.clone();
            flipped[at] ^= 0x5a;
            let _ = decode(&flipped, 32, 32, &mut out);
        }
        assert!(matches!(decode(&payload, 31, 32, &mut out), Err(NacError::Shape { .. })));
    }

    #[test]
    fn real_tiles_round_trip() {
        let Some(yeast) = gzcm_test_support::load_rows::<u32>("yeast_10kb", 256) else { return };
        let tile: Vec<u32> =
            (0..256).flat_map(|r| (256..512).map(move |c| (r, c))).map(|(r, c)| yeast.rows[[r, c]]).collect();
        let payload = round_trip(&tile, 256, 256, Walk::Full);
        assert!(payload.len() < tile.len() * 4 / 3, "{} bytes", payload.len());
    }
}
