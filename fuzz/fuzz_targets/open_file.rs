//! Arbitrary bytes as a `.gzcm` file: open (header, trailer, index), info, verify, a region and
//! single tiles. Everything must be a typed error or data, never a panic or a huge allocation.
#![no_main]

mod common;

use gzcm_container::{Reader, ReaderOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch_file("input.gzcm", data);
    let options = ReaderOptions::new().registry(common::registry()).cache_bytes(1 << 20);
    let Ok(reader) = Reader::open_with(&path, options) else {
        return;
    };
    let _ = reader.info();
    let _ = reader.verify();
    let (rows, cols) = reader.shape();
    let _ = reader.window(0..rows.min(300), 0..cols.min(300));
    let _ = reader.window(rows.saturating_sub(20)..rows, 0..cols.min(20));
    for entry in reader.stored_tiles().take(64) {
        let _ = reader.tile(entry.tile_row, entry.tile_col);
    }
});
