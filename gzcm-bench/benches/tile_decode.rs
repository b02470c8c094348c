//! Decode time of one dense 256×256 tile (`yeast_10kb`'s tile (0, 1), or a synthetic Hi-C-like
//! tile when the shared data are absent) per built-in codec, through the registry's stored form
//! (shape header included), as a reader pays it per tile.
//!
//! Run: `cargo bench -p gzcm-bench --bench tile_decode` (optionally `-- zstd` to pick codecs).

#![expect(missing_docs, reason = "criterion_group! generates an undocumented public function")]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use gzcm::{CodecHandle, Dtype, EncodeOptions, TileContext, TileShape};
use ndarray::Array2;

fn bench_tile() -> Array2<u32> {
    match gzcm_test_support::load_rows::<u32>("yeast_10kb", 256) {
        Some(yeast) => {
            eprintln!("tile_decode: real tile (0, 1) of yeast_10kb");
            yeast.rows.slice(ndarray::s![.., 256..512]).to_owned()
        }
        None => {
            eprintln!("tile_decode: yeast_10kb absent, using a synthetic tile");
            Array2::from_shape_fn((256, 256), |(r, c)| {
                5000 / (1 + r.abs_diff(c) as u32 + (r * 7 + c) as u32 % 3)
            })
        }
    }
}

fn tile_decode(c: &mut Criterion) {
    let tile = bench_tile();
    let shape = Some(TileShape::new(256, 256));
    let mut group = c.benchmark_group("decode 256x256");
    for name in gzcm::codecs::BUILTIN_NAMES {
        let handle = CodecHandle::new(gzcm::get_codec(name).unwrap(), &EncodeOptions::default()).unwrap();
        let mut stored = Vec::new();
        handle.encode_stored(tile.view().into(), &TileContext::new(0, 1, true), &mut stored).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| handle.decode_stored(black_box(&stored), Dtype::U32, shape).unwrap())
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = tile_decode
}
criterion_main!(benches);
