//! `gzcm` on object-store URLs, against a real S3 server (moto on 127.0.0.1): `convert` uploads
//! (multipart), `info`, `extract` and `verify` read `s3://` like local files, `--endpoint` and
//! the environment pick the server, and a missing object is a clear error. Skips, printing
//! why, when moto cannot be started.

use std::path::Path;
use std::process::{Command, Output};

use gzcm_test_support::moto::MotoServer;

/// Runs `gzcm` with test credentials for the S3 server.
fn gzcm(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gzcm"))
        .args(args)
        .current_dir(dir)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env_remove("GZCM_ENDPOINT")
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let output = gzcm(dir, args);
    assert!(output.status.success(), "gzcm {args:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn convert_uploads_and_info_extract_verify_read_s3_urls_like_files() {
    let Some(server) = MotoServer::start() else { return };
    server.create_bucket("maps");
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let endpoint = server.endpoint();
    let e = endpoint.as_str();
    ok(d, &["convert", "synthetic:300:seed=7", "m.gzcm", "--tile-size", "64", "--codec", "lz4"]);
    let uploaded = ok(
        d,
        &[
            "convert",
            "synthetic:300:seed=7",
            "s3://maps/m.gzcm",
            "--tile-size",
            "64",
            "--codec",
            "lz4",
            "--endpoint",
            e,
        ],
    );
    assert!(uploaded.contains("uploaded") && uploaded.contains("s3://maps/m.gzcm"), "{uploaded}");
    // Nothing is left in the working directory.
    assert_eq!(std::fs::read_dir(d).unwrap().count(), 1);

    let local_info = ok(d, &["info", "m.gzcm"]);
    let remote_info = ok(d, &["info", "s3://maps/m.gzcm", "--endpoint", e]);
    assert_eq!(remote_info.replace("s3://maps/m.gzcm", "m.gzcm"), local_info);

    let window = ["--rows", "40:170", "--cols", "100:230"];
    let local = ok(d, &[&["extract", "m.gzcm"], &window[..]].concat());
    let remote = ok(d, &[&["extract", "s3://maps/m.gzcm", "--endpoint", e], &window[..]].concat());
    assert!(!local.is_empty());
    assert_eq!(remote, local);

    ok(d, &["verify", "s3://maps/m.gzcm", "--endpoint", e]);

    // The endpoint from the environment works too: ours, and the store's own variable.
    for variable in ["GZCM_ENDPOINT", "AWS_ENDPOINT_URL"] {
        let output = Command::new(env!("CARGO_BIN_EXE_gzcm"))
            .args(["verify", "s3://maps/m.gzcm"])
            .current_dir(d)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env_remove("GZCM_ENDPOINT")
            .env(variable, e)
            .output()
            .unwrap();
        assert!(output.status.success(), "{variable}: {}", String::from_utf8_lossy(&output.stderr));
    }

    // Not overwritten without --overwrite.
    let again = gzcm(d, &["convert", "synthetic:300:seed=7", "s3://maps/m.gzcm", "--endpoint", e]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    let missing = gzcm(d, &["info", "s3://maps/none.gzcm", "--endpoint", e]);
    let message = String::from_utf8_lossy(&missing.stderr);
    assert!(!missing.status.success());
    assert!(message.contains("does not exist") && !message.contains("panicked"), "{message}");
}

#[test]
fn timeout_flag_and_variable_bound_a_stalled_server_and_bad_values_are_refused() {
    // Accepts connections and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let started = std::time::Instant::now();
    let flag = gzcm(d, &["info", "s3://maps/m.gzcm", "--endpoint", &endpoint, "--timeout", "1"]);
    let message = String::from_utf8_lossy(&flag.stderr);
    assert_eq!(flag.status.code(), Some(1), "{message}");
    assert!(message.contains("did not finish within 1s"), "{message}");
    let variable = Command::new(env!("CARGO_BIN_EXE_gzcm"))
        .args(["info", "s3://maps/m.gzcm", "--endpoint", &endpoint])
        .current_dir(d)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("GZCM_TIMEOUT", "1.5")
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&variable.stderr);
    assert!(message.contains("did not finish within 1.5s"), "{message}");
    // Not a timing benchmark: the default (60 s each) would be far above this bound.
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "took {:?}", started.elapsed());
    drop(listener);

    let bad = gzcm(d, &["info", "s3://maps/m.gzcm", "--timeout", "soon"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not a number of seconds"));
    let bad_env = Command::new(env!("CARGO_BIN_EXE_gzcm"))
        .args(["info", "s3://maps/m.gzcm", "--endpoint", &endpoint])
        .current_dir(d)
        .env("GZCM_TIMEOUT", "-3")
        .output()
        .unwrap();
    let message = String::from_utf8_lossy(&bad_env.stderr);
    assert_eq!(bad_env.status.code(), Some(1), "{message}");
    assert!(message.contains("GZCM_TIMEOUT=-3"), "{message}");
}

#[test]
fn an_interrupted_upload_leaves_no_scratch_directory() {
    let Some(server) = MotoServer::start() else { return };
    server.create_bucket("maps");
    let dir = tempfile::tempdir().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let endpoint = server.endpoint();
    for signal in ["TERM", "INT"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gzcm"))
            .args(["convert", "synthetic:30000", "s3://maps/big.gzcm", "--endpoint", &endpoint])
            .current_dir(dir.path())
            .env("TMPDIR", scratch.path())
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Wait for the local copy's directory, then interrupt the conversion.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::fs::read_dir(scratch.path()).unwrap().next().is_none() {
            assert!(std::time::Instant::now() < deadline, "no scratch directory appeared");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
        let killed = Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status();
        assert!(killed.unwrap().success());
        let status = child.wait().unwrap();
        let expected = if signal == "TERM" { 128 + 15 } else { 128 + 2 };
        assert_eq!(status.code(), Some(expected), "SIG{signal}");
        let left: Vec<_> =
            std::fs::read_dir(scratch.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(left.is_empty(), "SIG{signal} left {left:?} in $TMPDIR");
    }
}
