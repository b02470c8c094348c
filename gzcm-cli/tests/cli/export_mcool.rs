//! End-to-end runs of `gzcm export FILE OUT.mcool` (and of picking one resolution of a
//! multi-resolution file for a `.cool`): each `/resolutions/R` group reads back, through gzcm's
//! own cooler reader, with the source's genome, weights and pixels; the file holds exactly the
//! resolutions exported; what a `.mcool` cannot hold is a clear error that leaves no output.

use std::path::Path;

use gzcm_container::CollectionWriter;
use gzcm_genome::{Genome, WeightVector};
use gzcm_hic::{OpenOptions, Pixel, WeightSelection};

use crate::common::{fails, ok};

/// The resolutions of the shared `yeast_10kb.mcool` (PROVENANCE.md).
const YEAST: [u64; 3] = [10_000, 20_000, 40_000];

/// Genome (weights included), symmetry and pixels of one cooler matrix, through gzcm-hic.
fn read_cool(uri: &str) -> (Genome, bool, Vec<Pixel>) {
    let options = OpenOptions { weights: WeightSelection::All, ..OpenOptions::default() };
    let mut source = gzcm_hic::open(uri, &options).unwrap();
    let pixels: Vec<Pixel> = source.pixels().unwrap().map(Result::unwrap).collect();
    (source.genome().clone(), source.symmetric(), pixels)
}

fn group(path: &Path, resolution: u64) -> String {
    format!("{}::/resolutions/{resolution}", path.display())
}

/// The resolutions a `.mcool` holds, as gzcm's cooler reader lists them.
fn resolutions(path: &Path) -> Vec<u64> {
    gzcm_hic::resolutions(&path.display().to_string()).unwrap()
}

/// `got` holds the same chromosomes, bins, weights (to a few ulp; NaN where NaN) and pixels as
/// `want`.
fn same_matrix(got: &str, want: &str) {
    let (g1, s1, p1) = read_cool(got);
    let (g2, s2, p2) = read_cool(want);
    let coordinates = |g: &Genome| g.clone().with_weights(Vec::new()).unwrap();
    assert_eq!(coordinates(&g1), coordinates(&g2), "{got}");
    same_weights(g1.weights(), g2.weights());
    assert_eq!(s1, s2, "{got}");
    assert!(p1 == p2, "{got}: pixels differ from {want}");
}

fn same_weights(a: &[WeightVector], b: &[WeightVector]) {
    assert_eq!(a.iter().map(|w| &w.name).collect::<Vec<_>>(), b.iter().map(|w| &w.name).collect::<Vec<_>>());
    for (a, b) in a.iter().zip(b) {
        for (x, y) in a.values.iter().zip(&b.values) {
            let close = (x - y).abs() <= 1e-15 * x.abs().max(y.abs());
            assert!(
                x.to_bits() == y.to_bits() || close || (x.is_nan() && y.is_nan()),
                "{}: {x} vs {y}",
                a.name
            );
        }
    }
}

/// No hidden temporary file is left in `dir`.
fn no_temporaries(dir: &Path) {
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn single_resolution_file_exports_a_one_resolution_mcool() {
    let Some(source) = gzcm_test_support::data_path("yeast_10kb.mcool") else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["convert", &group(&source, 40_000), "y40.gzcm", "--weights", "all"]);

    let summary = ok(d, &["export", "y40.gzcm", "y40.mcool"]);
    assert!(summary.starts_with("y40.mcool::/resolutions/40000: "), "{summary}");
    assert!(summary.contains("weights: weight"), "{summary}");
    assert_eq!(resolutions(&d.join("y40.mcool")), [40_000]);
    same_matrix(&group(&d.join("y40.mcool"), 40_000), &group(&source, 40_000));

    let err = fails(d, &["export", "y40.gzcm", "y40.mcool"], 1);
    assert!(err.contains("already exists; pass --force"), "{err}");
    ok(d, &["export", "y40.gzcm", "y40.mcool", "--force"]);
    // Asking for the file's own resolution is allowed; another is not.
    ok(d, &["export", "y40.gzcm::/resolutions/40000", "again.mcool"]);
    let err = fails(d, &["export", "y40.gzcm", "other.mcool", "--resolution", "20000"], 1);
    assert!(err.contains("has no resolution 20000"), "{err}");
    assert!(!d.join("other.mcool").exists());
    no_temporaries(d);
}

/// A multi-resolution `.gzcm` (a collection of the shared `.mcool`'s three resolutions)
/// exports all of them to a `.mcool`, or one of them to a `.cool` or a `.mcool`.
#[test]
fn multi_resolution_file_exports_every_resolution() {
    let Some(source) = gzcm_test_support::data_path("yeast_10kb.mcool") else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut collection = CollectionWriter::create(d.join("multi.gzcm"), false).unwrap();
    for resolution in YEAST {
        let member = collection.scratch_path(resolution);
        ok(d, &["convert", &group(&source, resolution), member.to_str().unwrap(), "--weights", "all"]);
        collection.add(resolution, &member).unwrap();
    }
    collection.finish().unwrap();

    let summary = ok(d, &["export", "multi.gzcm", "all.mcool"]);
    assert_eq!(summary.lines().count(), 3, "{summary}");
    assert_eq!(resolutions(&d.join("all.mcool")), YEAST);
    for resolution in YEAST {
        assert!(summary.contains(&format!("all.mcool::/resolutions/{resolution}: ")), "{summary}");
        same_matrix(&group(&d.join("all.mcool"), resolution), &group(&source, resolution));
    }

    ok(d, &["export", "multi.gzcm::/resolutions/20000", "r20.cool"]);
    same_matrix(&d.join("r20.cool").display().to_string(), &group(&source, 20_000));
    ok(d, &["export", "multi.gzcm", "r40.cool", "--resolution", "40000"]);
    same_matrix(&d.join("r40.cool").display().to_string(), &group(&source, 40_000));
    ok(d, &["export", "multi.gzcm", "--resolution", "10000", "r10.mcool"]);
    assert_eq!(resolutions(&d.join("r10.mcool")), [10_000]);
    same_matrix(&group(&d.join("r10.mcool"), 10_000), &group(&source, 10_000));

    let err = fails(d, &["export", "multi.gzcm", "x.cool"], 1);
    assert!(err.contains("holds resolutions") && err.contains("--resolution R"), "{err}");
    let err = fails(d, &["export", "multi.gzcm::/resolutions/20000", "x.cool", "--resolution", "40000"], 1);
    assert!(err.contains("names a different resolution than the 40000 bp"), "{err}");
    let err = fails(d, &["export", "multi.gzcm::/resolutions/5000", "x.mcool"], 1);
    assert!(err.contains("has no resolution 5000"), "{err}");
    let err = fails(d, &["export", "multi.gzcm::/resolutions/20000", "multi.gzcm", "--force"], 1);
    assert!(err.contains("is the input"), "{err}");
    assert!(!d.join("x.cool").exists() && !d.join("x.mcool").exists());
    no_temporaries(d);
}

/// A `.mcool` holds matrices with genomic coordinates and fixed bins: anything else is an
/// error that writes nothing.
#[test]
fn what_a_mcool_cannot_hold_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Bins of 6, 9, 10, 10, 8 and 4 bp: a genome, but no resolution.
    std::fs::write(
        d.join("v.bins.tsv"),
        "chrom\tstart\tend\na\t0\t6\na\t6\t15\nb\t0\t10\nb\t10\t20\nb\t20\t28\nc\t0\t4\n",
    )
    .unwrap();
    std::fs::write(d.join("v.tsv"), "0\t0\t5\n0\t3\t2\n2\t4\t1\n").unwrap();
    ok(d, &["convert", "v.tsv", "--bins", "v.bins.tsv", "v.gzcm"]);
    let err = fails(d, &["export", "v.gzcm", "v.mcool"], 1);
    assert!(err.contains("bins of varying size") && err.contains("export it to a .cool"), "{err}");
    ok(d, &["export", "v.gzcm", "v.cool"]);

    ok(d, &["convert", "v.tsv", "plain.gzcm"]);
    let err = fails(d, &["export", "plain.gzcm", "plain.mcool"], 1);
    assert!(err.contains("no genomic coordinates"), "{err}");
    assert!(!d.join("v.mcool").exists() && !d.join("plain.mcool").exists());
    no_temporaries(d);
}
