//! The CLI never destroys its input, cleans up after SIGINT/SIGTERM/SIGHUP, fails cleanly on a
//! full disk (simulated by a file-size limit) and asks before writing a huge dense output.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn gzcm() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gzcm"))
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_output_is_never_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.coo");
    std::fs::write(&input, "0 0 5\n0 1 2\n1 1 7\n").unwrap();
    std::os::unix::fs::symlink(&input, dir.path().join("alias.coo")).unwrap();
    for output in ["in.coo", "./in.coo", "alias.coo"] {
        let run = gzcm()
            .args(["convert", "in.coo", output, "--overwrite"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(1), "{output}");
        assert!(stderr(&run).contains("is the input"), "{output}: {}", stderr(&run));
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "0 0 5\n0 1 2\n1 1 7\n");
    }
    let ok = gzcm().args(["convert", "in.coo", "m.gzcm"]).current_dir(dir.path()).output().unwrap();
    assert!(ok.status.success(), "{}", stderr(&ok));
    let run = gzcm()
        .args(["extract", "m.gzcm", "--rows", ":", "--cols", ":", "-o", "m.gzcm", "--overwrite"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(stderr(&run).contains("is the input"), "{}", stderr(&run));
}

/// Starts `gzcm args` in `dir`, waits until one of its temporaries appears, sends `signal`.
fn interrupted(dir: &Path, args: &[&str], signal: i32) -> std::process::ExitStatus {
    let mut child =
        gzcm().args(args).current_dir(dir).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let started = Instant::now();
    loop {
        if entries(dir).iter().any(|n| n.starts_with('.')) {
            break;
        }
        assert!(child.try_wait().unwrap().is_none(), "gzcm {args:?} finished before it could be interrupted");
        assert!(started.elapsed() < Duration::from_secs(120), "no temporary file appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Let it get going (the signal handler is installed before any output is created).
    std::thread::sleep(Duration::from_millis(200));
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    child.wait().unwrap()
}

#[test]
fn signals_during_convert_leave_no_temporaries() {
    for (signal, args) in [
        (libc::SIGINT, ["convert", "synthetic:400k", "big.gzcm", "--codec", "zstd"]),
        (libc::SIGTERM, ["convert", "synthetic:400k", "big.gzcm", "--codec", "lz4"]),
        (libc::SIGHUP, ["convert", "synthetic:400k", "big.gzcm", "--version", "4"]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let status = interrupted(dir.path(), &args, signal);
        assert_eq!(status.code(), Some(128 + signal), "{args:?}: {status:?}");
        assert!(entries(dir.path()).is_empty(), "{args:?} left {:?}", entries(dir.path()));
    }
}

#[test]
fn a_signal_during_a_multi_resolution_conversion_leaves_no_scratch_directory() {
    let Some(mcool) = gzcm_test_support::data_path("yeast_10kb.mcool") else { return };
    let dir = tempfile::tempdir().unwrap();
    let args = ["convert", mcool.to_str().unwrap(), "all.gzcm"];
    let status = interrupted(dir.path(), &args, libc::SIGTERM);
    assert_eq!(status.code(), Some(128 + libc::SIGTERM), "{status:?}");
    assert!(entries(dir.path()).is_empty(), "left {:?}", entries(dir.path()));
}

#[test]
fn a_full_disk_is_a_clean_error_with_nothing_left_over() {
    for version in ["1", "2", "3"] {
        let dir = tempfile::tempdir().unwrap();
        let mut command = gzcm();
        command.args(["convert", "synthetic:3000", "m.gzcm", "--version", version]).current_dir(dir.path());
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            command.pre_exec(|| {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let limit = libc::rlimit { rlim_cur: 1 << 16, rlim_max: 1 << 16 };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let output = command.output().unwrap();
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "v{version}: {output:?}");
        assert!(err.contains("File too large") && !err.contains("panicked"), "v{version}: {err}");
        assert!(entries(dir.path()).is_empty(), "v{version} left {:?}", entries(dir.path()));
    }
}

#[test]
fn huge_dense_extracts_need_force() {
    // A 40,000² matrix (a 6.4 GB dense .npy of uint32) from a one-cell COO file: the refusal
    // depends on the window's size alone, so no need to generate and encode a synthetic map.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.coo"), "0 0 5\n").unwrap();
    let ok = gzcm()
        .args(["convert", "m.coo", "m.gzcm", "--shape", "40000x40000"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", stderr(&ok));
    std::fs::remove_file(dir.path().join("m.coo")).unwrap();
    let run = gzcm()
        .args(["extract", "m.gzcm", "--rows", ":", "--cols", ":", "-o", "x.npy"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let err = stderr(&run);
    assert!(err.contains("4 GiB") && err.contains("--force"), "{err}");
    assert_eq!(entries(dir.path()), ["m.gzcm"]);
}
