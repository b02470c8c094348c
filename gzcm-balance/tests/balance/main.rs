//! `gzcm-balance`'s integration tests, one binary. Here: synthetic maps written by the
//! container: ICE's invariants, the memory budget (tiles decoded again each pass give the same
//! vector as tiles kept), storing into a collection's every member, and bad input refused with
//! the file untouched. Modules: `juicer` (VC, VC_SQRT and SCALE against Juicer's own vectors in
//! a real `.hic`), `oe` (observed/expected reads, stored expected), `scale` (SCALE on small matrices). The Python peers (cooler, cooltools) are
//! the oracles of `gzcm-py/tests/test_balance_oracle.py`.

mod juicer; // VC, VC_SQRT and SCALE equal Juicer's vectors of the shared v8 .hic, per chromosome
mod oe; // observed/expected windows and expected tables stored in the file
mod scale; // SCALE on small matrices: a known result, masked rows, non-convergence, every mode

use std::path::Path;

use gzcm_balance::{
    BalanceError, BalanceOptions, BalanceRequest, DEFAULT_MEMORY, ExpectedOptions, Method, Mode, Resolutions,
    balance, balance_file, bytes_per_bin, expected_cis,
};
use gzcm_container::{CollectionWriter, ContainerError, Genome, GzcmFile, Reader, Writer};
use gzcm_test_support::SplitMix64;

/// Three chromosomes of 100, 70 and 40 bins at `bin_size` (bp per bin 10 × `bin_size`/10).
fn genome(bin_size: u64) -> Genome {
    let chroms = [("chr1".to_owned(), 1000), ("chr2".to_owned(), 700), ("chr3".to_owned(), 400)];
    Genome::fixed(&chroms, bin_size).unwrap()
}

/// A Hi-C-like map: counts decaying with distance, fewer between chromosomes, empty bins.
fn counts(genome: &Genome, seed: u64) -> Vec<(u64, u64, u32)> {
    let mut rng = SplitMix64::new(seed);
    let n = genome.n_bins();
    let empty = |i: u64| i % 23 == 5;
    let chrom = |i: u64| genome.bin(i).unwrap().0;
    let mut cells = Vec::new();
    for i in 0..n {
        for j in i..n {
            let mean = if chrom(i) == chrom(j) { 400.0 / (1.0 + (j - i) as f64).powf(1.1) } else { 0.6 };
            let v = rng.poisson(mean * (1.0 + (i % 7) as f64 * 0.2));
            if v > 0 && !empty(i) && !empty(j) {
                cells.push((i, j, v));
            }
        }
    }
    cells
}

fn write(path: &Path, genome: &Genome, cells: &[(u64, u64, u32)]) {
    let n = genome.n_bins();
    let mut writer = Writer::builder(path, n, n)
        .symmetric(true)
        .tile_size(32)
        .packed_index(true)
        .genome(genome.clone())
        .create()
        .unwrap();
    for &(i, j, v) in cells {
        writer.push(i, j, v).unwrap();
    }
    writer.finish().unwrap();
}

/// Balanced marginals `Σ_j count · w_i · w_j` over the pixels ICE uses.
fn balanced_marginals(cells: &[(u64, u64, u32)], weights: &[f64], n: usize) -> Vec<f64> {
    let mut marg = vec![0.0; n];
    for &(i, j, v) in cells.iter().filter(|(i, j, _)| j - i >= 2) {
        let (i, j) = (i as usize, j as usize);
        let x = f64::from(v) * weights[i] * weights[j];
        if x.is_finite() {
            marg[i] += x;
            marg[j] += x;
        }
    }
    marg
}

#[test]
fn ice_leaves_every_unmasked_marginal_at_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gzcm");
    let g = genome(10);
    let cells = counts(&g, 1);
    write(&path, &g, &cells);
    let reader = Reader::open(&path).unwrap();
    let outcome = balance(&reader, &BalanceOptions::default(), &mut |_| {}).unwrap();
    assert!(outcome.converged && outcome.iterations > 1, "{outcome:?}");
    let marg = balanced_marginals(&cells, &outcome.weights, outcome.weights.len());
    for (i, (&m, &w)) in marg.iter().zip(&outcome.weights).enumerate() {
        if w.is_nan() {
            assert!(i % 23 == 5 || m == 0.0, "bin {i} masked");
        } else {
            assert!((m - 1.0).abs() < 1e-2, "bin {i}: balanced marginal {m}");
        }
    }
    // Every empty bin is masked (too few nonzero pixels).
    assert!(outcome.masked_bins >= (0..210).filter(|i| i % 23 == 5).count() as u64);
}

#[test]
fn tiles_decoded_every_pass_give_the_vector_of_tiles_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gzcm");
    let g = genome(10);
    write(&path, &g, &counts(&g, 2));
    let reader = Reader::open(&path).unwrap();
    for mode in [Mode::GenomeWide, Mode::Cis, Mode::Trans] {
        let mut options = BalanceOptions::default();
        options.mode = mode;
        let kept = balance(&reader, &options, &mut |_| {}).unwrap();
        // Just the per-bin vectors: no room for a tile.
        options.memory = reader.shape().0 * bytes_per_bin();
        let streamed = balance(&reader, &options, &mut |_| {}).unwrap();
        assert_eq!(kept.store.kept, kept.store.tiles, "{mode}: everything fits 1 GiB");
        assert_eq!(streamed.store.kept, 0, "{mode}: no tile fits beside the per-bin vectors");
        assert_eq!(kept.iterations, streamed.iterations, "{mode}");
        for (a, b) in kept.weights.iter().zip(&streamed.weights) {
            assert!(a.is_nan() && b.is_nan() || (a - b).abs() <= 1e-12 * a.abs(), "{mode}: {a} vs {b}");
        }
    }
}

#[test]
fn every_resolution_of_a_collection_is_balanced_and_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("multi.gzcm");
    let mut collection = CollectionWriter::create(&path, false).unwrap();
    for (resolution, seed) in [(10, 3), (20, 4)] {
        let g = genome(resolution);
        let member = collection.scratch_path(resolution);
        write(&member, &g, &counts(&g, seed));
        collection.add(resolution, &member).unwrap();
    }
    collection.finish().unwrap();
    let request = BalanceRequest::new(Resolutions::All, BalanceOptions::default());
    let stored = balance_file(&path, &request, &mut |_, _| {}).unwrap();
    assert_eq!(stored.iter().map(|s| s.resolution).collect::<Vec<_>>(), [Some(10), Some(20)]);
    let GzcmFile::Multi(file) = GzcmFile::open(&path).unwrap() else { panic!("still a collection") };
    for s in &stored {
        let reader = file.reader(s.resolution.unwrap()).unwrap();
        let values = reader.weights("weight").unwrap();
        assert_eq!(
            values.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            s.outcome.weights.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
        let record = reader.header().genome.as_ref().unwrap().weights[0].balance.clone().unwrap();
        let found = (record.method.as_str(), record.mode.as_str(), record.converged);
        assert_eq!(found, ("ice", "genome-wide", s.outcome.converged));
        assert_eq!(record.iterations, s.outcome.iterations);
        assert_eq!(record.options.min_nnz, Some(10));
    }
    assert!(file.verify().is_ok());
    // The name exists now: refused before anything is computed, the file untouched.
    let before = std::fs::read(&path).unwrap();
    let error = balance_file(&path, &request, &mut |_, _| panic!("nothing is computed")).unwrap_err();
    assert!(matches!(
        error,
        BalanceError::Container(ContainerError::WeightExists { resolution: Some(10), .. })
    ));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn empty_maps_and_nan_only_vectors_are_refused_with_the_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.gzcm");
    let g = genome(10);
    // Only the main diagonal and the next: nothing once they are ignored (all-zero rows).
    let cells: Vec<(u64, u64, u32)> = (0..209).flat_map(|i| [(i, i, 5), (i, i + 1, 3)]).collect();
    write(&path, &g, &cells);
    let before = std::fs::read(&path).unwrap();
    let request = BalanceRequest::new(Resolutions::One(None), BalanceOptions::default());
    let error = balance_file(&path, &request, &mut |_, _| {}).unwrap_err();
    assert!(matches!(error, BalanceError::NoContacts { after_diagonals: 2 }), "{error}");
    assert!(error.to_string().contains("first 2 diagonals"), "{error}");
    // With the diagonals kept, every bin has 3 nonzero pixels at most: fewer than --min-nnz.
    let mut options = BalanceOptions::default();
    options.ignore_diags = 0;
    let error = balance_file(&path, &BalanceRequest::new(Resolutions::One(None), options), &mut |_, _| {})
        .unwrap_err();
    assert!(matches!(error, BalanceError::AllMasked { by_min_nnz: 210, .. }), "{error}");
    assert!(error.to_string().contains("fewer than 10 nonzero pixels"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let reader = Reader::open(&path).unwrap();
    let error = expected_cis(&reader, &ExpectedOptions::default()).unwrap_err();
    assert!(matches!(&error, BalanceError::NoSuchWeight { name, .. } if name == "weight"), "{error}");
}

/// Issue 22: the number of bins comes from the file, so nothing may be sized by it unchecked.
/// A map that claims four billion bins (one chromosome of 40 Gb at 10 bp) and holds one pixel
/// is refused by balance (with and without a blacklist) and expected before any per-bin vector
/// is allocated (they would take 16 GB and more), inside a 384 MiB address space, and the file
/// is left as it was.
#[test]
fn a_genome_beyond_the_memory_budget_is_refused_before_its_vectors() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = dir.path().join("huge.gzcm");
    let g = Genome::fixed(&[("chrHuge".to_owned(), 40_000_000_000)], 10).unwrap();
    write(&fixture, &g, &[(5, 9, 3)]);
    let test = "a_genome_beyond_the_memory_budget_is_refused_before_its_vectors";
    let Some(path) = gzcm_test_support::memory_limited(test, 384, &fixture) else { return };
    let before = std::fs::read(&path).unwrap();
    for method in [Method::Ice, Method::Vc] {
        let mut options = BalanceOptions::default();
        options.method = method;
        let error =
            balance_file(&path, &BalanceRequest::new(Resolutions::One(None), options), &mut |_, _| {})
                .unwrap_err();
        assert!(
            matches!(error, BalanceError::OverBudget { bins: 4_000_000_000, memory: DEFAULT_MEMORY, .. }),
            "{method}: {error}"
        );
        assert!(error.to_string().contains("raise it"), "{error}");
    }
    // A blacklist covering the whole chromosome is not expanded into bin ids first.
    let bed = path.with_extension("bed");
    std::fs::write(&bed, "chrHuge\t0\t40000000000\n").unwrap();
    let mut request = BalanceRequest::new(Resolutions::One(None), BalanceOptions::default());
    request.blacklist = Some(bed);
    let error = balance_file(&path, &request, &mut |_, _| {}).unwrap_err();
    assert!(matches!(error, BalanceError::OverBudget { bins: 4_000_000_000, .. }), "blacklist: {error}");
    let reader = Reader::open(&path).unwrap();
    let mut options = ExpectedOptions::default();
    options.balance = None;
    let error = expected_cis(&reader, &options).unwrap_err();
    assert!(matches!(error, BalanceError::OverBudget { bins: 4_000_000_000, .. }), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}
