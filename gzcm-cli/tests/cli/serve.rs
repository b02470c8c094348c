//! `gzcm serve`: it serves a file with genomic bins until SIGTERM (then exits 0), answers a
//! tile and a bad tile id over HTTP, and refuses files it cannot place on a genome and a page
//! directory without index.html. The tiles themselves: gzcm-serve's tests and clodius
//! (`gzcm-py/tests/test_serve_oracle.py`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{fails, ok};

/// A 6-bin map over chromosomes a, b, c with a `weight` column.
fn mapped(d: &Path) {
    let bins = "chrom\tstart\tend\tweight\na\t0\t10\t0.5\na\t10\t15\t2\nb\t0\t10\t1\nb\t10\t20\tnan\n\
                b\t20\t28\t0.25\nc\t0\t4\t4\n";
    std::fs::write(d.join("m.bins.tsv"), bins).unwrap();
    let coo: String =
        (0..6).flat_map(|i| (i..6).map(move |j| format!("{i}\t{j}\t{}\n", 1 + i * 10 + j))).collect();
    std::fs::write(d.join("m.tsv"), coo).unwrap();
    ok(d, &["convert", "m.tsv", "--bins", "m.bins.tsv", "m.gzcm", "--tile-size", "16"]);
}

fn get(address: &str, target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text.split_once("\r\n\r\n").map_or(String::new(), |(_, b)| b.to_owned()))
}

#[test]
fn serve_answers_tiles_until_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    mapped(d);
    let mut child = Command::new(env!("CARGO_BIN_EXE_gzcm"))
        .args(["serve", "m.gzcm", "--port", "0", "--bind", "127.0.0.1"])
        .current_dir(d)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut first).unwrap();
    let address =
        first.split("http://").nth(1).and_then(|s| s.split('/').next()).unwrap_or_default().to_owned();
    assert!(first.starts_with("gzcm serve: 1 tileset on http://127.0.0.1:"), "{first}");
    let (status, body) = get(&address, "/api/v1/tiles/?d=m.0.0.0.weight");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"m.0.0.0.weight\"") && body.contains("float32"), "a NaN weight: {body}");
    let (status, body) = get(&address, "/api/v1/tiles/?d=m.0.0.-5");
    assert_eq!(status, 400, "{body}");
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: signals the child this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "a graceful stop");
}

#[test]
fn serve_refuses_files_without_a_genome_and_a_page_without_index() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["convert", "synthetic:64", "plain.gzcm", "--tile-size", "16"]);
    let err = fails(d, &["serve", "plain.gzcm", "--port", "0"], 1);
    assert!(err.contains("has no genome"), "{err}");
    mapped(d);
    std::fs::create_dir(d.join("page")).unwrap();
    let err = fails(d, &["serve", "m.gzcm", "--port", "0", "--web", "page"], 1);
    assert!(err.contains("has no index.html") && err.contains("scripts/web-build"), "{err}");
    let err = fails(d, &["serve", "m.gzcm", "m.gzcm", "--port", "0"], 1);
    assert!(err.contains("both be served as `m`"), "{err}");
}
