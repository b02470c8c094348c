//! Hostile files: every truncation point, flipped bytes in header, index and payload, lying
//! lengths and offsets, unknown codecs and dtypes. Every one is a typed error, never a panic.

use std::path::Path;

use gzcm_container::{ContainerError, FormatError, Reader, ReaderOptions};
use gzcm_core::{Dtype, RegistryError};
use serde_json::Value;

use crate::support::{builder, matrix, registry, scratch, write_coo};

/// A small symmetric file of `version` with a few tiles, as bytes.
fn small_file(version: u32, codec: &str) -> Vec<u8> {
    let truth = matrix(Dtype::U32, 40, 40, true, 41);
    let (_d, path) = scratch("small.gzcm");
    let options = builder(&path, &truth, true).version(version).tile_size(16);
    // Versions 1 and 2 store tiles uncompressed and refuse a codec.
    let options = if version >= 3 { options.codec(codec) } else { options };
    write_coo(options, &truth, true);
    std::fs::read(&path).unwrap()
}

fn open_bytes(bytes: &[u8], crc: bool) -> Result<Reader, ContainerError> {
    thread_local! {
        // One directory per test thread: creating thousands of directories dominates otherwise.
        static DIR: tempfile::TempDir = tempfile::tempdir().unwrap();
    }
    static COUNT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    // A fresh name each time: truncating and rewriting one file makes ext4 flush it.
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = DIR.with(|d| d.path().join(format!("hostile-{n}.gzcm")));
    std::fs::write(&path, bytes).unwrap();
    let reader =
        Reader::open_with(&path, ReaderOptions::new().registry(registry()).verify_crc(crc).cache_bytes(0));
    // The map keeps the data alive after the name is gone.
    let _ = std::fs::remove_file(&path);
    reader
}

/// Opens, then reads everything: returns whether any step reported an error.
fn detected(bytes: &[u8], crc: bool) -> bool {
    match open_bytes(bytes, crc) {
        Err(_) => true,
        Ok(reader) => {
            let report = reader.verify();
            let region = reader.window(0..40, 0..40);
            !report.is_ok() || region.is_err()
        }
    }
}

fn format_error(bytes: &[u8]) -> FormatError {
    match open_bytes(bytes, true) {
        Err(ContainerError::Format { source, .. }) => source,
        other => panic!("expected a format error, got {other:?}"),
    }
}

/// Replaces the JSON header, keeping `data_offset` (the new JSON must fit the old padding).
fn rewrite_header(bytes: &[u8], edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let len = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    let mut header: Value = serde_json::from_slice(&bytes[8..8 + len]).unwrap();
    edit(&mut header);
    let json = serde_json::to_vec(&header).unwrap();
    let data_offset = (8 + len).div_ceil(4096) * 4096;
    assert!(8 + json.len() <= data_offset, "edited header must fit the padding");
    let mut out = bytes.to_vec();
    out[4..8].copy_from_slice(&(json.len() as u32).to_le_bytes());
    out[8..8 + json.len()].copy_from_slice(&json);
    out[8 + json.len()..data_offset].fill(b' ');
    reseal(&mut out);
    out
}

/// Recomputes the integrity trailer (header crc, and for v3/v4 the index crc) after a
/// deliberate edit, so that a test reaches the checks behind the checksums. A file without a
/// trailer is left alone.
pub(crate) fn reseal(bytes: &mut [u8]) {
    let n = bytes.len();
    if n < 20 || &bytes[n - 20..n - 12] != b"GZCMSUM1" {
        return;
    }
    let len = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    let header_crc = crc32c::crc32c(&bytes[..8 + len]);
    bytes[n - 12..n - 8].copy_from_slice(&header_crc.to_le_bytes());
    let header: Option<Value> = serde_json::from_slice(&bytes[8..8 + len]).ok();
    if let Some(index) = header.as_ref().map(|h| &h["arrays"]["tile_index"]).filter(|i| i.is_object()) {
        let start = index["offset"].as_u64().unwrap_or(0) as usize;
        let records = index["shape"][0].as_u64().unwrap_or(0).saturating_mul(32);
        let end = start.saturating_add(usize::try_from(records).unwrap_or(usize::MAX));
        if let Some(records) = bytes.get(start..end) {
            let crc = crc32c::crc32c(records);
            bytes[n - 8..n - 4].copy_from_slice(&crc.to_le_bytes());
        }
    }
    let own = crc32c::crc32c(&bytes[n - 20..n - 4]);
    bytes[n - 4..].copy_from_slice(&own.to_le_bytes());
}

fn index_span(bytes: &[u8]) -> (usize, usize) {
    let len = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    let header: Value = serde_json::from_slice(&bytes[8..8 + len]).unwrap();
    let index = &header["arrays"]["tile_index"];
    let start = index["offset"].as_u64().unwrap() as usize;
    (start, start + 32 * index["shape"][0].as_u64().unwrap() as usize)
}

#[test]
fn every_truncation_point_is_a_typed_error() {
    for version in 1..=4 {
        let bytes = small_file(version, "zstd");
        for cut in 0..bytes.len() {
            match open_bytes(&bytes[..cut], true) {
                Err(ContainerError::Format { .. }) => {}
                other => panic!("v{version} cut at {cut}: {other:?}"),
            }
        }
        assert!(open_bytes(&bytes, true).is_ok());
    }
}

#[test]
fn flipped_payload_bytes_are_caught_by_the_crc() {
    for codec in ["zstd", "lz4"] {
        let bytes = small_file(3, codec);
        let (_, payload_start) = index_span(&bytes);
        // The last 20 bytes are the integrity trailer (see the integrity tests).
        for at in payload_start..bytes.len() - 20 {
            let mut bad = bytes.clone();
            bad[at] ^= 0x55;
            let reader = open_bytes(&bad, true).unwrap();
            let report = reader.verify();
            assert_eq!(report.failures.len(), 1, "{codec} byte {at}");
            assert!(matches!(report.failures[0].error, ContainerError::CrcMismatch { .. }));
            let err = reader.window(0..40, 0..40).unwrap_err();
            assert!(matches!(err, ContainerError::CrcMismatch { .. }), "{err}");
            // With read-time checks off the codec sees the damage: an error or wrong cells, never a panic.
            let _ = open_bytes(&bad, false).unwrap().window(0..40, 0..40);
        }
    }
}

#[test]
fn flipped_index_bytes_never_panic_and_checked_fields_are_caught() {
    for version in [3, 4] {
        let bytes = small_file(version, "lz4");
        let (start, end) = index_span(&bytes);
        for at in start..end {
            for mask in [0x01, 0x80] {
                let mut bad = bytes.clone();
                bad[at] ^= mask;
                assert!(detected(&bad, true), "v{version} index byte {} mask {mask:#x}", at - start);
                // Behind the index checksum (a forged file): bytes 8..32 (offset, length, codec,
                // flags, crc, nnz) are still checked; a flipped coordinate may name another
                // valid empty tile of the same shape.
                reseal(&mut bad);
                let caught = detected(&bad, true);
                if (at - start) % 32 >= 8 {
                    assert!(caught, "v{version} resealed index byte {} mask {mask:#x}", at - start);
                }
            }
        }
    }
}

#[test]
fn flipped_header_bytes_never_panic() {
    for version in 1..=4 {
        let bytes = small_file(version, "zstd");
        let len = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
        for at in 0..8 + len {
            let mut bad = bytes.clone();
            bad[at] ^= 0x20;
            let _ = detected(&bad, true);
        }
    }
}

#[test]
fn lying_header_len_is_refused() {
    let bytes = small_file(3, "zstd");
    for lie in [u32::MAX, 64 << 20 | 1, bytes.len() as u32, 3, 0] {
        let mut bad = bytes.clone();
        bad[4..8].copy_from_slice(&lie.to_le_bytes());
        let err = format_error(&bad);
        assert!(
            matches!(
                err,
                FormatError::HeaderTooLarge { .. }
                    | FormatError::Truncated { .. }
                    | FormatError::HeaderJson { .. }
                    | FormatError::HeaderChecksum { .. }
            ),
            "{lie}: {err}"
        );
    }
}

#[test]
fn offsets_outside_the_file_are_refused() {
    let bytes = small_file(3, "zstd");
    for offset in [0u64, 100, bytes.len() as u64, u64::MAX - 10] {
        let bad = rewrite_header(&bytes, |h| h["arrays"]["tile_index"]["offset"] = offset.into());
        assert!(matches!(format_error(&bad), FormatError::OffsetOutOfFile { .. }), "{offset}");
    }
    let bad =
        rewrite_header(&bytes, |h| h["arrays"]["tile_index"]["shape"] = serde_json::json!([u64::MAX / 2]));
    assert!(matches!(format_error(&bad), FormatError::InvalidField { .. }));
    let (start, _) = index_span(&bytes);
    let mut bad = bytes.clone();
    bad[start + 8..start + 16].copy_from_slice(&(bytes.len() as u64 - 2).to_le_bytes());
    assert!(matches!(format_error(&bad), FormatError::DataChecksum { what: "tile index", .. }));
    reseal(&mut bad);
    assert!(matches!(format_error(&bad), FormatError::OffsetOutOfFile { what: "tile payload", .. }));
    let v1 = small_file(1, "zstd");
    let bad = rewrite_header(&v1, |h| h["arrays"]["matrix"]["offset"] = 8192.into());
    assert!(matches!(format_error(&bad), FormatError::OffsetOutOfFile { what: "matrix array", .. }));
}

#[test]
fn unknown_codec_is_the_registry_error_listing_what_is_available() {
    let bytes = small_file(3, "zstd");
    let bad = rewrite_header(&bytes, |h| h["codecs"][0]["name"] = "brotli".into());
    match open_bytes(&bad, true) {
        Err(ContainerError::Registry(e)) => match *e {
            RegistryError::UnknownCodec { name, available, .. } => {
                assert_eq!(name, "brotli");
                assert!(available.contains(&"zstd".to_owned()) && available.contains(&"lz4".to_owned()));
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    // Info still works when asked to tolerate the missing codec; reading a tile does not.
    let (_d, path) = scratch("unknown.gzcm");
    std::fs::write(&path, &bad).unwrap();
    let reader =
        Reader::open_with(&path, ReaderOptions::new().registry(registry()).allow_missing_codecs(true))
            .unwrap();
    let info = reader.info();
    assert!(!info.codecs[0].available && info.tiles_stored > 0);
    assert!(matches!(reader.tile(0, 0), Err(ContainerError::Registry(_))));
}

#[test]
fn recorded_wire_must_match_the_codec() {
    let bytes = small_file(3, "zstd");
    let bad = rewrite_header(&bytes, |h| h["codecs"][0]["wire"] = "self".into());
    let err = open_bytes(&bad, true).unwrap_err();
    assert!(matches!(err, ContainerError::CodecSetup { .. }), "{err}");
    let bad = rewrite_header(&bytes, |h| h["codecs"][0]["wire"] = "framed".into());
    assert!(matches!(format_error(&bad), FormatError::UnknownWire { .. }));
}

#[test]
fn header_contradictions_are_typed_errors() {
    let bytes = small_file(3, "zstd");
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Edit)> = vec![
        ("dtype", Box::new(|h| h["arrays"]["matrix"]["dtype"] = "int64".into())),
        ("version", Box::new(|h| h["version"] = 9.into())),
        ("format", Box::new(|h| h["format"] = "zarr".into())),
        ("index", Box::new(|h| drop(h["arrays"].as_object_mut().unwrap().remove("tile_index")))),
        ("symmetric", Box::new(|h| drop(h["metadata"].as_object_mut().unwrap().remove("symmetric")))),
        ("shape", Box::new(|h| h["arrays"]["matrix"]["shape"] = serde_json::json!([40, 41]))),
        ("tile", Box::new(|h| h["arrays"]["matrix"]["tile_shape"] = serde_json::json!([8, 8]))),
        ("order", Box::new(|h| h["arrays"]["matrix"]["tile_order"] = "anti-diagonal".into())),
        ("record", Box::new(|h| h["arrays"]["tile_index"]["record_bytes"] = 16.into())),
        ("negative", Box::new(|h| h["arrays"]["matrix"]["shape"] = serde_json::json!([-1, 40]))),
        ("not json", Box::new(|h| *h = Value::from("hello"))),
    ];
    for (name, edit) in cases {
        let bad = rewrite_header(&bytes, edit);
        let err = format_error(&bad);
        let expected = match name {
            "dtype" => matches!(err, FormatError::UnknownDtype { .. }),
            "version" => matches!(err, FormatError::UnsupportedVersion { version: 9 }),
            "format" => matches!(err, FormatError::WrongFormatName { .. }),
            "index" => matches!(err, FormatError::MissingKey { .. }),
            "symmetric" | "negative" | "not json" => matches!(err, FormatError::HeaderJson { .. }),
            _ => matches!(err, FormatError::InvalidField { .. }),
        };
        assert!(expected, "{name}: {err}");
        assert!(!err.to_string().is_empty());
    }
    // Unknown keys are ignored.
    let extra = rewrite_header(&bytes, |h| h["future_key"] = serde_json::json!({"x": 1}));
    assert!(open_bytes(&extra, true).is_ok());
}

#[test]
fn junk_files_are_refused() {
    for junk in [&b""[..], b"G", b"GZCM", b"GZCM\x00\x00", b"GZCM\x02\x00\x00\x00{}", b"PK\x03\x04 not gzcm"]
    {
        assert!(matches!(open_bytes(junk, true), Err(ContainerError::Format { .. })), "{junk:?}");
    }
    let mut page = b"GZCM\x02\x00\x00\x00{}".to_vec();
    page.resize(4096, b' ');
    assert!(matches!(format_error(&page), FormatError::HeaderJson { .. }));
    assert!(matches!(
        Reader::open(Path::new("/nonexistent/x.gzcm")),
        Err(ContainerError::Io { action: "open", .. })
    ));
}

#[test]
fn a_huge_declared_shape_sizes_nothing() {
    let bytes = small_file(3, "zstd");
    let bad = rewrite_header(&bytes, |h| {
        h["arrays"]["matrix"]["shape"] = serde_json::json!([1u64 << 40, 1u64 << 40]);
        h["arrays"]["matrix"]["tile_shape"] = serde_json::json!([4096, 4096]);
    });
    let reader = open_bytes(&bad, true).unwrap();
    let err = reader.window(0..1 << 40, 0..1 << 40).unwrap_err();
    assert!(matches!(err, ContainerError::WindowTooLarge { .. }), "{err}");
    // The stored tiles now disagree with the declared geometry: typed errors, not panics.
    assert!(!reader.verify().is_ok());
    assert!(reader.tile(0, 0).is_err());
}
