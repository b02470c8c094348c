//! Shared helpers for tests and the `measure` example: find the shared Hi-C
//! matrices, read their `.npy` (optionally `.zst`) files, cut them into tiles.
#![allow(dead_code)] // each user takes a different subset

/// The matrices the measurements are quoted for.
pub(crate) const MATRICES: [&str; 4] =
    ["gm12878_rao2014_2500kb", "yeast_10kb", "mouse_mm9_chr1_20kb", "yeast_duan2009_10kb"];

/// A row-major `f32` matrix (possibly only its first `rows` rows).
pub(crate) struct Matrix {
    /// Rows held in `cells`.
    pub(crate) rows: usize,
    /// Columns.
    pub(crate) cols: usize,
    /// Row-major values.
    pub(crate) cells: Vec<f32>,
}

/// Reads `<name>.npy` or `<name>.npy.zst` from the shared data (through gzcm-io), keeping at
/// most `max_rows` rows (all with `usize::MAX`). `None` (printed) if absent.
pub(crate) fn load(name: &str, max_rows: usize) -> Option<Matrix> {
    let dense = gzcm_test_support::load_rows::<f32>(name, max_rows)?;
    let (rows, cols) = dense.rows.dim();
    Some(Matrix { rows, cols, cells: dense.rows.into_raw_vec_and_offset().0 })
}

/// One stored tile: its position, its cells as u32 LE bytes, its non-zeros.
pub(crate) struct Tile {
    /// Tile row.
    pub(crate) ti: usize,
    /// Tile column.
    pub(crate) tj: usize,
    /// Cells as little-endian u32 bytes, row-major, at the tile's true shape.
    pub(crate) bytes: Vec<u8>,
    /// Non-zero cells.
    pub(crate) nnz: usize,
    /// Non-zero cells on or above the diagonal (what bits/nnz divides by:
    /// a diagonal tile is stored whole, but its lower half is a mirror).
    pub(crate) nnz_upper: usize,
}

/// Upper-triangle tiles (`ti <= tj`, diagonal tiles whole) that are not all
/// zero, in row-major tile order, of side `t`.
pub(crate) fn tiles(m: &Matrix, t: usize) -> Vec<Tile> {
    let mut out = Vec::new();
    for ti in 0..m.rows.div_ceil(t) {
        for tj in ti..m.cols.div_ceil(t) {
            if let Some(tile) = cut(m, t, ti, tj) {
                out.push(tile);
            }
        }
    }
    out
}

/// Tile `(ti, tj)` of side `t`, or `None` when it is all zero.
pub(crate) fn cut(m: &Matrix, t: usize, ti: usize, tj: usize) -> Option<Tile> {
    let (r0, r1) = (ti * t, ((ti + 1) * t).min(m.rows));
    let (c0, c1) = (tj * t, ((tj + 1) * t).min(m.cols));
    let mut bytes = Vec::with_capacity((r1 - r0) * (c1 - c0) * 4);
    let (mut nnz, mut nnz_upper) = (0, 0);
    for r in r0..r1 {
        for (c, &v) in (c0..c1).zip(&m.cells[r * m.cols + c0..r * m.cols + c1]) {
            let v = v as u32;
            nnz += usize::from(v != 0);
            nnz_upper += usize::from(v != 0 && r <= c);
            bytes.extend_from_slice(&v.to_le_bytes());
        }
    }
    (nnz > 0).then_some(Tile { ti, tj, bytes, nnz, nnz_upper })
}

/// A synthetic contact-like matrix (the workspace's one generator, see
/// [`gzcm_test_support::contact_map`], with 2000 contacts on the diagonal) as `f32` cells.
pub(crate) fn synthetic(n: usize, seed: u64) -> Matrix {
    let cells = gzcm_test_support::contact_map(n, 2000.0, seed).into_iter().map(|v| v as f32).collect();
    Matrix { rows: n, cols: n, cells }
}
