//! Test and example helpers: the shared real matrices, tiling, and a synthetic matrix.
#![allow(dead_code, unreachable_pub)]

use gzcm_cmc::TileLayout;

/// The four matrices the targets are measured on.
pub const MATRICES: [&str; 4] =
    ["gm12878_rao2014_2500kb", "yeast_10kb", "mouse_mm9_chr1_20kb", "yeast_duan2009_10kb"];

/// A matrix of integer counts (`n` columns), possibly only its first `rows` rows. Square ones
/// are symmetric; a rectangular one is an inter-chromosomal block.
pub struct Matrix {
    pub n: usize,
    pub rows: usize,
    pub values: Vec<u32>,
    pub square: bool,
}

/// Loads `<name>.npy` or `<name>.npy.zst` (float32 counts) from the shared data, through
/// gzcm-io, keeping at most `max_rows` rows.
pub fn load(name: &str, max_rows: usize) -> Option<Matrix> {
    let dense = gzcm_test_support::load_rows::<u32>(name, max_rows)?;
    let (rows, n) = dense.rows.dim();
    Some(Matrix { n, rows, values: dense.rows.into_raw_vec_and_offset().0, square: dense.shape.0 == n })
}

/// One tile cut from a matrix.
pub struct Tile {
    pub rows: usize,
    pub cols: usize,
    pub layout: TileLayout,
    pub values: Vec<u32>,
}

/// Tiles with `tile_row <= tile_col` (diagonal ones symmetric), all-zero ones skipped; every
/// tile of a rectangular matrix.
pub fn tiles(m: &Matrix, size: usize) -> Vec<Tile> {
    let count = m.n.div_ceil(size);
    let mut out = Vec::new();
    for ti in 0..m.rows.div_ceil(size) {
        for tj in if m.square { ti } else { 0 }..count {
            let (r0, c0) = (ti * size, tj * size);
            let rows = size.min(m.rows - r0);
            let cols = size.min(m.n - c0);
            let values: Vec<u32> = (r0..r0 + rows)
                .flat_map(|r| m.values[r * m.n + c0..r * m.n + c0 + cols].iter().copied())
                .collect();
            if values.iter().all(|&v| v == 0) {
                continue;
            }
            let layout =
                if ti == tj && m.square { TileLayout::SymmetricDiagonal } else { TileLayout::OffDiagonal };
            out.push(Tile { rows, cols, layout, values });
        }
    }
    out
}

/// Non-zeros of the upper triangle (with the diagonal) of the loaded rows.
pub fn nnz_upper(m: &Matrix) -> usize {
    (0..m.rows).map(|r| m.values[r * m.n + r..(r + 1) * m.n].iter().filter(|&&v| v != 0).count()).sum()
}

/// A synthetic symmetric `n × n` map (the workspace's one generator, see
/// [`gzcm_test_support::contact_map`]) as a [`Matrix`].
pub fn synthetic(n: usize, scale: f64, seed: u64) -> Matrix {
    Matrix { n, rows: n, values: gzcm_test_support::contact_map(n, scale, seed), square: true }
}
