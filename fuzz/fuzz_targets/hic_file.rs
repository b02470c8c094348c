//! Arbitrary bytes as a `.hic` file through `gzcm_hic::open`: header, resolutions, chromosome
//! selection, genome, weights and the pixel stream. Everything must be a typed error or data,
//! never a panic, an abort or a huge allocation.
#![no_main]

mod common;
mod hic_source;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch_file("input.hic", data);
    hic_source::exercise(&path);
});
