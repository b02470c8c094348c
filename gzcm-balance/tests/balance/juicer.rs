//! gzcm's Juicer methods against Juicer's own vectors: `straw_test_v8_2500kb.hic` (straw's test
//! file, written by Juicer Tools 1.22.01, 2.5 Mb, 25 chromosomes) carries the per-chromosome
//! `VC`, `VC_SQRT` and `SCALE` vectors Juicer computed from its counts. Its counts are written
//! to a `.gzcm` file, balanced by gzcm in cis mode (Juicer's per-chromosome vectors), and
//! compared bin by bin with Juicer's (divisors, read by `gzcm-hic` as multiplicative weights
//! `1 / v`): the same NaN mask, and the unmasked weights within a tolerance per method.

use std::path::Path;

use gzcm_balance::{BalanceOptions, Method, Mode, balance};
use gzcm_container::{Genome, Reader, Writer};
use gzcm_hic::{OpenOptions, open};

/// Upper-triangle pixels `(bin1, bin2, count)`.
type Pixels = Vec<(u64, u64, u32)>;

/// The shared `.hic` file's genome (with Juicer's vectors) and its upper-triangle pixels.
fn juicer_file() -> Option<(Genome, Pixels)> {
    let path = gzcm_test_support::data_path("straw_test_v8_2500kb.hic")?;
    let spec = path.to_str().expect("utf-8 path");
    let mut source = open(spec, &OpenOptions::default()).expect("one resolution: no need to ask");
    let genome = source.genome().clone();
    let mut pixels: Vec<(u64, u64, u32)> = source
        .pixels()
        .expect("pixels")
        .map(|p| {
            let p = p.expect("pixel");
            // Juicer stores float counts; this file's are whole numbers.
            assert!(p.count.fract() == 0.0 && p.count > 0.0 && p.count < 4e9, "{p:?}");
            (p.bin1, p.bin2, p.count as u32)
        })
        .collect();
    pixels.sort_unstable();
    Some((genome, pixels))
}

fn write(path: &Path, genome: &Genome, pixels: &[(u64, u64, u32)]) {
    let n = genome.n_bins();
    let mut writer = Writer::builder(path, n, n).symmetric(true).genome(genome.clone()).create().unwrap();
    for &(i, j, v) in pixels {
        writer.push(i, j, v).unwrap();
    }
    writer.finish().unwrap();
}

/// The largest relative difference of the unmasked weights, per chromosome, after checking
/// that the NaN masks are identical; `(chromosome, difference)` of the worst one.
fn compare(what: &str, genome: &Genome, ours: &[f64], juicer: &[f64]) -> (String, f64) {
    assert_eq!(ours.len(), juicer.len(), "{what}: one weight per bin");
    let mut worst = (String::new(), 0.0f64);
    for chrom in genome.chroms() {
        let span = usize::try_from(chrom.bin_start).unwrap()..usize::try_from(chrom.bin_end).unwrap();
        let mut largest = 0.0f64;
        for i in span {
            let (a, b) = (ours[i], juicer[i]);
            assert_eq!(
                a.is_nan(),
                b.is_nan(),
                "{what}: bin {i} (chromosome {}): gzcm {a}, Juicer {b}",
                chrom.name
            );
            if !a.is_nan() {
                largest = largest.max((a - b).abs() / b.abs());
            }
        }
        if largest >= worst.1 {
            worst = (chrom.name.clone(), largest);
        }
    }
    println!("{what}: max relative difference to Juicer's vector {:.3e} (chromosome {})", worst.1, worst.0);
    worst
}

/// VC and VC_SQRT are exact (a row sum, its square root, one scale factor): only the
/// summation order differs, so 1e-12. SCALE is iterative, and Juicer's stopping rule alone
/// would allow much more: it stops when the vector changes by less than 5·10⁻⁴ in an
/// iteration and the balanced row sums are within 2.5·10⁻³ of 1. But gzcm runs Juicer's own
/// iterations (same start, same updates, same mask growth, same stopping test, f64 as Juicer
/// 1.22) on the same counts, so the two differ only by summation-order rounding (measured:
/// ~1e-15). 1e-9 leaves room for that rounding to grow over up to 300 iterations and is five
/// orders of magnitude below Juicer's tolerance, so another algorithm (ICE, KR, another
/// stopping rule or mask) fails it.
#[test]
fn vc_vc_sqrt_and_scale_equal_juicers_vectors_per_chromosome() {
    let Some((genome, pixels)) = juicer_file() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("straw.gzcm");
    write(&path, &genome, &pixels);
    let reader = Reader::open(&path).unwrap();
    for (method, name, tolerance) in
        [(Method::Vc, "VC", 1e-12), (Method::VcSqrt, "VC_SQRT", 1e-12), (Method::Scale, "SCALE", 1e-9)]
    {
        let mut options = BalanceOptions::for_method(method);
        options.mode = Mode::Cis;
        let outcome = balance(&reader, &options, &mut |_| {}).unwrap();
        let juicer = &genome.weight(name).expect("Juicer's vector").values;
        let (chrom, difference) = compare(name, &genome, &outcome.weights, juicer);
        assert!(
            difference <= tolerance,
            "{name}: {difference:e} on chromosome {chrom} (allowed {tolerance:e})"
        );
        if method == Method::Scale {
            // Chromosome Y (24 bins, 13 masked) does not meet Juicer's stopping rule within
            // its 300 iterations; Juicer stored the vector all the same, and so does gzcm,
            // saying so.
            assert!(
                !outcome.converged && outcome.unconverged_chroms == ["Y"],
                "{:?}",
                outcome.unconverged_chroms
            );
            assert_eq!(outcome.iterations, 300);
            assert_eq!(outcome.scale.len(), genome.chroms().len());
            println!(
                "SCALE: {} bins masked, chromosomes not converged: {:?}",
                outcome.masked_bins, outcome.unconverged_chroms
            );
        } else {
            assert!(outcome.converged, "{name}");
        }
    }
}
