//! The cooler writer: files it writes read back through our own `.cool` reader with the same
//! genome, weights and pixels; bad pixel streams are typed errors.

use std::path::Path;

use gzcm_genome::{Bins, Chrom, Genome, WeightVector};
use gzcm_hic::cool_writer::{CoolMeta, CoolWriteError, CoolWriter};
use gzcm_hic::{CountType, OpenOptions, Pixel, WeightSelection, open};

fn fixed_genome() -> Genome {
    Genome::fixed(&[("chrA".into(), 1050), ("chrB".into(), 300)], 100)
        .unwrap()
        .with_assembly(Some("toy1".into()))
}

fn meta(genome: &Genome, symmetric: bool, count_type: CountType) -> CoolMeta<'_> {
    CoolMeta {
        genome,
        symmetric,
        count_type,
        generated_by: "gzcm-hic tests".into(),
        creation_date: gzcm_hic::cool_writer::iso8601_now(),
    }
}

/// A deterministic upper-triangle pattern over `n` bins.
fn upper_pixels(n: u64) -> Vec<Pixel> {
    let mut pixels = Vec::new();
    for i in 0..n {
        for j in i..n {
            if (i * 7 + j * 3) % 5 != 0 {
                pixels.push(Pixel { bin1: i, bin2: j, count: ((i + 1) * (j + 2) % 97 + 1) as f64 });
            }
        }
    }
    pixels
}

fn write(path: &Path, meta: &CoolMeta<'_>, pixels: &[Pixel]) -> u64 {
    let mut writer = CoolWriter::create(path, meta).unwrap();
    for &pixel in pixels {
        writer.push(pixel).unwrap();
    }
    writer.finish().unwrap()
}

fn read_all(spec: &str) -> (Genome, CountType, bool, Vec<Pixel>) {
    let options = OpenOptions { weights: WeightSelection::All, ..OpenOptions::default() };
    let mut source = open(spec, &options).unwrap();
    let pixels: Vec<Pixel> = source.pixels().unwrap().map(Result::unwrap).collect();
    (source.genome().clone(), source.count_type(), source.symmetric(), pixels)
}

/// The same chromosomes, bins and assembly, and the same weights (see [`same_weights`]).
fn same_genome(a: &Genome, b: &Genome) {
    let coordinates = |g: &Genome| g.clone().with_weights(Vec::new()).unwrap();
    assert_eq!(coordinates(a), coordinates(b));
    same_weights(a.weights(), b.weights());
}

fn same_weights(a: &[WeightVector], b: &[WeightVector]) {
    assert_eq!(a.len(), b.len());
    for (a, b) in a.iter().zip(b) {
        assert_eq!(a.name, b.name);
        assert_eq!(a.values.len(), b.values.len());
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
fn synthetic_symmetric_int_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("toy.cool");
    let genome = fixed_genome();
    let n = genome.n_bins();
    assert_eq!(n, 14);
    let mut w: Vec<f64> = (0..n).map(|i| 1.0 / (i as f64 + 1.5)).collect();
    w[3] = f64::NAN;
    let weights = vec![
        WeightVector::new("weight", w),
        WeightVector::new("KR", (0..n).map(|i| i as f64 * 0.25).collect()),
    ];
    let genome = genome.with_weights(weights).unwrap();
    let pixels = upper_pixels(n);
    let nnz = write(&path, &meta(&genome, true, CountType::Int), &pixels);
    assert_eq!(nnz, pixels.len() as u64);

    let (back, count_type, symmetric, back_pixels) = read_all(&path.display().to_string());
    same_genome(&back, &genome);
    assert_eq!(count_type, CountType::Int);
    assert!(symmetric);
    assert_eq!(back_pixels, pixels);
}

#[test]
fn synthetic_square_float_variable_bins_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("var.cool");
    let chroms = vec![Chrom::new("c1", 500, 0, 3), Chrom::new("c2", 90, 3, 4)];
    let bins = Bins::Variable { starts: vec![0, 120, 300, 0], ends: vec![120, 300, 500, 90] };
    let genome = Genome::new(chroms, bins).unwrap();
    // Below the diagonal too (square storage), float values.
    let pixels: Vec<Pixel> = (0..4u64)
        .flat_map(|i| (0..4u64).map(move |j| (i, j)))
        .filter(|(i, j)| (i + j) % 3 != 1)
        .map(|(bin1, bin2)| Pixel { bin1, bin2, count: bin1 as f64 * 0.5 + bin2 as f64 + 0.125 })
        .collect();
    write(&path, &meta(&genome, false, CountType::Float), &pixels);

    let (back, count_type, symmetric, back_pixels) = read_all(&path.display().to_string());
    assert_eq!(back, genome);
    assert!(back.weights().is_empty());
    assert_eq!(count_type, CountType::Float);
    assert!(!symmetric);
    assert_eq!(back_pixels, pixels);
}

#[test]
fn no_pixels_is_a_valid_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.cool");
    let genome = fixed_genome();
    assert_eq!(write(&path, &meta(&genome, true, CountType::Int), &[]), 0);
    let (back, _, _, pixels) = read_all(&path.display().to_string());
    assert_eq!(back, genome);
    assert!(pixels.is_empty());
}

#[test]
fn bad_pixel_streams_are_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.cool");
    let genome = fixed_genome();
    let px = |bin1, bin2, count| Pixel { bin1, bin2, count };

    let mut writer = CoolWriter::create(&path, &meta(&genome, true, CountType::Int)).unwrap();
    writer.push(px(2, 5, 1.0)).unwrap();
    assert!(matches!(writer.push(px(2, 5, 1.0)), Err(CoolWriteError::Unsorted { bin1: 2, bin2: 5, .. })));
    assert!(matches!(writer.push(px(1, 9, 1.0)), Err(CoolWriteError::Unsorted { prev1: 2, prev2: 5, .. })));
    assert!(matches!(writer.push(px(4, 3, 1.0)), Err(CoolWriteError::BelowDiagonal { bin1: 4, bin2: 3 })));
    assert!(matches!(writer.push(px(3, 14, 1.0)), Err(CoolWriteError::PixelOutOfRange { n_bins: 14, .. })));
    assert!(matches!(writer.push(px(3, 4, 2.5)), Err(CoolWriteError::CountOutOfRange { .. })));
    assert!(matches!(writer.push(px(3, 4, 3e9)), Err(CoolWriteError::CountOutOfRange { .. })));

    // A weight vector that is not one value per bin cannot reach the writer: the genome
    // refuses it.
    let short = vec![WeightVector::new("weight", vec![1.0; 3])];
    let err = genome.clone().with_weights(short).unwrap_err();
    assert!(err.to_string().contains("3 values for 14 bins"), "{err}");
    let long = Genome::fixed(&[("chrA".into(), 1050), ("chrB".into(), 3_000_000_000)], 100).unwrap();
    let err = CoolWriter::create(&path, &meta(&long, true, CountType::Int)).unwrap_err();
    assert!(err.to_string().contains("beyond cooler's int32 coordinates"), "{err}");
    let clash = genome.clone().with_weights(vec![WeightVector::new("start", vec![1.0; 14])]).unwrap();
    assert!(matches!(
        CoolWriter::create(&path, &meta(&clash, true, CountType::Int)),
        Err(CoolWriteError::Genome(_))
    ));
}

/// Every shared `.cool` read, written again and read back gives the same genome, weights and
/// pixels (sorted within rows: the `.unsorted.cool` file is a valid cooler with unsorted rows).
#[test]
fn shared_cool_files_round_trip() {
    let Some(dir) = gzcm_test_support::data_dir() else { return };
    let out = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "cool") {
            continue;
        }
        let (genome, count_type, symmetric, mut pixels) = read_all(&path.display().to_string());
        pixels.sort_by_key(|p| (p.bin1, p.bin2));
        let target = out.path().join("copy.cool");
        write(&target, &meta(&genome, symmetric, count_type), &pixels);
        let (g2, c2, s2, p2) = read_all(&target.display().to_string());
        same_genome(&g2, &genome);
        assert_eq!((c2, s2), (count_type, symmetric), "{}", path.display());
        assert_eq!(p2, pixels, "{}", path.display());
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} shared .cool files");
}
