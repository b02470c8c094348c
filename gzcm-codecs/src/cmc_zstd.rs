//! `cmc_zstd`: the cmc transform (diagonal reordering + bit-planes) finished by zstd instead of
//! cmc's context-modelled coder: faster to decode, somewhat larger. Opaque wire format.
//!
//! Payload: `transform_len: u32 LE | zstd frame of the transform bytes`. `transform_len` is
//! checked against the largest transform a tile of the validated shape can produce before any
//! buffer is sized from it.

use gzcm_core::codec::{Codec, EncodeOptions, TileDecoder, TileEncoder};
use gzcm_core::{CodecError, Dtype, TileContext, TileData, TileShape, TileView, codec};

use crate::transformed::{read_transform_len, tile_from_transform, transform_with_prefix};
use crate::zstd::{compress_into, decompress_exact, level_of};

/// The registered name, as declared in `#[codec]` below.
const NAME: &str = <CmcZstd as gzcm_core::CodecMeta>::NAME;

/// Level used when none is given: the transform is a fraction of the raw tile's size, so the
/// highest regular level stays cheap (the CLI demo writes a 4096² map in about a second).
pub const DEFAULT_LEVEL: i32 = 19;

/// The cmc transform finished by zstd.
#[codec(name = "cmc_zstd", wire = Opaque, crate = ::gzcm_core)]
#[derive(Clone, Copy, Debug)]
pub struct CmcZstd {
    level: i32,
}

impl Default for CmcZstd {
    fn default() -> Self {
        CmcZstd { level: DEFAULT_LEVEL }
    }
}

impl Codec for CmcZstd {
    fn with_options(options: &EncodeOptions) -> Result<Self, CodecError> {
        Ok(CmcZstd { level: level_of(NAME, options, DEFAULT_LEVEL)? })
    }
}

impl TileEncoder for CmcZstd {
    fn encode(&self, tile: TileView<'_>, context: &TileContext, out: &mut Vec<u8>) -> Result<(), CodecError> {
        let transformed = transform_with_prefix(NAME, tile, context, out)?;
        compress_into(&transformed, self.level, out)
    }
}

impl TileDecoder for CmcZstd {
    fn decode(&self, payload: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError> {
        let (transform_len, frame) = read_transform_len(payload, shape)?;
        let transformed = decompress_exact(frame, transform_len)?;
        tile_from_transform(NAME, &transformed, shape, dtype)
    }
}
