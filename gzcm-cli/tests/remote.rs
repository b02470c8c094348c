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
