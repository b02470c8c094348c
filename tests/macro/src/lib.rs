//! The `#[codec]` attribute's compile-fail and compile-pass suite: `tests/compile_fail.rs` runs
//! the cases in `tests/ui/` (each fails with the recorded message and span) and `tests/ui-pass/`
//! (each builds and runs) through trybuild. A package of its own so that trybuild, which builds
//! the cases against this package's dev-dependencies in its own target directory, compiles the
//! facade's stack and nothing else. The library is empty.
