//! Golden payloads: the exact bytes of small fixed tiles, so the format cannot drift silently.
//! A change here needs a new version byte (and old payloads must keep decoding).

use gzcm_rans::{TileLayout, decode, encode};

/// The payload of [`symmetric_tile`].
const SYMMETRIC_GOLDEN: &[u8] = &[
    1, 2, 45, 39, 180, 116, 80, 189, 127, 1, 86, 247, 12, 45, 44, 239, 80, 109, 223, 229, 156, 51, 139, 160,
    141, 80, 43, 160, 151, 250, 73, 37, 70, 207, 62, 87, 110, 195, 99, 3, 125, 235, 129, 162, 174, 55, 98,
    143, 185, 32, 177, 115, 176, 49, 230, 204, 124, 184, 245, 36, 43, 205, 186, 92, 73, 120, 183, 12, 64, 54,
    53,
];

/// The payload of [`sparse_tile`].
const SPARSE_GOLDEN: &[u8] = &[
    1, 1, 52, 28, 196, 0, 81, 120, 249, 13, 68, 9, 252, 0, 96, 236, 163, 138, 20, 37, 65, 243, 205, 7, 172,
    96, 203, 103, 240, 51, 148, 153, 196, 222, 128, 186, 14, 1,
];

/// A 10×10 symmetric tile: distance decay with a masked bin (row and column 3).
fn symmetric_tile() -> Vec<u32> {
    let n = 10;
    let mut values = vec![0u32; n * n];
    for i in 0..n {
        for j in 0..n {
            if i != 3 && j != 3 {
                let d = i.abs_diff(j) as u32;
                values[i * n + j] = 900 / (d + 1) + ((i * j) as u32 % 7);
            }
        }
    }
    values
}

/// A 4×6 off-diagonal tile with sparse small counts.
fn sparse_tile() -> Vec<u32> {
    vec![0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 1, 0, 0, 1, 0, 0, 0, 7, 0, 0]
}

fn check(values: &[u32], rows: usize, cols: usize, layout: TileLayout, golden: &[u8]) {
    let mut payload = Vec::new();
    encode(values, rows, cols, layout, &mut payload).unwrap();
    assert_eq!(payload, golden, "the encoder's bytes changed: {payload:?}");
    let mut back = vec![0; rows * cols];
    decode(golden, rows, cols, &mut back).unwrap();
    assert_eq!(back, values, "the golden payload no longer decodes to its tile");
}

#[test]
fn a_symmetric_tile_has_its_golden_bytes() {
    check(&symmetric_tile(), 10, 10, TileLayout::SymmetricDiagonal, SYMMETRIC_GOLDEN);
}

#[test]
fn a_sparse_tile_has_its_golden_bytes() {
    check(&sparse_tile(), 4, 6, TileLayout::OffDiagonal, SPARSE_GOLDEN);
}
