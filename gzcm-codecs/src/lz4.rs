//! `lz4`: an LZ4 block on the tile's little-endian cell bytes. Self-describing wire format.
//!
//! Payload: `rows: u32 LE | cols: u32 LE | uncompressed_size: u32 LE | LZ4 block` (12-byte
//! header, SPEC §5). The writer stores it untouched (no 8-byte shape header). The decoder checks
//! that `uncompressed_size` equals `rows × cols × 4` of the validated shape and decompresses into
//! a buffer of that size, so a header that claims 4 GiB is refused before any allocation.

use gzcm_core::codec::{Codec, EncodeOptions, PayloadShape, TileDecoder, TileEncoder};
use gzcm_core::{CodecError, Dtype, TileContext, TileData, TileShape, TileView, codec};

/// Bytes of the lz4 codec's own header.
pub const LZ4_HEADER_LEN: usize = 12;

/// The registered name, as declared in `#[codec]` below.
const NAME: &str = <Lz4 as gzcm_core::CodecMeta>::NAME;

/// LZ4 block compression with a 12-byte shape header of its own.
#[codec(name = "lz4", wire = SelfDescribing, crate = ::gzcm_core)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Lz4;

/// The fields of the 12-byte header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Header {
    shape: TileShape,
    uncompressed_size: u32,
}

impl Header {
    fn read(payload: &[u8]) -> Result<(Header, &[u8]), CodecError> {
        let Some((head, block)) = payload.split_first_chunk::<LZ4_HEADER_LEN>() else {
            return Err(CodecError::Truncated { needed: LZ4_HEADER_LEN, available: payload.len() });
        };
        let word = |i: usize| u32::from_le_bytes([head[i], head[i + 1], head[i + 2], head[i + 3]]);
        let shape = TileShape::checked(word(0), word(4))?;
        Ok((Header { shape, uncompressed_size: word(8) }, block))
    }

    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.shape.rows.to_le_bytes());
        out.extend_from_slice(&self.shape.cols.to_le_bytes());
        out.extend_from_slice(&self.uncompressed_size.to_le_bytes());
    }
}

impl Codec for Lz4 {
    fn with_options(options: &EncodeOptions) -> Result<Self, CodecError> {
        match options.level {
            None => Ok(Lz4),
            Some(level) => Err(CodecError::InvalidOption {
                codec: NAME,
                reason: format!("lz4 has no compression level (got {level})"),
            }),
        }
    }
}

impl PayloadShape for Lz4 {
    fn payload_shape(payload: &[u8]) -> Result<TileShape, CodecError> {
        Header::read(payload).map(|(header, _)| header.shape)
    }
}

impl TileEncoder for Lz4 {
    fn encode(&self, tile: TileView<'_>, _: &TileContext, out: &mut Vec<u8>) -> Result<(), CodecError> {
        let mut raw = Vec::new();
        tile.write_le_bytes(&mut raw);
        let uncompressed_size = u32::try_from(raw.len())
            .map_err(|_| CodecError::LengthMismatch { expected: u32::MAX as usize, found: raw.len() })?;
        Header { shape: tile.shape(), uncompressed_size }.write(out);
        out.extend_from_slice(&lz4_flex::block::compress(&raw));
        Ok(())
    }
}

impl TileDecoder for Lz4 {
    fn decode(&self, payload: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError> {
        if looks_double_framed(payload) {
            return Err(CodecError::DoubleFramed);
        }
        let (header, block) = Header::read(payload)?;
        if header.shape != shape {
            return Err(CodecError::ShapeMismatch { expected: shape, found: header.shape });
        }
        let expected = shape.byte_len(dtype);
        if header.uncompressed_size as usize != expected {
            return Err(CodecError::LengthMismatch { expected, found: header.uncompressed_size as usize });
        }
        let mut raw = vec![0u8; expected];
        let written = lz4_flex::block::decompress_into(block, &mut raw)
            .map_err(|e| CodecError::Backend { codec: NAME, source: Box::new(e) })?;
        if written != expected {
            return Err(CodecError::LengthMismatch { expected, found: written });
        }
        TileData::from_le_bytes(dtype, shape, &raw)
    }
}

/// `rows | cols` twice in a row, then a size that matches them: an opaque shape header written in
/// front of lz4's own header (Bug 0.3). A genuine payload cannot look like this, because its third
/// word is `rows × cols × 4`, which equals `rows` only for shapes no tile has.
fn looks_double_framed(payload: &[u8]) -> bool {
    let Some(head) = payload.first_chunk::<20>() else { return false };
    let word = |i: usize| u32::from_le_bytes([head[i], head[i + 1], head[i + 2], head[i + 3]]);
    let (rows, cols) = (word(0), word(4));
    head[..8] == head[8..16] && u64::from(word(16)) == u64::from(rows) * u64::from(cols) * 4
}

#[cfg(test)]
mod tests {
    use super::*;
    use gzcm_core::framing::{decode_stored_typed, encode_stored_typed};
    use ndarray::Array2;

    fn stored_tile() -> (Array2<u32>, Vec<u8>) {
        let tile = Array2::from_shape_fn((7, 4), |(r, c)| (r * c) as u32);
        let mut stored = Vec::new();
        encode_stored_typed(&Lz4, tile.view().into(), &TileContext::default(), &mut stored).unwrap();
        (tile, stored)
    }

    #[test]
    fn typed_path_stores_only_the_lz4_header() {
        let (tile, stored) = stored_tile();
        assert_eq!(&stored[..12], &[7, 0, 0, 0, 4, 0, 0, 0, 112, 0, 0, 0]);
        assert_eq!(decode_stored_typed(&Lz4, &stored, Dtype::U32, None).unwrap(), TileData::U32(tile));
    }

    #[test]
    fn a_header_claiming_4_gib_is_refused_before_allocating() {
        let (_, mut stored) = stored_tile();
        stored[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        let err = Lz4.decode(&stored, TileShape::new(7, 4), Dtype::U32).unwrap_err();
        assert!(matches!(err, CodecError::LengthMismatch { expected: 112, .. }), "{err}");
    }

    #[test]
    fn a_header_claiming_a_huge_shape_is_refused() {
        let (_, mut stored) = stored_tile();
        stored[0..4].copy_from_slice(&65_536u32.to_le_bytes());
        assert!(matches!(Lz4::payload_shape(&stored), Err(CodecError::BadShape { .. })));
    }
}
