//! The two inputs too large for the debug-build test suite, checked in release: one block of
//! 2^24 + 5 bytes (it takes the inverse BWT's 64-bit path) and a full 4096×4096 `u32` tile
//! (64 MiB, the largest tile shape, stored in under a quarter of it). Each must decode to
//! exactly its input.
//!
//! Run: `cargo run --release -p gzcm-bsc --example large_blocks` (panics on a failure).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use gzcm_bsc::{compress, decompress};
use gzcm_test_support::SplitMix64;

/// Compresses `input`, checks it decodes back exactly in fewer than `max_stored` bytes, prints
/// the figures.
fn check(name: &str, input: &[u8], max_stored: usize) {
    let start = Instant::now();
    let mut payload = Vec::new();
    compress(input, &mut payload).expect("compress");
    let encoded = start.elapsed();
    let mut out = Vec::new();
    decompress(&payload, input.len(), &mut out).expect("decompress");
    assert!(out == input, "{name}: the round trip differs");
    assert!(payload.len() < max_stored, "{name}: {} bytes stored for {}", payload.len(), input.len());
    println!(
        "{name}: {} bytes -> {} bytes, encode {encoded:.2?}, decode {:.2?}",
        input.len(),
        payload.len(),
        start.elapsed() - encoded
    );
}

fn main() {
    let mut rng = SplitMix64::new(5);
    let block: Vec<u8> = (0..(1usize << 24) + 5)
        .map(|i| if i % 3 == 0 { (rng.next_u64() % 4) as u8 } else { (i / 4096) as u8 })
        .collect();
    check("one block of 2^24 + 5 bytes", &block, block.len());

    let m = common::synthetic(4096, 9);
    let tile = common::cut(&m, 4096, 0, 0).expect("a non-empty tile");
    check("a 4096x4096 u32 tile", &tile.bytes, tile.bytes.len() / 4);
}
