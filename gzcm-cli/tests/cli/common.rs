//! Helpers shared by the CLI's end-to-end tests: run the built `gzcm` binary in a directory.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `gzcm ARGS` in `dir` and returns what it printed and its status.
pub(crate) fn gzcm(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gzcm")).args(args).current_dir(dir).output().unwrap()
}

/// Runs `gzcm ARGS` in `dir`, asserts it succeeded, and returns its standard output.
pub(crate) fn ok(dir: &Path, args: &[&str]) -> String {
    let output = gzcm(dir, args);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "gzcm {args:?} failed:\n{err}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs `gzcm ARGS` in `dir`, asserts it exited with `code` without panicking, and returns its
/// standard error.
pub(crate) fn fails(dir: &Path, args: &[&str], code: i32) -> String {
    let output = gzcm(dir, args);
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(code), "gzcm {args:?}:\n{err}");
    assert!(!err.contains("panicked"), "gzcm {args:?} panicked:\n{err}");
    err
}
