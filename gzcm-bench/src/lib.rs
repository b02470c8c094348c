//! gzcm benchmarks live in `benches/` and `examples/`:
//!
//! - `cargo bench -p gzcm-bench --bench codec_paths`: codec-layer overhead against direct zstd /
//!   lz4_flex calls (criterion, wall time);
//! - `cargo run --release -p gzcm-bench --example path_instructions -- PATH N` under callgrind:
//!   the same paths in instructions, which a shared machine's load does not disturb;
//! - `cargo bench -p gzcm-bench --bench codecs_real`: per-codec figures on the real matrices;
//! - `cargo run --release -p gzcm-bench --example read_tiles -- FILE...`: random-tile reads;
//! - `cargo bench -p gzcm-bench --bench tile_decode`: one dense 256² tile's decode per codec;
//! - `scripts/bench-codecs` (the `bench_codecs` example and a numpy/cooler timer): whole files,
//!   ratios to cooler and window reads against cooler's, the README's table.
//!
//! This library holds what the direct baselines share.

#![forbid(unsafe_code)]

use ndarray::Array2;

/// The tile's little-endian bytes, the cheapest way (what any caller of zstd / lz4 must do too).
///
/// # Panics
/// If the array is not in standard (row-major, contiguous) layout.
#[must_use]
pub fn le_bytes(tile: &Array2<u32>) -> Vec<u8> {
    let mut raw = Vec::with_capacity(tile.len() * 4);
    for v in tile.as_slice().expect("standard layout") {
        raw.extend_from_slice(&v.to_le_bytes());
    }
    raw
}

/// Cells from little-endian bytes into an array of shape `dim`.
///
/// # Panics
/// If `raw` does not hold exactly `dim.0 × dim.1` cells.
#[must_use]
pub fn from_le_bytes(dim: (usize, usize), raw: &[u8]) -> Array2<u32> {
    let cells = raw.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    Array2::from_shape_vec(dim, cells).expect("consistent length")
}
