use std::io::Write;
use std::path::{Path, PathBuf};

use gzcm_io::{MatrixSource, OpenOptions, SourceError, Triple};

/// Writes `bytes` to `name` inside `dir`.
pub(crate) fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Gzip-compresses `bytes`, as two members when `split` (as `cat a.gz b.gz` makes).
pub(crate) fn gzip(bytes: &[u8], split: bool) -> Vec<u8> {
    let member = |part: &[u8]| {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(part).unwrap();
        encoder.finish().unwrap()
    };
    if split {
        let half = bytes.len() / 2;
        [member(&bytes[..half]), member(&bytes[half..])].concat()
    } else {
        member(bytes)
    }
}

pub(crate) fn open(path: &Path, options: OpenOptions) -> Result<MatrixSource, SourceError> {
    MatrixSource::open(path.to_str().unwrap(), options)
}

/// Every triple of a source as `(row, col, value)`.
pub(crate) fn collect_u32(source: &MatrixSource) -> Result<Vec<(u32, u32, u32)>, SourceError> {
    source.triples::<u32>()?.map(|t| t.map(|Triple { row, col, value }| (row, col, value))).collect()
}

/// The shared data directory, or `None` after printing why the caller skips.
pub(crate) use gzcm_test_support::data_dir;
