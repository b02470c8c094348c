//! What a test does when something it needs is missing: skip (print why and return `None`), or,
//! under `GZCM_REQUIRE_TEST_DATA=1` (CI sets it: there everything is present), fail.

/// The environment variable that turns a missing prerequisite from a skip into a failure:
/// `GZCM_REQUIRE_TEST_DATA=1`.
pub const REQUIRE_VAR: &str = "GZCM_REQUIRE_TEST_DATA";

/// Whether missing test data or a missing test server must fail the test
/// (`GZCM_REQUIRE_TEST_DATA=1`) rather than skip it.
#[must_use]
pub fn required() -> bool {
    std::env::var_os(REQUIRE_VAR).is_some_and(|v| v == "1")
}

/// A test cannot run because `what` is missing (the message names it and where it was looked
/// for). Prints `skipping: {what}` and returns `None`, so the caller returns early.
///
/// # Panics
/// Under `GZCM_REQUIRE_TEST_DATA=1`, with `what` in the message: there a skip would hide an
/// untested path.
#[track_caller]
#[must_use]
pub fn unavailable<T>(what: &str) -> Option<T> {
    if required() {
        panic!("{what} ({REQUIRE_VAR}=1: a missing prerequisite fails instead of skipping)");
    }
    eprintln!("skipping: {what}");
    None
}
