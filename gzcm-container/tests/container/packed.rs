//! Format revisions packed-index-1 and bare-payloads-1 (docs/format.md, entries 33–37): v3/v4
//! files with the packed index, no header padding and bare opaque payloads read back like the
//! 32-byte-record files, are smaller, are caught on every bit flip, and the golden packed files
//! are rewritten byte for byte; files of the first revision still read.

use std::path::PathBuf;

use gzcm_container::{BARE_PACKED_INDEX_DTYPE, Metadata, PACKED_INDEX_DTYPE, Reader};
use gzcm_core::Dtype;

use crate::integrity::{Bench, missed_flips};
use crate::support::{builder, matrix, open, scratch, write_coo};

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{name}.gzcm"))
}

/// An `n×n` `uint32` file at T = 16, packed or not, and its bytes.
fn file(n: usize, version: u32, codec: &str, symmetric: bool, packed: bool) -> Vec<u8> {
    let truth = matrix(Dtype::U32, n, n, symmetric, 59);
    let (_d, path) = scratch("packed.gzcm");
    let options = builder(&path, &truth, symmetric).version(version).tile_size(16).codec(codec);
    write_coo(options.packed_index(packed), &truth, symmetric);
    std::fs::read(&path).unwrap()
}

#[test]
fn packed_files_read_like_record_files_and_are_smaller() {
    for (version, symmetric, codec) in
        [(3, true, "zstd"), (4, true, "lz4"), (3, false, "lz4"), (4, false, "zstd")]
    {
        let truth = matrix(Dtype::U32, 150, 150, symmetric, 5);
        let mut sizes = Vec::new();
        for packed in [false, true] {
            let (_d, path) = scratch("m.gzcm");
            let options = builder(&path, &truth, symmetric).version(version).tile_size(16).codec(codec);
            write_coo(options.packed_index(packed), &truth, symmetric);
            let reader = open(&path, 0);
            assert_eq!(reader.window(0..150, 0..150).unwrap(), truth, "v{version} packed={packed}");
            assert_eq!(
                reader.window(17..99, 40..141).unwrap(),
                crate::support::window(&truth, 17..99, 40..141)
            );
            let index = reader.header().arrays.tile_index.clone().unwrap();
            assert_eq!(index.dtype == BARE_PACKED_INDEX_DTYPE, packed);
            let report = reader.verify();
            assert!(report.is_ok() && report.checksums, "v{version} packed={packed}: {report:?}");
            sizes.push(std::fs::metadata(&path).unwrap().len());
        }
        // 100 tiles or more: the packed index alone saves kilobytes, the padding up to 4 KiB more.
        assert!(sizes[1] + 3000 < sizes[0], "v{version}: packed {} vs records {}", sizes[1], sizes[0]);
    }
}

#[test]
fn a_packed_file_has_no_header_padding() {
    let bytes = file(40, 4, "lz4", true, true);
    let json_len = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as u64;
    let header: serde_json::Value = serde_json::from_slice(&bytes[8..8 + json_len as usize]).unwrap();
    assert_eq!(header["arrays"]["tile_index"]["offset"].as_u64(), Some(8 + json_len));
}

#[test]
fn every_bit_flip_of_a_packed_file_is_detected() {
    for (version, codec, symmetric) in [(3, "zstd", true), (4, "lz4", false)] {
        let bytes = file(40, version, codec, symmetric, true);
        let mut bench = Bench::new();
        assert!(!bench.detected(&bytes), "v{version}: the pristine file must pass");
        let missed = missed_flips(&bytes, 0..bytes.len(), |bad| bench.detected(bad));
        assert!(missed.is_empty(), "v{version} {codec}: {} flips undetected: {missed:?}", missed.len());
    }
}

#[test]
fn truncated_packed_files_are_errors() {
    let bytes = file(40, 3, "zstd", true, true);
    let mut bench = Bench::new();
    for len in [0, 3, 8, 20, bytes.len() / 2, bytes.len() - 21, bytes.len() - 1] {
        assert!(bench.detected(&bytes[..len]), "truncated to {len} bytes");
    }
}

/// `(tile_row, tile_col, stored length)` of every stored tile.
fn lengths(reader: &Reader) -> Vec<(u32, u32, u32)> {
    reader.stored_tiles().map(|e| (e.tile_row, e.tile_col, e.record.expect("v3").length)).collect()
}

#[test]
fn opaque_payloads_of_a_packed_file_are_stored_without_the_shape_header() {
    let truth = matrix(Dtype::U32, 100, 100, true, 13);
    for (codec, header_bytes) in [("zstd", 8), ("shuffle_zstd", 8), ("lz4", 0)] {
        let mut per_layout = Vec::new();
        for packed in [false, true] {
            let (_d, path) = scratch("bare.gzcm");
            let options = builder(&path, &truth, true).version(3).tile_size(16).codec(codec);
            write_coo(options.packed_index(packed), &truth, true);
            let reader = open(&path, 0);
            assert_eq!(reader.window(0..100, 0..100).unwrap(), truth, "{codec} packed={packed}");
            per_layout.push(lengths(&reader));
        }
        let (padded, packed) = (&per_layout[0], &per_layout[1]);
        assert_eq!(padded.len(), packed.len());
        for (a, b) in padded.iter().zip(packed) {
            assert_eq!((a.0, a.1), (b.0, b.1));
            assert_eq!(a.2, b.2 + header_bytes, "{codec}: tile ({}, {})", a.0, a.1);
        }
    }
}

#[test]
fn golden_packed_files_read_back_and_are_rewritten_byte_for_byte() {
    let truth = matrix(Dtype::U32, 40, 40, true, 77);
    for (version, codec) in [(3, "lz4"), (4, "lz4"), (3, "zstd"), (3, "shuffle_zstd")] {
        let (_d, path) = scratch("golden.gzcm");
        let mut metadata = Metadata::default();
        metadata.writer = Some("gzcm golden".to_owned());
        let options = builder(&path, &truth, true).version(version).tile_size(16).metadata(metadata);
        write_coo(options.codec(codec).packed_index(true), &truth, true);
        let written = std::fs::read(&path).unwrap();
        let golden = golden(&format!("sym40-t16-{codec}-v{version}-packed-z2"));
        if std::env::var_os("GZCM_BLESS").is_some() {
            std::fs::write(&golden, &written).unwrap();
        }
        let reader = open(&golden, 0);
        assert_eq!(reader.header().arrays.tile_index.as_ref().unwrap().dtype, BARE_PACKED_INDEX_DTYPE);
        assert_eq!(reader.window(0..40, 0..40).unwrap(), truth, "v{version} {codec}");
        let report = reader.verify();
        assert!(report.is_ok() && report.checksums, "v{version} {codec}: {report:?}");
        assert!(
            std::fs::read(&golden).unwrap() == written,
            "v{version} {codec}: written bytes differ from {}; if the format change is intended, \
             record it in docs/format.md and re-bless with GZCM_BLESS=1",
            golden.display()
        );
    }
}

/// Files of revision packed-index-1 (`gzcm-tile-index-z1`, opaque payloads behind the 8-byte
/// shape header), written before bare-payloads-1: never re-blessed, they must read and verify.
#[test]
fn packed_files_of_the_first_revision_still_read_and_verify() {
    let truth = matrix(Dtype::U32, 40, 40, true, 77);
    for name in ["sym40-t16-lz4-v3-packed", "sym40-t16-lz4-v4-packed", "sym40-t16-zstd-v3-packed"] {
        let reader = open(&golden(name), 0);
        assert_eq!(reader.header().arrays.tile_index.as_ref().unwrap().dtype, PACKED_INDEX_DTYPE, "{name}");
        assert_eq!(reader.window(0..40, 0..40).unwrap(), truth, "{name}");
        let report = reader.verify();
        assert!(report.is_ok() && report.checksums, "{name}: {report:?}");
    }
}
