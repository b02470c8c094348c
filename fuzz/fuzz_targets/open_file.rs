//! Arbitrary bytes as a `.gzcm` file: open (header, trailer, index), info, verify, a region and
//! single tiles; then once more with read-time crc32c checks off, so that damaged payloads reach
//! the decoders (codecs and tile groups). Everything must be a typed error or data, never a
//! panic or a huge allocation.
#![no_main]

mod common;

use gzcm_container::{Reader, ReaderOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = common::scratch_file("input.gzcm", data);
    for verify_crc in [true, false] {
        let options =
            ReaderOptions::new().registry(common::registry()).cache_bytes(1 << 20).verify_crc(verify_crc);
        if let Ok(reader) = Reader::open_with(&path, options) {
            exercise(&reader);
        }
    }
});

fn exercise(reader: &Reader) {
    let _ = reader.info();
    let _ = reader.verify();
    let (rows, cols) = reader.shape();
    let _ = reader.window(0..rows.min(300), 0..cols.min(300));
    let _ = reader.window(rows.saturating_sub(20)..rows, 0..cols.min(20));
    for entry in reader.stored_tiles().take(64) {
        let _ = reader.tile(entry.tile_row, entry.tile_col);
    }
}
