//! End-to-end runs of `gzcm zoomify IN OUT`: the multi-resolution file holds the base as it was
//! and every coarser resolution summed within chromosomes; resolution lists follow cooler's
//! progressions; bad requests are one-line errors and leave nothing behind.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use gzcm::TileData;
use gzcm_container::{Collection, Reader};
use gzcm_convert::zoomify::BinMap;

use crate::common::{fails, gzcm, ok};

/// The non-zero cells of a reader's matrix (the upper triangle of a symmetric one).
fn cells(reader: &Reader) -> BTreeMap<(u64, u64), u64> {
    let (n, _) = reader.shape();
    let TileData::U32(m) = reader.window(0..n, 0..n).unwrap() else { panic!("a u32 matrix") };
    let upper = reader.symmetric();
    m.indexed_iter()
        .filter(|&((r, c), &v)| v != 0 && (!upper || c >= r))
        .map(|((r, c), &v)| ((r as u64, c as u64), u64::from(v)))
        .collect()
}

/// The base's cells summed into the bins of `resolution`.
fn summed(base: &Reader, resolution: u64) -> BTreeMap<(u64, u64), u64> {
    let map = BinMap::new(base.genome().unwrap(), resolution);
    let mut sums = BTreeMap::new();
    for ((r, c), v) in cells(base) {
        *sums.entry((map.coarse_bin(r), map.coarse_bin(c))).or_insert(0) += v;
    }
    sums
}

/// Writes `m.gzcm` from COO text with a bins file: chromosomes of 95, 33 and 7 bp in 5 bp bins
/// (19 + 7 + 2 = 28 bins), every chromosome ending in a short bin but the first.
fn coo_base(dir: &Path, symmetric: bool) {
    let mut bins = String::from("chrom\tstart\tend\tweight\n");
    for (name, length) in [("a", 95u64), ("b", 33), ("c", 7)] {
        for start in (0..length).step_by(5) {
            writeln!(bins, "{name}\t{start}\t{}\t0.5", (start + 5).min(length)).unwrap();
        }
    }
    std::fs::write(dir.join("m.bins.tsv"), bins).unwrap();
    let mut coo = String::new();
    for i in 0..28u64 {
        for j in (if symmetric { i } else { 0 })..28 {
            let count = (i * 7 + j * 3) % 5 + u64::from(i == j) * 40;
            if count > 0 {
                writeln!(coo, "{i}\t{j}\t{count}").unwrap();
            }
        }
    }
    std::fs::write(dir.join("m.coo.tsv"), coo).unwrap();
    let symmetry = if symmetric { "--symmetric" } else { "--no-symmetric" };
    ok(dir, &["convert", "m.coo.tsv", "m.gzcm", "--bins", "m.bins.tsv", symmetry, "--tile-size", "16"]);
}

#[test]
fn every_resolution_sums_the_base_within_chromosomes() {
    for symmetric in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        coo_base(d, symmetric);
        let output =
            gzcm(d, &["zoomify", "m.gzcm", "z.gzcm", "--resolutions", "10,15,40,200", "--tile-size", "16"]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(
            err.contains("weights are not carried to coarser resolutions; balance them with `gzcm balance`"),
            "{err}"
        );
        let base = Reader::open(d.join("m.gzcm")).unwrap();
        let collection = Collection::open(d.join("z.gzcm")).unwrap();
        assert_eq!(collection.resolutions(), [5, 10, 15, 40, 200]);
        let kept = collection.reader(5).unwrap();
        assert_eq!((cells(&kept), kept.weight_names()), (cells(&base), vec!["weight"]));
        for resolution in [10, 15, 40, 200] {
            let level = collection.reader(resolution).unwrap();
            let genome = level.genome().unwrap();
            let bins: Vec<u64> = genome.chroms().iter().map(|c| c.n_bins()).collect();
            let expected: Vec<u64> = [95u64, 33, 7].iter().map(|l| l.div_ceil(resolution)).collect();
            assert_eq!((bins, level.symmetric()), (expected, symmetric), "{resolution}");
            assert!(level.weight_names().is_empty(), "weights are not summed");
            assert_eq!(cells(&level), summed(&base, resolution), "{resolution} symmetric={symmetric}");
        }
    }
}

#[test]
fn real_maps_coarsen_into_one_file_with_coolers_progressions() {
    let Some(cool) = gzcm_test_support::data_path("yeast_10kb.cool") else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["convert", cool.to_str().unwrap(), "y.gzcm"]);
    let out = ok(d, &["zoomify", "y.gzcm", "z.gzcm", "--resolutions", "20000,50000,100000"]);
    assert!(out.contains("wrote z.gzcm (4 resolutions)"), "{out}");
    let base = Reader::open(d.join("y.gzcm")).unwrap();
    let collection = Collection::open(d.join("z.gzcm")).unwrap();
    assert_eq!(collection.resolutions(), [10_000, 20_000, 50_000, 100_000]);
    assert_eq!(collection.reader(10_000).unwrap().weight_names(), base.weight_names());
    for resolution in [20_000, 50_000, 100_000] {
        assert_eq!(cells(&collection.reader(resolution).unwrap()), summed(&base, resolution), "{resolution}");
    }
    // yeast: 12,157,105 bp in 256 bins is 47,489 bp: nice stops at 20 kb, doubling at 40 kb.
    ok(d, &["zoomify", "y.gzcm", "n.gzcm", "--nice"]);
    assert_eq!(Collection::open(d.join("n.gzcm")).unwrap().resolutions(), [10_000, 20_000]);
    ok(d, &["zoomify", "y.gzcm", "b.gzcm"]);
    assert_eq!(Collection::open(d.join("b.gzcm")).unwrap().resolutions(), [10_000, 20_000, 40_000]);
    // One resolution of a multi-resolution file is a base too.
    ok(d, &["zoomify", "z.gzcm::/resolutions/20000", "zz.gzcm", "--resolutions", "40000"]);
    let chained = Collection::open(d.join("zz.gzcm")).unwrap();
    assert_eq!(chained.resolutions(), [20_000, 40_000]);
    assert_eq!(cells(&chained.reader(40_000).unwrap()), summed(&base, 40_000));
}

#[test]
fn bad_requests_are_one_line_errors_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    coo_base(d, true);
    let cases: [(&[&str], &str); 5] = [
        (&["--resolutions", "12"], "resolution 12 is not a multiple of the base resolution 5 bp"),
        (&["--resolutions", "20,10"], "resolution 10 follows 20"),
        (&["--resolutions", "10,10"], "resolution 10 follows 10"),
        (&["--resolutions", "5"], "resolution 5 is the base resolution"),
        (&["--resolutions", "0"], "resolution 0 is not a bin size"),
    ];
    for (flags, message) in cases {
        let args: Vec<&str> = ["zoomify", "m.gzcm", "z.gzcm"].iter().chain(flags).copied().collect();
        let err = fails(d, &args, 1);
        assert!(err.contains(message) && err.lines().count() == 1, "{flags:?}: {err}");
    }
    let err = fails(d, &["zoomify", "m.gzcm", "m.gzcm", "--overwrite"], 1);
    assert!(err.contains("is the input"), "{err}");
    fails(d, &["zoomify", "m.gzcm", "z.gzcm", "--nice", "--resolutions", "10"], 2);
    ok(d, &["convert", "m.coo.tsv", "plain.gzcm", "--symmetric"]);
    let err = fails(d, &["zoomify", "plain.gzcm", "z.gzcm"], 1);
    assert!(err.contains("zoomify needs genomic bins; convert with --bins or from a .cool"), "{err}");
    std::fs::write(d.join("z.gzcm"), "keep").unwrap();
    let err = fails(d, &["zoomify", "m.gzcm", "z.gzcm", "--resolutions", "10"], 1);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(d.join("z.gzcm")).unwrap(), b"keep");
    let mut left = gzcm_test_support::dir_entries(d);
    left.sort();
    assert_eq!(
        left,
        ["m.bins.tsv", "m.coo.tsv", "m.gzcm", "plain.gzcm", "z.gzcm"],
        "no temporary file is left"
    );
    ok(d, &["zoomify", "m.gzcm", "z.gzcm", "--resolutions", "10", "--overwrite"]);
    assert_eq!(Collection::open(d.join("z.gzcm")).unwrap().resolutions(), [5, 10]);
}
