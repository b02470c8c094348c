//! End-to-end runs of `gzcm export FILE.gzcm OUT.cool`: the cooler file it writes reads back
//! (through gzcm's own `.cool` reader) with the same chromosomes, bins, weights and pixels;
//! bad input and an existing output are clear errors.

use std::path::Path;

use gzcm_genome::{Genome, WeightVector};
use gzcm_hic::{OpenOptions, Pixel, WeightSelection};

use crate::common::{fails, ok};

/// Genome, weights and pixels (sorted by bin1, bin2) of a cooler file, through gzcm-hic.
fn read_cool(path: &Path) -> (Genome, Vec<WeightVector>, bool, Vec<Pixel>) {
    let options = OpenOptions { weights: WeightSelection::All, ..OpenOptions::default() };
    let mut source = gzcm_hic::open(&path.display().to_string(), &options).unwrap();
    let mut pixels: Vec<Pixel> = source.pixels().unwrap().map(Result::unwrap).collect();
    pixels.sort_by_key(|p| (p.bin1, p.bin2));
    (source.genome().clone(), source.genome().weights().to_vec(), source.symmetric(), pixels)
}

fn same_weights(a: &[WeightVector], b: &[WeightVector]) {
    assert_eq!(a.iter().map(|w| &w.name).collect::<Vec<_>>(), b.iter().map(|w| &w.name).collect::<Vec<_>>());
    for (a, b) in a.iter().zip(b) {
        assert_eq!(a.values.len(), b.values.len(), "{}", a.name);
        for (x, y) in a.values.iter().zip(&b.values) {
            // KR/VC/VC_SQRT go through 1/w on write and read: within a few ulp.
            let close = (x - y).abs() <= 1e-15 * x.abs().max(y.abs());
            assert!(
                x.to_bits() == y.to_bits() || close || (x.is_nan() && y.is_nan()),
                "{}: {x} vs {y}",
                a.name
            );
        }
    }
}

#[test]
fn coo_with_bins_exports_genome_weights_and_upper_pixels() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("m.bins.tsv"),
        "chrom\tstart\tend\tweight\na\t0\t10\t0.5\na\t10\t15\t2\nb\t0\t10\t1\nb\t10\t20\tnan\nb\t20\t28\t0.25\nc\t0\t4\t4\n",
    )
    .unwrap();
    let mut coo = String::new();
    let mut expected = Vec::new();
    for i in 0..6u64 {
        for j in i..6 {
            if (i + j) % 3 != 1 {
                coo.push_str(&format!("{i}\t{j}\t{}\n", 1 + i * 10 + j));
                expected.push(Pixel { bin1: i, bin2: j, count: (1 + i * 10 + j) as f64 });
            }
        }
    }
    std::fs::write(d.join("m.tsv"), coo).unwrap();
    ok(d, &["convert", "m.tsv", "--bins", "m.bins.tsv", "m.gzcm", "--tile-size", "16"]);

    let summary = ok(d, &["export", "m.gzcm", "m.cool"]);
    assert!(
        summary.contains(&format!("{} pixels, 6 bins, 3 chromosomes, weights: weight", expected.len())),
        "{summary}"
    );
    let (genome, weights, symmetric, pixels) = read_cool(&d.join("m.cool"));
    let chroms: Vec<(&str, u64)> = genome.chroms().iter().map(|c| (c.name.as_str(), c.length)).collect();
    assert_eq!(chroms, [("a", 15), ("b", 28), ("c", 4)]);
    assert_eq!(genome.chrom_offsets(), [0, 2, 5, 6]);
    assert_eq!(genome.resolution(), Some(10));
    assert!(symmetric);
    same_weights(
        &weights,
        &[WeightVector { name: "weight".into(), values: vec![0.5, 2.0, 1.0, f64::NAN, 0.25, 4.0] }],
    );
    assert_eq!(pixels, expected);

    // The output exists: --force is needed, and the first file is left as it was.
    let before = std::fs::read(d.join("m.cool")).unwrap();
    let err = fails(d, &["export", "m.gzcm", "m.cool"], 1);
    assert!(err.contains("already exists; pass --force"), "{err}");
    assert_eq!(std::fs::read(d.join("m.cool")).unwrap(), before);
    ok(d, &["export", "m.gzcm", "m.cool", "--force"]);
    assert_eq!(read_cool(&d.join("m.cool")).3, expected);
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn bad_inputs_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("plain.tsv"), "0\t0\t5\n0\t3\t2\n").unwrap();
    ok(d, &["convert", "plain.tsv", "plain.gzcm"]);
    let err = fails(d, &["export", "plain.gzcm", "plain.cool"], 1);
    assert!(err.contains("no genomic coordinates") && err.contains("--bins"), "{err}");
    assert!(!d.join("plain.cool").exists());

    let err = fails(d, &["export", "plain.gzcm", "plain.gzcm", "--force"], 1);
    assert!(err.contains("is the input"), "{err}");
    let err = fails(d, &["export", "missing.gzcm", "x.cool"], 1);
    assert!(err.contains("missing.gzcm"), "{err}");

    let bytes = std::fs::read(d.join("plain.gzcm")).unwrap();
    std::fs::write(d.join("cut.gzcm"), &bytes[..bytes.len() / 2]).unwrap();
    fails(d, &["export", "cut.gzcm", "x.cool"], 1);
    assert!(!d.join("x.cool").exists());
}

/// Every shared `.cool` converted to `.gzcm` and exported reads back with the source's
/// genome, weights and pixels.
#[test]
fn shared_cool_files_survive_convert_then_export() {
    let Some(data) = gzcm_test_support::data_dir() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut checked = 0;
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "cool") {
            continue;
        }
        let input = path.to_str().unwrap();
        ok(d, &["convert", input, "h.gzcm", "--weights", "all", "--overwrite"]);
        ok(d, &["export", "h.gzcm", "h.cool", "--force"]);
        let (genome, weights, symmetric, pixels) = read_cool(&path);
        let (genome2, weights2, symmetric2, pixels2) = read_cool(&d.join("h.cool"));
        assert_eq!(genome2.chroms(), genome.chroms(), "{input}");
        assert_eq!(genome2.chrom_offsets(), genome.chrom_offsets(), "{input}");
        assert_eq!(genome2.bins(), genome.bins(), "{input}");
        assert_eq!(symmetric2, symmetric, "{input}");
        same_weights(&weights2, &weights);
        assert!(pixels2 == pixels, "{input}: pixels differ");
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} shared .cool files");
}
