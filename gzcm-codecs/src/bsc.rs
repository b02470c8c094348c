//! `bsc`: block-sorting compression (BWT, move-to-front / run-length, adaptive entropy coding;
//! see the `gzcm-bsc` crate) of the tile's little-endian cell bytes. Opaque wire format; any dtype.

use gzcm_core::codec::{Codec, EncodeOptions, TileDecoder, TileEncoder};
use gzcm_core::{CodecError, Dtype, TileContext, TileData, TileShape, TileView, codec};

use crate::options::refuse_level;

/// The registered name, as declared in `#[codec]` below.
const NAME: &str = <Bsc as gzcm_core::CodecMeta>::NAME;

/// Block-sorting compression of raw tile bytes.
#[codec(name = "bsc", wire = Opaque, crate = ::gzcm_core)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Bsc;

impl Codec for Bsc {
    fn with_options(options: &EncodeOptions) -> Result<Self, CodecError> {
        refuse_level(NAME, options).map(|()| Bsc)
    }
}

impl TileEncoder for Bsc {
    fn encode(&self, tile: TileView<'_>, _: &TileContext, out: &mut Vec<u8>) -> Result<(), CodecError> {
        let mut raw = Vec::new();
        tile.write_le_bytes(&mut raw);
        gzcm_bsc::compress(&raw, out).map_err(|e| bsc_error(NAME, e))
    }
}

impl TileDecoder for Bsc {
    fn decode(&self, payload: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError> {
        let mut raw = Vec::new();
        gzcm_bsc::decompress(payload, shape.byte_len(dtype), &mut raw).map_err(|e| bsc_error(NAME, e))?;
        TileData::from_le_bytes(dtype, shape, &raw)
    }
}

/// A bsc back-end error as a codec error of `codec`.
pub(crate) fn bsc_error(codec: &'static str, error: gzcm_bsc::BscError) -> CodecError {
    CodecError::Backend { codec, source: Box::new(error) }
}
