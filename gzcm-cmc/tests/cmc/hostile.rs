//! Decoders must turn truncated, corrupted and random bytes into errors of a payload kind (or, for
//! a payload that still parses, some counts in the caller's buffer), never panics or hangs.

use crate::common;

use gzcm_cmc::{CmcError, TileLayout, decode, encode, inverse_transform, transform};
use gzcm_test_support::SplitMix64;

type Decoder = fn(&[u8], usize, usize, &mut [u32]) -> Result<(), gzcm_cmc::CmcError>;

/// A small realistic tile: a corner of the synthetic matrix, or of a real one when present.
fn sample_tiles() -> Vec<(Vec<u32>, usize, usize, TileLayout)> {
    let n = 24;
    let m = common::synthetic(n, 300.0, 17);
    let mut tiles = vec![(m.values.clone(), n, n, TileLayout::SymmetricDiagonal)];
    let rect: Vec<u32> = m.values[..10 * n].to_vec();
    tiles.push((rect, 10, n, TileLayout::OffDiagonal));
    if let Some(real) = common::load("yeast_duan2009_10kb", 40) {
        let corner: Vec<u32> =
            (0..40).flat_map(|r| real.values[r * real.n..r * real.n + 40].to_vec()).collect();
        tiles.push((corner, 40, 40, TileLayout::SymmetricDiagonal));
    }
    tiles
}

fn payloads() -> Vec<(Vec<u8>, Vec<u8>, usize, usize)> {
    sample_tiles()
        .into_iter()
        .map(|(v, rows, cols, layout)| {
            let (mut cmc, mut tr) = (Vec::new(), Vec::new());
            encode(&v, rows, cols, layout, &mut cmc).unwrap();
            transform(&v, rows, cols, layout, &mut tr).unwrap();
            (cmc, tr, rows, cols)
        })
        .collect()
}

/// Checks the outcome of decoding a hostile payload into a buffer of a valid shape: decoded
/// (the call returned and filled the caller's buffer), or refused for the payload's sake with a
/// consistent error, never blamed on the caller's valid shape and buffer. `true` when refused.
fn refused(result: Result<(), CmcError>, rows: usize, cols: usize, what: &dyn Fn() -> String) -> bool {
    match result {
        Ok(()) => false,
        Err(CmcError::Truncated { needed, available }) => {
            assert!(needed > available, "{}: truncated, needing {needed} of {available}", what());
            true
        }
        Err(CmcError::UnsupportedVersion { found, supported }) => {
            assert_ne!(found, supported, "{}", what());
            true
        }
        Err(CmcError::ShapeMismatch { rows: r, cols: c }) => {
            assert_eq!((r, c), (rows, cols), "{}: the mismatch names the caller's shape", what());
            assert_ne!(r, c, "{}: a square shape cannot mismatch a symmetric payload", what());
            true
        }
        Err(CmcError::Corrupt { reason }) => {
            assert!(!reason.is_empty(), "{}", what());
            true
        }
        // BadShape, BadLength: the shape and buffer are valid, so these would be wrong.
        Err(e) => panic!("{}: a valid {rows}x{cols} buffer refused: {e}", what()),
    }
}

#[test]
fn every_prefix_is_an_error() {
    for (cmc, tr, rows, cols) in payloads() {
        let mut out = vec![0; rows * cols];
        for (bytes, dec) in [(&cmc, decode as Decoder), (&tr, inverse_transform)] {
            assert!(dec(bytes, rows, cols, &mut out).is_ok());
            for len in 0..bytes.len() {
                let result = dec(&bytes[..len], rows, cols, &mut out);
                let what = || format!("prefix {len} of {}", bytes.len());
                assert!(refused(result, rows, cols, &what), "{} decoded", what());
            }
            let mut longer = bytes.clone();
            longer.push(0);
            let result = dec(&longer, rows, cols, &mut out);
            assert!(
                matches!(result, Err(CmcError::Corrupt { .. })),
                "a trailing byte gives a corrupt-payload error: {result:?}"
            );
        }
    }
}

#[test]
fn flipped_bytes_are_refused_or_decoded() {
    let mut rng = SplitMix64::new(0xf1195);
    let (mut tried, mut caught) = (0, 0);
    for (cmc, tr, rows, cols) in payloads() {
        let mut out = vec![0; rows * cols];
        for (bytes, dec) in [(&cmc, decode as Decoder), (&tr, inverse_transform)] {
            for _ in 0..400 {
                let mut bad = bytes.clone();
                let flips = 1 + rng.below(3);
                for _ in 0..flips {
                    let at = rng.below(bad.len() as u64) as usize;
                    bad[at] ^= 1 << rng.below(8);
                }
                tried += 1;
                caught += usize::from(refused(dec(&bad, rows, cols, &mut out), rows, cols, &|| {
                    format!("{flips} flips in {} bytes", bytes.len())
                }));
            }
        }
    }
    // The decoders' consistency checks refuse well over half (58 % with the shared data); a
    // flip in a count's low bits can still decode, to other counts of the same shape.
    assert!(caught * 3 >= tried, "only {caught} of {tried} flipped payloads refused");
}

#[test]
fn random_garbage_is_refused_or_decoded() {
    let mut rng = SplitMix64::new(0x6a7b);
    for _ in 0..600 {
        let rows = 1 + rng.below(48) as usize;
        let cols = if rng.below(2) == 0 { rows } else { 1 + rng.below(48) as usize };
        let len = rng.below(300) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        // Mostly valid headers, so the garbage reaches the body decoders.
        if len >= 2 && rng.below(4) != 0 {
            bytes[0] = 1;
            bytes[1] = rng.below(3) as u8;
        }
        let mut out = vec![0; rows * cols];
        for dec in [decode as Decoder, inverse_transform] {
            let result = dec(&bytes, rows, cols, &mut out);
            // The header is two bytes: version 1, then the walk.
            match bytes[..] {
                [] | [_] => {
                    assert!(matches!(result, Err(CmcError::Truncated { .. })), "{len} bytes: {result:?}")
                }
                [version, ..] if version != 1 => assert!(
                    matches!(result, Err(CmcError::UnsupportedVersion { found, .. }) if found == version),
                    "version {version}: {result:?}"
                ),
                _ => {
                    refused(result, rows, cols, &|| format!("{len} garbage bytes as {rows}x{cols}"));
                }
            }
        }
    }
}

#[test]
fn a_wrong_shape_is_refused_or_decoded() {
    for (cmc, tr, rows, cols) in payloads() {
        // Byte 1 of an `encode` payload is its walk: 2 is the symmetric (square-only) one.
        let symmetric = cmc[1] == 2;
        for (r, c) in [(rows + 1, cols), (rows, cols + 3), (1, 1), (cols, rows), (300, 300)] {
            let mut out = vec![0; r * c];
            let what = || format!("{rows}x{cols} payload as {r}x{c}");
            let result = decode(&cmc, r, c, &mut out);
            if symmetric && r != c {
                assert!(matches!(result, Err(CmcError::ShapeMismatch { .. })), "{}: {result:?}", what());
            }
            refused(result, r, c, &what);
            refused(inverse_transform(&tr, r, c, &mut out), r, c, &what);
        }
    }
}

#[test]
fn hostile_plane_counts_are_refused() {
    // Transform payload: full walk, no masks, first diagonal claims 33 planes.
    let mut out = [0u32; 1];
    let result = inverse_transform(&[1, 1, 0, 33, 0xFF], 1, 1, &mut out);
    assert!(matches!(result, Err(CmcError::Corrupt { .. } | CmcError::Truncated { .. })), "{result:?}");
    // A maximal tile of garbage still decodes (or fails) in bounded time.
    let garbage: Vec<u8> = (0..2000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let mut big = vec![0u32; 512 * 512];
    let mut bytes = vec![1, 1];
    bytes.extend(&garbage);
    refused(decode(&bytes, 512, 512, &mut big), 512, 512, &|| "garbage as 512x512".into());
    bytes[1] = 2;
    let mut square = vec![0u32; 200 * 200];
    refused(decode(&bytes, 200, 200, &mut square), 200, 200, &|| "garbage as 200x200".into());
}

/// Larger tiles than [`payloads`], mutated three ways (cut short, one byte replaced, the tail
/// after the header overwritten), for both decoders. A few hundred cases stay quick in a debug
/// build; `scripts/fuzz decode_tile` (cargo-fuzz, from the committed cmc seeds) goes further.
#[test]
fn mutated_larger_tiles_are_refused_or_decoded() {
    let mut rng = SplitMix64::new(0x10_f022);
    let m = common::synthetic(128, 800.0, 23);
    let sources = [
        (m.values.clone(), 128, 128, TileLayout::SymmetricDiagonal),
        (m.values[..60 * 128].to_vec(), 60, 128, TileLayout::OffDiagonal),
    ];
    for (values, rows, cols, layout) in sources {
        let (mut cmc, mut tr) = (Vec::new(), Vec::new());
        encode(&values, rows, cols, layout, &mut cmc).unwrap();
        transform(&values, rows, cols, layout, &mut tr).unwrap();
        let mut out = vec![0; rows * cols];
        for (bytes, dec) in [(&cmc, decode as Decoder), (&tr, inverse_transform)] {
            for case in 0..150 {
                let mut bad = bytes.clone();
                match case % 3 {
                    0 => bad.truncate(rng.below(bad.len() as u64) as usize),
                    1 => {
                        let at = rng.below(bad.len() as u64) as usize;
                        bad[at] = rng.next_u64() as u8;
                    }
                    _ => {
                        let at = 2 + rng.below(bad.len() as u64 - 2) as usize;
                        bad[at..].iter_mut().for_each(|b| *b = rng.next_u64() as u8);
                    }
                }
                let result = dec(&bad, rows, cols, &mut out);
                let what = || format!("case {case} of a {rows}x{cols} payload");
                let was_refused = refused(result, rows, cols, &what);
                assert!(was_refused || case % 3 != 0, "{}: a cut payload decoded", what());
            }
        }
    }
}
