//! `shuffle_zstd`: the tile's little-endian cell bytes regrouped by byte position (every cell's
//! byte 0, then every byte 1, 2 and 3), then Zstandard. Opaque wire format.
//!
//! Contact counts are small numbers in 32-bit cells: their high bytes are mostly zero and their
//! low bytes vary. Grouping the planes gives zstd long runs and one statistic per plane, so the
//! shared 256² tiles store 27–33 % fewer bytes than `zstd` on the same bytes, and decoding costs
//! one zstd frame plus a pass that interleaves the planes back. Works on `u32` and `f32` tiles
//! alike (the planes of a float are its bit pattern's bytes).
//!
//! Payload, one of two forms told apart by the first byte:
//!
//! - **whole tile**: one zstd frame of the `rows × cols × 4` shuffled bytes (a zstd frame starts
//!   with its magic number, first byte `0x28`);
//! - **upper triangle** (since format revision shuffle-triangle-1): the byte [`TRIANGLE`]
//!   (`0x01`), then one zstd frame of the shuffled bytes of the `n (n + 1) / 2` cells with
//!   `col >= row` of an `n × n` tile, row by row; the decoder mirrors them. The encoder writes it
//!   for a diagonal tile of a symmetric matrix ([`TileContext::is_symmetric_diagonal`]) that is
//!   square and equal to its transpose (bit for bit), where the writer hands the codec the whole
//!   tile: the same cells in half the bytes (the shared maps' diagonal tiles stored 43–47 % fewer
//!   bytes).
//!
//! Decoding writes into buffers of exactly the sizes the validated tile shape gives. Builds from
//! before the triangle form refuse its payloads with an error (not a zstd frame), never with
//! wrong cells.

use gzcm_core::codec::{Codec, EncodeOptions, TileDecoder, TileEncoder};
use gzcm_core::{CodecError, Dtype, TileContext, TileData, TileShape, TileView, codec};

use crate::zstd::{compress_into, decompress_exact, level_of};

/// The registered name, as declared in `#[codec]` below.
const NAME: &str = <ShuffleZstd as gzcm_core::CodecMeta>::NAME;

/// Level used when none is given (as `zstd`'s: higher levels gain ~2 % at 8× the encode time).
pub const DEFAULT_LEVEL: i32 = crate::zstd::DEFAULT_LEVEL;

/// Bytes per cell (both stored dtypes are 4 bytes wide).
const CELL_BYTES: usize = 4;

/// The first byte of an upper-triangle payload (a whole-tile payload starts with zstd's magic
/// number, `0x28`).
pub const TRIANGLE: u8 = 0x01;

/// Byte-plane shuffle finished by zstd.
#[codec(name = "shuffle_zstd", wire = Opaque, crate = ::gzcm_core)]
#[derive(Clone, Copy, Debug)]
pub struct ShuffleZstd {
    level: i32,
}

impl Default for ShuffleZstd {
    fn default() -> Self {
        ShuffleZstd { level: DEFAULT_LEVEL }
    }
}

impl Codec for ShuffleZstd {
    fn with_options(options: &EncodeOptions) -> Result<Self, CodecError> {
        Ok(ShuffleZstd { level: level_of(NAME, options, DEFAULT_LEVEL)? })
    }
}

impl TileEncoder for ShuffleZstd {
    fn encode(&self, tile: TileView<'_>, context: &TileContext, out: &mut Vec<u8>) -> Result<(), CodecError> {
        let mut raw = Vec::new();
        tile.write_le_bytes(&mut raw);
        let shape = tile.shape();
        if context.is_symmetric_diagonal()
            && shape.rows == shape.cols
            && let Some(upper) = upper_triangle(&raw, shape.rows as usize)
        {
            out.push(TRIANGLE);
            return compress_into(&shuffle(&upper), self.level, out);
        }
        compress_into(&shuffle(&raw), self.level, out)
    }
}

impl TileDecoder for ShuffleZstd {
    fn decode(&self, payload: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError> {
        if let Some((&TRIANGLE, frame)) = payload.split_first() {
            if shape.rows != shape.cols {
                return Err(CodecError::Corrupt {
                    reason: "an upper-triangle payload for a tile that is not square",
                });
            }
            let n = shape.rows as usize;
            let planes = decompress_exact(frame, triangle_cells(n) * CELL_BYTES)?;
            return TileData::from_le_bytes(dtype, shape, &mirrored(&unshuffle(&planes), n));
        }
        let planes = decompress_exact(payload, shape.byte_len(dtype))?;
        TileData::from_le_bytes(dtype, shape, &unshuffle(&planes))
    }
}

/// Cells with `col >= row` in an `n × n` tile.
const fn triangle_cells(n: usize) -> usize {
    n * (n + 1) / 2
}

/// The bytes of the cells with `col >= row`, row by row, of the `n × n` tile whose cell bytes
/// are `raw`; `None` unless the tile equals its transpose bit for bit.
fn upper_triangle(raw: &[u8], n: usize) -> Option<Vec<u8>> {
    let cell = |row: usize, col: usize| &raw[(row * n + col) * CELL_BYTES..][..CELL_BYTES];
    let mut upper = Vec::with_capacity(triangle_cells(n) * CELL_BYTES);
    for row in 0..n {
        for col in row..n {
            if cell(row, col) != cell(col, row) {
                return None;
            }
            upper.extend_from_slice(cell(row, col));
        }
    }
    Some(upper)
}

/// The inverse of [`upper_triangle`]: the `n × n` tile's cell bytes, each cell below the
/// diagonal a copy of its mirror.
fn mirrored(upper: &[u8], n: usize) -> Vec<u8> {
    let mut raw = vec![0u8; n * n * CELL_BYTES];
    let mut cells = upper.chunks_exact(CELL_BYTES);
    for row in 0..n {
        for col in row..n {
            // `upper` holds exactly `triangle_cells(n)` cells (decompress_exact checked it).
            let Some(bytes) = cells.next() else { return raw };
            raw[(row * n + col) * CELL_BYTES..][..CELL_BYTES].copy_from_slice(bytes);
            raw[(col * n + row) * CELL_BYTES..][..CELL_BYTES].copy_from_slice(bytes);
        }
    }
    raw
}

/// Cell bytes (a multiple of 4) regrouped as four planes: byte `k` of every cell, `k = 0..4`.
fn shuffle(raw: &[u8]) -> Vec<u8> {
    let cells = raw.len() / CELL_BYTES;
    let mut planes = vec![0u8; raw.len()];
    for (cell, bytes) in raw.chunks_exact(CELL_BYTES).enumerate() {
        for (k, &byte) in bytes.iter().enumerate() {
            planes[k * cells + cell] = byte;
        }
    }
    planes
}

/// The inverse of [`shuffle`].
fn unshuffle(planes: &[u8]) -> Vec<u8> {
    let cells = planes.len() / CELL_BYTES;
    let mut raw = vec![0u8; planes.len()];
    let (p0, rest) = planes.split_at(cells);
    let (p1, rest) = rest.split_at(cells);
    let (p2, p3) = rest.split_at(cells);
    for ((((out, &b0), &b1), &b2), &b3) in raw.chunks_exact_mut(CELL_BYTES).zip(p0).zip(p1).zip(p2).zip(p3) {
        out.copy_from_slice(&[b0, b1, b2, b3]);
    }
    raw
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zstd::Zstd;
    use gzcm_core::framing::{decode_stored_typed, encode_stored_typed};
    use ndarray::Array2;

    #[test]
    fn planes_are_grouped_by_byte_position() {
        let raw = [1, 2, 3, 4, 5, 6, 7, 8];
        assert_eq!(shuffle(&raw), [1, 5, 2, 6, 3, 7, 4, 8]);
        assert_eq!(unshuffle(&shuffle(&raw)), raw);
        assert!(shuffle(&[]).is_empty());
    }

    #[test]
    fn u32_and_f32_tiles_round_trip_with_the_shape_header() {
        let counts = Array2::from_shape_fn((7, 5), |(r, c)| ((r * 31 + c * 7) % 13) as u32 * 1000 + 1);
        let floats = counts.mapv(|v| v as f32 * 0.37 - 2.0);
        let codec = ShuffleZstd::default();
        for tile in [TileData::U32(counts), TileData::F32(floats)] {
            let mut stored = Vec::new();
            encode_stored_typed(&codec, tile.view(), &TileContext::default(), &mut stored).unwrap();
            assert_eq!(&stored[..8], &[7, 0, 0, 0, 5, 0, 0, 0]);
            assert_eq!(decode_stored_typed(&codec, &stored, tile.dtype(), None).unwrap(), tile);
        }
    }

    #[test]
    fn small_counts_compress_better_than_plain_zstd() {
        let tile =
            Array2::from_shape_fn((64, 64), |(r, c)| (5000 / (r.abs_diff(c) + 1) + (r * c) % 3) as u32);
        let view: TileView<'_> = tile.view().into();
        let (mut plain, mut shuffled) = (Vec::new(), Vec::new());
        Zstd::default().encode(view, &TileContext::default(), &mut plain).unwrap();
        ShuffleZstd::default().encode(view, &TileContext::default(), &mut shuffled).unwrap();
        assert!(shuffled.len() < plain.len(), "{} vs {}", shuffled.len(), plain.len());
    }

    #[test]
    fn symmetric_diagonal_tiles_store_their_upper_triangle() {
        let counts =
            Array2::from_shape_fn((9, 9), |(r, c)| (1000 / (r.abs_diff(c) + 1) + (r + c) % 5) as u32);
        let floats = counts.mapv(|v| v as f32 * 0.37 - 2.0);
        let codec = ShuffleZstd::default();
        let diagonal = TileContext::new(3, 3, true);
        for tile in [TileData::U32(counts.clone()), TileData::F32(floats)] {
            let (mut triangle, mut whole) = (Vec::new(), Vec::new());
            codec.encode(tile.view(), &diagonal, &mut triangle).unwrap();
            codec.encode(tile.view(), &TileContext::new(3, 4, true), &mut whole).unwrap();
            assert_eq!((triangle[0], whole[0]), (TRIANGLE, 0x28), "an off-diagonal tile is coded whole");
            assert_eq!(decompress_exact(&triangle[1..], 45 * 4).unwrap().len(), 180, "45 cells");
            for payload in [&triangle, &whole] {
                assert_eq!(codec.decode(payload, TileShape::new(9, 9), tile.dtype()).unwrap(), tile);
            }
        }
        // A diagonal tile that is not symmetric (or not square) is coded whole.
        let mut skewed = counts.clone();
        skewed[[0, 8]] += 1;
        let edge = Array2::from_shape_fn((9, 4), |(r, c)| (r * c) as u32);
        for tile in [skewed.view(), edge.view()] {
            let mut payload = Vec::new();
            codec.encode(tile.into(), &diagonal, &mut payload).unwrap();
            assert_eq!(payload[0], 0x28);
            let shape = TileShape::new(tile.nrows() as u32, tile.ncols() as u32);
            assert_eq!(codec.decode(&payload, shape, Dtype::U32).unwrap(), TileData::U32(tile.to_owned()));
        }
        // A triangle payload must fit a square shape of its size.
        let mut payload = Vec::new();
        codec.encode(TileData::U32(counts).view(), &diagonal, &mut payload).unwrap();
        assert!(matches!(
            codec.decode(&payload, TileShape::new(9, 8), Dtype::U32),
            Err(CodecError::Corrupt { .. })
        ));
        assert!(codec.decode(&payload, TileShape::new(8, 8), Dtype::U32).is_err());
        assert!(codec.decode(&payload[..payload.len() - 1], TileShape::new(9, 9), Dtype::U32).is_err());
        assert!(codec.decode(&[TRIANGLE], TileShape::new(9, 9), Dtype::U32).is_err());
    }

    #[test]
    fn a_frame_of_the_wrong_size_is_an_error() {
        let mut payload = Vec::new();
        compress_into(&[0u8; 64], 3, &mut payload).unwrap();
        let codec = ShuffleZstd::default();
        assert!(codec.decode(&payload, TileShape::new(4, 4), Dtype::U32).is_ok());
        assert!(codec.decode(&payload, TileShape::new(4, 5), Dtype::U32).is_err());
        assert!(codec.decode(&payload, TileShape::new(2, 4), Dtype::U32).is_err());
        assert!(codec.decode(&payload[..payload.len() - 1], TileShape::new(4, 4), Dtype::U32).is_err());
        assert!(matches!(
            ShuffleZstd::with_options(&EncodeOptions::with_level(99)),
            Err(CodecError::InvalidOption { codec: "shuffle_zstd", .. })
        ));
    }
}
