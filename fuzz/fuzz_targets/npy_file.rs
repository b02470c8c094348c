//! Arbitrary bytes as a `.npy` (or `.npy.zst`) input: the header parser (magic, version,
//! Python-literal dict, dtype, shape) and the row reader.
#![no_main]

mod common;

use gzcm_io::NpySource;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch_file("input.npy", data);
    let Ok(source) = NpySource::open(&path, None) else {
        return;
    };
    let _ = source.header().data_bytes();
    if let Ok(cells) = source.cells::<f32>() {
        cells.into_triples(false).take(100_000).for_each(drop);
    }
});
