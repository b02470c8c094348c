//! A downstream crate that declares codecs with `#[codec]` while depending only on the `gzcm`
//! facade. The integration tests prove these codecs are listed, found by name, and round-trip
//! tiles, without any change to gzcm's own crates.

use gzcm::codec::{Codec, EncodeOptions, PayloadShape, TileDecoder, TileEncoder};
use gzcm::{CodecError, Dtype, TileContext, TileData, TileShape, TileView, codec};

/// Run-length coding of the tile's little-endian bytes: pairs of `(run length 1..=255, byte)`.
/// Opaque: the writer adds the shape header.
#[codec(name = "downstream-rle", wire = Opaque)]
#[derive(Debug, Default)]
pub struct DownstreamRle;

impl Codec for DownstreamRle {
    fn with_options(_: &EncodeOptions) -> Result<Self, CodecError> {
        Ok(DownstreamRle)
    }
}

impl TileEncoder for DownstreamRle {
    fn encode(&self, tile: TileView<'_>, _: &TileContext, out: &mut Vec<u8>) -> Result<(), CodecError> {
        let mut raw = Vec::new();
        tile.write_le_bytes(&mut raw);
        for run in raw.chunk_by(|a, b| a == b) {
            for piece in run.chunks(255) {
                out.push(u8::try_from(piece.len()).expect("chunks of at most 255"));
                out.push(piece[0]);
            }
        }
        Ok(())
    }
}

impl TileDecoder for DownstreamRle {
    fn decode(&self, payload: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError> {
        let expected = shape.byte_len(dtype);
        let mut raw = Vec::with_capacity(expected);
        for pair in payload.chunks(2) {
            let [len, byte] = pair else {
                return Err(CodecError::Truncated { needed: payload.len() + 1, available: payload.len() });
            };
            if raw.len() + usize::from(*len) > expected {
                return Err(CodecError::Corrupt { reason: "runs exceed the tile size" });
            }
            raw.resize(raw.len() + usize::from(*len), *byte);
        }
        TileData::from_le_bytes(dtype, shape, &raw)
    }
}

/// Stores the tile bytes verbatim after its own 8-byte `rows: u32 BE | cols: u32 BE` header.
/// Self-describing: the writer adds nothing.
#[codec(name = "downstream-raw", wire = SelfDescribing)]
#[derive(Debug, Default)]
pub struct DownstreamRaw;

impl Codec for DownstreamRaw {
    fn with_options(_: &EncodeOptions) -> Result<Self, CodecError> {
        Ok(DownstreamRaw)
    }
}

impl PayloadShape for DownstreamRaw {
    fn payload_shape(payload: &[u8]) -> Result<TileShape, CodecError> {
        let Some(head) = payload.first_chunk::<8>() else {
            return Err(CodecError::Truncated { needed: 8, available: payload.len() });
        };
        let rows = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
        let cols = u32::from_be_bytes([head[4], head[5], head[6], head[7]]);
        TileShape::checked(rows, cols)
    }
}

impl TileEncoder for DownstreamRaw {
    fn encode(&self, tile: TileView<'_>, _: &TileContext, out: &mut Vec<u8>) -> Result<(), CodecError> {
        out.extend_from_slice(&tile.shape().rows.to_be_bytes());
        out.extend_from_slice(&tile.shape().cols.to_be_bytes());
        tile.write_le_bytes(out);
        Ok(())
    }
}

impl TileDecoder for DownstreamRaw {
    fn decode(&self, payload: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError> {
        let found = Self::payload_shape(payload)?;
        if found != shape {
            return Err(CodecError::ShapeMismatch { expected: shape, found });
        }
        TileData::from_le_bytes(dtype, shape, &payload[8..])
    }
}
