//! Helpers for gzcm's tests, examples and benchmarks (a dev-dependency only; never published):
//!
//! - [`data_dir`], [`data_dir_with`], [`data_path`], [`data_file`]: the one lookup of the shared
//!   real Hi-C matrices (`$GZCM_TEST_DATA`, else `../shared/data` next to the repository), or
//!   `None` after printing why the caller skips;
//! - [`SplitMix64`]: the one seeded generator, so test data needs no extra crates;
//! - [`contact_map`]: the one synthetic Hi-C-like map, for tests that need no data files;
//! - [`dir_entries`]: what a directory holds, to check that a write left nothing behind;
//! - [`load_rows`]: a shared matrix's first rows as `u32` or `f32` cells, read through `gzcm-io`
//!   (the project's own `.npy` reader) rather than a hand-written parser;
//! - [`memory_limited`]: a test run again in a child process under an address-space limit;
//! - [`hostile_hic`]: hostile `.hic` files made by editing a valid one (issue 22);
//! - [`moto::MotoServer`]: a real S3-compatible server on 127.0.0.1 for the remote tests.
//!
//! # Skipping, and `GZCM_REQUIRE_TEST_DATA=1`
//!
//! A user's clone has no shared data and maybe no moto: tests that need them print
//! `skipping: …` (what is missing and where it was looked for) and return early. Where both
//! are always present (CI: `scripts/test-all` sets it when `CI=true`), set
//! `GZCM_REQUIRE_TEST_DATA=1`: then a missing data directory, a missing data file or a moto
//! server that cannot start **panics** with that same message, so no test passes by skipping.
//! [`unavailable`] is the one place that decides.

#![forbid(unsafe_code)]

mod data;
pub mod hostile_hic;
mod limit;
pub mod moto;
mod require;
mod rng;
mod synthetic;

use std::path::Path;

pub use data::{data_dir, data_dir_with, data_file, data_path};
pub use limit::memory_limited;
pub use require::{REQUIRE_VAR, required, unavailable};
pub use rng::SplitMix64;
pub use synthetic::contact_map;

use gzcm_io::{CellStream, CellValue, MatrixSource, OpenOptions};
use ndarray::Array2;

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
/// part of the test's premise. Under `GZCM_REQUIRE_TEST_DATA=1` also when it is absent.
#[track_caller]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_matrices_read_through_gzcm_io() {
        let Some(counts) = load_rows::<u32>("yeast_10kb", 5) else { return };
        assert_eq!(counts.rows.nrows(), 5.min(counts.shape.0));
        assert_eq!(counts.rows.ncols(), counts.shape.1);
        assert!(counts.rows.iter().any(|&v| v > 0), "the first rows of a Hi-C map hold contacts");
    }
}
