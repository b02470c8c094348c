//! Overhead of gzcm's codec layer: encode + frame + unframe + decode of one 256×256 tile through
//! the registry by name, through the typed API, and by calling zstd / lz4_flex directly on the
//! same bytes. Target: the registry paths within 1.03× of the direct calls.
//!
//! Run: `cargo bench -p gzcm-bench --bench codec_paths`. Uses a real tile from `../shared/data` (or
//! `$GZCM_TEST_DATA`) when present, else a synthetic Hi-C-like tile.

#![expect(missing_docs, reason = "criterion_group! generates an undocumented public function")]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use gzcm::codecs::{Lz4, Zstd};
use gzcm::framing::{decode_stored_typed, encode_stored_typed};
use gzcm::{CodecHandle, Dtype, EncodeOptions, TileContext, TileData, TileShape};
use gzcm_bench::{from_le_bytes, le_bytes};
use ndarray::Array2;

const LEVEL: i32 = 3;

fn bench_tile() -> Array2<u32> {
    match gzcm_test_support::load_rows::<u32>("yeast_10kb", 256) {
        Some(yeast) => {
            eprintln!("codec_paths: real tile (0, 1) of yeast_10kb");
            yeast.rows.slice(ndarray::s![.., 256..512]).to_owned()
        }
        None => {
            eprintln!("codec_paths: yeast_10kb absent, using a synthetic tile");
            Array2::from_shape_fn((256, 256), |(r, c)| {
                5000 / (1 + r.abs_diff(c) as u32 + (r * 7 + c) as u32 % 3)
            })
        }
    }
}

fn direct_zstd(tile: &Array2<u32>) -> Array2<u32> {
    let raw = le_bytes(tile);
    let compressed = zstd::bulk::compress(&raw, LEVEL).unwrap();
    let mut back = vec![0u8; raw.len()];
    zstd::bulk::Decompressor::new().unwrap().decompress_to_buffer(&compressed, &mut back).unwrap();
    from_le_bytes(tile.dim(), &back)
}

fn direct_lz4(tile: &Array2<u32>) -> Array2<u32> {
    let raw = le_bytes(tile);
    let compressed = lz4_flex::block::compress(&raw);
    let mut back = vec![0u8; raw.len()];
    lz4_flex::block::decompress_into(&compressed, &mut back).unwrap();
    from_le_bytes(tile.dim(), &back)
}

fn through_handle(handle: &CodecHandle, tile: &Array2<u32>) -> TileData {
    let mut stored = Vec::new();
    handle.encode_stored(tile.view().into(), &TileContext::default(), &mut stored).unwrap();
    handle.decode_stored(&stored, Dtype::U32, Some(TileShape::new(256, 256))).unwrap()
}

fn through_registry_by_name(name: &str, options: &EncodeOptions, tile: &Array2<u32>) -> TileData {
    let handle = CodecHandle::new(gzcm::get_codec(name).unwrap(), options).unwrap();
    through_handle(&handle, tile)
}

fn through_typed<C: gzcm::CodecMeta>(codec: &C, tile: &Array2<u32>) -> TileData {
    let mut stored = Vec::new();
    encode_stored_typed(codec, tile.view().into(), &TileContext::default(), &mut stored).unwrap();
    decode_stored_typed(codec, &stored, Dtype::U32, Some(TileShape::new(256, 256))).unwrap()
}

fn codec_paths(c: &mut Criterion) {
    let tile = bench_tile();
    let options = EncodeOptions::with_level(LEVEL);
    let zstd = Zstd::new(LEVEL).unwrap();
    let mut group = c.benchmark_group("zstd-3 256x256");
    group.bench_function("direct", |b| b.iter(|| direct_zstd(black_box(&tile))));
    group.bench_function("registry by name", |b| {
        b.iter(|| through_registry_by_name("zstd", &options, black_box(&tile)))
    });
    group.bench_function("typed", |b| b.iter(|| through_typed(&zstd, black_box(&tile))));
    group.finish();
    let mut group = c.benchmark_group("lz4 256x256");
    group.bench_function("direct", |b| b.iter(|| direct_lz4(black_box(&tile))));
    let none = EncodeOptions::default();
    group.bench_function("registry by name", |b| {
        b.iter(|| through_registry_by_name("lz4", &none, black_box(&tile)))
    });
    group.bench_function("typed", |b| b.iter(|| through_typed(&Lz4, black_box(&tile))));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(60).measurement_time(std::time::Duration::from_secs(4));
    targets = codec_paths
}
criterion_main!(benches);
