//! Running a test again in a child process under an address-space limit, so a test of a
//! memory bomb fails (the child aborts on a failed allocation) instead of swapping the machine.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Set in the child: the fixture the parent built for it.
const CHILD_VAR: &str = "GZCM_MEMORY_LIMITED_FIXTURE";

/// Runs test `test` of the current test binary again, alone, in a child process whose address
/// space is limited to `limit_mib` MiB (`ulimit -v` through `sh`), with `fixture` (a file the
/// parent built) passed to it. `test` is the test's full name as the binary lists it
/// (`module::name` in a test binary of several modules): the child runs it with `--exact`, so a
/// wrong name fails the parent, which finds no passed test in the child's output.
///
/// In the parent this waits for the child, panics with its output unless it passed, and returns
/// `None`: the caller returns. In the child it returns `Some(fixture)`: the caller does its
/// work, which must pass within the limit.
pub fn memory_limited(test: &str, limit_mib: u64, fixture: &Path) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(CHILD_VAR) {
        return Some(PathBuf::from(path));
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", limit_mib * 1024))
        .arg(exe)
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_VAR, fixture)
        .output()
        .expect("starts the child test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "{test} under a {limit_mib} MiB address-space limit: {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
    None
}
