//! Format revision integrity-1: every single-bit flip anywhere outside the header padding is a
//! typed error on open, read or verify (exhaustively, for small files of every version); the
//! issue's reproducers (moved tile, dropped tile count, reinterpreted dtype, v1 diagonal cell,
//! appended bytes); the two indicators of "has checksums" must agree.

use gzcm_container::{ContainerError, FormatError, Reader, ReaderOptions};
use gzcm_core::Dtype;
use serde_json::Value;

use crate::hostile::reseal;
use crate::support::{builder, matrix, registry, scratch, write_coo};

/// A 40×40 `uint32` file, T = 16 (v3/v4: 6 or 9 tiles): small enough to flip every bit of it.
fn small_file(version: u32, codec: &str, symmetric: bool) -> Vec<u8> {
    sized_file(40, version, codec, symmetric)
}

/// An `n×n` `uint32` file, T = 16.
fn sized_file(n: usize, version: u32, codec: &str, symmetric: bool) -> Vec<u8> {
    let truth = matrix(Dtype::U32, n, n, symmetric, 59);
    let (_d, path) = scratch("flip.gzcm");
    let builder = builder(&path, &truth, symmetric).version(version).tile_size(16);
    // v1/v2 store tiles uncompressed and refuse a codec.
    let builder = if version <= 2 { builder } else { builder.codec(codec) };
    write_coo(builder, &truth, symmetric);
    std::fs::read(&path).unwrap()
}

/// A scratch directory and a counter for the files one test writes.
pub(crate) struct Bench {
    dir: tempfile::TempDir,
    count: u64,
}

impl Bench {
    pub(crate) fn new() -> Self {
        // Memory-backed when the machine has it: tens of thousands of small files are written.
        let shm = std::path::Path::new("/dev/shm");
        let dir = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() };
        Bench { dir: dir.unwrap(), count: 0 }
    }

    fn open(&mut self, bytes: &[u8]) -> Result<Reader, ContainerError> {
        self.count += 1;
        let path = self.dir.path().join(format!("f{}.gzcm", self.count));
        std::fs::write(&path, bytes).unwrap();
        let reader = Reader::open_with(&path, ReaderOptions::new().registry(registry()).cache_bytes(0));
        let _ = std::fs::remove_file(&path);
        reader
    }

    /// Whether open, a full read or verify reports an error.
    pub(crate) fn detected(&mut self, bytes: &[u8]) -> bool {
        match self.open(bytes) {
            Err(_) => true,
            Ok(reader) => {
                let (rows, cols) = reader.shape();
                !reader.verify().is_ok() || reader.window(0..rows, 0..cols).is_err()
            }
        }
    }

    fn format_error(&mut self, bytes: &[u8]) -> FormatError {
        match self.open(bytes) {
            Err(ContainerError::Format { source, .. }) => source,
            other => panic!("expected a format error, got {other:?}"),
        }
    }
}

/// Each `(byte, bit)` of `positions` whose flip `detected` misses.
pub(crate) fn missed_flips(
    bytes: &[u8],
    positions: impl IntoIterator<Item = usize>,
    mut detected: impl FnMut(&[u8]) -> bool,
) -> Vec<(usize, u32)> {
    let mut missed = Vec::new();
    let mut bad = bytes.to_vec();
    for at in positions {
        for bit in 0..8 {
            bad[at] ^= 1 << bit;
            if !detected(&bad) {
                missed.push((at, bit));
            }
            bad[at] ^= 1 << bit;
        }
    }
    missed
}

fn json_len(bytes: &[u8]) -> usize {
    u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize
}

fn header_json(bytes: &[u8]) -> Value {
    serde_json::from_slice(&bytes[8..8 + json_len(bytes)]).unwrap()
}

/// Every byte position except the header's padding (`8 + header_len .. data_offset`).
fn checked_positions(bytes: &[u8]) -> impl Iterator<Item = usize> {
    let json_end = 8 + json_len(bytes);
    let data_offset = json_end.div_ceil(4096) * 4096;
    (0..json_end).chain(data_offset..bytes.len())
}

fn every_bit_flip_is_detected(n: usize, version: u32, codec: &str, symmetric: bool) {
    let bytes = sized_file(n, version, codec, symmetric);
    let mut bench = Bench::new();
    assert!(!bench.detected(&bytes), "v{version}: the pristine file must pass");
    let positions: Vec<usize> = checked_positions(&bytes).collect();
    let flips = 8 * positions.len() as u64;
    let missed = missed_flips(&bytes, positions, |bad| bench.detected(bad));
    assert!(
        missed.is_empty(),
        "v{version} {codec}: {} of {flips} flips undetected: {missed:?}",
        missed.len()
    );
    assert!(flips > 8 * 1000, "v{version}: only {flips} flips");
}

#[test]
fn every_bit_flip_of_v3_is_detected() {
    every_bit_flip_is_detected(40, 3, "zstd", true);
    every_bit_flip_is_detected(40, 3, "lz4", false);
}

#[test]
fn every_bit_flip_of_v4_is_detected() {
    every_bit_flip_is_detected(40, 4, "lz4", true);
    every_bit_flip_is_detected(40, 4, "zstd", false);
}

#[test]
fn every_bit_flip_of_v1_is_detected() {
    // 20×20: the array alone is 1600 bytes; every bit of it and of the header is flipped.
    every_bit_flip_is_detected(20, 1, "zstd", true);
}

#[test]
fn every_bit_flip_of_v2_is_detected() {
    every_bit_flip_is_detected(20, 2, "zstd", false);
}

/// Issue 11, A: a record's `tile_col` moved onto an empty tile.
#[test]
fn a_moved_tile_is_caught_by_the_index_checksum() {
    let bytes = small_file(3, "zstd", false);
    let index = header_json(&bytes)["arrays"]["tile_index"]["offset"].as_u64().unwrap() as usize;
    let mut bad = bytes.clone();
    bad[index + 4] ^= 1;
    let mut bench = Bench::new();
    assert!(matches!(bench.format_error(&bad), FormatError::DataChecksum { what: "tile index", .. }));
}

/// Issue 11, B and C: the tile count lowered, the dtype swapped (with `header_len` fixed).
#[test]
fn edited_header_values_are_caught_by_the_header_checksum() {
    let bytes = small_file(3, "lz4", true);
    let mut bench = Bench::new();
    let edits: [(&str, &str); 2] = [("\"shape\":[", "\"shape\":[0"), ("\"uint32\"", "\"float32\"")];
    for (from, to) in edits {
        let json = String::from_utf8(bytes[8..8 + json_len(&bytes)].to_vec()).unwrap();
        assert!(json.contains(from));
        let edited = if from.starts_with("\"shape") {
            // The index's `shape` is the second one: [n] → [0n] is still a JSON number.
            let at = json.rfind(from).unwrap();
            format!("{}{}", &json[..at], json[at..].replacen("[", "[1", 1))
        } else {
            json.replace(from, to)
        };
        let mut bad = bytes.clone();
        bad[4..8].copy_from_slice(&(edited.len() as u32).to_le_bytes());
        bad[8..8 + edited.len()].copy_from_slice(edited.as_bytes());
        assert!(matches!(bench.format_error(&bad), FormatError::HeaderChecksum { .. }), "{from}");
    }
}

/// Issue 11, D: v1/v2 carry a crc32c per block of the array; a diagonal cell flip fails verify.
#[test]
fn a_flipped_v1_diagonal_cell_fails_verify() {
    for version in [1, 2] {
        let bytes = small_file(version, "zstd", true);
        let offset = header_json(&bytes)["arrays"]["matrix"]["offset"].as_u64().unwrap() as usize;
        let mut bad = bytes.clone();
        bad[offset] ^= 1; // cell (0, 0)
        let mut bench = Bench::new();
        let report = bench.open(&bad).unwrap().verify();
        assert!(report.checksums);
        assert!(
            matches!(report.file_failures[..], [ContainerError::BlockCrcMismatch { block: 0, .. }]),
            "v{version}: {report:?}"
        );
    }
}

#[test]
fn appended_bytes_are_refused_in_new_files_and_reported_in_old_ones() {
    let mut bench = Bench::new();
    for version in 1..=4 {
        let mut bytes = small_file(version, "lz4", true);
        bytes.extend_from_slice(b"appended");
        assert!(matches!(bench.format_error(&bytes), FormatError::TrailerMissing), "v{version}");
        let golden = format!("{}/tests/golden/sym40-t16-lz4-v{version}.gzcm", env!("CARGO_MANIFEST_DIR"));
        let mut old = std::fs::read(golden).unwrap();
        let end = old.len() as u64;
        old.extend_from_slice(b"appended");
        let report = bench.open(&old).unwrap().verify();
        assert!(!report.checksums && !report.is_ok(), "v{version}");
        assert!(
            matches!(report.file_failures[..], [ContainerError::TrailingBytes { at, bytes: 8 }] if at == end),
            "v{version}: {report:?}"
        );
        assert!(report.file_failures[0].to_string().contains("8 bytes after offset"));
    }
}

#[test]
fn the_two_indicators_of_checksums_must_agree() {
    let mut bench = Bench::new();
    let bytes = small_file(3, "zstd", true);
    // The trailer gone (header still declares it).
    assert!(matches!(bench.format_error(&bytes[..bytes.len() - 20]), FormatError::TrailerMissing));
    // The header's declaration gone, the trailer resealed to match the edited header.
    let json = String::from_utf8(bytes[8..8 + json_len(&bytes)].to_vec()).unwrap();
    let edited = json.replace("\"integrity\"", "\"integritx\"");
    let mut bad = bytes.clone();
    bad[8..8 + edited.len()].copy_from_slice(edited.as_bytes());
    assert!(matches!(bench.format_error(&bad), FormatError::HeaderChecksum { .. }));
    reseal(&mut bad);
    assert!(matches!(bench.format_error(&bad), FormatError::UndeclaredTrailer));
    // A damaged trailer.
    let mut bad = bytes.clone();
    let n = bad.len();
    bad[n - 1] ^= 1;
    assert!(matches!(bench.format_error(&bad), FormatError::TrailerChecksum { .. }));
}
