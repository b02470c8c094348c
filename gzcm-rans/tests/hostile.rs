//! The decoder turns truncated, corrupted and random bytes into errors or some counts, never a
//! panic or a hang; buffers come from the caller's shape only.

mod common;

use common::{Tile, real_corner, synthetic, tiles_of};
use gzcm_rans::{TileLayout, decode};
use gzcm_test_support::SplitMix64;
use proptest::prelude::*;

/// Realistic payloads: synthetic tiles of both modes, and a real corner when present.
fn payloads() -> Vec<(Vec<u8>, usize, usize)> {
    let n = 48;
    let values = synthetic(n, 800.0, 11);
    let mut tiles = tiles_of(&values, n, 32);
    tiles.push(Tile {
        rows: 20,
        cols: n,
        layout: TileLayout::OffDiagonal,
        values: values[..20 * n].to_vec(),
    });
    // Sparse lists (version 3), of every cell and of an upper triangle.
    for layout in [TileLayout::OffDiagonal, TileLayout::SymmetricDiagonal] {
        let mut sparse = vec![0u32; 40 * 40];
        for (k, (i, j)) in [(0, 0), (3, 17), (17, 3), (39, 39), (12, 30), (30, 12)].into_iter().enumerate() {
            sparse[i * 40 + j] = 1 + k as u32 * 7;
            sparse[j * 40 + i] = 1 + k as u32 * 7;
        }
        tiles.push(Tile { rows: 40, cols: 40, layout, values: sparse });
    }
    tiles.extend(real_corner("yeast_duan2009_10kb", 40));
    tiles.iter().map(|t| (t.round_trip(), t.rows, t.cols)).collect()
}

#[test]
fn every_prefix_and_a_trailing_byte_are_errors() {
    for (payload, rows, cols) in payloads() {
        let mut out = vec![0; rows * cols];
        for len in 0..payload.len() {
            assert!(
                decode(&payload[..len], rows, cols, &mut out).is_err(),
                "prefix {len} of {}",
                payload.len()
            );
        }
        let mut longer = payload.clone();
        longer.push(0);
        assert!(decode(&longer, rows, cols, &mut out).is_err(), "trailing byte accepted");
    }
}

#[test]
fn flipped_bits_never_panic_and_are_mostly_caught() {
    let mut rng = SplitMix64::new(0xf11b);
    let (mut tried, mut caught) = (0, 0);
    for (payload, rows, cols) in payloads() {
        let mut out = vec![0; rows * cols];
        for _ in 0..300 {
            let mut bad = payload.clone();
            let at = rng.below(bad.len() as u64) as usize;
            bad[at] ^= 1 << rng.below(8);
            tried += 1;
            caught += usize::from(decode(&bad, rows, cols, &mut out).is_err());
        }
    }
    // The end-of-stream state check catches nearly every flip; some in side values may not be.
    assert!(caught * 10 >= tried * 9, "{caught} of {tried} flips caught");
}

#[test]
fn wrong_shapes_are_errors_or_counts() {
    for (payload, rows, cols) in payloads() {
        for (r, c) in [(rows + 1, cols), (rows, cols.saturating_sub(1).max(1)), (1, 1), (256, 256)] {
            let mut out = vec![0; r * c];
            let _ = decode(&payload, r, c, &mut out);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(
        body in proptest::collection::vec(any::<u8>(), 0..600),
        version in 1u8..=4,
        mode in 0u8..6,
        rows in 1usize..80,
        cols in 1usize..80,
    ) {
        let mut payload = vec![version, mode];
        payload.extend(body);
        let mut out = vec![0; rows * cols];
        let _ = decode(&payload, rows, cols, &mut out);
        let mut square = vec![0; rows * rows];
        let _ = decode(&payload, rows, rows, &mut square);
    }

    #[test]
    fn spliced_payloads_never_panic(cut in 2usize..400, junk in proptest::collection::vec(any::<u8>(), 0..64)) {
        for (payload, rows, cols) in payloads().into_iter().take(2) {
            let mut bad = payload[..cut.min(payload.len())].to_vec();
            bad.extend(&junk);
            let mut out = vec![0; rows * cols];
            let _ = decode(&bad, rows, cols, &mut out);
        }
    }
}
