//! Compile-fail suite for `#[codec]`: every rejected declaration fails with the message and span
//! recorded in `tests/ui/**/*.stderr`, and the declarations in `tests/ui-pass/` build and run.
//!
//! Compiler diagnostics change between releases, so the `.stderr` files are pinned to the
//! toolchain they were recorded with (rustc 1.95, the workspace's `rust-version`); on any other
//! toolchain the test is ignored with that reason rather than failing for the wrong one.
//! Re-record with `TRYBUILD=overwrite cargo test -p gzcm --test compile_fail`, then read every
//! changed `.stderr`.

#[rustversion::attr(
    not(stable(1.95)),
    ignore = "the .stderr files are recorded with rustc 1.95; re-bless them on this toolchain"
)]
#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/**/*.rs");
    t.pass("tests/ui-pass/*.rs");
}
