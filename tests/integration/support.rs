//! Helpers shared by the integration tests.

use gzcm::TileContext;
use gzcm_io::{MatrixSource, OpenOptions};
use ndarray::{Array2, s};

/// A shared matrix as dense `u32` counts, read through `gzcm-io` (the project's own `.npy`
/// reader); symmetric sources give their upper triangle, mirrored here.
pub(crate) fn read_counts(path: &std::path::Path) -> Array2<u32> {
    let source =
        MatrixSource::open(&path.display().to_string(), OpenOptions::default()).expect("readable matrix");
    let info = source.info();
    let mut matrix = Array2::zeros((info.shape.rows as usize, info.shape.cols as usize));
    for triple in source.triples::<u32>().expect("triples") {
        let triple = triple.expect("valid cell");
        let (r, c) = (triple.row as usize, triple.col as usize);
        matrix[[r, c]] = triple.value;
        if info.symmetric {
            matrix[[c, r]] = triple.value;
        }
    }
    matrix
}

/// A few real 256×256 (or edge) tiles with their contexts: the first diagonal tile, an
/// off-diagonal tile and the bottom-right edge tile of `yeast_duan2009_10kb` (350 bins).
pub(crate) fn real_tiles() -> Vec<(Array2<u32>, TileContext)> {
    let Some(path) = gzcm_test_support::data_path("yeast_duan2009_10kb.npy") else { return Vec::new() };
    let matrix = read_counts(&path);
    vec![
        (matrix.slice(s![0..256, 0..256]).to_owned(), TileContext::new(0, 0, true)),
        (matrix.slice(s![0..256, 256..350]).to_owned(), TileContext::new(0, 1, true)),
        (matrix.slice(s![256..350, 256..350]).to_owned(), TileContext::new(1, 1, true)),
    ]
}

/// A deterministic Hi-C-like tile: counts decaying with distance from the diagonal.
pub(crate) fn synthetic_tile(rows: usize, cols: usize) -> Array2<u32> {
    Array2::from_shape_fn((rows, cols), |(r, c)| {
        let distance = r.abs_diff(c) as u32;
        let noise = ((r * 31 + c * 17) % 7) as u32;
        (1000 / (distance + 1)).saturating_sub(noise)
    })
}
