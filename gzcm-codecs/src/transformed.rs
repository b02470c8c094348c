//! The length prefix of payloads that finish the cmc transform with a general-purpose back end
//! (`cmc_zstd`, `bsc_cmc`), and the bound that keeps it honest.

use gzcm_core::{CodecError, Dtype, TileContext, TileData, TileShape, TileView};

use crate::counts::{cmc_error, count_buffer, counts_of, dims, layout_of, tile_of};

/// Bytes of the `transform_len: u32 LE` prefix.
const PREFIX_LEN: usize = 4;

/// The largest cmc transform of a tile of `shape`: a 3-byte header, the row and column masks
/// packed eight flags per byte, and per diagonal (at most `rows + cols - 1` of them) one count
/// byte plus at most 32 bit-planes of `ceil(cells / 8)` bytes. Summed over diagonals the planes
/// take at most `32 × (cells / 8 + diagonals)` bytes.
pub(crate) fn max_transform_len(shape: TileShape) -> usize {
    let (rows, cols) = shape.dim();
    let diagonals = rows + cols;
    3 + rows.div_ceil(8) + cols.div_ceil(8) + diagonals + 32 * (shape.cells().div_ceil(8) + diagonals)
}

/// Runs the cmc transform on `tile` and writes the length prefix to `out`; returns the transform
/// bytes for the back end to append.
pub(crate) fn transform_with_prefix(
    codec: &'static str,
    tile: TileView<'_>,
    context: &TileContext,
    out: &mut Vec<u8>,
) -> Result<Vec<u8>, CodecError> {
    let (rows, cols) = dims(tile.shape());
    let counts = counts_of(tile)?;
    let mut transformed = Vec::new();
    gzcm_cmc::transform(&counts, rows, cols, layout_of(context), &mut transformed)
        .map_err(|e| cmc_error(codec, e))?;
    write_transform_len(&transformed, out)?;
    Ok(transformed)
}

/// Inverts the cmc transform bytes into a tile of `shape` and `dtype`.
pub(crate) fn tile_from_transform(
    codec: &'static str,
    transformed: &[u8],
    shape: TileShape,
    dtype: Dtype,
) -> Result<TileData, CodecError> {
    let (rows, cols) = dims(shape);
    let mut counts = count_buffer(shape);
    gzcm_cmc::inverse_transform(transformed, rows, cols, &mut counts).map_err(|e| cmc_error(codec, e))?;
    tile_of(dtype, shape, counts)
}

/// Appends the length of `transformed` as the 4-byte prefix.
fn write_transform_len(transformed: &[u8], out: &mut Vec<u8>) -> Result<(), CodecError> {
    let len = u32::try_from(transformed.len())
        .map_err(|_| CodecError::LengthMismatch { expected: u32::MAX as usize, found: transformed.len() })?;
    out.extend_from_slice(&len.to_le_bytes());
    Ok(())
}

/// Reads the prefix, refusing a length no tile of `shape` can have; returns it with the rest.
pub(crate) fn read_transform_len(payload: &[u8], shape: TileShape) -> Result<(usize, &[u8]), CodecError> {
    let Some((prefix, rest)) = payload.split_first_chunk::<PREFIX_LEN>() else {
        return Err(CodecError::Truncated { needed: PREFIX_LEN, available: payload.len() });
    };
    let len = u32::from_le_bytes(*prefix) as usize;
    if len > max_transform_len(shape) {
        return Err(CodecError::Corrupt { reason: "transform length exceeds what the tile shape allows" });
    }
    Ok((len, rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gzcm_cmc::TileLayout;

    #[test]
    fn the_bound_holds_for_worst_case_tiles() {
        for (rows, cols) in [(1, 1), (1, 300), (256, 256), (255, 17), (100, 100)] {
            let shape = TileShape::new(rows, cols);
            for values in [
                vec![u32::MAX; shape.cells()],
                (0..shape.cells() as u32).map(|v| v.wrapping_mul(2_654_435_761)).collect(),
            ] {
                for layout in [TileLayout::OffDiagonal, TileLayout::SymmetricDiagonal] {
                    let mut out = Vec::new();
                    gzcm_cmc::transform(&values, rows as usize, cols as usize, layout, &mut out).unwrap();
                    assert!(out.len() <= max_transform_len(shape), "{rows}×{cols}: {} > bound", out.len());
                }
            }
        }
    }

    #[test]
    fn lying_lengths_are_refused() {
        let shape = TileShape::new(4, 4);
        let mut payload = u32::MAX.to_le_bytes().to_vec();
        payload.push(0);
        assert!(matches!(read_transform_len(&payload, shape), Err(CodecError::Corrupt { .. })));
        assert!(matches!(read_transform_len(&[1, 2], shape), Err(CodecError::Truncated { .. })));
    }
}
