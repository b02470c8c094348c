//! The decoder turns truncated, corrupted and random bytes into errors of a payload kind or some
//! counts in the caller's buffer, never a panic or a hang; buffers come from the caller's shape
//! only.

use crate::common::{Tile, real_corner, tiles_of};
use gzcm_rans::{RansError, TileLayout, decode};
use gzcm_test_support::{SplitMix64, contact_map};
use proptest::prelude::*;

/// Realistic payloads: synthetic tiles of both modes, and a real corner when present.
fn payloads() -> Vec<(Vec<u8>, usize, usize)> {
    let n = 48;
    let values = contact_map(n, 800.0, 11);
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

/// Checks the outcome of decoding a hostile payload into a buffer of a valid shape: decoded
/// (the call returned and filled the caller's buffer), or refused for the payload's sake with a
/// consistent error, never blamed on the caller's valid shape and buffer. `true` when refused.
fn refused(result: Result<(), RansError>, rows: usize, cols: usize, what: &dyn Fn() -> String) -> bool {
    match result {
        Ok(()) => false,
        Err(RansError::Truncated { needed, available }) => {
            assert!(needed > available, "{}: truncated, needing {needed} of {available}", what());
            true
        }
        Err(RansError::UnsupportedVersion { found, supported }) => {
            assert!(found == 0 || found > supported, "{}: version {found} of 1..={supported}", what());
            true
        }
        Err(RansError::ShapeMismatch { rows: r, cols: c }) => {
            assert_eq!((r, c), (rows, cols), "{}: the mismatch names the caller's shape", what());
            assert_ne!(r, c, "{}: a square shape cannot mismatch a symmetric payload", what());
            true
        }
        Err(RansError::Corrupt { reason }) => {
            assert!(!reason.is_empty(), "{}", what());
            true
        }
        // BadShape, BadLength: the shape and buffer are valid, so these would be wrong.
        Err(e) => panic!("{}: a valid {rows}x{cols} buffer refused: {e}", what()),
    }
}

#[test]
fn every_prefix_and_a_trailing_byte_are_errors() {
    for (payload, rows, cols) in payloads() {
        let mut out = vec![0; rows * cols];
        for len in 0..payload.len() {
            let result = decode(&payload[..len], rows, cols, &mut out);
            let what = || format!("prefix {len} of {}", payload.len());
            assert!(refused(result, rows, cols, &what), "{} decoded", what());
        }
        let mut longer = payload.clone();
        longer.push(0);
        let result = decode(&longer, rows, cols, &mut out);
        assert!(refused(result, rows, cols, &|| "a trailing byte".into()), "trailing byte accepted");
    }
}

#[test]
fn flipped_bits_are_mostly_caught_and_never_panic() {
    let mut rng = SplitMix64::new(0xf11b);
    let (mut tried, mut caught) = (0, 0);
    for (payload, rows, cols) in payloads() {
        let mut out = vec![0; rows * cols];
        for _ in 0..300 {
            let mut bad = payload.clone();
            let at = rng.below(bad.len() as u64) as usize;
            bad[at] ^= 1 << rng.below(8);
            tried += 1;
            let result = decode(&bad, rows, cols, &mut out);
            caught += usize::from(refused(result, rows, cols, &|| format!("byte {at} flipped")));
        }
    }
    // The end-of-stream state check catches nearly every flip; some in side values may not be.
    assert!(caught * 10 >= tried * 9, "{caught} of {tried} flips caught");
}

#[test]
fn wrong_shapes_are_refused_or_decoded() {
    for (payload, rows, cols) in payloads() {
        // Byte 1 is the mode: 2 (symmetric walk) and 4 (upper-triangle list) need a square.
        let square_only = matches!(payload[1], 2 | 4);
        for (r, c) in [(rows + 1, cols), (rows, cols.saturating_sub(1).max(1)), (1, 1), (256, 256)] {
            let mut out = vec![0; r * c];
            let result = decode(&payload, r, c, &mut out);
            let what = || format!("{rows}x{cols} mode {} payload as {r}x{c}", payload[1]);
            if square_only && r != c {
                assert!(matches!(result, Err(RansError::ShapeMismatch { .. })), "{}: {result:?}", what());
            }
            refused(result, r, c, &what);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_are_refused_or_decoded(
        body in proptest::collection::vec(any::<u8>(), 0..600),
        version in 1u8..=4,
        mode in 0u8..6,
        rows in 1usize..80,
        cols in 1usize..80,
    ) {
        let mut payload = vec![version, mode];
        payload.extend(body);
        let what = || format!("version {version} mode {mode}, {} bytes", payload.len());
        let mut out = vec![0; rows * cols];
        refused(decode(&payload, rows, cols, &mut out), rows, cols, &what);
        let mut square = vec![0; rows * rows];
        refused(decode(&payload, rows, rows, &mut square), rows, rows, &what);
    }

    #[test]
    fn spliced_payloads_are_refused_or_decoded(
        cut in 2usize..400,
        junk in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        for (payload, rows, cols) in payloads().into_iter().take(2) {
            let mut bad = payload[..cut.min(payload.len())].to_vec();
            bad.extend(&junk);
            let mut out = vec![0; rows * cols];
            refused(decode(&bad, rows, cols, &mut out), rows, cols, &|| format!("cut at {cut}"));
        }
    }

    #[test]
    fn unknown_versions_are_refused_by_number(version in prop_oneof![Just(0u8), 5u8..], mode in 0u8..6) {
        let mut out = vec![0; 16];
        let result = decode(&[version, mode, 0, 0], 4, 4, &mut out);
        prop_assert!(
            matches!(result, Err(RansError::UnsupportedVersion { found, .. }) if found == version),
            "{result:?}"
        );
    }
}
