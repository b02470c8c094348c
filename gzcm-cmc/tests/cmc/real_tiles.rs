//! Round trips of real Hi-C tiles (skipped with a message when the shared data is absent).

use crate::common;

use gzcm_cmc::{decode, encode, inverse_transform, transform};

/// Checks the first tile row of `name` (diagonal, off-diagonal and the narrow edge tile), with
/// tiles of `size`; returns (bytes, non-zeros coded).
fn check_matrix(name: &str, size: usize) -> Option<(usize, usize)> {
    let m = common::load(name, 3 * size)?;
    let (mut bytes, mut nnz) = (0, 0);
    let tiles = common::tiles(&m, size);
    // Keep debug runs short: the diagonal tile, a few neighbours and the edge tile.
    let picks = tiles.len().min(3);
    for t in tiles[..picks].iter().chain(tiles.last()) {
        let mut payload = Vec::new();
        encode(&t.values, t.rows, t.cols, t.layout, &mut payload).unwrap();
        let mut back = vec![0; t.values.len()];
        decode(&payload, t.rows, t.cols, &mut back).unwrap();
        assert!(back == t.values, "{name}: cmc round trip of a {}x{} tile", t.rows, t.cols);
        let mut tr = Vec::new();
        transform(&t.values, t.rows, t.cols, t.layout, &mut tr).unwrap();
        back.fill(0);
        inverse_transform(&tr, t.rows, t.cols, &mut back).unwrap();
        assert!(back == t.values, "{name}: transform round trip of a {}x{} tile", t.rows, t.cols);
        bytes += payload.len();
        nnz += t.values.iter().filter(|&&v| v != 0).count();
    }
    Some((bytes, nnz))
}

#[test]
fn real_matrices_round_trip() {
    for name in common::MATRICES.iter().chain(&["gm12878_chr22_250kb", "gm12878_chr22_x_250kb_inter"]) {
        for size in [256, 100] {
            let Some((bytes, nnz)) = check_matrix(name, size) else {
                continue;
            };
            let bits = 8.0 * bytes as f64 / nnz.max(1) as f64;
            eprintln!("{name} tiles of {size}: {bytes} B, {bits:.2} bits per non-zero (full tiles)");
            assert!(bits < 20.0, "{name}: {bits:.2} bits per non-zero is not sensible");
        }
    }
}
