//! Integration tests of the bsc codec: one binary, one module per topic.

#[path = "../common/mod.rs"]
mod common; // shared matrices, tiles and synthetic data (also used by the examples)
mod hostile; // truncated, corrupted, garbage and lying payloads: `Ok` or `Err`, never a panic
mod roundtrip; // edge sizes, synthetic patterns, real Hi-C tiles
