//! End-to-end runs of the `gzcm` binary in temporary directories.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use gzcm_io::SyntheticMap;

use crate::common::{fails, ok};

/// Parses `bin1<TAB>bin2<TAB>value` lines.
fn triples(text: &str) -> Vec<(u32, u32, u32)> {
    text.lines()
        .map(|line| {
            let f: Vec<u32> = line.split('\t').map(|x| x.parse().unwrap()).collect();
            (f[0], f[1], f[2])
        })
        .collect()
}

#[test]
fn codecs_lists_every_registered_codec() {
    let dir = tempfile::tempdir().unwrap();
    let listing = ok(dir.path(), &["codecs"]);
    for name in gzcm::list_codecs() {
        assert!(listing.lines().any(|l| l.starts_with(&format!("{name} "))), "{name} missing:\n{listing}");
    }
    assert!(listing.contains("opaque") && listing.contains("self"));
    let names = ok(dir.path(), &["codecs", "--names"]);
    assert_eq!(names.lines().map(str::to_owned).collect::<Vec<_>>(), gzcm::list_codecs());
}

#[test]
fn synthetic_round_trip_through_convert_info_extract_verify() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let summary =
        ok(d, &["convert", "synthetic:300:seed=7", "m.gzcm", "--tile-size", "64", "--codec", "lz4"]);
    assert!(summary.contains("300×300") && summary.contains("lz4"), "{summary}");
    let info = ok(d, &["info", "m.gzcm"]);
    assert!(info.contains("symmetric") && info.contains("lz4") && info.contains("self"), "{info}");
    assert!(ok(d, &["verify", "m.gzcm"]).contains("ok"));

    let map = SyntheticMap::from_spec("synthetic:300:seed=7").unwrap();
    let truth = map.window(40..170, 100..230);
    let upper = triples(&ok(d, &["extract", "m.gzcm", "--rows", "40:170", "--cols", "100:230"]));
    let full = triples(&ok(d, &["extract", "m.gzcm", "--rows", "40:170", "--cols", "100:230", "--full"]));
    let expected: Vec<(u32, u32, u32)> = truth
        .indexed_iter()
        .filter(|&(_, &v)| v > 0)
        .map(|((r, c), &v)| (r as u32 + 40, c as u32 + 100, v))
        .collect();
    assert_eq!(full, expected);
    assert_eq!(upper, expected.iter().copied().filter(|&(r, c, _)| r <= c).collect::<Vec<_>>());

    ok(d, &["extract", "m.gzcm", "--rows", "0:50", "--cols", "10:20", "-o", "r.npy"]);
    let npy = gzcm_io::MatrixSource::open(d.join("r.npy").to_str().unwrap(), Default::default()).unwrap();
    assert_eq!(npy.info().shape, gzcm_io::Shape::new(50, 10));
    let cells: Vec<(u32, u32, u32)> =
        npy.triples::<u32>().unwrap().map(|t| t.map(|t| (t.row, t.col, t.value)).unwrap()).collect();
    let truth = map.window(0..50, 10..20);
    let want: Vec<_> =
        truth.indexed_iter().filter(|&(_, &v)| v > 0).map(|((r, c), &v)| (r as u32, c as u32, v)).collect();
    assert_eq!(cells, want);
}

#[test]
fn the_packed_index_is_the_default_and_the_padded_one_is_kept_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let spec = ["convert", "synthetic:600:seed=5", "--tile-size", "32", "--codec", "zstd"];
    ok(d, &[&spec[..2], &["packed.gzcm"], &spec[2..]].concat());
    ok(d, &[&spec[..2], &["padded.gzcm"], &spec[2..], &["--padded-index"]].concat());
    let size = |name: &str| std::fs::metadata(d.join(name)).unwrap().len();
    // 171 stored tiles: 32-byte records after a 4 KiB-padded header against one small section.
    assert!(
        size("packed.gzcm") + 4096 < size("padded.gzcm"),
        "{} vs {}",
        size("packed.gzcm"),
        size("padded.gzcm")
    );
    let whole = ["extract", "--rows", ":", "--cols", ":"];
    let read = |name: &str| ok(d, &[&whole[..1], &[name], &whole[1..]].concat());
    assert_eq!(read("packed.gzcm"), read("padded.gzcm"));
    for name in ["packed.gzcm", "padded.gzcm"] {
        assert!(ok(d, &["verify", name]).contains("ok"));
    }
    // `info` says how the index and the payloads are stored.
    let packed = ok(d, &["info", "packed.gzcm"]);
    assert!(packed.contains("packed; opaque payloads without the shape header"), "{packed}");
    let padded = ok(d, &["info", "padded.gzcm"]);
    assert!(padded.contains("32-byte records (SPEC §4)"), "{padded}");
}

#[test]
fn tile_size_auto_raises_the_edge_for_a_large_sparse_map_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // 5,000 bins, 3,000 non-zeros near the diagonal: ~14 per 256² position.
    let coo: String = (0..3000u32).map(|k| format!("{}\t{}\t{}\n", k, k + k % 7, 1 + k % 5)).collect();
    std::fs::write(d.join("sparse.tsv"), coo + "4999\t4999\t1\n").unwrap();
    let fixed = ok(d, &["convert", "sparse.tsv", "fixed.gzcm"]);
    assert!(fixed.contains("(256×256 cells each)") && !fixed.contains("note     tile size"), "{fixed}");
    let auto = ok(d, &["convert", "sparse.tsv", "auto.gzcm", "--tile-size", "auto"]);
    assert!(auto.contains("(1024×1024 cells each)"), "{auto}");
    assert!(auto.contains("tile size 1024 chosen for a sparse map"), "{auto}");
    let whole = |name: &str| ok(d, &["extract", name, "--rows", ":", "--cols", ":"]);
    assert_eq!(whole("auto.gzcm"), whole("fixed.gzcm"));
    let err = fails(d, &["convert", "sparse.tsv", "x.gzcm", "--tile-size", "huge"], 2);
    assert!(err.contains("not a number"), "{err}");
}

#[test]
fn tiny_coo_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("m.tsv"), "0\t0\t5\n0\t3\t2\n2\t2\t1\n3\t4\t9\n").unwrap();
    ok(d, &["convert", "m.tsv", "m.gzcm", "--tile-size", "16"]);
    assert!(ok(d, &["info", "m.gzcm"]).contains("5×5 uint32 (symmetric"));
    ok(d, &["verify", "m.gzcm"]);
    assert_eq!(
        ok(d, &["extract", "m.gzcm", "--rows", ":", "--cols", ":"]),
        "0\t0\t5\n0\t3\t2\n2\t2\t1\n3\t4\t9\n"
    );
    let full = ok(d, &["extract", "m.gzcm", "--rows", "3:5", "--cols", "0:5", "--full"]);
    assert_eq!(full, "3\t0\t2\n3\t4\t9\n4\t3\t9\n");
    // Rectangular, non-symmetric, floats.
    std::fs::write(d.join("r.tsv"), "0 5 1.5\n3 1 2.25\n").unwrap();
    ok(d, &["convert", "r.tsv", "r.gzcm", "--tile-size", "16", "--dtype", "f32", "--shape", "4x6"]);
    assert!(ok(d, &["info", "r.gzcm"]).contains("4×6 float32 (full)"));
    assert_eq!(ok(d, &["extract", "r.gzcm", "--rows", ":", "--cols", ":"]), "0\t5\t1.5\n3\t1\t2.25\n");
    // The output is never clobbered without --overwrite.
    let err = fails(d, &["convert", "m.tsv", "m.gzcm", "--tile-size", "16"], 1);
    assert!(err.contains("exist"), "{err}");
    ok(d, &["convert", "m.tsv", "m.gzcm", "--tile-size", "16", "--overwrite"]);
}

#[test]
fn bad_arguments_are_clap_errors_with_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let err = fails(d, &["convert", "synthetic:10", "x.gzcm", "--tile-size", "7"], 2);
    assert!(err.contains("16..=4096"), "{err}");
    let err = fails(d, &["extract", "x.gzcm", "--rows", "5:2", "--cols", "0:1"], 2);
    assert!(err.contains("empty"), "{err}");
    fails(d, &["convert", "synthetic:10", "x.gzcm", "--version", "5"], 2);
    fails(d, &["convert", "synthetic:10", "x.gzcm", "--dtype", "u8"], 2);
    fails(d, &["frobnicate"], 2);
    fails(d, &["extract", "x.gzcm", "--rows", "0:1"], 2);
}

#[test]
fn runtime_errors_are_clear_with_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let err = fails(d, &["convert", "synthetic:10", "x.gzcm", "--codec", "zstf"], 1);
    for name in gzcm::list_codecs() {
        assert!(err.contains(&name), "available codec {name} not listed:\n{err}");
    }
    assert!(err.contains("zstf"), "{err}");
    let err = fails(d, &["convert", "missing.tsv", "x.gzcm"], 1);
    assert!(err.contains("missing.tsv"), "{err}");
    let err = fails(d, &["convert", "synthetic:abc", "x.gzcm"], 1);
    assert!(err.contains("synthetic:abc"), "{err}");
    std::fs::write(d.join("bad.tsv"), "0 0 1\n0 x 2\n").unwrap();
    let err = fails(d, &["convert", "bad.tsv", "x.gzcm"], 1);
    assert!(err.contains("bad.tsv:2"), "{err}");
    assert!(!d.join("x.gzcm").exists(), "a failed convert left an output");

    ok(d, &["convert", "synthetic:100", "t.gzcm", "--tile-size", "32"]);
    let bytes = std::fs::read(d.join("t.gzcm")).unwrap();
    std::fs::write(d.join("cut.gzcm"), &bytes[..bytes.len() / 2]).unwrap();
    for cmd in ["info", "verify"] {
        let err = fails(d, &[cmd, "cut.gzcm"], 1);
        assert!(err.contains("cut.gzcm"), "{err}");
    }
    let mut flipped = bytes.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0xff;
    std::fs::write(d.join("flip.gzcm"), &flipped).unwrap();
    let err = fails(d, &["verify", "flip.gzcm"], 1);
    assert!(err.contains("failed verification"), "{err}");
    let err = fails(d, &["extract", "t.gzcm", "--rows", "90:120", "--cols", "0:10"], 1);
    assert!(err.contains("outside"), "{err}");
    fails(d, &["info", "nothing.gzcm"], 1);
}

#[test]
fn uncompressed_versions_refuse_codec_and_level_instead_of_ignoring_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for version in ["1", "2"] {
        let err = fails(d, &["convert", "synthetic:40", "x.gzcm", "--version", version, "--codec", "lz4"], 1);
        assert!(err.contains("uncompressed") && err.contains("--codec lz4"), "{err}");
        let err = fails(d, &["convert", "synthetic:40", "x.gzcm", "--version", version, "--level", "3"], 1);
        assert!(err.contains("uncompressed") && err.contains("--level 3"), "{err}");
        assert!(!d.join("x.gzcm").exists(), "a refused convert left an output");
        ok(d, &["convert", "synthetic:40", &format!("v{version}.gzcm"), "--version", version]);
    }
}

#[test]
fn a_closed_pipe_is_success() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["convert", "synthetic:400", "p.gzcm", "--tile-size", "64", "--codec", "lz4"]);
    let mut child = Command::new(env!("CARGO_BIN_EXE_gzcm"))
        .args(["extract", "p.gzcm", "--rows", ":", "--cols", ":", "--full"])
        .current_dir(d)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(!first.is_empty());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(status.success(), "{status}: {err}");
}

#[test]
fn demo_compares_codecs_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(
        dir.path(),
        &["demo", "--bins", "256", "--tile-size", "64", "--regions", "4", "--region-size", "100"],
    );
    for name in gzcm::list_codecs() {
        assert!(out.lines().any(|l| l.starts_with(&name) && l.ends_with('✓')), "{name}:\n{out}");
    }
    let err = fails(dir.path(), &["demo", "--bins", "64", "--codecs", "nope"], 1);
    assert!(err.contains("nope"), "{err}");
}

#[test]
fn adaptive_version_4_records_its_choice() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = ok(
        d,
        &[
            "convert",
            "synthetic:400:seed=3",
            "a.gzcm",
            "--adaptive",
            "--tile-size",
            "64",
            "--codec-candidates",
            "lz4,zstd",
            "--level",
            "1",
            "--picker-weights",
            "0,1,0",
        ],
    );
    assert!(out.contains("version 4") && out.contains("codec picker"), "{out}");
    let info = ok(d, &["info", "a.gzcm"]);
    assert!(info.contains("anti-diagonal") && info.contains("diagonal"), "{info}");
    assert!(info.lines().any(|l| l.contains("* chosen: the fewest bytes")), "no winner marked:\n{info}");
    ok(d, &["verify", "a.gzcm"]);
    let map = SyntheticMap::from_spec("synthetic:400:seed=3").unwrap();
    let got = triples(&ok(d, &["extract", "a.gzcm", "--rows", "0:400", "--cols", "0:400", "--full"]));
    let want: Vec<_> = map
        .window(0..400, 0..400)
        .indexed_iter()
        .filter(|&(_, &v)| v > 0)
        .map(|((r, c), &v)| (r as u32, c as u32, v))
        .collect();
    assert_eq!(got, want);
    // Size-only weights pick zstd (smaller than lz4) everywhere.
    assert!(!info.lines().any(|l| l.ends_with(" lz4") && l.contains("near")), "{info}");

    let err =
        fails(d, &["convert", "synthetic:50", "b.gzcm", "--adaptive", "--codec-candidates", "zstd,nope"], 1);
    assert!(err.contains("nope") && err.contains("lz4"), "{err}");
    fails(d, &["convert", "synthetic:50", "b.gzcm", "--adaptive", "--picker-weights", "0.5,0.5,0.5"], 2);
    let err = fails(d, &["convert", "synthetic:50", "b.gzcm", "--adaptive", "--picker-goal", "quick"], 2);
    assert!(err.contains("quick") && err.contains("balanced"), "{err}");
    let err =
        fails(d, &["convert", "synthetic:50", "b.gzcm", "--adaptive", "--picker-normalisation", "log"], 2);
    assert!(err.contains("log-ratio"), "{err}");
    let spec =
        ["convert", "synthetic:200:seed=3", "c.gzcm", "--adaptive", "--tile-size", "64", "--level", "1"];
    let goal =
        ["--codec-candidates", "lz4,zstd", "--picker-goal", "smallest", "--picker-normalisation", "min-max"];
    ok(d, &[&spec[..], &goal[..]].concat());
    let info = ok(d, &["info", "c.gzcm"]);
    assert!(info.contains("weights decode 0 size 1 encode 0, min-max;"), "{info}");
    std::fs::remove_file(d.join("c.gzcm")).unwrap();
    ok(d, &spec);
    let info = ok(d, &["info", "c.gzcm"]);
    assert!(info.contains("log-ratio, decode within 1.5× of zstd's"), "{info}");
    fails(d, &["convert", "synthetic:50", "b.gzcm", "--adaptive", "--codec", "lz4"], 2);
    let err =
        fails(d, &["convert", "synthetic:50", "b.gzcm", "--codec", "zstd", "--codec-candidates", "lz4"], 1);
    assert!(err.contains("--codec-candidates applies to the adaptive codec choice"), "{err}");
    fails(d, &["convert", "synthetic:50", "b.gzcm", "--adaptive", "--version", "3"], 1);
}

#[test]
fn help_is_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in ["convert", "info", "codecs", "extract", "verify", "demo"] {
        let help = ok(dir.path(), &[cmd, "--help"]);
        assert!(help.contains("Usage: gzcm"), "{cmd}: {help}");
    }
}

#[test]
fn a_failed_stdout_write_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["convert", "synthetic:100", "s.gzcm"]);
    let commands: [&[&str]; 5] = [
        &["info", "s.gzcm"],
        &["info", "s.gzcm", "--json"],
        &["verify", "s.gzcm"],
        &["convert", "synthetic:100", "t.gzcm"],
        &["codecs"],
    ];
    for args in commands {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_gzcm"))
            .args(args)
            .current_dir(d)
            .stdout(Stdio::from(full))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "gzcm {args:?}:\n{err}");
        assert!(!err.contains("panicked"), "gzcm {args:?} panicked:\n{err}");
        assert_eq!(err.lines().count(), 1, "gzcm {args:?}: one line, got\n{err}");
        assert!(err.contains("could not write to standard output"), "gzcm {args:?}:\n{err}");
    }
}

#[test]
fn a_text_extraction_of_a_window_larger_than_any_map_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("big.tsv"), "0\t0\t1\n5\t7\t2\n100\t4000000000\t3\n").unwrap();
    ok(d, &["convert", "big.tsv", "big.gzcm", "--shape", "4294967295x4294967295"]);
    let started = std::time::Instant::now();
    let err = fails(d, &["extract", "big.gzcm", "--rows", ":", "--cols", ":", "--full"], 1);
    assert!(err.contains("cell limit for text output") && err.contains("--force"), "{err}");
    // Refused from the window's size, before any strip is read (a generous bound).
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    // A window within the limit still reads the cells.
    let near = ok(d, &["extract", "big.gzcm", "--rows", "0:200", "--cols", "0:200"]);
    assert_eq!(near, "0\t0\t1\n5\t7\t2\n");
}
