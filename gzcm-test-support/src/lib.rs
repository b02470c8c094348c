//! Helpers for gzcm's tests, examples and benchmarks (a dev-dependency only; never published):
//!
//! - [`data_dir`]: the shared real Hi-C matrices (`$GZCM_TEST_DATA`, else `../shared/data`
//!   next to the repository), or `None` after printing why the caller skips;
//! - [`SplitMix64`]: a tiny seeded generator, so test data needs no extra crates;
//! - [`dir_entries`]: what a directory holds, to check that a write left nothing behind;
//! - [`load_rows`]: a shared matrix's first rows as `u32` or `f32` cells, read through `gzcm-io`
//!   (the project's own `.npy` reader) rather than a hand-written parser;
//! - [`moto::MotoServer`]: a real S3-compatible server on 127.0.0.1 for the remote tests.

#![forbid(unsafe_code)]

pub mod moto;

use std::path::{Path, PathBuf};

use gzcm_io::{CellStream, CellValue, MatrixSource, OpenOptions};
use ndarray::Array2;

/// The directory holding the shared real matrices: `$GZCM_TEST_DATA`, else `../shared/data`
/// beside the repository. `None`, after printing why, when it is absent (a user's clone).
#[must_use]
pub fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("GZCM_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: no shared data at {} (set GZCM_TEST_DATA)", dir.display());
        None
    }
}

/// `<name>.npy` or `<name>.npy.zst` in the shared data directory, or `None` (printed) when
/// the directory or the file is absent.
#[must_use]
pub fn data_file(name: &str) -> Option<PathBuf> {
    let dir = data_dir()?;
    let found = [format!("{name}.npy"), format!("{name}.npy.zst")]
        .into_iter()
        .map(|file| dir.join(file))
        .find(|path| path.is_file());
    if found.is_none() {
        eprintln!("skipping {name}: not in {}", dir.display());
    }
    found
}

/// The first rows of a shared dense matrix.
#[derive(Clone, Debug, PartialEq)]
pub struct Dense<T> {
    /// `(rows, cols)` of the whole matrix.
    pub shape: (usize, usize),
    /// Its first rows (all of them unless fewer were asked for).
    pub rows: Array2<T>,
}

/// Reads at most `max_rows` rows of the shared matrix `name` (`.npy`, under zstd or not) as
/// `T` cells through `gzcm-io`. `None` (printed) when the data is absent.
///
/// # Panics
/// When the file is present but unreadable or its values do not fit `T`: the shared data is
/// part of the test's premise.
#[must_use]
pub fn load_rows<T: CellValue>(name: &str, max_rows: usize) -> Option<Dense<T>> {
    Some(read_rows(&data_file(name)?, max_rows))
}

/// Reads at most `max_rows` rows of the dense `.npy` at `path` (under zstd or not) as `T`
/// cells through `gzcm-io`.
///
/// # Panics
/// When the file is unreadable or its values do not fit `T`.
#[must_use]
pub fn read_rows<T: CellValue>(path: &Path, max_rows: usize) -> Dense<T> {
    // Symmetry is not needed here; leaving it unset would scan the whole file for it.
    let options = OpenOptions { symmetric: Some(false), ..OpenOptions::default() };
    let source = MatrixSource::open(&path.display().to_string(), options)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let shape = source.info().shape;
    let shape = (shape.rows as usize, shape.cols as usize);
    let CellStream::Rows(stream) = source.cells::<T>().expect("cells of a .npy") else {
        panic!("{}: a .npy source streams dense rows", path.display());
    };
    let kept = shape.0.min(max_rows);
    let mut values = Vec::with_capacity(kept * shape.1);
    for row in stream.take(kept) {
        values.extend(row.unwrap_or_else(|e| panic!("{}: {e}", path.display())));
    }
    let rows = Array2::from_shape_vec((kept, shape.1), values).expect("rows of the declared width");
    Dense { shape, rows }
}

/// Names of the entries in a directory, sorted (to check what a write left behind).
///
/// # Panics
/// When the directory cannot be listed.
#[must_use]
pub fn dir_entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A small deterministic generator (SplitMix64): seeded test data without extra crates.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// The generator seeded with `seed`.
    #[must_use]
    pub const fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    #[expect(clippy::cast_precision_loss, reason = "53 bits are exact in an f64")]
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (`0` for `n == 0`; the modulo bias is irrelevant for tests).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// `len` random bytes.
    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64().to_le_bytes()[0]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // SplitMix64 seeded with 0: the first outputs of the reference implementation.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        let mut rng = SplitMix64::new(7);
        assert!((0..1000).map(|_| rng.unit()).all(|u| (0.0..1.0).contains(&u)));
        assert!((0..1000).all(|_| rng.below(10) < 10));
        assert_eq!(SplitMix64::new(3).bytes(16), SplitMix64::new(3).bytes(16));
    }

    #[test]
    fn shared_matrices_read_through_gzcm_io() {
        let Some(counts) = load_rows::<u32>("yeast_10kb", 5) else { return };
        assert_eq!(counts.rows.nrows(), 5.min(counts.shape.0));
        assert_eq!(counts.rows.ncols(), counts.shape.1);
        assert!(counts.rows.iter().any(|&v| v > 0), "the first rows of a Hi-C map hold contacts");
    }
}
