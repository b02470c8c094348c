//! Golden payloads: the exact bytes of small fixed tiles, so the format cannot drift silently.
//! A change here needs a new version byte (and old payloads must keep decoding).

use gzcm_rans::{TileLayout, decode, encode};

/// The payload of [`symmetric_tile`].
const SYMMETRIC_GOLDEN: &[u8] = &[
    1, 2, 97, 50, 127, 5, 137, 58, 180, 69, 247, 160, 177, 211, 147, 89, 241, 144, 146, 155, 41, 48, 133, 26,
    14, 29, 50, 238, 63, 72, 13, 166, 47, 11, 71, 104, 170, 127, 2, 210, 84, 37, 19, 205, 40, 34, 78, 151,
    144, 98, 166, 167, 227, 94, 10, 95, 52, 24, 227, 103, 199, 41, 22, 215, 248, 40, 34, 205, 61, 162,
];

/// The payload of [`sparse_tile`].
const SPARSE_GOLDEN: &[u8] = &[
    1, 1, 217, 35, 144, 4, 112, 86, 61, 1, 40, 107, 118, 233, 144, 144, 254, 22, 189, 93, 19, 246, 21, 35,
    218, 200, 27, 127, 174, 51, 6, 203, 159, 222, 58, 15, 243, 104,
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
