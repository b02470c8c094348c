//! End-to-end runs of `gzcm balance` and `gzcm expected`: the summary line, the vector stored
//! and readable by `extract --balance=NAME`, `--force`, clear errors with the file untouched,
//! and the expected table's columns. The numbers are checked against cooler and cooltools in
//! `gzcm-py/tests/test_balance_oracle.py`.

use std::path::Path;

use crate::common::{fails, gzcm, ok};

/// Two chromosomes of 30 bins each: even counts, fewer between them; bin 17 empty.
pub(crate) fn map(d: &Path) {
    let mut bins = String::from("chrom\tstart\tend\n");
    for (chrom, n) in [("a", 30u32), ("b", 30)] {
        for k in 0..n {
            bins.push_str(&format!("{chrom}\t{}\t{}\n", k * 10, k * 10 + 10));
        }
    }
    std::fs::write(d.join("m.bins.tsv"), bins).unwrap();
    let mut coo = String::new();
    for i in 0..60u32 {
        for j in i..60 {
            let cis = (i < 30) == (j < 30);
            let v = if cis { 60 + (i * 7 + j * 3) % 5 } else { 20 + (i + j) % 3 };
            if i != 17 && j != 17 {
                coo.push_str(&format!("{i}\t{j}\t{v}\n"));
            }
        }
    }
    std::fs::write(d.join("m.tsv"), coo).unwrap();
    ok(d, &["convert", "m.tsv", "--bins", "m.bins.tsv", "m.gzcm", "--tile-size", "16"]);
}

#[test]
fn balance_stores_a_vector_that_extract_applies_and_needs_force_to_replace() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    map(d);
    let out = ok(d, &["balance", "m.gzcm"]);
    assert!(out.contains("stored `weight` (ice, genome-wide):"), "{out}");
    assert!(
        out.contains("converged") && out.contains("scale") && out.contains("1 of 60 bins masked"),
        "{out}"
    );
    // The budget covers the per-bin vectors first: none at all is refused, the file untouched.
    let before = std::fs::read(d.join("m.gzcm")).unwrap();
    let err = fails(d, &["balance", "m.gzcm", "--name", "cis", "--memory", "0"], 1);
    assert!(err.contains("has 60 bins") && err.contains("memory budget of 0.0 MiB"), "{err}");
    assert_eq!(std::fs::read(d.join("m.gzcm")).unwrap(), before);
    let out = ok(d, &["balance", "m.gzcm", "--mode", "cis", "--name", "cis", "--memory", "64K"]);
    assert!(out.contains("over 2 chromosomes"), "{out}");
    ok(d, &["balance", "m.gzcm", "--method", "vc_sqrt"]);
    let info = ok(d, &["info", "m.gzcm"]);
    assert!(
        info.contains("weight (59 of 60 non-NaN), cis (59 of 60 non-NaN), VC_SQRT (59 of 60 non-NaN)"),
        "{info}"
    );
    ok(d, &["verify", "m.gzcm"]);
    let balanced = ok(d, &["extract", "m.gzcm", "--range", "a", "--balance=cis"]);
    assert!(balanced.lines().count() > 100, "{balanced}");
    let before = std::fs::read(d.join("m.gzcm")).unwrap();
    let err = fails(d, &["balance", "m.gzcm", "--name", "cis"], 1);
    assert!(err.contains("already has a weight vector named `cis`") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(d.join("m.gzcm")).unwrap(), before);
    let out = ok(d, &["balance", "m.gzcm", "--name", "cis", "--force", "--max-iters", "2"]);
    assert!(out.contains("2 iterations, NOT converged"), "{out}");
}

#[test]
fn scale_is_stored_per_chromosome_and_a_run_cut_short_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    map(d);
    let out = ok(d, &["balance", "m.gzcm", "--method", "scale", "--mode", "cis"]);
    assert!(out.contains("stored `SCALE` (scale, cis):") && out.contains("converged"), "{out}");
    assert!(out.contains("over 2 chromosomes") && out.contains("1 of 60 bins masked"), "{out}");
    let info = ok(d, &["info", "m.gzcm"]);
    assert!(info.contains("SCALE (59 of 60 non-NaN)"), "{info}");
    let balanced = ok(d, &["extract", "m.gzcm", "--range", "b", "--balance=SCALE"]);
    assert!(balanced.lines().count() > 100, "{balanced}");
    let output = gzcm(d, &["balance", "m.gzcm", "--method", "scale", "--name", "short", "--max-iters", "2"]);
    let (out, err) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{err}");
    assert!(out.contains("stored `short` (scale, genome-wide): 2 iterations, NOT converged"), "{out}");
    assert!(
        err.contains("warning: `short` did not converge in 2 iterations (Juicer's stopping rule"),
        "{err}"
    );
    ok(d, &["verify", "m.gzcm"]);
}

#[test]
fn bad_input_is_a_clear_error_and_the_file_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    map(d);
    let before = std::fs::read(d.join("m.gzcm")).unwrap();
    let err = fails(d, &["balance", "m.gzcm", "--min-nnz", "100"], 1);
    assert!(
        err.contains("every one of the 60 bins is masked (60 with fewer than 100 nonzero pixels"),
        "{err}"
    );
    let err = fails(d, &["balance", "m.gzcm", "--ignore-diags", "60"], 1);
    assert!(err.contains("no contacts to balance once the first 60 diagonals are ignored"), "{err}");
    let err = fails(d, &["balance", "m.gzcm", "--method", "kr"], 2);
    assert!(err.contains("unknown method `kr`"), "{err}");
    let err = fails(d, &["balance", "m.gzcm", "--resolution", "20"], 1);
    assert!(err.contains("has no resolution 20"), "{err}");
    std::fs::write(d.join("bad.bed"), "zz\t0\t10\n").unwrap();
    let err = fails(d, &["balance", "m.gzcm", "--blacklist", "bad.bed"], 1);
    assert!(err.contains("bad.bed, line 1: chromosome `zz` is not in the file"), "{err}");
    let err = fails(d, &["expected", "m.gzcm", "-o", "e.tsv"], 1);
    assert!(err.contains("no weight vector `weight`"), "{err}");
    assert_eq!(std::fs::read(d.join("m.gzcm")).unwrap(), before);
    ok(d, &["convert", "m.tsv", "plain.gzcm"]);
    let err = fails(d, &["balance", "plain.gzcm"], 1);
    assert!(err.contains("has no genome"), "{err}");
}

#[test]
fn expected_writes_cooltools_columns_per_chromosome_and_per_view_region() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    map(d);
    ok(d, &["balance", "m.gzcm", "--blacklist", "/dev/null"]);
    let out = ok(d, &["expected", "m.gzcm", "-o", "e.tsv"]);
    assert!(out.contains("60 rows (2 regions)"), "{out}");
    let table = std::fs::read_to_string(d.join("e.tsv")).unwrap();
    let mut lines = table.lines();
    assert_eq!(
        lines.next(),
        Some(
            "region1\tregion2\tdist\tdist_bp\tcontact_frequency\tn_total\tn_valid\tcount.sum\tbalanced.sum\tcount.avg\tbalanced.avg"
        )
    );
    let first: Vec<&str> = lines.next().unwrap().split('\t').collect();
    assert_eq!(&first[..8], ["a", "a", "0", "0", "nan", "30", "29", "nan"]);
    let third: Vec<&str> = table.lines().nth(3).unwrap().split('\t').collect();
    assert_eq!(&third[..7], ["a", "a", "2", "20", third[4], "28", "26"]);
    assert!(third[7].parse::<f64>().unwrap() > 0.0);
    std::fs::write(d.join("arms.bed"), "a\t0\t150\ta_p\na\t150\t300\ta_q\n").unwrap();
    ok(d, &["expected", "m.gzcm", "--view", "arms.bed", "--raw", "-o", "arms.tsv"]);
    let arms = std::fs::read_to_string(d.join("arms.tsv")).unwrap();
    assert!(arms.starts_with(
        "region1\tregion2\tdist\tdist_bp\tcontact_frequency\tn_total\tn_valid\tcount.sum\tcount.avg\n"
    ));
    assert_eq!(arms.lines().filter(|l| l.starts_with("a_q\t")).count(), 15);
    let err = fails(d, &["expected", "m.gzcm", "-o", "e.tsv"], 1);
    assert!(err.contains("already exists"), "{err}");
}
