//! Round trips: edge sizes, synthetic patterns, and real Hi-C tiles.

use crate::common;

use crate::common::MATRICES;
use gzcm_bsc::{BscError, Options, compress, compress_with, decompress};
use gzcm_test_support::SplitMix64;
use proptest::prelude::*;

/// Compresses, checks the payload decodes back exactly, returns its size.
fn round_trip(input: &[u8]) -> usize {
    let mut payload = Vec::new();
    compress(input, &mut payload).expect("compress");
    let mut out = b"prefix".to_vec();
    decompress(&payload, input.len(), &mut out).expect("decompress");
    assert_eq!(&out[..6], b"prefix", "output is appended, not overwritten");
    assert!(out[6..] == *input, "round trip differs (len {})", input.len());
    payload.len()
}

#[test]
fn empty_input_is_two_header_bytes() {
    assert_eq!(round_trip(&[]), 2);
}

#[test]
fn tiny_inputs_round_trip() {
    for len in 1..=40 {
        round_trip(&vec![0u8; len]);
        round_trip(&SplitMix64::new(len as u64).bytes(len));
    }
}

#[test]
fn all_zero_tile_is_almost_free() {
    let size = round_trip(&vec![0u8; 256 * 256 * 4]);
    assert!(size <= 8, "{size} bytes for an all-zero tile");
}

#[test]
fn random_bytes_fall_back_to_stored() {
    let data = SplitMix64::new(7).bytes(256 * 1024);
    assert_eq!(round_trip(&data), data.len() + 2);
}

#[test]
fn repetitive_data_shrinks_a_lot() {
    let data: Vec<u8> = b"contact matrix tile ".iter().copied().cycle().take(200_000).collect();
    let size = round_trip(&data);
    assert!(size < 200, "{size} bytes");
}

#[test]
fn lengths_that_are_not_multiples_of_four() {
    let cells: Vec<u8> = (0..5000u32).flat_map(|i| (i % 97 * (i % 5)).to_le_bytes()).collect();
    for len in [1, 2, 3, 5, 6, 7, 1023, 4097, 19_999] {
        round_trip(&cells[..len]);
    }
}

#[test]
fn large_counts_keep_all_four_planes() {
    let cells: Vec<u8> =
        (0..65_536u32).flat_map(|i| i.wrapping_mul(2_654_435_761).rotate_left(i % 7).to_le_bytes()).collect();
    round_trip(&cells);
}

#[test]
fn wrong_expected_length_is_an_error() {
    let cells: Vec<u8> = (0..4096u32).flat_map(|i| (i % 10).to_le_bytes()).collect();
    let mut payload = Vec::new();
    compress(&cells, &mut payload).unwrap();
    for wrong in [0, 4, cells.len() - 4, cells.len() + 4, cells.len() + 1] {
        let mut out = Vec::new();
        assert!(decompress(&payload, wrong, &mut out).is_err(), "len {wrong}");
        assert!(out.is_empty(), "output untouched on error");
    }
    let mut stored = Vec::new();
    compress(&[1, 2, 3], &mut stored).unwrap();
    assert_eq!(
        decompress(&stored, 4, &mut Vec::new()),
        Err(BscError::LengthMismatch { expected: 4, found: 3 })
    );
}

#[test]
fn synthetic_power_law_tiles_round_trip() {
    let m = common::synthetic(512, 11);
    for tile in common::tiles(&m, 256) {
        let size = round_trip(&tile.bytes);
        assert!(size < tile.bytes.len() / 3, "tile ({}, {}) {size}", tile.ti, tile.tj);
    }
}

/// A few tiles of every shared matrix (first tile row only: debug builds are slow).
#[test]
fn real_tiles_round_trip() {
    for name in MATRICES.iter().chain(&["gm12878_chr22_250kb_KR", "gm12878_chr22_x_250kb_inter"]) {
        let Some(m) = common::load(name, 256) else {
            continue;
        };
        let n_cols = m.cols.div_ceil(256);
        for tj in [0, 1, n_cols - 1] {
            let Some(tile) = common::cut(&m, 256, 0, tj.min(n_cols - 1)) else {
                continue;
            };
            let size = round_trip(&tile.bytes);
            assert!(size < tile.bytes.len(), "{name} tile {tj}: {size}");
            // The same bytes less one: exercises the non-plane path on real data.
            round_trip(&tile.bytes[..tile.bytes.len() - 1]);
        }
    }
}

/// Options steer the encoder only: every setting's payload decodes alike,
/// and demanding a bigger saving can only store more planes raw.
#[test]
fn options_change_size_not_decodability() {
    let mut rng = SplitMix64::new(21);
    let cells: Vec<u8> = (0..65_536u32)
        .flat_map(|i| (((i % 256) << 8) | (rng.next_u64() as u32 & 0xFF)).to_le_bytes())
        .collect();
    let mut sizes = Vec::new();
    for fraction in [0.0, 1.0 / 32.0, 0.125, 1.0] {
        let mut payload = Vec::new();
        compress_with(&cells, Options::default().with_min_plane_saving(fraction), &mut payload).unwrap();
        let mut back = Vec::new();
        decompress(&payload, cells.len(), &mut back).unwrap();
        assert_eq!(back, cells);
        sizes.push(payload.len());
    }
    assert!(sizes.windows(2).all(|w| w[0] <= w[1]), "{sizes:?}");
    assert_eq!(Options::default(), Options::default().with_min_plane_saving(1.0 / 32.0));
}

/// The KR-balanced matrix holds floats: code its f32 bits, not rounded counts.
#[test]
fn real_float_tile_round_trips() {
    let Some(m) = common::load("gm12878_chr22_250kb_KR", 256) else {
        return;
    };
    let bytes: Vec<u8> = m.cells.iter().flat_map(|v| v.to_le_bytes()).collect();
    round_trip(&bytes);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_bytes_round_trip(data in proptest::collection::vec(any::<u8>(), 0..3000)) {
        round_trip(&data);
    }

    #[test]
    fn small_counts_round_trip(cells in proptest::collection::vec(0u32..300, 0..2000)) {
        let bytes: Vec<u8> = cells.iter().flat_map(|v| v.to_le_bytes()).collect();
        round_trip(&bytes);
    }
}
