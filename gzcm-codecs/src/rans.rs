//! `rans`: a per-tile expected-count model (decay profile + low-rank terms), a
//! neighbour-corrected prediction per cell, and the residuals under adaptive tables, coded by
//! interleaved rANS (see the `gzcm-rans` crate). Opaque wire format, cmc-class size, decoded
//! with table look-ups. Integer tiles only: a float tile with a non-integer value is refused,
//! never rounded.

use gzcm_core::codec::{Codec, EncodeOptions, TileDecoder, TileEncoder};
use gzcm_core::{CodecError, Dtype, TileCells, TileContext, TileData, TileShape, TileView, codec};
use gzcm_rans::{RansError, TileLayout};

use crate::counts::{count_buffer, counts_of, dims, tile_of};
use crate::options::refuse_level;

/// The registered name, as declared in `#[codec]` below.
const NAME: &str = <Rans as gzcm_core::CodecMeta>::NAME;

/// The model-and-rANS contact-matrix coder.
#[codec(name = "rans", wire = Opaque, crate = ::gzcm_core)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Rans;

impl Codec for Rans {
    fn with_options(options: &EncodeOptions) -> Result<Self, CodecError> {
        refuse_level(NAME, options).map(|()| Rans)
    }
}

impl TileEncoder for Rans {
    fn encode(&self, tile: TileView<'_>, context: &TileContext, out: &mut Vec<u8>) -> Result<(), CodecError> {
        let (rows, cols) = dims(tile.shape());
        let counts = counts_of(tile)?;
        gzcm_rans::encode(&counts, rows, cols, layout(context), out).map_err(backend_error)
    }

    /// A `u32` tile with at most one cell in 64 non-zero is a sparse list straight away, coded
    /// from its cells (the same payload `encode` writes, in time proportional to the cells);
    /// anything else is made dense and encoded.
    fn encode_cells(
        &self,
        tile: TileCells<'_>,
        context: &TileContext,
        out: &mut Vec<u8>,
    ) -> Result<(), CodecError> {
        if tile.dtype() == Dtype::U32 {
            let (rows, cols) = dims(tile.shape());
            if gzcm_rans::encode_cells(tile.cells(), rows, cols, layout(context), out)
                .map_err(backend_error)?
            {
                return Ok(());
            }
        }
        self.encode(tile.to_dense().view(), context, out)
    }
}

impl TileDecoder for Rans {
    fn decode(&self, payload: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError> {
        let (rows, cols) = dims(shape);
        let mut counts = count_buffer(shape);
        gzcm_rans::decode(payload, rows, cols, &mut counts).map_err(backend_error)?;
        tile_of(dtype, shape, counts)
    }
}

/// The walk for a tile: a diagonal tile of a symmetric matrix may be coded by its upper
/// triangle (the coder checks that it really is symmetric).
fn layout(context: &TileContext) -> TileLayout {
    if context.is_symmetric_diagonal() { TileLayout::SymmetricDiagonal } else { TileLayout::OffDiagonal }
}

/// A `gzcm-rans` error as a codec error of `rans`.
fn backend_error(error: RansError) -> CodecError {
    CodecError::Backend { codec: NAME, source: Box::new(error) }
}
