//! Observed/expected and stored expected in `gzcm-balance`: windows equal balanced ÷ the
//! `balanced.avg` of `expected_cis` for their diagonal; trans windows are a typed error before
//! anything is computed; a stored table round-trips, is used only for its key and unchanged
//! vector, and needs `force`; raw and view tables are not stored.

use gzcm_balance::{
    BalanceError, BalanceOptions, BalanceRequest, DEFAULT_MEMORY, ExpectedOptions, ExpectedSource,
    ObservedExpected, ObservedExpectedError, Resolutions, balance_file, expected_cis, expected_for, read_bed,
    store_expected_file,
};
use gzcm_container::{ContainerError, Reader, WeightMeaning};

use super::{counts, genome, write};

fn balanced_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gzcm");
    let g = genome(10);
    write(&path, &g, &counts(&g, 3));
    let request = BalanceRequest::new(Resolutions::One(None), BalanceOptions::default());
    balance_file(&path, &request, &mut |_, _| {}).unwrap();
    (dir, path)
}

#[test]
fn windows_are_balanced_values_over_the_expected_of_their_diagonal() {
    let (_dir, path) = balanced_file();
    let reader = Reader::open(&path).unwrap();
    let table = expected_cis(&reader, &ExpectedOptions::default()).unwrap();
    let oe = ObservedExpected::new(&reader, "weight", 2, DEFAULT_MEMORY).unwrap();
    assert_eq!(oe.source(), ExpectedSource::Computed);
    // chr2 is bins 100..170: a window off the diagonal and one across it.
    for (rows, cols) in [(100..140, 120..170), (150..170, 100..170)] {
        let got = oe.window(&reader, rows.clone(), cols.clone()).unwrap();
        let balanced =
            reader.balanced_window(rows.clone(), cols.clone(), "weight", WeightMeaning::Multiplicative);
        let balanced = balanced.unwrap().unwrap();
        let (mut defined, mut nan) = (0, 0);
        for ((r, c), &value) in got.indexed_iter() {
            let (i, j) = (rows.start + r as u64, cols.start + c as u64);
            let row = table.rows.iter().find(|x| x.region == "chr2" && x.dist == i.abs_diff(j)).unwrap();
            let want = balanced[[r, c]] / row.balanced_avg();
            if want.is_finite() && row.balanced_avg() != 0.0 {
                assert!((value - want).abs() <= 1e-12 * want.abs(), "({i}, {j}): {value} vs {want}");
                defined += 1;
            } else {
                assert!(value.is_nan(), "({i}, {j}): {value}");
                nan += 1;
            }
        }
        assert!(defined > 500 && nan > 0, "{defined} defined, {nan} NaN");
    }
    for (rows, cols) in [(0..10, 100..110), (95..105, 95..105)] {
        let error = oe.window(&reader, rows, cols).unwrap_err();
        assert!(matches!(error, ObservedExpectedError::Trans { .. }), "{error}");
        assert!(error.to_string().contains("cis windows only"), "{error}");
    }
    assert!(matches!(oe.window(&reader, 200..220, 200..220), Err(ObservedExpectedError::OutOfBounds { .. })));
    let error = ObservedExpected::new(&reader, "nope", 2, DEFAULT_MEMORY).unwrap_err();
    assert!(matches!(error, ObservedExpectedError::Expected(BalanceError::NoSuchWeight { .. })), "{error}");
}

#[test]
fn a_stored_table_round_trips_and_is_used_only_for_its_key() {
    let (dir, path) = balanced_file();
    let computed = expected_cis(&Reader::open(&path).unwrap(), &ExpectedOptions::default()).unwrap();
    let stored = store_expected_file(&path, None, &ExpectedOptions::default(), false).unwrap();
    let text = |t: &gzcm_balance::ExpectedTable| {
        let mut out = Vec::new();
        t.write_tsv(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    // Sums are reduced over tiles in parallel: two computations agree to rounding.
    for (a, b) in stored.rows.iter().zip(&computed.rows) {
        assert_eq!((&a.region, a.dist, a.n_total, a.n_valid), (&b.region, b.dist, b.n_total, b.n_valid));
        for (x, y) in [(a.count_sum, b.count_sum), (a.balanced_sum, b.balanced_sum)] {
            assert!((x.is_nan() && y.is_nan()) || (x - y).abs() <= 1e-12 * y.abs(), "{a:?} vs {b:?}");
        }
    }
    assert_eq!(stored.rows.len(), computed.rows.len());
    let reader = Reader::open(&path).unwrap();
    let (read, source) = expected_for(&reader, &ExpectedOptions::default()).unwrap();
    assert_eq!(source, ExpectedSource::Stored);
    assert!(text(&read) == text(&stored), "the stored table reads back exactly");
    assert_eq!(
        ObservedExpected::new(&reader, "weight", 2, DEFAULT_MEMORY).unwrap().source(),
        ExpectedSource::Stored
    );
    let mut other = ExpectedOptions::default();
    other.ignore_diags = 1;
    assert_eq!(expected_for(&reader, &other).unwrap().1, ExpectedSource::Computed);
    std::fs::write(dir.path().join("arms.bed"), "chr1\t0\t500\tp\nchr1\t500\t1000\tq\n").unwrap();
    let mut view = ExpectedOptions::default();
    view.view = Some(read_bed(&dir.path().join("arms.bed"), reader.genome().unwrap()).unwrap());
    assert_eq!(expected_for(&reader, &view).unwrap().1, ExpectedSource::Computed, "a view is computed");
    drop(reader);
    // The same key needs force, checked before anything is computed; others are refused.
    let before = std::fs::read(&path).unwrap();
    let error = store_expected_file(&path, None, &ExpectedOptions::default(), false).unwrap_err();
    assert!(matches!(error, BalanceError::Container(ContainerError::ExpectedExists { .. })), "{error}");
    let mut raw = ExpectedOptions::default();
    raw.balance = None;
    let error = store_expected_file(&path, None, &raw, false).unwrap_err();
    assert!(matches!(error, BalanceError::InvalidOption { option: "store", .. }), "{error}");
    let error = store_expected_file(&path, None, &view, false).unwrap_err();
    assert!(matches!(error, BalanceError::InvalidOption { option: "store", .. }), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    store_expected_file(&path, None, &other, false).unwrap();
    store_expected_file(&path, None, &ExpectedOptions::default(), true).unwrap();
    let reader = Reader::open(&path).unwrap();
    let keys: Vec<u64> = reader.stored_expected().iter().map(|t| t.ignore_diags).collect();
    assert_eq!(keys, [2, 1], "a replaced table keeps its place");
}
