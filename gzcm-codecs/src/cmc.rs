//! `cmc`: the contact-matrix compressor (diagonal reordering, per-row bit-plane binarisation,
//! context-modelled binary arithmetic coding; see the `gzcm-cmc` crate). Opaque wire format.
//! Integer tiles only: a float tile with a non-integer value is refused, never rounded.

use gzcm_core::codec::{Codec, EncodeOptions, TileDecoder, TileEncoder};
use gzcm_core::{CodecError, Dtype, TileContext, TileData, TileShape, TileView, codec};

use crate::counts::{cmc_error, count_buffer, counts_of, dims, layout_of, tile_of};
use crate::options::refuse_level;

/// The registered name, as declared in `#[codec]` below.
const NAME: &str = <Cmc as gzcm_core::CodecMeta>::NAME;

/// The contact-matrix compressor.
#[codec(name = "cmc", wire = Opaque, crate = ::gzcm_core)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Cmc;

impl Codec for Cmc {
    fn with_options(options: &EncodeOptions) -> Result<Self, CodecError> {
        refuse_level(NAME, options).map(|()| Cmc)
    }
}

impl TileEncoder for Cmc {
    fn encode(&self, tile: TileView<'_>, context: &TileContext, out: &mut Vec<u8>) -> Result<(), CodecError> {
        let (rows, cols) = dims(tile.shape());
        let counts = counts_of(tile)?;
        gzcm_cmc::encode(&counts, rows, cols, layout_of(context), out).map_err(|e| cmc_error(NAME, e))
    }
}

impl TileDecoder for Cmc {
    fn decode(&self, payload: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError> {
        let (rows, cols) = dims(shape);
        let mut counts = count_buffer(shape);
        gzcm_cmc::decode(payload, rows, cols, &mut counts).map_err(|e| cmc_error(NAME, e))?;
        tile_of(dtype, shape, counts)
    }
}
