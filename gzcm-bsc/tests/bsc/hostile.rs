//! A decoder is an attack surface: truncated, corrupted, garbage and lying
//! payloads must give `Ok` (of exactly the expected length) or `Err`, never a
//! panic or a hang.

use crate::common;

use gzcm_bsc::{BscError, compress, decompress};
use gzcm_test_support::SplitMix64;
use proptest::prelude::*;

/// Decodes and checks the only two acceptable outcomes.
fn must_not_panic(payload: &[u8], expected_len: usize) -> Result<(), BscError> {
    let mut out = vec![9u8; 3];
    let res = decompress(payload, expected_len, &mut out);
    match &res {
        Ok(()) => assert_eq!(out.len(), 3 + expected_len, "Ok must append exactly expected_len"),
        Err(e) => {
            assert_eq!(out, [9, 9, 9], "Err must leave out untouched");
            let msg = e.to_string();
            assert_eq!(msg, msg.to_lowercase(), "messages are lowercase");
        }
    }
    res
}

/// A real 256×256 tile when the shared data exists, else a synthetic one.
fn sample_tile() -> Vec<u8> {
    let real = common::load("yeast_duan2009_10kb", 256).and_then(|m| common::cut(&m, 256, 0, 0));
    match real {
        Some(tile) => tile.bytes,
        None => common::cut(&common::synthetic(256, 3), 256, 0, 0).unwrap().bytes,
    }
}

/// The top-left 64×64 cells of a 256×256 tile (a small tile: cheap to decode
/// thousands of times in a debug build).
fn small_tile() -> Vec<u8> {
    let big = sample_tile();
    (0..64).flat_map(|r| big[r * 1024..r * 1024 + 256].to_vec()).collect()
}

fn compressed(data: &[u8]) -> Vec<u8> {
    let mut p = Vec::new();
    compress(data, &mut p).unwrap();
    p
}

#[test]
fn every_prefix_of_a_small_real_tile() {
    let data = small_tile();
    let payload = compressed(&data);
    assert!(payload.len() < data.len(), "the tile compresses");
    for cut in 0..payload.len() {
        let _ = must_not_panic(&payload[..cut], data.len());
    }
    assert!(must_not_panic(&payload[..0], data.len()).is_err());
    assert!(must_not_panic(&payload[..2], data.len()).is_err());
}

#[test]
fn strided_prefixes_of_a_full_tile() {
    let data = sample_tile();
    let payload = compressed(&data);
    for cut in (0..payload.len()).step_by(payload.len() / 40 + 1) {
        let _ = must_not_panic(&payload[..cut], data.len());
    }
}

#[test]
fn random_byte_flips() {
    let data = small_tile();
    let payload = compressed(&data);
    let mut rng = SplitMix64::new(99);
    for _ in 0..400 {
        let mut bad = payload.clone();
        for _ in 0..1 + rng.next_u64() % 3 {
            let i = (rng.next_u64() % bad.len() as u64) as usize;
            bad[i] ^= 1 << (rng.next_u64() % 8);
        }
        let _ = must_not_panic(&bad, data.len());
    }
}

#[test]
fn headers_that_lie() {
    let data = small_tile();
    let n = data.len();
    let payload = compressed(&data);
    assert_eq!(payload[1], 2, "real tiles use the plane method");
    // Stored method claiming the whole tile with too few bytes.
    assert!(matches!(must_not_panic(&[1, 0, 1, 2, 3], n), Err(BscError::LengthMismatch { .. })));
    // Unknown version / method.
    assert!(matches!(must_not_panic(&[2, 1, 0], n), Err(BscError::UnsupportedVersion { .. })));
    assert!(matches!(must_not_panic(&[1, 9, 0], n), Err(BscError::UnknownMethod { .. })));
    // Primary index 0, past the end, and an over-long varint.
    let mut len = Vec::new();
    let mut v = n;
    while v >= 0x80 {
        len.push(v as u8 | 0x80);
        v >>= 7;
    }
    len.push(v as u8);
    for primary in [vec![0u8], vec![0xFF, 0xFF, 0xFF, 0x7F], vec![0xFF; 9]] {
        let mut bad = vec![1, 1];
        bad.extend(&len);
        bad.extend(primary);
        bad.extend(&payload[2 + len.len() + 3..]);
        assert!(must_not_panic(&bad, n).is_err());
    }
    // Plane mask with impossible bits, or for a length that is not a multiple of 4.
    let mut bad = payload.clone();
    assert_eq!(bad[2 + len.len()] & 0x88, 0, "plane 3 is all zero in this tile");
    bad[2 + len.len()] |= 0x80; // "plane 3 raw" while plane 3 is not kept
    assert!(must_not_panic(&bad, n).is_err());
    assert!(matches!(must_not_panic(&payload, n - 1), Err(BscError::LengthMismatch { .. })));
    let mut bad = vec![1, 2, 7, 0, 0, 0, 0];
    assert!(matches!(must_not_panic(&bad, 7), Err(BscError::Corrupt { .. })));
    // A zero-plane mask with a body left over.
    bad = vec![1, 2];
    bad.extend(&len);
    bad.extend([0, 5]);
    assert!(matches!(must_not_panic(&bad, n), Err(BscError::TrailingBytes { .. })));
    // BWT method for an empty block.
    assert!(must_not_panic(&[1, 1, 0, 1, 0x80], 0).is_err());
    // The right payload with extra bytes after it.
    let mut long = payload.clone();
    long.extend([0x55; 8]);
    assert!(must_not_panic(&long, n).is_err());
}

#[test]
fn all_zero_run_claims_are_bounded() {
    // A body of 0xFF decodes to long runs; they must not overrun the block.
    for method in [1u8, 2] {
        let mut bad = vec![1, method, 0x80, 0x20]; // n = 4096
        if method == 2 {
            bad.push(0x0F);
        }
        bad.push(5);
        bad.extend([0xFF; 64]);
        let _ = must_not_panic(&bad, 4096);
        let mut zeros = bad.clone();
        zeros.truncate(bad.len() - 64);
        zeros.extend([0u8; 64]);
        let _ = must_not_panic(&zeros, 4096);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn garbage_payloads(body in proptest::collection::vec(any::<u8>(), 0..300),
                        method in 0u8..4, len in 0usize..5000) {
        let mut payload = vec![1, method];
        payload.extend(body);
        let _ = must_not_panic(&payload, len);
    }

    #[test]
    fn raw_garbage(payload in proptest::collection::vec(any::<u8>(), 0..64), len in 0usize..600) {
        let _ = must_not_panic(&payload, len);
    }
}

#[test]
fn a_huge_expected_length_fails_before_any_work() {
    let payload = compressed(&small_tile());
    for huge in [1usize << 30, gzcm_bsc::MAX_INPUT_LEN, gzcm_bsc::MAX_INPUT_LEN + 1] {
        assert!(must_not_panic(&payload, huge).is_err());
    }
}
