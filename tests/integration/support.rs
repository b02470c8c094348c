//! Helpers shared by the integration tests.

use std::path::PathBuf;

use gzcm::TileContext;
use ndarray::{Array2, s};

/// The directory holding the shared real matrices: `$GZCM_TEST_DATA`, else `../shared/data`
/// next to the repository. `None` (after printing why) when it is absent, e.g. on a fresh clone.
pub(crate) fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("GZCM_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.join("PROVENANCE.md").is_file() {
        Some(dir)
    } else {
        eprintln!("skipping real-data checks: {} not found (set GZCM_TEST_DATA)", dir.display());
        None
    }
}

/// A dense `<f4` C-order `.npy` matrix as `u32` counts (the shared raw matrices hold integers).
pub(crate) fn read_npy_counts(path: &std::path::Path) -> Array2<u32> {
    let bytes = std::fs::read(path).expect("readable npy");
    assert_eq!(&bytes[..6], b"\x93NUMPY", "{} is not a .npy file", path.display());
    let header_len = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
    let header = std::str::from_utf8(&bytes[10..10 + header_len]).expect("ascii header");
    assert!(header.contains("'descr': '<f4'") && header.contains("'fortran_order': False"));
    let shape: Vec<usize> = header
        .split("'shape': (")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("shape")
        .split(',')
        .filter(|part| !part.trim().is_empty())
        .map(|part| part.trim().parse().expect("shape number"))
        .collect();
    let cells: Vec<u32> = bytes[10 + header_len..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]) as u32)
        .collect();
    Array2::from_shape_vec((shape[0], shape[1]), cells).expect("consistent npy")
}

/// A few real 256×256 (or edge) tiles with their contexts: the first diagonal tile, an
/// off-diagonal tile and the bottom-right edge tile of `yeast_duan2009_10kb` (350 bins).
pub(crate) fn real_tiles() -> Vec<(Array2<u32>, TileContext)> {
    let Some(dir) = data_dir() else { return Vec::new() };
    let matrix = read_npy_counts(&dir.join("yeast_duan2009_10kb.npy"));
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
