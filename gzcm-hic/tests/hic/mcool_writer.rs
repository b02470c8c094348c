//! The `.mcool` writer: every resolution it writes reads back through gzcm's own cooler reader
//! (`FILE::/resolutions/R`) with the same genome, weights and pixels; the root carries
//! cooler's MCOOL attributes; misuse is a typed error.

use std::path::Path;

use gzcm_genome::{Genome, WeightVector};
use gzcm_hic::cool_writer::{CoolMeta, CoolWriteError, McoolWriter};
use gzcm_hic::{CountType, OpenOptions, Pixel, WeightSelection, open};

/// The resolutions of the shared `yeast_10kb.mcool` (PROVENANCE.md).
const YEAST_RESOLUTIONS: [u64; 3] = [10_000, 20_000, 40_000];

fn meta(genome: &Genome, symmetric: bool, count_type: CountType) -> CoolMeta<'_> {
    CoolMeta {
        genome,
        symmetric,
        count_type,
        generated_by: "gzcm-hic tests".into(),
        creation_date: gzcm_hic::cool_writer::iso8601_now(),
    }
}

fn options() -> OpenOptions {
    OpenOptions { weights: WeightSelection::All, ..OpenOptions::default() }
}

fn group_uri(path: &Path, resolution: u64) -> String {
    format!("{}::/resolutions/{resolution}", path.display())
}

/// Genome, count type, symmetry and every pixel of one matrix.
fn read_all(uri: &str) -> (Genome, CountType, bool, Vec<Pixel>) {
    let mut source = open(uri, &options()).unwrap();
    let pixels: Vec<Pixel> = source.pixels().unwrap().map(Result::unwrap).collect();
    (source.genome().clone(), source.count_type(), source.symmetric(), pixels)
}

/// The same chromosomes, bins and assembly, and weights equal to a few ulp (KR/VC/VC_SQRT pass
/// through `1 / w` on write and read), NaN where the other is NaN.
fn same_genome(a: &Genome, b: &Genome) {
    let coordinates = |g: &Genome| g.clone().with_weights(Vec::new()).unwrap();
    assert_eq!(coordinates(a), coordinates(b));
    same_weights(a.weights(), b.weights());
}

fn same_weights(a: &[WeightVector], b: &[WeightVector]) {
    assert_eq!(a.iter().map(|w| &w.name).collect::<Vec<_>>(), b.iter().map(|w| &w.name).collect::<Vec<_>>());
    for (a, b) in a.iter().zip(b) {
        assert_eq!(a.values.len(), b.values.len(), "{}", a.name);
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

/// The root's `format` and `format-version` attributes and the groups under `/resolutions`.
fn mcool_root(path: &Path) -> (String, i64, Vec<String>) {
    let file = hdf5_pure::File::open(path).unwrap();
    let attrs = file.root().attrs().unwrap();
    let format = attrs["format"].as_str().unwrap().to_owned();
    let version = attrs["format-version"].as_i64().unwrap();
    let mut groups = file.group("resolutions").unwrap().groups().unwrap();
    groups.sort_by_key(|g| g.parse::<u64>().unwrap());
    (format, version, groups)
}

/// Each resolution of the shared yeast `.mcool`, streamed from gzcm's reader straight into the
/// writer, reads back with the source's genome, weights (ICE `weight` included) and pixels.
#[test]
fn shared_mcool_round_trips_at_every_resolution() {
    let Some(source) = gzcm_test_support::data_path("yeast_10kb.mcool") else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.mcool");
    let mut mcool = McoolWriter::create(&path).unwrap();
    for resolution in YEAST_RESOLUTIONS {
        let mut input = open(&group_uri(&source, resolution), &options()).unwrap();
        let genome = input.genome().clone();
        assert!(genome.weights().iter().any(|w| w.name == "weight"), "{resolution}: no ICE weights");
        let meta = meta(&genome, input.symmetric(), input.count_type());
        let mut group = mcool.resolution(resolution, &meta).unwrap();
        assert_eq!(group.resolution(), resolution);
        for pixel in input.pixels().unwrap() {
            group.push(pixel.unwrap()).unwrap();
        }
        let nnz = group.finish().unwrap();
        assert!(nnz > 0, "{resolution}");
    }
    assert_eq!(mcool.resolutions(), YEAST_RESOLUTIONS);
    assert_eq!(mcool.finish().unwrap(), YEAST_RESOLUTIONS);

    let (format, version, groups) = mcool_root(&path);
    assert_eq!((format.as_str(), version), ("HDF5::MCOOL", 2));
    assert_eq!(groups, ["10000", "20000", "40000"]);
    for resolution in YEAST_RESOLUTIONS {
        let (genome, count_type, symmetric, pixels) = read_all(&group_uri(&source, resolution));
        let (g2, c2, s2, p2) = read_all(&group_uri(&path, resolution));
        same_genome(&g2, &genome);
        assert_eq!(g2.resolution(), Some(resolution));
        assert_eq!((c2, s2), (count_type, symmetric), "{resolution}");
        assert!(p2 == pixels, "{resolution}: pixels differ");
    }
}

/// More resolutions than an HDF5 group holds in its compact link storage (8), written out of
/// order, each with its own genome, weights and count type.
#[test]
fn ten_synthetic_resolutions_in_any_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ten.mcool");
    let resolutions: Vec<u64> = [7, 3, 10, 1, 5, 9, 2, 8, 4, 6].iter().map(|k| k * 50).collect();
    let chroms = [("chrA".to_owned(), 2_000), ("chrB".to_owned(), 730)];
    let matrix = |bin_size: u64| {
        let genome = Genome::fixed(&chroms, bin_size).unwrap();
        let n = genome.n_bins();
        let weight =
            WeightVector::new("weight", (0..n).map(|i| 1.0 / (i as f64 + bin_size as f64)).collect());
        let kr =
            WeightVector::new("KR", (0..n).map(|i| if i == 1 { f64::NAN } else { 0.5 + i as f64 }).collect());
        let genome = genome.with_weights(vec![weight, kr]).unwrap();
        let count_type = if bin_size.is_multiple_of(100) { CountType::Int } else { CountType::Float };
        let pixels: Vec<Pixel> = (0..n)
            .flat_map(|i| (i..n).map(move |j| (i, j)))
            .filter(|(i, j)| !(i * 5 + j + bin_size).is_multiple_of(4))
            .map(|(bin1, bin2)| Pixel { bin1, bin2, count: ((bin1 + 2 * bin2 + bin_size) % 13 + 1) as f64 })
            .collect();
        (genome, count_type, pixels)
    };
    let mut mcool = McoolWriter::create(&path).unwrap();
    for &resolution in &resolutions {
        let (genome, count_type, pixels) = matrix(resolution);
        let mut group = mcool.resolution(resolution, &meta(&genome, true, count_type)).unwrap();
        for &pixel in &pixels {
            group.push(pixel).unwrap();
        }
        assert_eq!(group.finish().unwrap(), pixels.len() as u64);
    }
    assert_eq!(mcool.finish().unwrap(), resolutions);

    let mut sorted = resolutions.clone();
    sorted.sort_unstable();
    let (_, _, groups) = mcool_root(&path);
    assert_eq!(groups, sorted.iter().map(u64::to_string).collect::<Vec<_>>());
    for &resolution in &resolutions {
        let (genome, count_type, pixels) = matrix(resolution);
        let (g2, c2, s2, p2) = read_all(&group_uri(&path, resolution));
        same_genome(&g2, &genome);
        assert_eq!((c2, s2), (count_type, true), "{resolution}");
        assert_eq!(p2, pixels, "{resolution}");
    }
}

#[test]
fn misuse_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.mcool");
    let chroms = [("c1".to_owned(), 1_000)];
    let g100 = Genome::fixed(&chroms, 100).unwrap();
    let g200 = Genome::fixed(&chroms, 200).unwrap();

    // Nothing written: no .mcool.
    let mcool = McoolWriter::create(&path).unwrap();
    assert!(matches!(mcool.finish(), Err(CoolWriteError::NoResolutions)));

    let mut mcool = McoolWriter::create(&path).unwrap();
    let err = mcool.resolution(200, &meta(&g100, true, CountType::Int)).unwrap_err();
    assert!(
        matches!(err, CoolWriteError::ResolutionMismatch { resolution: 200, bin_size: Some(100) }),
        "{err}"
    );
    assert!(err.to_string().contains("needs fixed 200-bp bins, but the matrix has 100-bp bins"), "{err}");
    let variable = Genome::new(
        vec![gzcm_genome::Chrom::new("c1", 1_000, 0, 2)],
        gzcm_genome::Bins::Variable { starts: vec![0, 300], ends: vec![300, 1_000] },
    )
    .unwrap();
    let err = mcool.resolution(300, &meta(&variable, true, CountType::Int)).unwrap_err();
    assert!(matches!(err, CoolWriteError::ResolutionMismatch { bin_size: None, .. }), "{err}");

    mcool.resolution(100, &meta(&g100, true, CountType::Int)).unwrap().finish().unwrap();
    assert!(matches!(
        mcool.resolution(100, &meta(&g100, true, CountType::Int)),
        Err(CoolWriteError::DuplicateResolution { resolution: 100 })
    ));
    // A refused genome leaves nothing behind: the next resolution still goes in.
    let clash = g200.clone().with_weights(vec![WeightVector::new("end", vec![1.0; 5])]).unwrap();
    assert!(matches!(
        mcool.resolution(200, &meta(&clash, true, CountType::Int)),
        Err(CoolWriteError::Genome(_))
    ));

    // A resolution dropped unfinished (say, its input failed) poisons the file.
    let mut group = mcool.resolution(200, &meta(&g200, true, CountType::Int)).unwrap();
    group.push(Pixel { bin1: 0, bin2: 1, count: 3.0 }).unwrap();
    assert!(matches!(
        group.push(Pixel { bin1: 0, bin2: 0, count: 3.0 }),
        Err(CoolWriteError::Unsorted { .. })
    ));
    drop(group);
    let g400 = Genome::fixed(&chroms, 400).unwrap();
    assert!(matches!(
        mcool.resolution(400, &meta(&g400, true, CountType::Int)),
        Err(CoolWriteError::UnfinishedResolution { resolution: 200 })
    ));
    assert_eq!(mcool.resolutions(), [100]);
    let err = mcool.finish().unwrap_err();
    assert!(err.to_string().contains("resolution 200 was not finished"), "{err}");
}
