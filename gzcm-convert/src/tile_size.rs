//! The tile edge of `--tile-size auto` (`Settings::tile_size = None`).
//!
//! Every stored tile pays a fixed cost besides its cells: an index record, a shape header or a
//! codec header, an entropy coder's flush, a model's side information (30–40 bytes in all with
//! the packed index). On a dense map that is nothing; on a large sparse map at 256² it becomes a
//! tenth of the file (a 20 kb chromosome map with ~600 non-zeros per tile). So when the input
//! says how many non-zeros it holds, the edge doubles from 256 until a tile holds at least
//! [`MIN_NNZ_PER_TILE`] non-zeros on average (at most [`MAX_AUTO_TILE_SIZE`]). Small maps
//! (under [`LARGE_MAP_BINS`] bins a side) keep 256: their files are small anyway, and a bigger
//! tile would only slow their window reads.
//!
//! It is not the default: the costs it saves are those of the model codecs (`rans`, `cmc`).
//! Codecs on raw tile bytes (`zstd`, `lz4`) gain nothing from bigger sparse tiles (`zstd` on
//! mouse_mm9_chr1_20kb: 1,153,242 bytes at 256, 1,215,491 at 512), and every codec reads a
//! 256² window more slowly from them (`rans`: 21 ms against 7 ms).

use gzcm_container::DEFAULT_TILE_SIZE;

/// Non-zeros per tile (on average over the grid's stored positions) below which the edge
/// doubles: about a kilobyte of payload at 6–8 bits per non-zero, against the fixed cost.
pub const MIN_NNZ_PER_TILE: u64 = 1024;

/// The largest edge chosen automatically.
pub const MAX_AUTO_TILE_SIZE: u32 = 1024;

/// Maps with fewer bins than this on their longer side keep the default edge.
pub const LARGE_MAP_BINS: u64 = 16 * DEFAULT_TILE_SIZE as u64;

/// How a conversion's tile edge was set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TileSizeChoice {
    /// The edge used.
    pub tile_size: u32,
    /// `Some(non-zeros per 256² tile)` when the edge was raised for a sparse map.
    pub raised_for_sparsity: Option<u64>,
}

/// The edge: `given` when set, else chosen from the shape, symmetry and non-zero count (as
/// described in the module documentation).
pub fn choose(
    given: Option<u32>,
    (rows, cols): (u64, u64),
    symmetric: bool,
    nnz: Option<u64>,
) -> TileSizeChoice {
    let keep = |tile_size| TileSizeChoice { tile_size, raised_for_sparsity: None };
    if let Some(tile_size) = given {
        return keep(tile_size);
    }
    let Some(nnz) = nnz else { return keep(DEFAULT_TILE_SIZE) };
    if rows.max(cols) < LARGE_MAP_BINS {
        return keep(DEFAULT_TILE_SIZE);
    }
    let per_tile = |edge: u32| nnz / stored_positions((rows, cols), symmetric, edge).max(1);
    let mut edge = DEFAULT_TILE_SIZE;
    while edge < MAX_AUTO_TILE_SIZE && per_tile(edge) < MIN_NNZ_PER_TILE {
        edge *= 2;
    }
    if edge == DEFAULT_TILE_SIZE {
        keep(edge)
    } else {
        TileSizeChoice { tile_size: edge, raised_for_sparsity: Some(per_tile(DEFAULT_TILE_SIZE)) }
    }
}

/// Tile positions a writer may store: the upper triangle with the diagonal when symmetric.
fn stored_positions((rows, cols): (u64, u64), symmetric: bool, edge: u32) -> u64 {
    let (grid_rows, grid_cols) = (rows.div_ceil(u64::from(edge)), cols.div_ceil(u64::from(edge)));
    if symmetric { grid_rows * (grid_rows + 1) / 2 } else { grid_rows * grid_cols }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_edge_is_kept() {
        assert_eq!(choose(Some(64), (100_000, 100_000), true, Some(10)).tile_size, 64);
    }

    #[test]
    fn unknown_counts_and_small_maps_keep_the_default() {
        assert_eq!(choose(None, (100_000, 100_000), true, None).tile_size, 256);
        assert_eq!(choose(None, (4095, 4095), true, Some(10)).tile_size, 256);
    }

    #[test]
    fn dense_maps_keep_the_default() {
        // A 1254-bin genome map: far too small to change.
        assert_eq!(choose(None, (1254, 1254), true, Some(704_960)).raised_for_sparsity, None);
        // 300,000 bins with 3,000 non-zeros per 256² position.
        let positions = 1172 * 1173 / 2;
        assert_eq!(choose(None, (300_000, 300_000), true, Some(3000 * positions)).tile_size, 256);
    }

    #[test]
    fn sparse_large_maps_get_bigger_tiles() {
        // 9,760 bins, 470,730 non-zeros: 780 positions at 256 (603 each), 210 at 512 (2,241).
        let choice = choose(None, (9760, 9760), true, Some(470_730));
        assert_eq!(choice, TileSizeChoice { tile_size: 512, raised_for_sparsity: Some(603) });
        // Very sparse: capped at 1024.
        assert_eq!(choose(None, (9760, 9760), true, Some(1000)).tile_size, MAX_AUTO_TILE_SIZE);
        // Rectangular maps count every position.
        assert_eq!(choose(None, (5000, 20_000), false, Some(20 * 79 * 500)).tile_size, 512);
    }
}
