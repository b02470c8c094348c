//! Golden files: small files of every version, checked in under `tests/golden/`. Reading them must
//! keep working (old files stay readable) and writing the same matrix must give the same bytes
//! (the format does not drift silently). Re-bless deliberately with `GZCM_BLESS=1`.
//!
//! `sym40-t16-lz4-v{N}.gzcm` predate format revision integrity-1 (no header, index or block
//! checksums): they are never re-blessed and must read and verify as before.
//! `sym40-t16-lz4-v{N}-crc.gzcm` are what the current writer produces.

use std::path::PathBuf;

use gzcm_core::Dtype;

use crate::support::{builder, matrix, open, scratch, write_coo};

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{name}.gzcm"))
}

#[test]
fn golden_files_read_back_and_are_rewritten_byte_for_byte() {
    let truth = matrix(Dtype::U32, 40, 40, true, 77);
    for version in 1..=4 {
        let (_d, path) = scratch("golden.gzcm");
        // A fixed writer name: the crate version must not change the golden bytes.
        let mut metadata = gzcm_container::Metadata::default();
        metadata.writer = Some("gzcm golden".to_owned());
        let options = builder(&path, &truth, true).version(version).tile_size(16).metadata(metadata);
        // Versions 1 and 2 store tiles uncompressed and refuse a codec.
        let options = if version >= 3 { options.codec("lz4") } else { options };
        write_coo(options, &truth, true);
        let written = std::fs::read(&path).unwrap();
        let golden = golden(&format!("sym40-t16-lz4-v{version}-crc"));
        if std::env::var_os("GZCM_BLESS").is_some() {
            std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
            std::fs::write(&golden, &written).unwrap();
        }
        let reader = open(&golden, 0);
        assert_eq!(reader.window(0..40, 0..40).unwrap(), truth, "v{version}");
        let report = reader.verify();
        assert!(report.is_ok() && report.checksums, "v{version}: {report:?}");
        assert!(reader.info().checksums);
        assert!(
            std::fs::read(&golden).unwrap() == written,
            "v{version}: written bytes differ from {}; if the format change is intended, \
             record it in docs/format.md and re-bless with GZCM_BLESS=1",
            golden.display()
        );
    }
}

#[test]
fn files_predating_checksums_still_read_and_verify() {
    let truth = matrix(Dtype::U32, 40, 40, true, 77);
    for version in 1..=4 {
        let reader = open(&golden(&format!("sym40-t16-lz4-v{version}")), 0);
        assert_eq!(reader.window(0..40, 0..40).unwrap(), truth, "v{version}");
        let report = reader.verify();
        assert!(report.is_ok() && !report.checksums, "v{version}: {report:?}");
        assert!(!reader.info().checksums);
        assert!(reader.header().integrity.is_none());
    }
}
