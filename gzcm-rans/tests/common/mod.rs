//! Test helpers: synthetic contact maps, random tiles, and tiles of the shared real matrices.
#![allow(dead_code, unreachable_pub)]

use gzcm_rans::{TileLayout, decode, encode};

/// One tile.
#[derive(Clone, Debug)]
pub struct Tile {
    pub rows: usize,
    pub cols: usize,
    pub layout: TileLayout,
    pub values: Vec<u32>,
}

impl Tile {
    /// Encodes the tile, checks that it decodes to itself, and returns the payload.
    pub fn round_trip(&self) -> Vec<u8> {
        let mut payload = Vec::new();
        encode(&self.values, self.rows, self.cols, self.layout, &mut payload).unwrap();
        let mut back = vec![7; self.rows * self.cols];
        decode(&payload, self.rows, self.cols, &mut back).unwrap();
        assert!(back == self.values, "{}×{} {:?} did not round-trip", self.rows, self.cols, self.layout);
        payload
    }
}

/// The `size`-square tiles of a square symmetric matrix with `tile_row <= tile_col` (diagonal
/// ones symmetric), all-zero ones skipped.
pub fn tiles_of(values: &[u32], n: usize, size: usize) -> Vec<Tile> {
    let count = n.div_ceil(size);
    let mut out = Vec::new();
    for ti in 0..count {
        for tj in ti..count {
            let (r0, c0) = (ti * size, tj * size);
            let (rows, cols) = (size.min(n - r0), size.min(n - c0));
            let tile: Vec<u32> =
                (r0..r0 + rows).flat_map(|r| values[r * n + c0..r * n + c0 + cols].iter().copied()).collect();
            if tile.iter().all(|&v| v == 0) {
                continue;
            }
            let layout = if ti == tj { TileLayout::SymmetricDiagonal } else { TileLayout::OffDiagonal };
            out.push(Tile { rows, cols, layout, values: tile });
        }
    }
    out
}

/// The first `rows` rows of a shared real matrix (`None`, printed, without the data).
pub fn real(name: &str, rows: usize) -> Option<(Vec<u32>, usize, usize)> {
    let dense = gzcm_test_support::load_rows::<u32>(name, rows)?;
    let (kept, n) = dense.rows.dim();
    Some((dense.rows.into_raw_vec_and_offset().0, kept, n))
}

/// A square corner of a shared real matrix as a symmetric diagonal tile.
pub fn real_corner(name: &str, size: usize) -> Option<Tile> {
    let (values, _, n) = real(name, size)?;
    let size = size.min(n);
    let tile = (0..size).flat_map(|r| values[r * n..r * n + size].iter().copied()).collect();
    Some(Tile { rows: size, cols: size, layout: TileLayout::SymmetricDiagonal, values: tile })
}
