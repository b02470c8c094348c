//! Integration tests of the cmc codec: one binary, one module per topic.

#[path = "../common/mod.rs"]
mod common; // shared matrices, tiles and synthetic data (also used by the examples)
mod hostile; // truncated, corrupted and random bytes: payload errors, never panics or hangs
mod real_tiles; // round trips of real Hi-C tiles
mod roundtrip; // encode/decode and transform/inverse over many tile kinds
