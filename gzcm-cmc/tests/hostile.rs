//! Decoders must turn truncated, corrupted and random bytes into errors, never panics or hangs.

mod common;

use common::Rng;
use gzcm_cmc::{TileLayout, decode, encode, inverse_transform, transform};

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

#[test]
fn every_prefix_is_an_error() {
    for (cmc, tr, rows, cols) in payloads() {
        let mut out = vec![0; rows * cols];
        for (bytes, dec) in [(&cmc, decode as Decoder), (&tr, inverse_transform)] {
            assert!(dec(bytes, rows, cols, &mut out).is_ok());
            for len in 0..bytes.len() {
                assert!(dec(&bytes[..len], rows, cols, &mut out).is_err(), "prefix {len} of {}", bytes.len());
            }
            let mut longer = bytes.clone();
            longer.push(0);
            assert!(dec(&longer, rows, cols, &mut out).is_err(), "trailing byte accepted");
        }
    }
}

#[test]
fn flipped_bytes_never_panic() {
    let mut rng = Rng(0xf1195);
    for (cmc, tr, rows, cols) in payloads() {
        let mut out = vec![0; rows * cols];
        for (bytes, dec) in [(&cmc, decode as Decoder), (&tr, inverse_transform)] {
            for _ in 0..400 {
                let mut bad = bytes.clone();
                for _ in 0..1 + rng.next() % 3 {
                    let at = rng.next() as usize % bad.len();
                    bad[at] ^= 1 << (rng.next() % 8);
                }
                let _ = dec(&bad, rows, cols, &mut out);
            }
        }
    }
}

#[test]
fn random_garbage_never_panics() {
    let mut rng = Rng(0x6a7b);
    for _ in 0..600 {
        let rows = 1 + rng.next() as usize % 48;
        let cols = if rng.next().is_multiple_of(2) { rows } else { 1 + rng.next() as usize % 48 };
        let len = rng.next() as usize % 300;
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        // Mostly valid headers, so the garbage reaches the body decoders.
        if len >= 2 && !rng.next().is_multiple_of(4) {
            bytes[0] = 1;
            bytes[1] = (rng.next() % 3) as u8;
        }
        let mut out = vec![0; rows * cols];
        let _ = decode(&bytes, rows, cols, &mut out);
        let _ = inverse_transform(&bytes, rows, cols, &mut out);
    }
}

#[test]
fn wrong_shape_is_an_error_or_garbage_but_no_panic() {
    for (cmc, tr, rows, cols) in payloads() {
        for (r, c) in [(rows + 1, cols), (rows, cols + 3), (1, 1), (cols, rows), (300, 300)] {
            let mut out = vec![0; r * c];
            let _ = decode(&cmc, r, c, &mut out);
            let _ = inverse_transform(&tr, r, c, &mut out);
        }
    }
}

#[test]
fn hostile_plane_counts_are_refused() {
    // Transform payload: full walk, no masks, first diagonal claims 33 planes.
    let mut out = [0u32; 1];
    assert!(inverse_transform(&[1, 1, 0, 33, 0xFF], 1, 1, &mut out).is_err());
    // A maximal tile of garbage still decodes (or fails) in bounded time.
    let garbage: Vec<u8> = (0..2000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let mut big = vec![0u32; 512 * 512];
    let mut bytes = vec![1, 1];
    bytes.extend(&garbage);
    let _ = decode(&bytes, 512, 512, &mut big);
    bytes[1] = 2;
    let mut square = vec![0u32; 200 * 200];
    let _ = decode(&bytes, 200, 200, &mut square);
}

/// Longer run of the flip and garbage checks over real-sized tiles; run with
/// `cargo test --release -p gzcm-cmc --test hostile -- --ignored`.
#[test]
#[ignore = "slow; run in release"]
fn long_fuzz() {
    let mut rng = Rng(0x10_f022);
    let m = common::synthetic(128, 800.0, 23);
    let mut sources = vec![(m.values.clone(), 128, 128, TileLayout::SymmetricDiagonal)];
    sources.push((m.values[..60 * 128].to_vec(), 60, 128, TileLayout::OffDiagonal));
    sources.extend(sample_tiles());
    for (values, rows, cols, layout) in sources {
        let (mut cmc, mut tr) = (Vec::new(), Vec::new());
        encode(&values, rows, cols, layout, &mut cmc).unwrap();
        transform(&values, rows, cols, layout, &mut tr).unwrap();
        let mut out = vec![0; rows * cols];
        for (bytes, dec) in [(&cmc, decode as Decoder), (&tr, inverse_transform)] {
            for _ in 0..3000 {
                let mut bad = bytes.clone();
                match rng.next() % 3 {
                    0 => bad.truncate(rng.next() as usize % bad.len()),
                    1 => {
                        let at = rng.next() as usize % bad.len();
                        bad[at] = rng.next() as u8;
                    }
                    _ => {
                        let at = 2 + rng.next() as usize % (bad.len() - 2);
                        bad[at..].iter_mut().for_each(|b| *b = rng.next() as u8);
                    }
                }
                let _ = dec(&bad, rows, cols, &mut out);
            }
        }
    }
}
