//! Golden payloads: the exact bytes of small fixed tiles, so the format cannot drift silently.
//! A change here needs a new version byte (and old payloads must keep decoding).

use gzcm_rans::{TileLayout, decode, encode};

/// The version-3 payload of [`symmetric_tile`] (the cell walk is version 2's).
const SYMMETRIC_GOLDEN: &[u8] = &[
    3, 2, 81, 45, 59, 65, 97, 52, 120, 12, 244, 240, 167, 106, 23, 11, 141, 66, 37, 40, 199, 121, 151, 247,
    187, 193, 209, 159, 31, 218, 230, 76, 80, 82, 238, 223, 225, 109, 111, 182, 209, 2, 128, 84, 37, 19, 205,
    40, 34, 78, 151, 144, 98, 166, 167, 227, 94, 10, 95, 52, 24, 227, 103, 199, 41, 22, 215, 248, 40, 34,
    205, 61, 162,
];

/// The version-3 payload of [`sparse_tile`]: zero flags on its cells predicted below λ = 3.
const SPARSE_GOLDEN: &[u8] = &[
    3, 1, 15, 0, 211, 0, 104, 109, 41, 22, 148, 206, 255, 216, 117, 191, 221, 227, 137, 24, 29, 235, 124, 1,
    247, 229, 46, 142, 94, 233, 178, 127, 252, 18, 206, 51, 51, 247, 246, 227, 210, 21,
];

/// The version-3 sparse list (mode 3, one rANS state) of [`list_tile`].
const LIST_GOLDEN: &[u8] = &[3, 3, 141, 243, 222, 3, 33, 136, 220, 17, 255, 226, 34, 222, 0];

/// The version-3 sparse list of an upper triangle (mode 4) of [`symmetric_list_tile`].
const SYMMETRIC_LIST_GOLDEN: &[u8] = &[3, 4, 171, 94, 130, 0, 219, 125, 105, 30, 22, 4];

/// The version-2 payload of [`symmetric_tile`] (still read).
const SYMMETRIC_V2: &[u8] = &[
    2, 2, 81, 45, 59, 65, 97, 52, 120, 12, 244, 240, 167, 106, 23, 11, 141, 66, 37, 40, 199, 121, 151, 247,
    187, 193, 209, 159, 31, 218, 230, 76, 80, 82, 238, 223, 225, 109, 111, 182, 209, 2, 128, 84, 37, 19, 205,
    40, 34, 78, 151, 144, 98, 166, 167, 227, 94, 10, 95, 52, 24, 227, 103, 199, 41, 22, 215, 248, 40, 34,
    205, 61, 162,
];

/// The version-2 payload of [`sparse_tile`] (still read).
const SPARSE_V2: &[u8] = &[
    2, 1, 15, 0, 211, 0, 104, 109, 41, 22, 148, 206, 255, 216, 117, 191, 221, 227, 137, 24, 29, 235, 124, 1,
    247, 229, 46, 142, 94, 233, 178, 127, 252, 18, 206, 51, 51, 247, 246, 227, 210, 21,
];

/// The version-1 payload of [`symmetric_tile`] (written by the first release; still read).
const SYMMETRIC_V1: &[u8] = &[
    1, 2, 81, 45, 59, 65, 97, 52, 120, 12, 244, 240, 167, 106, 23, 11, 141, 66, 37, 40, 199, 121, 151, 247,
    187, 193, 209, 159, 31, 218, 230, 76, 80, 82, 238, 223, 225, 109, 111, 182, 209, 2, 128, 84, 37, 19, 205,
    40, 34, 78, 151, 144, 98, 166, 167, 227, 94, 10, 95, 52, 24, 227, 103, 199, 41, 22, 215, 248, 40, 34,
    205, 61, 162,
];

/// The version-1 payload of [`sparse_tile`] (no zero flags; still read).
const SPARSE_V1: &[u8] = &[
    1, 1, 92, 61, 168, 47, 66, 118, 54, 13, 211, 255, 214, 67, 127, 222, 227, 134, 233, 106, 27, 37, 175, 90,
    5, 194, 107, 191, 222, 129, 127, 235, 252, 206, 203, 51, 6, 159, 222, 58, 15, 243, 104,
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

/// A 20×20 off-diagonal tile with one count in a hundred.
fn list_tile() -> Vec<u32> {
    let mut values = vec![0u32; 400];
    values[57] = 1;
    values[58] = 2;
    values[399] = 70_000;
    values[123] = 1;
    values
}

/// A 40×40 symmetric tile with five non-zero cells (two mirrored pairs and one on the diagonal).
fn symmetric_list_tile() -> Vec<u32> {
    let mut values = vec![0u32; 1600];
    for (i, j, v) in [(2, 9, 3), (5, 5, 11), (30, 39, 1)] {
        values[i * 40 + j] = v;
        values[j * 40 + i] = v;
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

#[test]
fn a_sparse_list_has_its_golden_bytes() {
    check(&list_tile(), 20, 20, TileLayout::OffDiagonal, LIST_GOLDEN);
}

#[test]
fn a_symmetric_sparse_list_has_its_golden_bytes() {
    check(&symmetric_list_tile(), 40, 40, TileLayout::SymmetricDiagonal, SYMMETRIC_LIST_GOLDEN);
}

#[test]
fn version_1_and_2_payloads_still_decode() {
    for (payload, rows, cols, values) in [
        (SYMMETRIC_V1, 10, 10, symmetric_tile()),
        (SPARSE_V1, 4, 6, sparse_tile()),
        (SYMMETRIC_V2, 10, 10, symmetric_tile()),
        (SPARSE_V2, 4, 6, sparse_tile()),
    ] {
        let mut back = vec![0; rows * cols];
        decode(payload, rows, cols, &mut back).unwrap();
        assert_eq!(back, values);
    }
}

#[test]
fn the_same_stream_under_the_other_version_does_not_pass_for_the_tile() {
    // The sparse tile's version-2 stream read as version 1 (no zero flags) must not silently
    // give the tile back: the versions code cells differently.
    let mut relabelled = SPARSE_V2.to_vec();
    relabelled[0] = 1;
    let mut back = vec![0; 24];
    let read = decode(&relabelled, 4, 6, &mut back);
    assert!(read.is_err() || back != sparse_tile(), "{read:?}");
}

#[test]
fn sparse_lists_are_refused_under_older_versions() {
    // Modes 3 and 4 exist from version 3 on.
    for version in [1, 2] {
        let mut relabelled = LIST_GOLDEN.to_vec();
        relabelled[0] = version;
        let mut back = vec![0; 400];
        assert!(decode(&relabelled, 20, 20, &mut back).is_err());
    }
}
