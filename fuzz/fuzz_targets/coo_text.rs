//! Arbitrary bytes as a COO text input (plain, or gzip/zstd when the bytes say so): the scan,
//! the line parser and the value conversion, streamed as u32 and as f32.
#![no_main]

mod common;

use gzcm_io::{CooOptions, CooSource};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch_file("input.coo", data);
    let Ok(source) = CooSource::open(&path, CooOptions::default()) else {
        return;
    };
    if let Ok(cells) = source.cells::<u32>() {
        cells.into_triples(false).take(100_000).for_each(drop);
    }
    if let Ok(cells) = source.cells::<f32>() {
        cells.into_triples(true).take(100_000).for_each(drop);
    }
});
