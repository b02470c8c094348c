//! `bsc_cmc`: the cmc transform (diagonal reordering + bit-planes) finished by the bsc
//! block-sorting back end. Opaque wire format; integer tiles only.
//!
//! Payload: `transform_len: u32 LE | bsc payload of the transform bytes`; `transform_len` is
//! checked against the largest transform the validated shape allows before it sizes anything.

use gzcm_core::codec::{Codec, EncodeOptions, TileDecoder, TileEncoder};
use gzcm_core::{CodecError, Dtype, TileContext, TileData, TileShape, TileView, codec};

use crate::bsc::bsc_error;
use crate::options::refuse_level;
use crate::transformed::{read_transform_len, tile_from_transform, transform_with_prefix};

/// The registered name, as declared in `#[codec]` below.
const NAME: &str = <BscCmc as gzcm_core::CodecMeta>::NAME;

/// The cmc transform finished by bsc.
#[codec(name = "bsc_cmc", wire = Opaque, crate = ::gzcm_core)]
#[derive(Clone, Copy, Debug, Default)]
pub struct BscCmc;

impl Codec for BscCmc {
    fn with_options(options: &EncodeOptions) -> Result<Self, CodecError> {
        refuse_level(NAME, options).map(|()| BscCmc)
    }
}

impl TileEncoder for BscCmc {
    fn encode(&self, tile: TileView<'_>, context: &TileContext, out: &mut Vec<u8>) -> Result<(), CodecError> {
        let transformed = transform_with_prefix(NAME, tile, context, out)?;
        gzcm_bsc::compress(&transformed, out).map_err(|e| bsc_error(NAME, e))
    }
}

impl TileDecoder for BscCmc {
    fn decode(&self, payload: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError> {
        let (transform_len, rest) = read_transform_len(payload, shape)?;
        let mut transformed = Vec::new();
        gzcm_bsc::decompress(rest, transform_len, &mut transformed).map_err(|e| bsc_error(NAME, e))?;
        tile_from_transform(NAME, &transformed, shape, dtype)
    }
}
