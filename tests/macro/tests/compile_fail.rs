//! Compile-fail suite for `#[codec]`: every rejected declaration fails with the message and span
//! recorded in `tests/ui/**/*.stderr`, and the declarations in `tests/ui-pass/` build and run.
//!
//! Compiler diagnostics change between releases, so the `.stderr` files are pinned to the
//! toolchain they were recorded with (rustc 1.95, the workspace's `rust-version`); on any other
//! toolchain the test is ignored with that reason rather than failing for the wrong one.
//! Re-record with `TRYBUILD=overwrite cargo test -p gzcm-macro-tests --test compile_fail`, then
//! read every changed `.stderr`.
//!
//! trybuild builds the cases, and the facade's stack under them, in a target directory of its
//! own (`target/tests/trybuild`), with cargo's default dev profile; that build is most of this
//! test's time. Without debug information it takes about a third less, and no diagnostic
//! depends on it.

#[rustversion::attr(
    not(stable(1.95)),
    ignore = "the .stderr files are recorded with rustc 1.95; re-bless them on this toolchain"
)]
#[test]
fn ui() {
    // SAFETY: this binary's one test, and nothing else in it reads or writes the environment
    // while it runs; trybuild's cargo inherits the variable.
    unsafe { std::env::set_var("CARGO_PROFILE_DEV_DEBUG", "0") };
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/**/*.rs");
    t.pass("tests/ui-pass/*.rs");
}
