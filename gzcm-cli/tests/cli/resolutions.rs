//! Multi-resolution files on the command line (issue 23): `.mcool` and `.hic` inputs convert
//! whole, every command takes `--resolution R` or `FILE::/resolutions/R`, and a
//! multi-resolution file is never read at a silently chosen resolution.

use std::path::Path;

use crate::common::{fails, ok};
use gzcm_hic::OpenOptions;

const RESOLUTIONS: [u64; 3] = [10_000, 20_000, 40_000];

/// The upper-triangle pixels of `spec` at `resolution`, as gzcm's cooler/Juicer reader gives
/// them, sorted.
fn source_pixels(spec: &Path, resolution: u64) -> Vec<(u64, u64, u64)> {
    let options = OpenOptions { resolution: Some(resolution), ..OpenOptions::default() };
    let mut source = gzcm_hic::open(spec.to_str().unwrap(), &options).unwrap();
    let mut pixels: Vec<(u64, u64, u64)> = source
        .pixels()
        .unwrap()
        .map(|p| {
            let p = p.unwrap();
            (p.bin1, p.bin2, p.count as u64)
        })
        .collect();
    pixels.sort_unstable();
    pixels
}

/// `gzcm extract FILE --resolution R` of the whole matrix: its upper-triangle cells, sorted.
fn extracted(dir: &Path, file: &str, resolution: u64) -> Vec<(u64, u64, u64)> {
    let r = resolution.to_string();
    let text = ok(dir, &["extract", file, "--resolution", &r, "--rows", ":", "--cols", ":"]);
    let mut cells: Vec<(u64, u64, u64)> = text
        .lines()
        .map(|line| {
            let mut fields = line.split('\t').map(|f| f.parse::<u64>().unwrap());
            (fields.next().unwrap(), fields.next().unwrap(), fields.next().unwrap())
        })
        .collect();
    cells.sort_unstable();
    cells
}

#[test]
fn every_resolution_of_an_mcool_and_a_hic_converts_into_one_file_equal_to_its_source() {
    let Some(data) = gzcm_test_support::data_dir_with(&["yeast_10kb.mcool", "yeast_10kb.hic"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for (input, output) in [("yeast_10kb.mcool", "m.gzcm"), ("yeast_10kb.hic", "h.gzcm")] {
        let out = ok(dir.path(), &["convert", data.join(input).to_str().unwrap(), output]);
        assert!(out.contains("3 resolutions in one file"), "{out}");
    }
    for resolution in RESOLUTIONS {
        let from_mcool = extracted(dir.path(), "m.gzcm", resolution);
        assert!(!from_mcool.is_empty());
        assert_eq!(from_mcool, source_pixels(&data.join("yeast_10kb.mcool"), resolution), "{resolution}");
        assert_eq!(extracted(dir.path(), "h.gzcm", resolution), from_mcool, "{resolution}: .hic and .mcool");
        let uri = format!("m.gzcm::/resolutions/{resolution}");
        let info = ok(dir.path(), &["info", &uri]);
        assert!(info.contains(&format!("{resolution}")) && info.contains("weight"), "{info}");
    }
    let verified = ok(dir.path(), &["verify", "m.gzcm"]);
    assert!(verified.contains("ok, 3 resolutions"), "{verified}");
    let listed = ok(dir.path(), &["info", "h.gzcm"]);
    for resolution in RESOLUTIONS {
        assert!(listed.contains(&format!("{resolution} bp")), "{listed}");
    }
}

#[test]
fn a_multi_resolution_file_is_never_read_at_a_silently_chosen_resolution() {
    let Some(mcool) = gzcm_test_support::data_path("yeast_10kb.mcool") else { return };
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["convert", mcool.to_str().unwrap(), "m.gzcm", "--resolutions", "10000,40000"]);
    let required = fails(dir.path(), &["extract", "m.gzcm", "--rows", "0:2", "--cols", "0:2"], 1);
    assert!(
        required.contains("holds resolutions 10000, 40000") && required.contains("--resolution R"),
        "{required}"
    );
    let missing = fails(
        dir.path(),
        &["extract", "m.gzcm", "--resolution", "20000", "--rows", "0:2", "--cols", "0:2"],
        1,
    );
    assert!(missing.contains("no resolution 20000") && missing.contains("10000, 40000"), "{missing}");
    let twice = fails(dir.path(), &["info", "m.gzcm::/resolutions/10000", "--resolution", "40000"], 1);
    assert!(twice.contains("different resolution"), "{twice}");
    let malformed = fails(dir.path(), &["info", "m.gzcm::/resolutions/10kb"], 1);
    assert!(malformed.contains("not a resolution"), "{malformed}");
    let same = ok(
        dir.path(),
        &["extract", "m.gzcm::/resolutions/40000", "--resolution", "40000", "--rows", "0:4", "--cols", "0:4"],
    );
    assert_eq!(
        same,
        ok(dir.path(), &["extract", "m.gzcm", "--resolution", "40000", "--rows", "0:4", "--cols", "0:4"])
    );
}

#[test]
fn one_resolution_stays_a_plain_file_and_impossible_lists_are_refused() {
    let Some(hic) = gzcm_test_support::data_path("yeast_10kb.hic") else { return };
    let hic = hic.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["convert", hic, "one.gzcm", "--resolution", "20000"]);
    let info = ok(dir.path(), &["info", "one.gzcm"]);
    assert!(!info.contains("multi-resolution"), "{info}");
    assert_eq!(extracted(dir.path(), "one.gzcm", 20_000), extracted_source(hic, 20_000));
    // A single-resolution file answers to its own resolution and no other.
    let other = fails(dir.path(), &["info", "one.gzcm", "--resolution", "10000"], 1);
    assert!(other.contains("no resolution 10000") && other.contains("20000"), "{other}");
    let absent = fails(dir.path(), &["convert", hic, "x.gzcm", "--resolutions", "10000,15000"], 1);
    assert!(absent.contains("15000") && absent.contains("10000, 20000, 40000"), "{absent}");
    let both =
        fails(dir.path(), &["convert", hic, "x.gzcm", "--resolutions", "10000", "--resolution", "10000"], 2);
    assert!(both.contains("--resolution"), "{both}");
    assert!(!dir.path().join("x.gzcm").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "scratch files left behind: {leftovers:?}");
}

fn extracted_source(spec: &str, resolution: u64) -> Vec<(u64, u64, u64)> {
    source_pixels(Path::new(spec), resolution)
}
