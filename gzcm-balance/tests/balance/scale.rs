//! SCALE on small matrices: a matrix whose balanced form is known, an empty row masked, the
//! three modes on a Hi-C-like map (rows balanced, the raw sum kept, tiles streamed or kept
//! alike), the blacklist, and a run cut short by `max_iters` reported and recorded.

use gzcm_balance::{
    BalanceOptions, BalanceRequest, Method, Mode, Resolutions, SCALE_TOL, balance, balance_file,
};
use gzcm_container::{Genome, Reader};

use super::{counts, genome, write};

/// A one-chromosome genome of `n` bins of 10 bp.
fn one_chromosome(n: u64) -> Genome {
    Genome::fixed(&[("chr1".to_owned(), n * 10)], 10).unwrap()
}

/// `M = D C D`: `C` a symmetric circulant matrix (every row sums to the same value), `D`
/// the diagonal `d_i = 1 + i mod 4`. Its balanced form is known: `w_i = k / d_i`.
fn scaled_circulant(n: u64) -> (Vec<(u64, u64, u32)>, Vec<f64>) {
    let d = |i: u64| 1 + (i % 4);
    let c = |i: u64, j: u64| {
        let distance = (j - i).min(n - (j - i));
        [4, 3, 2].get(distance as usize).copied().unwrap_or(1)
    };
    let cells: Vec<(u64, u64, u32)> =
        (0..n).flat_map(|i| (i..n).map(move |j| (i, j, (d(i) * d(j) * c(i, j)) as u32))).collect();
    let d = (0..n).map(|i| d(i) as f64).collect();
    (cells, d)
}

/// Balanced row sums `Σ_j count · w_i · w_j` (the full matrix, NaN weights left out) and the
/// balanced and raw totals over the pixels between unmasked bins.
fn balanced(cells: &[(u64, u64, u32)], w: &[f64], keep: impl Fn(u64, u64) -> bool) -> (Vec<f64>, f64, f64) {
    let mut rows = vec![0.0; w.len()];
    let (mut total, mut raw) = (0.0, 0.0);
    for &(i, j, v) in cells.iter().filter(|(i, j, _)| keep(*i, *j)) {
        let (a, b) = (w[i as usize], w[j as usize]);
        if a.is_nan() || b.is_nan() {
            continue;
        }
        let x = f64::from(v) * a * b;
        let times = if i == j { 1.0 } else { 2.0 };
        rows[i as usize] += x;
        if i != j {
            rows[j as usize] += x;
        }
        total += times * x;
        raw += times * f64::from(v);
    }
    (rows, total, raw)
}

/// The largest relative deviation of the unmasked rows from their mean.
fn spread(rows: &[f64], w: &[f64]) -> f64 {
    let kept: Vec<f64> = rows.iter().zip(w).filter(|(_, w)| !w.is_nan()).map(|(r, _)| *r).collect();
    let mean = kept.iter().sum::<f64>() / kept.len() as f64;
    kept.iter().map(|r| (r - mean).abs() / mean).fold(0.0, f64::max)
}

fn scale_options(mode: Mode) -> BalanceOptions {
    let mut options = BalanceOptions::for_method(Method::Scale);
    options.mode = mode;
    options
}

/// Juicer stops once the balanced row sums are within 5·tol of their target (1), so rows and
/// weights are exact to about that much: the bound these tests use.
const ROW_TOLERANCE: f64 = 5.0 * SCALE_TOL;

#[test]
fn a_scaled_circulant_matrix_gets_its_known_weights() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gzcm");
    let n = 12;
    let (cells, d) = scaled_circulant(n);
    write(&path, &one_chromosome(n), &cells);
    let outcome =
        balance(&Reader::open(&path).unwrap(), &scale_options(Mode::GenomeWide), &mut |_| {}).unwrap();
    assert!(outcome.converged && outcome.masked_bins == 0, "{outcome:?}");
    // w_i = k / d_i, with k making the balanced sum the raw one: k² Σ C = Σ M.
    let (_, _, raw) = balanced(&cells, &vec![1.0; d.len()], |_, _| true);
    let unscaled: Vec<f64> = d.iter().map(|d| 1.0 / d).collect();
    let (_, circulant_sum, _) = balanced(&cells, &unscaled, |_, _| true);
    let k = (raw / circulant_sum).sqrt();
    let worst = outcome.weights.iter().zip(&d).map(|(w, d)| (w - k / d).abs() / (k / d)).fold(0.0, f64::max);
    println!("scaled circulant: max relative difference to k / d_i {worst:.3e}");
    assert!(worst < ROW_TOLERANCE, "{:?} against k / d with k = {k}", outcome.weights);
    let (rows, total, raw) = balanced(&cells, &outcome.weights, |_, _| true);
    assert!((total - raw).abs() <= 1e-12 * raw, "the balanced sum {total} is the raw sum {raw}");
    assert!(spread(&rows, &outcome.weights) < 2.0 * ROW_TOLERANCE, "{rows:?}");
}

#[test]
fn an_empty_row_is_masked_and_the_others_balanced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gzcm");
    let n = 12;
    let (mut cells, _) = scaled_circulant(n);
    cells.retain(|&(i, j, _)| i != 5 && j != 5);
    write(&path, &one_chromosome(n), &cells);
    let outcome =
        balance(&Reader::open(&path).unwrap(), &scale_options(Mode::GenomeWide), &mut |_| {}).unwrap();
    assert!(outcome.converged, "{outcome:?}");
    let masked: Vec<usize> = (0..12).filter(|&i| outcome.weights[i].is_nan()).collect();
    assert_eq!(masked, [5], "only the empty row is masked: {:?}", outcome.weights);
    assert_eq!(outcome.masked_bins, 1);
    let (rows, total, raw) = balanced(&cells, &outcome.weights, |_, _| true);
    assert!((total - raw).abs() <= 1e-12 * raw);
    assert!(spread(&rows, &outcome.weights) < 2.0 * ROW_TOLERANCE, "{rows:?}");
}

#[test]
fn every_mode_balances_its_contacts_and_streamed_tiles_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gzcm");
    let g = genome(10);
    let cells = counts(&g, 5);
    write(&path, &g, &cells);
    let reader = Reader::open(&path).unwrap();
    let chrom = |i: u64| u32::try_from(g.bin(i).unwrap().0).unwrap();
    for mode in [Mode::GenomeWide, Mode::Cis, Mode::Trans] {
        let mut options = scale_options(mode);
        let outcome = balance(&reader, &options, &mut |_| {}).unwrap();
        assert!(outcome.converged && outcome.iterations > 1, "{mode}: {outcome:?}");
        assert_eq!(outcome.scale.len(), if mode == Mode::Cis { 3 } else { 1 }, "{mode}");
        // The empty bins, and only they, are masked.
        for (i, w) in outcome.weights.iter().enumerate() {
            assert_eq!(w.is_nan(), i % 23 == 5, "{mode}: bin {i} weight {w}");
        }
        let keep = |i: u64, j: u64| mode.keeps(chrom(i), chrom(j));
        let (rows, total, raw) = balanced(&cells, &outcome.weights, keep);
        assert!((total - raw).abs() <= 1e-9 * raw, "{mode}: balanced sum {total}, raw {raw}");
        if mode == Mode::Cis {
            // Each chromosome is scaled to its own sum: rows are equal within a chromosome.
            for span in [0..100, 100..170, 170..210] {
                let (r, w) = (&rows[span.clone()], &outcome.weights[span]);
                assert!(spread(r, w) < 2.0 * ROW_TOLERANCE, "{mode}");
            }
        } else {
            assert!(spread(&rows, &outcome.weights) < 2.0 * ROW_TOLERANCE, "{mode}: {rows:?}");
        }
        // Just the per-bin vectors: no room for a tile.
        options.memory = reader.shape().0 * gzcm_balance::bytes_per_bin();
        let streamed = balance(&reader, &options, &mut |_| {}).unwrap();
        assert_eq!(streamed.store.kept, 0);
        for (a, b) in outcome.weights.iter().zip(&streamed.weights) {
            assert!(a.is_nan() && b.is_nan() || (a - b).abs() <= 1e-9 * a.abs(), "{mode}: {a} vs {b}");
        }
    }
}

#[test]
fn blacklisted_bins_are_masked_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gzcm");
    let g = genome(10);
    write(&path, &g, &counts(&g, 6));
    let mut options = scale_options(Mode::Cis);
    options.blacklist = vec![0, 42, 199];
    let request = BalanceRequest::new(Resolutions::One(None), options);
    let stored = balance_file(&path, &request, &mut |_, _| {}).unwrap();
    let outcome = &stored[0].outcome;
    assert!(outcome.converged);
    for i in [0, 42, 199] {
        assert!(outcome.weights[i].is_nan(), "bin {i}");
    }
    assert!(outcome.weights[1].is_finite() && outcome.weights[43].is_finite());
    let reader = Reader::open(&path).unwrap();
    let record = reader.header().genome.as_ref().unwrap().weights[0].balance.clone().unwrap();
    assert_eq!(
        (record.method.as_str(), record.mode.as_str(), stored[0].name.as_str()),
        ("scale", "cis", "SCALE")
    );
    assert_eq!(record.options.blacklisted_bins, Some(3));
    assert_eq!(record.options.min_nnz, None, "ICE's filters are not SCALE's");
}

#[test]
fn a_run_cut_short_by_max_iters_is_reported_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gzcm");
    let g = genome(10);
    write(&path, &g, &counts(&g, 7));
    for mode in [Mode::GenomeWide, Mode::Cis] {
        let mut options = scale_options(mode);
        options.max_iters = 3;
        let mut passes = Vec::new();
        let outcome = balance(&Reader::open(&path).unwrap(), &options, &mut |p| passes.push(p)).unwrap();
        assert!(!outcome.converged, "{mode}: three iterations are too few: {outcome:?}");
        assert_eq!(outcome.iterations, 3, "{mode}");
        assert_eq!(passes.len(), 4, "{mode}: loaded, then three passes: {passes:?}");
        if mode == Mode::Cis {
            assert_eq!(outcome.unconverged_chroms, ["chr1", "chr2", "chr3"]);
        }
        // Not converged is not masked: the vector is Juicer's after three iterations.
        assert!(outcome.weights.iter().filter(|w| w.is_finite()).count() > 190);
    }
    let mut options = scale_options(Mode::GenomeWide);
    options.max_iters = 3;
    let stored =
        balance_file(&path, &BalanceRequest::new(Resolutions::One(None), options), &mut |_, _| {}).unwrap();
    let reader = Reader::open(&path).unwrap();
    let record = reader.header().genome.as_ref().unwrap().weights[0].balance.clone().unwrap();
    assert!(!record.converged && !stored[0].outcome.converged);
    assert_eq!(
        (record.iterations, record.options.max_iters, record.options.tol),
        (3, Some(3), Some(SCALE_TOL))
    );
}

#[test]
fn on_maps_of_5000_rows_or_more_the_sparsest_rows_are_masked_as_juicer_does() {
    // Juicer masks rows whose nonzero-pixel count is below the 0.01 % quantile of the positive
    // counts, index (int) (n0 · 0.0001 + 0.5): 1 for 5,000 rows, so the sparsest row goes when
    // it is sparser than the next. A band of width 3 (interior rows: 7 pixels, the ends 4) with
    // one row holding only its diagonal pixel: that row is masked although it has a contact.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gzcm");
    let n = 5000;
    let lonely = 2500;
    let cells: Vec<(u64, u64, u32)> = (0..n)
        .flat_map(|i| (i..(i + 4).min(n)).map(move |j| (i, j, 10 + (i * 7 + j) as u32 % 13)))
        .filter(|&(i, j, _)| (i != lonely && j != lonely) || i == j)
        .collect();
    write(&path, &one_chromosome(n), &cells);
    let outcome =
        balance(&Reader::open(&path).unwrap(), &scale_options(Mode::GenomeWide), &mut |_| {}).unwrap();
    let masked: Vec<usize> = (0..n as usize).filter(|&i| outcome.weights[i].is_nan()).collect();
    assert_eq!(masked, [lonely as usize], "{outcome:?}");
    // With fewer rows the quantile index is 0: the same row is kept.
    let path = dir.path().join("small.gzcm");
    let small: Vec<(u64, u64, u32)> = cells.iter().copied().filter(|&(_, j, _)| j < 4000).collect();
    write(&path, &one_chromosome(4000), &small);
    let outcome =
        balance(&Reader::open(&path).unwrap(), &scale_options(Mode::GenomeWide), &mut |_| {}).unwrap();
    assert!(outcome.weights.iter().all(|w| w.is_finite()), "{} masked", outcome.masked_bins);
}
