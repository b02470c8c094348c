//! The one lookup of the shared real Hi-C data: `$GZCM_TEST_DATA`, else `../shared/data` beside
//! the repository. A missing directory or file skips the caller, or fails it under
//! `GZCM_REQUIRE_TEST_DATA=1` (see [`crate::require`]).

use std::path::{Path, PathBuf};

use crate::require::unavailable;

/// Where the shared data is looked for, and why there.
fn location() -> (PathBuf, &'static str) {
    match std::env::var_os("GZCM_TEST_DATA").filter(|v| !v.is_empty()) {
        Some(dir) => (PathBuf::from(dir), "from $GZCM_TEST_DATA"),
        None => (
            // This crate sits at the repository's first level; the data is beside the repository.
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"),
            "../shared/data beside the repository; set GZCM_TEST_DATA to look elsewhere",
        ),
    }
}

/// The directory holding the shared real matrices: `$GZCM_TEST_DATA`, else `../shared/data`
/// beside the repository. `None`, after printing why, when it is absent (a user's clone).
///
/// # Panics
/// Under `GZCM_REQUIRE_TEST_DATA=1` when the directory is absent, naming where it looked.
#[track_caller]
#[must_use]
pub fn data_dir() -> Option<PathBuf> {
    let (dir, why) = location();
    if dir.is_dir() {
        Some(dir)
    } else {
        unavailable(&format!("no shared data directory at {} ({why})", dir.display()))
    }
}

/// The shared data directory, when it holds every one of `files`; `None` (printed) otherwise.
///
/// # Panics
/// Under `GZCM_REQUIRE_TEST_DATA=1` when the directory or any of the files is absent, naming
/// the missing files and the directory.
#[track_caller]
#[must_use]
pub fn data_dir_with(files: &[&str]) -> Option<PathBuf> {
    let dir = data_dir()?;
    let missing: Vec<&str> = files.iter().copied().filter(|file| !dir.join(file).is_file()).collect();
    if missing.is_empty() {
        Some(dir)
    } else {
        unavailable(&format!("{} not in the shared data directory {}", missing.join(", "), dir.display()))
    }
}

/// The path of `file` in the shared data directory, or `None` (printed) when it is absent.
///
/// # Panics
/// Under `GZCM_REQUIRE_TEST_DATA=1` when the directory or the file is absent, naming both.
#[track_caller]
#[must_use]
pub fn data_path(file: &str) -> Option<PathBuf> {
    data_dir_with(&[file]).map(|dir| dir.join(file))
}

/// `<name>.npy` or `<name>.npy.zst` in the shared data directory, or `None` (printed) when
/// the directory or the file is absent.
///
/// # Panics
/// Under `GZCM_REQUIRE_TEST_DATA=1` when neither file is there, naming both and the directory.
#[track_caller]
#[must_use]
pub fn data_file(name: &str) -> Option<PathBuf> {
    let dir = data_dir()?;
    let found = [format!("{name}.npy"), format!("{name}.npy.zst")]
        .into_iter()
        .map(|file| dir.join(file))
        .find(|path| path.is_file());
    // A match, not `or_else`: a closure would hide the caller's location from the panic.
    match found {
        Some(path) => Some(path),
        None => unavailable(&format!(
            "neither {name}.npy nor {name}.npy.zst in the shared data directory {}",
            dir.display()
        )),
    }
}
