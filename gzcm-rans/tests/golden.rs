//! Golden payloads: the exact bytes of small fixed tiles, so the format cannot drift silently.
//! A change here needs a new version byte (and old payloads must keep decoding).

use gzcm_rans::{TileLayout, decode, encode};

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
    check(
        &symmetric_tile(),
        10,
        10,
        TileLayout::SymmetricDiagonal,
        &[
            1, 2, 71, 38, 25, 20, 28, 39, 110, 98, 152, 83, 204, 19, 41, 44, 115, 65, 204, 172, 46, 179, 132,
            227, 27, 236, 223, 0, 203, 200, 92, 149, 20, 33, 234, 80, 174, 59, 181, 16, 64, 221, 122, 188,
            187, 8, 139, 249, 148, 64, 101, 20, 251, 187, 209, 79, 213, 82, 59, 135, 28, 88, 82, 29, 9, 49,
            239, 248, 149, 116, 146,
        ],
    );
}

#[test]
fn a_sparse_tile_has_its_golden_bytes() {
    check(
        &sparse_tile(),
        4,
        6,
        TileLayout::OffDiagonal,
        &[
            1, 1, 8, 39, 248, 47, 106, 207, 20, 10, 55, 252, 91, 96, 255, 131, 148, 18, 164, 100, 229, 227,
            27, 39, 152, 96, 251, 109, 73, 1, 7, 21, 37, 217, 229, 181, 254, 136, 126, 152, 14,
        ],
    );
}
