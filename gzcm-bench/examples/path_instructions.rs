//! Runs one codec path a fixed number of times, for instruction counting under
//! `valgrind --tool=callgrind` (deterministic, unlike wall time on a shared machine):
//!
//! ```sh
//! cargo build --release -p gzcm-bench --example path_instructions
//! for p in zstd-direct zstd-registry zstd-typed lz4-direct lz4-registry lz4-typed; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/path_instructions $p 20 2>&1 | grep refs
//! done
//! ```
//!
//! The tile is synthetic (Hi-C-like decay) so the count does not depend on the shared data.

use std::hint::black_box;

use gzcm::codecs::{Lz4, Zstd};
use gzcm::framing::{decode_stored_typed, encode_stored_typed};
use gzcm::{CodecHandle, Dtype, EncodeOptions, TileContext, TileData, TileShape};
use gzcm_bench::{from_le_bytes, le_bytes};
use ndarray::Array2;

const LEVEL: i32 = 3;
const SHAPE: TileShape = TileShape::new(256, 256);

fn direct(tile: &Array2<u32>, zstd: bool) -> Array2<u32> {
    let raw = le_bytes(tile);
    let mut back = vec![0u8; raw.len()];
    if zstd {
        let compressed = zstd::bulk::compress(&raw, LEVEL).expect("zstd");
        zstd::bulk::Decompressor::new()
            .expect("ctx")
            .decompress_to_buffer(&compressed, &mut back)
            .expect("zstd");
    } else {
        let compressed = lz4_flex::block::compress(&raw);
        lz4_flex::block::decompress_into(&compressed, &mut back).expect("lz4");
    }
    from_le_bytes(tile.dim(), &back)
}

fn registry(tile: &Array2<u32>, name: &str) -> TileData {
    let options = if name == "zstd" { EncodeOptions::with_level(LEVEL) } else { EncodeOptions::default() };
    let handle = CodecHandle::new(gzcm::get_codec(name).expect("codec"), &options).expect("handle");
    let mut stored = Vec::new();
    handle.encode_stored(tile.view().into(), &TileContext::default(), &mut stored).expect("encode");
    handle.decode_stored(&stored, Dtype::U32, Some(SHAPE)).expect("decode")
}

fn typed<C: gzcm::CodecMeta>(codec: &C, tile: &Array2<u32>) -> TileData {
    let mut stored = Vec::new();
    encode_stored_typed(codec, tile.view().into(), &TileContext::default(), &mut stored).expect("encode");
    decode_stored_typed(codec, &stored, Dtype::U32, Some(SHAPE)).expect("decode")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().unwrap_or_else(|| "zstd-registry".to_owned());
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let tile = Array2::from_shape_fn((256, 256), |(r, c)| {
        5000 / (1 + r.abs_diff(c) as u32 + ((r * 7 + c) % 3) as u32)
    });
    let zstd = Zstd::new(LEVEL).expect("level");
    let _ = gzcm::list_codecs();
    for _ in 0..runs {
        match path.as_str() {
            "zstd-direct" => drop(black_box(direct(black_box(&tile), true))),
            "lz4-direct" => drop(black_box(direct(black_box(&tile), false))),
            "zstd-registry" => drop(black_box(registry(black_box(&tile), "zstd"))),
            "lz4-registry" => drop(black_box(registry(black_box(&tile), "lz4"))),
            "zstd-typed" => drop(black_box(typed(&zstd, black_box(&tile)))),
            "lz4-typed" => drop(black_box(typed(&Lz4, black_box(&tile)))),
            other => {
                eprintln!("unknown path `{other}`: zstd|lz4 - direct|registry|typed");
                std::process::exit(2);
            }
        }
    }
}
