//! Shared plumbing of the integer-only contact-matrix codecs (`cmc`, `cmc_zstd`, `bsc_cmc`, `rans`):
//! tiles in and out as row-major `u32` counts, and the walk chosen from the tile's position.

use gzcm_cmc::{CmcError, TileLayout};
use gzcm_core::{CodecError, Dtype, TileContext, TileData, TileShape, TileView};

/// The tile's cells as counts; `f32` tiles must hold whole counts (refused, never rounded).
pub(crate) fn counts_of(tile: TileView<'_>) -> Result<Vec<u32>, CodecError> {
    tile.to_u32_counts()
}

/// The cmc walk for a tile: a diagonal tile of a symmetric matrix may be coded by its upper
/// triangle (cmc checks that it really is symmetric and falls back to the full walk otherwise).
pub(crate) fn layout_of(context: &TileContext) -> TileLayout {
    if context.is_symmetric_diagonal() { TileLayout::SymmetricDiagonal } else { TileLayout::OffDiagonal }
}

/// A zeroed count buffer for a validated shape (at most 4096², so at most 64 MiB).
pub(crate) fn count_buffer(shape: TileShape) -> Vec<u32> {
    vec![0; shape.cells()]
}

/// The decoded counts as a tile of `dtype`.
pub(crate) fn tile_of(dtype: Dtype, shape: TileShape, counts: Vec<u32>) -> Result<TileData, CodecError> {
    TileData::from_counts(dtype, shape, counts)
}

/// `(rows, cols)` of a shape as the cmc crate wants them.
pub(crate) fn dims(shape: TileShape) -> (usize, usize) {
    shape.dim()
}

/// A cmc error as a codec error of `codec`.
pub(crate) fn cmc_error(codec: &'static str, error: CmcError) -> CodecError {
    CodecError::Backend { codec, source: Box::new(error) }
}
