//! Tiles of every kind decode to exactly what was encoded.

use crate::common::{Tile, real, tiles_of};
use gzcm_rans::{RansError, TileLayout, decode, encode};
use gzcm_test_support::{SplitMix64, contact_map};

fn tile(rows: usize, cols: usize, layout: TileLayout, values: Vec<u32>) -> Tile {
    Tile { rows, cols, layout, values }
}

#[test]
fn synthetic_maps_round_trip_and_beat_four_bytes_per_cell() {
    let n = 300;
    let values = contact_map(n, 2000.0, 5);
    let nnz = values.iter().filter(|&&v| v != 0).count();
    let mut bytes = 0;
    for t in tiles_of(&values, n, 128) {
        bytes += t.round_trip().len();
    }
    // Two bytes per stored non-zero would already be poor for a smooth map.
    assert!(bytes < nnz, "{bytes} bytes for {nnz} non-zeros (both triangles)");
}

#[test]
fn random_shapes_and_densities_round_trip() {
    let mut rng = SplitMix64::new(0x7a25);
    for round in 0..60 {
        let rows = 1 + rng.below(70) as usize;
        let cols = if round % 3 == 0 { rows } else { 1 + rng.below(70) as usize };
        let density = [0.0, 0.01, 0.3, 1.0][round % 4];
        let scale = [1.0, 40.0, 5000.0, 3e6][(round / 4) % 4];
        let mut values: Vec<u32> = (0..rows * cols)
            .map(|_| {
                let mean = scale * rng.unit();
                if rng.unit() < density { rng.poisson(mean) } else { 0 }
            })
            .collect();
        let layout = if rows == cols && round % 2 == 0 {
            for i in 0..rows {
                for j in 0..i {
                    values[i * cols + j] = values[j * cols + i];
                }
            }
            TileLayout::SymmetricDiagonal
        } else {
            TileLayout::OffDiagonal
        };
        tile(rows, cols, layout, values).round_trip();
    }
}

#[test]
fn extreme_counts_round_trip() {
    let mut rng = SplitMix64::new(9);
    for (rows, cols) in [(1, 1), (1, 9), (9, 1), (16, 16), (33, 20)] {
        for values in [
            vec![u32::MAX; rows * cols],
            (0..rows * cols).map(|k| if k % 2 == 0 { u32::MAX } else { 0 }).collect(),
            (0..rows * cols).map(|_| rng.next_u64() as u32).collect(),
            (0..rows * cols).map(|k| if k % 5 == 0 { 1 } else { 0 }).collect(),
        ] {
            for layout in [TileLayout::OffDiagonal, TileLayout::SymmetricDiagonal] {
                tile(rows, cols, layout, values.clone()).round_trip();
            }
        }
    }
}

#[test]
fn an_all_zero_tile_is_two_bytes() {
    let payload = tile(40, 30, TileLayout::OffDiagonal, vec![0; 1200]).round_trip();
    assert_eq!(payload, [3, 0]);
}

/// A tile of `n²` cells with `count` non-zero counts at scattered places (symmetric when asked).
fn scattered(n: usize, count: usize, symmetric: bool, seed: u64) -> Vec<u32> {
    let mut rng = SplitMix64::new(seed);
    let mut values = vec![0u32; n * n];
    for _ in 0..count {
        let (i, j) = (rng.below(n as u64) as usize, rng.below(n as u64) as usize);
        let v = 1 + rng.poisson(0.7) + u32::from(rng.unit() < 0.02) * 1_000_000;
        values[i * n + j] = v;
        if symmetric {
            values[j * n + i] = v;
        }
    }
    values
}

#[test]
fn very_sparse_tiles_are_sparse_lists() {
    // At most one cell in 256 non-zero: modes 3 (every cell) and 4 (upper triangle).
    for (symmetric, mode) in [(false, 3), (true, 4)] {
        let n = 128;
        let layout = if symmetric { TileLayout::SymmetricDiagonal } else { TileLayout::OffDiagonal };
        let payload = tile(n, n, layout, scattered(n, 30, symmetric, 21)).round_trip();
        assert_eq!(payload[1], mode);
        // A few bytes per non-zero, nothing per cell.
        assert!(payload.len() < 30 * 4, "{} bytes", payload.len());
    }
    // Last cell, first cell, a single row and a single column.
    for (rows, cols) in [(1, 300), (300, 1), (17, 33)] {
        let mut values = vec![0u32; rows * cols];
        values[0] = 5;
        values[rows * cols - 1] = u32::MAX;
        let payload = tile(rows, cols, TileLayout::OffDiagonal, values).round_trip();
        assert_eq!(payload[1], 3);
    }
}

#[test]
fn sparse_tiles_choose_between_the_list_and_the_walk() {
    // Between one cell in 256 and one in 16 non-zero, both are tried; every density round-trips.
    let n = 96;
    for count in [40, 100, 300, 560] {
        for symmetric in [false, true] {
            let layout = if symmetric { TileLayout::SymmetricDiagonal } else { TileLayout::OffDiagonal };
            let payload = tile(n, n, layout, scattered(n, count, symmetric, count as u64)).round_trip();
            assert!((1..=4).contains(&payload[1]), "mode {}", payload[1]);
        }
    }
}

#[test]
fn a_symmetric_layout_on_an_asymmetric_tile_codes_it_whole() {
    let values: Vec<u32> = (0..36).map(|k| k * 3 + 1).collect();
    let payload = tile(6, 6, TileLayout::SymmetricDiagonal, values).round_trip();
    assert_eq!(payload[1], 1, "mode");
}

#[test]
fn a_symmetric_tile_stores_its_upper_triangle_only() {
    let n = 64;
    let values = contact_map(n, 500.0, 3);
    let sym = tile(n, n, TileLayout::SymmetricDiagonal, values.clone()).round_trip();
    let whole = tile(n, n, TileLayout::OffDiagonal, values).round_trip();
    assert_eq!(sym[1], 2, "mode");
    assert!(sym.len() * 10 < whole.len() * 7, "symmetric {} vs whole {}", sym.len(), whole.len());
}

#[test]
fn bad_shapes_are_refused() {
    let mut out = Vec::new();
    assert!(matches!(encode(&[], 0, 1, TileLayout::OffDiagonal, &mut out), Err(RansError::BadShape { .. })));
    assert!(matches!(
        encode(&[1, 2, 3], 2, 2, TileLayout::OffDiagonal, &mut out),
        Err(RansError::BadLength { .. })
    ));
    let mut buf = vec![0; 4097];
    assert!(matches!(decode(&[1, 0], 4097, 1, &mut buf), Err(RansError::BadShape { .. })));
    assert!(matches!(decode(&[1, 2], 2, 1, &mut buf[..2]), Err(RansError::ShapeMismatch { .. })));
}

/// Every 256² upper tile of each shared matrix's first 512 rows (diagonal tiles by their upper
/// triangle), and a border strip, round-trip; skipped with a printed reason without the data.
#[test]
fn real_tiles_round_trip() {
    for name in ["gm12878_rao2014_2500kb", "yeast_10kb", "yeast_duan2009_10kb", "mouse_mm9_chr1_20kb"] {
        let Some((values, rows, n)) = real(name, 512) else { continue };
        let size = 256;
        for ti in 0..rows.div_ceil(size) {
            for tj in ti..n.div_ceil(size).min(ti + 3) {
                let (r0, c0) = (ti * size, tj * size);
                let (h, w) = (size.min(rows - r0), size.min(n - c0));
                let cut: Vec<u32> =
                    (r0..r0 + h).flat_map(|r| values[r * n + c0..r * n + c0 + w].iter().copied()).collect();
                let layout = if ti == tj { TileLayout::SymmetricDiagonal } else { TileLayout::OffDiagonal };
                tile(h, w, layout, cut).round_trip();
            }
        }
    }
}

/// `(row-major index, count)` of a tile's non-zero cells.
fn cells_of(values: &[u32]) -> Vec<(u32, u32)> {
    values.iter().enumerate().filter(|&(_, &v)| v != 0).map(|(i, &v)| (i as u32, v)).collect()
}

#[test]
fn very_sparse_tiles_encode_from_their_cells_to_the_same_bytes() {
    let mut rng = SplitMix64::new(0xce11);
    let mut from_cells = 0;
    for round in 0..80 {
        let rows = 1 + rng.below(300) as usize;
        let cols = if round % 2 == 0 { rows } else { 1 + rng.below(300) as usize };
        let mut values = vec![0u32; rows * cols];
        // Up to twice the list-only bound (one cell in 64), so both answers occur.
        let wanted = rng.below((rows * cols / 32 + 1) as u64) as usize;
        for _ in 0..wanted {
            let (i, j) = (rng.below(rows as u64) as usize, rng.below(cols as u64) as usize);
            let v = 1 + rng.poisson([0.5, 30.0, 1e6][round % 3]);
            values[i * cols + j] = v;
            if rows == cols && round % 4 == 0 {
                values[j * cols + i] = v;
            }
        }
        for layout in [TileLayout::SymmetricDiagonal, TileLayout::OffDiagonal] {
            let (mut dense, mut sparse) = (Vec::new(), Vec::new());
            encode(&values, rows, cols, layout, &mut dense).unwrap();
            let cells = cells_of(&values);
            if gzcm_rans::encode_cells(&cells, rows, cols, layout, &mut sparse).unwrap() {
                assert_eq!(sparse, dense, "{rows}x{cols} {layout:?}, {} cells", cells.len());
                from_cells += 1;
            } else {
                assert!(sparse.is_empty() && cells.len() * 64 > rows * cols, "{} cells", cells.len());
            }
        }
    }
    assert!(from_cells > 40, "only {from_cells} tiles were coded from their cells");
}

#[test]
fn a_bad_list_of_cells_is_refused() {
    let mut out = Vec::new();
    let bad = |cells: &[(u32, u32)], out: &mut Vec<u8>| {
        gzcm_rans::encode_cells(cells, 4, 4, TileLayout::OffDiagonal, out)
    };
    for (cells, reason) in [
        (&[(16, 1)][..], "outside the tile"),
        (&[(3, 1), (3, 2)][..], "strictly ascend"),
        (&[(5, 1), (2, 2)][..], "strictly ascend"),
        (&[(1, 0)][..], "zero"),
    ] {
        let message = bad(cells, &mut out).unwrap_err().to_string();
        assert!(message.contains(reason), "{message}");
    }
    assert!(out.is_empty());
    assert!(matches!(
        gzcm_rans::encode_cells(&[], 0, 4, TileLayout::OffDiagonal, &mut out),
        Err(RansError::BadShape { .. })
    ));
}
