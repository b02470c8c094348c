//! End-to-end runs of `gzcm load PAIRS OUT`: every format gives the pixels its lines add up
//! to, at every resolution; order, triangle and compression do not matter; filters and bad
//! lines are counted or named, never dropped silently; a bad load leaves nothing behind.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use gzcm::TileData;
use gzcm_container::{GzcmFile, Reader, ReaderOptions};

use crate::common::{fails, ok};

/// Chromosomes of 1000 and 450 bp.
const HEADER: &str = "## pairs format v1.0\n#genome_assembly: toy\n#chromsize: chr1 1000\n#chromsize: chr2 450\n\
#columns: readID chr1 pos1 chr2 pos2 strand1 strand2 mapq1 mapq2\n";

/// Pairs in both orientations and both triangles, some repeated, as `(chr1, pos1, chr2, pos2)`.
fn pairs() -> Vec<(&'static str, u64, &'static str, u64)> {
    let mut out = Vec::new();
    for i in 0..60u64 {
        let p = 1 + (i * 37) % 1000;
        let q = 1 + (i * 91) % 1000;
        out.push(("chr1", p, "chr1", q));
        if i % 3 == 0 {
            out.push(("chr2", 1 + (i * 13) % 450, "chr1", p));
        }
        if i % 5 == 0 {
            out.push(("chr2", 450, "chr2", 1 + i));
        }
    }
    out
}

fn pairs_text(pairs: &[(&str, u64, &str, u64)]) -> String {
    let mut text = String::from(HEADER);
    for (i, (c1, p1, c2, p2)) in pairs.iter().enumerate() {
        text.push_str(&format!("r{i}\t{c1}\t{p1}\t{c2}\t{p2}\t+\t-\t{}\t30\n", 10 + i % 50));
    }
    text
}

/// The expected upper-triangle pixels at `resolution` (chr1 then chr2, ceil(length / r) bins).
fn expected(pairs: &[(&str, u64, &str, u64)], resolution: u64) -> BTreeMap<(u64, u64), u64> {
    let offset = |c: &str| if c == "chr1" { 0 } else { 1000u64.div_ceil(resolution) };
    let mut pixels = BTreeMap::new();
    for &(c1, p1, c2, p2) in pairs {
        let a = offset(c1) + (p1 - 1) / resolution;
        let b = offset(c2) + (p2 - 1) / resolution;
        *pixels.entry((a.min(b), a.max(b))).or_insert(0) += 1;
    }
    pixels
}

fn cells(reader: &Reader) -> BTreeMap<(u64, u64), u64> {
    let (n, _) = reader.shape();
    let TileData::U32(m) = reader.window(0..n, 0..n).unwrap() else { panic!("a u32 matrix") };
    m.indexed_iter()
        .filter(|&((r, c), &v)| v != 0 && c >= r)
        .map(|((r, c), &v)| ((r as u64, c as u64), u64::from(v)))
        .collect()
}

fn resolution(path: &Path, r: u64) -> Reader {
    GzcmFile::open_with(path, ReaderOptions::new()).unwrap().into_reader(Some(r)).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn gzip(dir: &Path, name: &str, text: &str) {
    let file = std::fs::File::create(dir.join(name)).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap();
}

#[test]
fn pairs_load_into_every_resolution_whatever_their_order_and_compression() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = pairs();
    write(dir.path(), "a.pairs", &pairs_text(&pairs));
    let mut reversed = pairs.clone();
    reversed.reverse();
    let swapped: Vec<_> = reversed.iter().map(|&(c1, p1, c2, p2)| (c2, p2, c1, p1)).collect();
    gzip(dir.path(), "b.pairs.gz", &pairs_text(&swapped));
    let out = ok(dir.path(), &["load", "a.pairs", "a.gzcm", "--resolutions", "100,200,500"]);
    assert!(out.contains("wrote a.gzcm (3 resolutions)"), "{out}");
    assert!(out.contains(&format!("{} pairs lines, {} contacts loaded", pairs.len(), pairs.len())), "{out}");
    ok(dir.path(), &["load", "b.pairs.gz", "b.gzcm", "--resolutions", "500,100,200", "--memory", "176M"]);
    for r in [100, 200, 500] {
        let a = resolution(&dir.path().join("a.gzcm"), r);
        assert_eq!(cells(&a), expected(&pairs, r), "{r} bp");
        assert_eq!(cells(&resolution(&dir.path().join("b.gzcm"), r)), cells(&a), "{r} bp");
        let genome = a.genome().unwrap();
        assert_eq!(genome.assembly(), Some("toy"));
        assert_eq!(genome.n_bins(), 1000u64.div_ceil(r) + 450u64.div_ceil(r));
    }
    // One resolution: a single-resolution file.
    ok(dir.path(), &["load", "a.pairs", "one.gzcm", "--resolutions", "100"]);
    let one = Reader::open(dir.path().join("one.gzcm")).unwrap();
    assert_eq!(cells(&one), expected(&pairs, 100));
}

#[test]
fn other_formats_and_chromsizes_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "g.sizes", "chr1\t1000\nchr2\t450\n");
    // validPairs: readID chr1 pos1 strand1 chr2 pos2 strand2 …, 1-based.
    write(
        dir.path(),
        "x.allValidPairs",
        "r1\tchr1\t1\t+\tchr2\t450\t-\t100\tf1\tf2\t30\t40\nr2\tchr1\t150\t+\tchr1\t1\t-\t1\tf\tf\t5\t40\n",
    );
    ok(dir.path(), &["load", "x.allValidPairs", "v.gzcm", "--resolutions", "100", "--chromsizes", "g.sizes"]);
    let want = BTreeMap::from([((0, 14), 1), ((0, 1), 1)]);
    assert_eq!(cells(&Reader::open(dir.path().join("v.gzcm")).unwrap()), want);
    let out = ok(
        dir.path(),
        &[
            "load",
            "x.allValidPairs",
            "q.gzcm",
            "--resolutions",
            "100",
            "--chromsizes",
            "g.sizes",
            "--min-mapq",
            "10",
        ],
    );
    assert!(out.contains("dropped  1 pairs below --min-mapq"), "{out}");
    // bedGraph2, 0-based starts, with counts; and COO in bins.
    write(dir.path(), "x.bg2", "chr1\t0\t100\tchr2\t400\t450\t7\nchr1\t100\t200\tchr1\t0\t100\t2\n");
    ok(dir.path(), &["load", "x.bg2", "b.gzcm", "--resolutions", "100", "--chromsizes", "g.sizes"]);
    assert_eq!(
        cells(&Reader::open(dir.path().join("b.gzcm")).unwrap()),
        BTreeMap::from([((0, 14), 7), ((0, 1), 2)])
    );
    write(dir.path(), "x.txt", "0 14 7\n1 0 2\n");
    ok(
        dir.path(),
        &["load", "x.txt", "c.gzcm", "--resolutions", "100", "--chromsizes", "g.sizes", "--format", "coo"],
    );
    assert_eq!(
        cells(&Reader::open(dir.path().join("c.gzcm")).unwrap()),
        BTreeMap::from([((0, 14), 7), ((0, 1), 2)])
    );
    let err =
        fails(dir.path(), &["load", "x.txt", "d.gzcm", "--resolutions", "100", "--chromsizes", "g.sizes"], 1);
    assert!(err.contains("cannot tell its format") && err.contains("--format"), "{err}");
}

#[test]
fn max_distance_keeps_a_band_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = pairs();
    write(dir.path(), "a.pairs", &pairs_text(&pairs));
    let out = ok(dir.path(), &["load", "a.pairs", "a.gzcm", "--resolutions", "100", "--max-distance", "300"]);
    let kept: Vec<_> =
        pairs.iter().copied().filter(|&(c1, p1, c2, p2)| c1 == c2 && p1.abs_diff(p2) <= 300).collect();
    let dropped = pairs.len() - kept.len();
    assert!(out.contains(&format!("dropped  {dropped} pairs beyond --max-distance")), "{out}");
    assert_eq!(cells(&Reader::open(dir.path().join("a.gzcm")).unwrap()), expected(&kept, 100));
}

#[test]
fn header_only_and_empty_files_give_empty_valid_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "h.pairs", HEADER);
    ok(dir.path(), &["load", "h.pairs", "h.gzcm", "--resolutions", "100,500"]);
    let reader = resolution(&dir.path().join("h.gzcm"), 500);
    assert!(cells(&reader).is_empty());
    assert_eq!(reader.shape(), (3, 3));
    write(dir.path(), "g.sizes", "chr1\t1000\n");
    write(dir.path(), "e.pairs", "");
    ok(dir.path(), &["load", "e.pairs", "e.gzcm", "--resolutions", "100", "--chromsizes", "g.sizes"]);
    assert!(cells(&Reader::open(dir.path().join("e.gzcm")).unwrap()).is_empty());
    let err = fails(dir.path(), &["load", "e.pairs", "f.gzcm", "--resolutions", "100"], 1);
    assert!(err.contains("no `#chromsize:` lines; give the genome with --chromsizes"), "{err}");
}

#[test]
fn each_bad_line_is_named_or_counted_and_nothing_is_left_behind() {
    let dir = tempfile::tempdir().unwrap();
    let good = "r\tchr1\t5\tchr1\t9\t+\t-\t30\t30\n";
    let cases = [
        ("r\tchr1\t5\n", "line 7: it has 3 columns, the format needs 5"),
        ("r\tchr1\tfive\tchr1\t9\t+\t-\t30\t30\n", "line 7: its pos1 is not a non-negative integer"),
        ("r\tchrX\t5\tchr1\t9\t+\t-\t30\t30\n", "line 7: chromosome `chrX` is not in the chromosome sizes"),
        ("r\tchr1\t5\tchr2\t451\t+\t-\t30\t30\n", "line 7: position 451 is outside chr2 (length 450 bp)"),
    ];
    for (bad, message) in cases {
        let text = format!("{HEADER}{good}{bad}{good}");
        write(dir.path(), "bad.pairs", &text);
        let err = fails(dir.path(), &["load", "bad.pairs", "bad.gzcm", "--resolutions", "100,200"], 1);
        assert!(err.contains(message), "{err} lacks {message}");
        assert!(err.contains(bad.trim_end()), "{err} lacks the line's text");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 1, "left behind: {left:?}");
        let out = ok(
            dir.path(),
            &["load", "bad.pairs", "ok.gzcm", "--resolutions", "100", "--skip-bad-lines", "--overwrite"],
        );
        assert!(out.contains("skipped  1 bad lines"), "{out}");
        assert!(out.contains(&format!("the first: {message}")), "{out}");
        assert_eq!(cells(&Reader::open(dir.path().join("ok.gzcm")).unwrap()), BTreeMap::from([((0, 0), 2)]));
        std::fs::remove_file(dir.path().join("ok.gzcm")).unwrap();
    }
}

#[test]
fn bad_requests_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.pairs", &pairs_text(&pairs()));
    let err = fails(dir.path(), &["load", "a.pairs", "a.gzcm", "--resolutions", "100,250"], 1);
    assert!(err.contains("250") && err.contains("multiple"), "{err}");
    let err = fails(dir.path(), &["load", "a.pairs", "a.gzcm", "--resolutions", "100", "--memory", "1M"], 1);
    assert!(err.contains("--memory 1048576 bytes is below"), "{err}");
    let err = fails(dir.path(), &["load", "a.pairs", "a.pairs", "--resolutions", "100"], 1);
    assert!(err.contains("input"), "{err}");
    let err = fails(dir.path(), &["load", "missing.pairs", "m.gzcm", "--resolutions", "100"], 1);
    assert!(err.contains("cannot open missing.pairs"), "{err}");
    write(dir.path(), "n.pairs", "## pairs format v1.0\n#chromsize: chr1 100\n");
    let err = fails(dir.path(), &["load", "n.pairs", "n.gzcm", "--resolutions", "10", "--min-mapq", "5"], 1);
    assert!(err.contains("--min-mapq needs mapping-quality columns"), "{err}");
    fails(dir.path(), &["load", "a.pairs", "a.gzcm"], 2);
}
