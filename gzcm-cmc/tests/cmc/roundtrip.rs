//! Round trips of `encode`/`decode` and `transform`/`inverse_transform` over many tile kinds.

use crate::common;

use gzcm_cmc::{CmcError, TileLayout, decode, encode, inverse_transform, transform};
use gzcm_test_support::SplitMix64;

const LAYOUTS: [TileLayout; 2] = [TileLayout::SymmetricDiagonal, TileLayout::OffDiagonal];

/// Checks both codecs on one tile and layout; returns the `encode` payload.
fn check(values: &[u32], rows: usize, cols: usize, layout: TileLayout) -> Vec<u8> {
    let mut payload = Vec::new();
    encode(values, rows, cols, layout, &mut payload).unwrap();
    let mut back = vec![7; values.len()];
    decode(&payload, rows, cols, &mut back).unwrap();
    assert!(back == values, "cmc round trip failed for {rows}x{cols} {layout:?}");
    let mut bytes = Vec::new();
    transform(values, rows, cols, layout, &mut bytes).unwrap();
    back.fill(7);
    inverse_transform(&bytes, rows, cols, &mut back).unwrap();
    assert!(back == values, "transform round trip failed for {rows}x{cols} {layout:?}");
    payload
}

fn check_both(values: &[u32], rows: usize, cols: usize) {
    for layout in LAYOUTS {
        check(values, rows, cols, layout);
    }
}

/// Random tile: a mix of magnitudes, some zero lines, optionally symmetrised.
fn random_tile(rng: &mut SplitMix64, rows: usize, cols: usize, symmetric: bool) -> Vec<u32> {
    let bits = 1 + rng.next_u64() % 32;
    let density = rng.unit();
    let mut v: Vec<u32> = (0..rows * cols)
        .map(|_| if rng.unit() < density { (rng.next_u64() >> (64 - bits)) as u32 } else { 0 })
        .collect();
    if rng.unit() < 0.3 {
        let r = rng.next_u64() as usize % rows;
        v[r * cols..(r + 1) * cols].fill(0);
    }
    if symmetric && rows == cols {
        for i in 0..rows {
            for j in 0..i {
                v[i * cols + j] = v[j * cols + i];
            }
        }
    }
    v
}

#[test]
fn random_shapes_round_trip() {
    let mut rng = SplitMix64::new(0x5eed);
    for case in 0..300 {
        let rows = 1 + rng.next_u64() as usize % if case % 10 == 0 { 256 } else { 40 };
        let cols = if case % 3 == 0 { rows } else { 1 + rng.next_u64() as usize % 40 };
        let values = random_tile(&mut rng, rows, cols, case % 2 == 0);
        check_both(&values, rows, cols);
    }
}

#[test]
fn extremes_round_trip() {
    check_both(&[0], 1, 1);
    check_both(&[u32::MAX], 1, 1);
    check_both(&[1], 1, 1);
    check_both(&vec![0; 256 * 256], 256, 256);
    check_both(&vec![u32::MAX; 64 * 64], 64, 64);
    check_both(&vec![u32::MAX; 3 * 70], 3, 70);
    let mut single = vec![0; 100 * 37];
    single[1234] = 99;
    check_both(&single, 100, 37);
    let mut rng = SplitMix64::new(9);
    let all_bits: Vec<u32> = (0..50 * 50).map(|_| rng.next_u64() as u32).collect();
    check_both(&all_bits, 50, 50);
    let powers: Vec<u32> = (0..32 * 32).map(|i| 1u32 << (i % 32)).collect();
    check_both(&powers, 32, 32);
}

#[test]
fn long_thin_tiles_round_trip() {
    let mut rng = SplitMix64::new(77);
    for (rows, cols) in [(1, 4096), (4096, 1), (2, 3000), (700, 3)] {
        let values: Vec<u32> = (0..rows * cols).map(|_| rng.poisson(40.0)).collect();
        check_both(&values, rows, cols);
    }
}

#[test]
fn all_zero_tile_is_tiny() {
    let payload = check(&vec![0; 256 * 256], 256, 256, TileLayout::OffDiagonal);
    assert_eq!(payload.len(), 2);
}

#[test]
fn symmetric_layout_of_asymmetric_tile_loses_nothing() {
    let values = [1, 2, 3, 4];
    check(&values, 2, 2, TileLayout::SymmetricDiagonal);
    check(&[5, 6, 7, 8, 9, 10], 2, 3, TileLayout::SymmetricDiagonal);
}

#[test]
fn symmetric_tile_uses_the_upper_triangle() {
    let n = 64;
    let m = common::synthetic(n, 500.0, 3);
    let sym = check(&m.values, n, n, TileLayout::SymmetricDiagonal);
    let full = check(&m.values, n, n, TileLayout::OffDiagonal);
    assert_eq!(sym[1], 2, "symmetric walk chosen");
    assert_eq!(full[1], 1, "full walk chosen");
    assert!(sym.len() < full.len() * 2 / 3, "{} vs {}", sym.len(), full.len());
}

#[test]
fn synthetic_matrix_compresses_sensibly() {
    let m = common::synthetic(256, 2000.0, 5);
    let payload = check(&m.values, 256, 256, TileLayout::SymmetricDiagonal);
    let nnz = (0..256)
        .map(|i| m.values[i * 256 + i..(i + 1) * 256].iter().filter(|&&v| v != 0).count())
        .sum::<usize>();
    let bits = 8.0 * payload.len() as f64 / nnz as f64;
    assert!(bits < 12.0, "{bits:.2} bits per non-zero");
}

#[test]
fn bad_arguments_are_refused() {
    let mut out = Vec::new();
    assert!(matches!(
        encode(&[1, 2], 1, 3, TileLayout::OffDiagonal, &mut out),
        Err(CmcError::BadLength { .. })
    ));
    assert!(matches!(encode(&[], 0, 0, TileLayout::OffDiagonal, &mut out), Err(CmcError::BadShape { .. })));
    assert!(matches!(
        transform(&[1], 4097, 1, TileLayout::OffDiagonal, &mut out),
        Err(CmcError::BadShape { .. })
    ));
    let mut small = [0u32; 3];
    assert!(matches!(decode(&[1, 0], 2, 2, &mut small), Err(CmcError::BadLength { .. })));
    assert!(matches!(inverse_transform(&[1, 0], 2, 2, &mut small), Err(CmcError::BadLength { .. })));
}

#[test]
fn symmetric_payload_refuses_a_non_square_shape() {
    let mut payload = Vec::new();
    encode(&[1, 2, 2, 1], 2, 2, TileLayout::SymmetricDiagonal, &mut payload).unwrap();
    let mut out = [0u32; 4];
    assert!(matches!(decode(&payload, 1, 4, &mut out), Err(CmcError::ShapeMismatch { rows: 1, cols: 4 })));
}
