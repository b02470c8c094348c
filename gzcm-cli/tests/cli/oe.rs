//! `gzcm extract --oe` and `gzcm expected --store`: observed/expected windows equal the
//! balanced values divided by the expected of their diagonal computed here from those balanced
//! values (cooltools' definition: `balanced.avg` over the valid pixels, NaN on the first
//! ignore_diags diagonals); trans windows are a clear error; a stored table round-trips, is
//! used, and needs --force to be replaced. cooltools itself is the oracle of
//! `gzcm-py/tests/test_balance_oracle.py`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::balance::map;
use crate::common::{fails, gzcm, ok};

/// `bin1 bin2 value` lines as a map.
fn cells(text: &str) -> BTreeMap<(u64, u64), f64> {
    text.lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            ((f[0].parse().unwrap(), f[1].parse().unwrap()), f[2].parse().unwrap())
        })
        .collect()
}

/// The expected of each diagonal of bins `bins`, from the balanced cells (every cis pixel
/// between valid bins is stored in `map`, so the valid bins are those with a balanced cell).
fn expected(balanced: &BTreeMap<(u64, u64), f64>, bins: std::ops::Range<u64>, ignore_diags: u64) -> Vec<f64> {
    let valid: BTreeSet<u64> = balanced.keys().flat_map(|&(i, j)| [i, j]).collect();
    (0..bins.end - bins.start)
        .map(|d| {
            let pairs =
                bins.clone().filter(|&i| i + d < bins.end && valid.contains(&i) && valid.contains(&(i + d)));
            let (n, sum) =
                pairs.fold((0u64, 0.0), |(n, s), i| (n + 1, s + balanced.get(&(i, i + d)).unwrap_or(&0.0)));
            if d < ignore_diags { f64::NAN } else { sum / n as f64 }
        })
        .collect()
}

fn assert_oe(oe: &BTreeMap<(u64, u64), f64>, balanced: &BTreeMap<(u64, u64), f64>, expected: &[f64]) {
    let defined: Vec<_> =
        balanced.keys().filter(|&&(i, j)| expected[(j - i) as usize].is_finite()).copied().collect();
    assert_eq!(oe.keys().copied().collect::<Vec<_>>(), defined, "the same cells, none on ignored diagonals");
    for (&(i, j), &value) in oe {
        let want = balanced[&(i, j)] / expected[(j - i) as usize];
        assert!((value - want).abs() <= 1e-12 * want.abs(), "({i}, {j}): {value} vs {want}");
    }
}

fn stderr(d: &Path, args: &[&str]) -> (String, String) {
    let output = gzcm(d, args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn oe_windows_are_balanced_values_over_the_expected_of_their_diagonal() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    map(d);
    ok(d, &["balance", "m.gzcm"]);
    let balanced = cells(&ok(d, &["extract", "m.gzcm", "--range", "b", "--balance"]));
    for ignore_diags in [2u64, 0, 5] {
        let n = ignore_diags.to_string();
        let (out, err) = stderr(d, &["extract", "m.gzcm", "--range", "b", "--oe", "--ignore-diags", &n]);
        assert!(err.contains("computed from the tiles"), "{err}");
        assert_oe(&cells(&out), &balanced, &expected(&balanced, 30..60, ignore_diags));
    }
    // A window inside the chromosome, --oe with the vector named, and the dense output.
    let part = ok(
        d,
        &["extract", "m.gzcm", "--range", "b:50-200", "--range2", "b:100-300", "--balance=weight", "--oe"],
    );
    let whole = cells(&ok(d, &["extract", "m.gzcm", "--range", "b", "--oe"]));
    let part = cells(&part);
    assert!(!part.is_empty());
    for (key, value) in &part {
        let other = whole[key];
        assert!((value - other).abs() <= 1e-12 * other.abs(), "{key:?}: {value} vs {other}");
    }
    ok(d, &["extract", "m.gzcm", "--range", "a", "--oe", "-o", "a.npy"]);
    let npy = std::fs::read(d.join("a.npy")).unwrap();
    assert!(String::from_utf8_lossy(&npy[..128]).contains("'descr': '<f8'"));
    let values: Vec<f64> = npy[npy.len() - 30 * 30 * 8..]
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().unwrap()))
        .collect();
    assert!(values[0].is_nan() && values[1].is_nan(), "ignored diagonals are NaN");
    let balanced_a = cells(&ok(d, &["extract", "m.gzcm", "--range", "a", "--balance"]));
    let exp = expected(&balanced_a, 0..30, 2);
    assert!((values[3] - balanced_a[&(0, 3)] / exp[3]).abs() < 1e-12);
    assert!(values[3 * 30].to_bits() == values[3].to_bits(), "the lower triangle mirrors the upper");
    assert!(values[17].is_nan() && values[17 * 30 + 20].is_nan(), "the masked bin 17");
}

#[test]
fn oe_of_a_trans_window_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    map(d);
    ok(d, &["balance", "m.gzcm"]);
    let err = fails(d, &["extract", "m.gzcm", "--range", "a", "--range2", "b", "--oe"], 1);
    assert!(err.contains("observed/expected is defined for cis windows only"), "{err}");
    assert!(err.contains("rows span a and its columns b"), "{err}");
    let err = fails(d, &["extract", "m.gzcm", "--rows", "25:35", "--cols", "25:35", "--oe"], 1);
    assert!(err.contains("rows span a, b"), "{err}");
    let err = fails(d, &["extract", "m.gzcm", "--range", "a", "--ignore-diags", "3"], 2);
    assert!(err.contains("--oe"), "{err}");
    ok(d, &["convert", "m.tsv", "--bins", "m.bins.tsv", "raw.gzcm", "--tile-size", "16"]);
    let err = fails(d, &["extract", "raw.gzcm", "--range", "a", "--oe"], 1);
    assert!(err.contains("no weight vectors to balance with"), "{err}");
}

/// Two tables or cell lists that agree field by field, numbers to rounding (sums are reduced
/// over tiles in parallel, so two computations may differ in the last bits).
fn assert_close(a: &str, b: &str) {
    assert_eq!(a.lines().count(), b.lines().count());
    for (x, y) in a.lines().zip(b.lines()) {
        for (p, q) in x.split('\t').zip(y.split('\t')) {
            match (p.parse::<f64>(), q.parse::<f64>()) {
                (Ok(p), Ok(q)) if !p.is_nan() => assert!((p - q).abs() <= 1e-12 * q.abs(), "{x} vs {y}"),
                _ => assert_eq!(p, q, "{x} vs {y}"),
            }
        }
    }
}

fn read(d: &Path, name: &str) -> String {
    std::fs::read_to_string(d.join(name)).unwrap()
}

#[test]
fn a_stored_expected_round_trips_is_used_and_needs_force() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    map(d);
    ok(d, &["balance", "m.gzcm"]);
    ok(d, &["expected", "m.gzcm", "-o", "computed.tsv"]);
    let computed_oe = ok(d, &["extract", "m.gzcm", "--range", "a", "--oe"]);
    let out = ok(d, &["expected", "m.gzcm", "--store", "-o", "stored.tsv"]);
    assert!(out.contains("expected (weights `weight`, ignore_diags 2) stored: 60 rows"), "{out}");
    ok(d, &["verify", "m.gzcm"]);
    let info = ok(d, &["info", "m.gzcm"]);
    assert!(info.contains("expected  weight (ignore_diags 2)\n"), "{info}");
    let out = ok(d, &["expected", "m.gzcm", "-o", "read.tsv"]);
    assert!(out.contains("(the table stored in the file)"), "{out}");
    assert_eq!(read(d, "read.tsv"), read(d, "stored.tsv"), "the stored table reads back exactly");
    assert_close(&read(d, "read.tsv"), &read(d, "computed.tsv"));
    let (oe, err) = stderr(d, &["extract", "m.gzcm", "--range", "a", "--oe"]);
    assert!(err.contains("read from the file"), "{err}");
    assert_close(&oe, &computed_oe);
    let (_, err) = stderr(d, &["extract", "m.gzcm", "--range", "a", "--oe", "--ignore-diags", "1"]);
    assert!(err.contains("computed from the tiles"), "another ignore_diags is not the stored one: {err}");
    let before = std::fs::read(d.join("m.gzcm")).unwrap();
    let err = fails(d, &["expected", "m.gzcm", "--store"], 1);
    assert!(
        err.contains("already stores an expected table for weights `weight`") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read(d.join("m.gzcm")).unwrap(), before);
    ok(d, &["expected", "m.gzcm", "--store", "--force", "-o", "again.tsv"]);
    ok(d, &["expected", "m.gzcm", "-o", "read-again.tsv"]);
    assert_eq!(read(d, "read-again.tsv"), read(d, "again.tsv"), "the replaced table is the one read");
    // Re-balancing replaces the vector: its table no longer describes it and is dropped.
    ok(d, &["balance", "m.gzcm", "--force", "--max-iters", "3"]);
    let (_, err) = stderr(d, &["extract", "m.gzcm", "--range", "a", "--oe"]);
    assert!(err.contains("computed from the tiles"), "{err}");
    let err = fails(d, &["expected", "m.gzcm", "--store", "--raw"], 2);
    assert!(err.contains("cannot be used with"), "{err}");
}
