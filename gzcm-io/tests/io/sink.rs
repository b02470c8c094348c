use gzcm_io::sink::{AtomicFile, OutputFormat, write_npy, write_tsv_region};
use gzcm_io::{OpenOptions, SinkError};
use ndarray::array;
use std::io::Write;
use std::path::Path;

use crate::util::{collect_u32, open};

#[test]
fn npy_output_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.npy");
    let region = array![[1u32, 0, 3], [0, 5, 6]];
    let mut file = AtomicFile::create(&path, false).unwrap();
    write_npy(&mut file, region.view()).unwrap();
    file.finish().unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!((bytes.len() - 24) % 64, 0, "header padded to 64 bytes");
    let source = open(&path, OpenOptions::default()).unwrap();
    assert_eq!(collect_u32(&source).unwrap(), vec![(0, 0, 1), (0, 2, 3), (1, 1, 5), (1, 2, 6)]);
}

#[test]
fn tsv_output_reads_back_as_coo() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.tsv");
    let mut file = AtomicFile::create(&path, false).unwrap();
    write_tsv_region(&mut file, (4, 4), array![[1u32, 2], [2, 0]].view(), true).unwrap();
    file.finish().unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "4\t4\t1\n4\t5\t2\n");
}

#[test]
fn atomic_files_never_clobber_unless_asked_and_vanish_when_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.tsv");
    std::fs::write(&path, "old").unwrap();
    assert!(matches!(AtomicFile::create(&path, false), Err(SinkError::Exists { .. })));
    let mut file = AtomicFile::create(&path, true).unwrap();
    file.write_all(b"new").unwrap();
    drop(file);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "temporary file left behind");
    let mut file = AtomicFile::create(&path, true).unwrap();
    file.write_all(b"new").unwrap();
    file.finish().unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644, "outputs are ordinary files, not private temporaries");
    }
}

#[test]
fn format_follows_the_extension() {
    assert_eq!(OutputFormat::for_path(Path::new("a.npy")), OutputFormat::Npy);
    assert_eq!(OutputFormat::for_path(Path::new("a.NPY")), OutputFormat::Npy);
    assert_eq!(OutputFormat::for_path(Path::new("a.tsv")), OutputFormat::Tsv);
    assert_eq!(OutputFormat::for_path(Path::new("a")), OutputFormat::Tsv);
}
