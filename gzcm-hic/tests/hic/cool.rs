//! The cooler reader against the shared real `.cool`/`.mcool` files: every matrix opens, pixels
//! equal the shared COO text of the same matrix, coarser resolutions aggregate the base one,
//! and damaged files give errors, never panics.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gzcm_genome::Bins;
use gzcm_hic::{CountType, FileKind, HicError, HicSource, OpenOptions, WeightSelection, detect, open};

/// Each chromosome's name and length (bin ranges differ between resolutions and selections).
fn extents(genome: &gzcm_genome::Genome) -> Vec<(&str, u64)> {
    genome.chroms().iter().map(|c| (c.name.as_str(), c.length)).collect()
}

/// The shared files these tests read.
const SHARED: [&str; 18] = [
    "gm12878_chr22_250kb.cool",
    "gm12878_chr22_250kb.coo.tsv",
    "gm12878_chr22_250kb.bins.tsv",
    "gm12878_rao2014_2500kb.cool",
    "gm12878_rao2014_2500kb.mcool",
    "gm12878_rao2014_2500kb.coo.tsv.gz",
    "gm12878_rao2014_2500kb.bins.tsv",
    "mouse_mm9_chr1_20kb.cool",
    "mouse_mm9_chr1_20kb.coo.tsv.gz",
    "mouse_mm9_chr1_20kb.bins.tsv",
    "yeast_10kb.cool",
    "yeast_10kb.mcool",
    "yeast_10kb.hic",
    "yeast_10kb.coo.tsv.gz",
    "yeast_10kb.bins.tsv",
    "yeast_duan2009_10kb.cool",
    "yeast_duan2009_10kb.unsorted.cool",
    "yeast_duan2009_10kb.coo.tsv",
];

/// The shared data directory holding [`SHARED`], or `None` (with the reason printed) when it
/// or a file is absent; a failure instead under `GZCM_REQUIRE_TEST_DATA=1`.
fn data_dir() -> Option<PathBuf> {
    gzcm_test_support::data_dir_with(&SHARED)
}

fn spec(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

/// Every pixel of `source`, as a map (duplicates summed, as cooler would).
fn pixel_map(source: &mut dyn HicSource) -> BTreeMap<(u64, u64), f64> {
    let mut map = BTreeMap::new();
    for pixel in source.pixels().expect("pixel stream") {
        let pixel = pixel.expect("pixel");
        *map.entry((pixel.bin1, pixel.bin2)).or_insert(0.0) += pixel.count;
    }
    map
}

/// The shared COO text of a matrix (upper triangle, integer counts).
fn coo_map(path: &Path) -> BTreeMap<(u64, u64), f64> {
    let input = path.display().to_string();
    let options = gzcm_io::OpenOptions { shape: None, symmetric: Some(true) };
    let source = gzcm_io::MatrixSource::open(&input, options).expect("open COO");
    source
        .triples::<u32>()
        .expect("COO triples")
        .map(|t| {
            let t = t.expect("COO cell");
            ((u64::from(t.row), u64::from(t.col)), f64::from(t.value))
        })
        .collect()
}

const COOLS: [&str; 6] = [
    "gm12878_chr22_250kb.cool",
    "gm12878_rao2014_2500kb.cool",
    "mouse_mm9_chr1_20kb.cool",
    "yeast_10kb.cool",
    "yeast_duan2009_10kb.cool",
    "yeast_duan2009_10kb.unsorted.cool",
];

const MCOOLS: [(&str, &[u64]); 2] = [
    ("gm12878_rao2014_2500kb.mcool", &[2_500_000, 5_000_000]),
    ("yeast_10kb.mcool", &[10_000, 20_000, 40_000]),
];

#[test]
fn every_cool_and_mcool_resolution_opens_and_streams() {
    let Some(dir) = data_dir() else { return };
    let mut specs: Vec<String> = COOLS.iter().map(|n| spec(&dir, n)).collect();
    for (name, resolutions) in MCOOLS {
        for r in resolutions {
            specs.push(format!("{}::/resolutions/{r}", spec(&dir, name)));
        }
    }
    for s in specs {
        let mut source = open(&s, &OpenOptions::default()).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert!(source.rows_sorted());
        let genome = source.genome().clone();
        let n = genome.n_bins();
        assert_eq!(genome.chrom_offsets().len(), genome.chroms().len() + 1, "{s}");
        for w in source.genome().weights() {
            assert_eq!(w.values.len() as u64, n, "{s}: weight {}", w.name);
        }
        let hint = source.pixel_count_hint().expect("cooler knows its pixel count");
        let symmetric = source.symmetric();
        let mut seen = 0u64;
        let mut last_row = 0u64;
        for pixel in source.pixels().expect("pixels") {
            let pixel = pixel.unwrap_or_else(|e| panic!("{s}: {e}"));
            assert!(pixel.bin1 < n && pixel.bin2 < n, "{s}: {pixel:?}");
            assert!(pixel.bin1 >= last_row, "{s}: rows not sorted at {pixel:?}");
            assert!(!symmetric || pixel.bin1 <= pixel.bin2, "{s}: {pixel:?}");
            last_row = pixel.bin1;
            seen += 1;
        }
        assert_eq!(seen, hint, "{s}");
    }
}

#[test]
fn detect_tells_cool_from_mcool() {
    let Some(dir) = data_dir() else { return };
    assert_eq!(detect(&dir.join("yeast_10kb.cool")).unwrap(), FileKind::Cool);
    assert_eq!(detect(&dir.join("yeast_10kb.mcool")).unwrap(), FileKind::Mcool);
    assert_eq!(detect(&dir.join("yeast_10kb.hic")).unwrap(), FileKind::Hic);
}

#[test]
fn base_resolution_pixels_equal_the_shared_coo_text() {
    let Some(dir) = data_dir() else { return };
    let pairs = [
        ("gm12878_chr22_250kb.cool", "gm12878_chr22_250kb.coo.tsv"),
        ("gm12878_rao2014_2500kb.cool", "gm12878_rao2014_2500kb.coo.tsv.gz"),
        ("gm12878_rao2014_2500kb.mcool::/resolutions/2500000", "gm12878_rao2014_2500kb.coo.tsv.gz"),
        ("mouse_mm9_chr1_20kb.cool", "mouse_mm9_chr1_20kb.coo.tsv.gz"),
        ("yeast_10kb.cool", "yeast_10kb.coo.tsv.gz"),
        ("yeast_10kb.mcool::/resolutions/10000", "yeast_10kb.coo.tsv.gz"),
        ("yeast_duan2009_10kb.cool", "yeast_duan2009_10kb.coo.tsv"),
    ];
    for (cool, coo) in pairs {
        let mut source = open(&spec(&dir, cool), &OpenOptions::default()).expect(cool);
        assert_eq!(source.count_type(), CountType::Int, "{cool}");
        assert!(source.symmetric(), "{cool}");
        let got = pixel_map(source.as_mut());
        let want = coo_map(&dir.join(coo));
        let got: BTreeMap<_, _> = got.into_iter().filter(|&(_, v)| v != 0.0).collect();
        assert_eq!(got.len(), want.len(), "{cool} vs {coo}: pixel counts");
        assert!(got == want, "{cool} differs from {coo}");
    }
}

#[test]
fn the_unsorted_file_gives_the_sorted_files_matrix() {
    let Some(dir) = data_dir() else { return };
    let options = OpenOptions::default();
    let mut sorted = open(&spec(&dir, "yeast_duan2009_10kb.cool"), &options).unwrap();
    let mut unsorted = open(&spec(&dir, "yeast_duan2009_10kb.unsorted.cool"), &options).unwrap();
    assert_eq!(sorted.genome(), unsorted.genome());
    assert_eq!(pixel_map(sorted.as_mut()), pixel_map(unsorted.as_mut()));
}

#[test]
fn bins_equal_the_shared_bins_tables() {
    let Some(dir) = data_dir() else { return };
    for name in ["gm12878_chr22_250kb", "gm12878_rao2014_2500kb", "mouse_mm9_chr1_20kb", "yeast_10kb"] {
        let source = open(&spec(&dir, &format!("{name}.cool")), &OpenOptions::default()).unwrap();
        let genome = source.genome();
        let &Bins::Fixed { bin_size } = genome.bins() else { panic!("{name}: fixed bins") };
        assert_eq!(genome.resolution(), Some(bin_size));
        let table = std::fs::read_to_string(dir.join(format!("{name}.bins.tsv"))).unwrap();
        let mut rows = 0u64;
        for (c, chrom) in genome.chroms().iter().enumerate() {
            for (k, _) in genome.chroms()[c].bins().enumerate() {
                let start = k as u64 * bin_size;
                let end = (start + bin_size).min(chrom.length);
                let line = table.lines().nth(rows as usize).expect("a row per bin");
                assert_eq!(line, format!("{}\t{start}\t{end}", chrom.name), "{name} bin {rows}");
                rows += 1;
            }
        }
        assert_eq!(rows as usize, table.lines().count(), "{name}");
    }
}

#[test]
fn weights_agree_between_the_cool_and_the_mcool_base_resolution() {
    let Some(dir) = data_dir() else { return };
    let options = OpenOptions::default();
    let cool = open(&spec(&dir, "yeast_10kb.cool"), &options).unwrap();
    let mcool = open(&format!("{}::/resolutions/10000", spec(&dir, "yeast_10kb.mcool")), &options).unwrap();
    assert_eq!(cool.genome().weights().len(), 1);
    assert_eq!(cool.genome().weights()[0].name, "weight");
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&cool.genome().weights()[0].values), bits(&mcool.genome().weights()[0].values));
    assert!(cool.genome().weights()[0].values.iter().any(|w| w.is_finite() && *w > 0.0));

    let named = OpenOptions { weights: WeightSelection::Named(vec!["KR".into()]), ..OpenOptions::default() };
    let kr = open(&spec(&dir, "gm12878_rao2014_2500kb.cool"), &named).unwrap();
    assert_eq!(kr.genome().weights().len(), 1);
    assert_eq!(kr.genome().weights()[0].name, "KR");
    let missing =
        OpenOptions { weights: WeightSelection::Named(vec!["SCALE".into()]), ..OpenOptions::default() };
    match open(&spec(&dir, "gm12878_rao2014_2500kb.cool"), &missing) {
        Err(HicError::UnknownWeights { name, available, .. }) => {
            assert_eq!(name, "SCALE");
            assert_eq!(available, ["KR", "VC", "VC_SQRT"]);
        }
        other => panic!("expected UnknownWeights, got {:?}", other.map(|s| s.describe())),
    }
    let none = OpenOptions { weights: WeightSelection::None, ..OpenOptions::default() };
    assert!(open(&spec(&dir, "yeast_10kb.cool"), &none).unwrap().genome().weights().is_empty());
}

#[test]
fn coarser_mcool_resolutions_aggregate_the_base_one() {
    let Some(dir) = data_dir() else { return };
    for (name, resolutions) in MCOOLS {
        let base_res = resolutions[0];
        let path = spec(&dir, name);
        let mut base = open(&format!("{path}::/resolutions/{base_res}"), &OpenOptions::default()).unwrap();
        let base_genome = base.genome().clone();
        let base_pixels = pixel_map(base.as_mut());
        for &coarse_res in &resolutions[1..] {
            let options = OpenOptions { resolution: Some(coarse_res), ..OpenOptions::default() };
            let mut coarse = open(&path, &options).unwrap();
            let genome = coarse.genome().clone();
            assert_eq!(extents(&genome), extents(&base_genome));
            let factor = coarse_res / base_res;
            let to_coarse = |bin: u64| {
                let c = base_genome.chrom_offsets().partition_point(|&o| o <= bin) - 1;
                genome.chrom_offsets()[c] + (bin - base_genome.chrom_offsets()[c]) / factor
            };
            let mut want: BTreeMap<(u64, u64), f64> = BTreeMap::new();
            for (&(i, j), &v) in &base_pixels {
                *want.entry((to_coarse(i), to_coarse(j))).or_insert(0.0) += v;
            }
            let got = pixel_map(coarse.as_mut());
            assert!(got == want, "{name}: {coarse_res} is not the sum of {base_res}");
        }
    }
}

#[test]
fn mcool_resolution_is_required_and_checked() {
    let Some(dir) = data_dir() else { return };
    let path = spec(&dir, "yeast_10kb.mcool");
    for (s, options, requested) in [
        (path.clone(), OpenOptions::default(), None),
        (path.clone(), OpenOptions { resolution: Some(30_000), ..OpenOptions::default() }, Some(30_000)),
        (format!("{path}::/resolutions/5000"), OpenOptions::default(), Some(5000)),
    ] {
        match open(&s, &options) {
            Err(HicError::Resolution { requested: r, available, .. }) => {
                assert_eq!(r, requested, "{s}");
                assert_eq!(available, [10_000, 20_000, 40_000]);
            }
            other => panic!("{s}: expected a Resolution error, got {:?}", other.map(|s| s.describe())),
        }
    }
    let wrong = OpenOptions { resolution: Some(20_000), ..OpenOptions::default() };
    assert!(matches!(
        open(&spec(&dir, "yeast_10kb.cool"), &wrong),
        Err(HicError::Resolution { available, .. }) if available == [10_000]
    ));
    let root = open(&format!("{}::/", spec(&dir, "yeast_10kb.cool")), &OpenOptions::default());
    assert_eq!(root.unwrap().genome().n_bins(), 1226);
}

#[test]
fn one_chromosome_is_its_intra_block_renumbered() {
    let Some(dir) = data_dir() else { return };
    let path = spec(&dir, "yeast_10kb.cool");
    let mut whole = open(&path, &OpenOptions::default()).unwrap();
    let genome = whole.genome().clone();
    let all = pixel_map(whole.as_mut());
    for name in ["chrMito", "chrIV", "chr2-micron"] {
        let options = OpenOptions { chrom: Some(name.into()), ..OpenOptions::default() };
        let mut one = open(&path, &options).unwrap();
        let index = genome.chroms().iter().position(|c| c.name == name).unwrap();
        let bins = genome.chroms()[index].bins();
        assert_eq!(extents(one.genome()), [extents(&genome)[index]]);
        assert_eq!(one.genome().n_bins(), bins.end - bins.start);
        assert_eq!(one.genome().weights()[0].values.len() as u64, bins.end - bins.start);
        let want: BTreeMap<_, _> = all
            .iter()
            .filter(|((i, j), _)| bins.contains(i) && bins.contains(j))
            .map(|(&(i, j), &v)| ((i - bins.start, j - bins.start), v))
            .collect();
        assert_eq!(pixel_map(one.as_mut()), want, "{name}");
    }
    match open(&path, &OpenOptions { chrom: Some("chrZ".into()), ..OpenOptions::default() }) {
        Err(HicError::UnknownChrom { available, .. }) => assert_eq!(available.len(), 18),
        other => panic!("expected UnknownChrom, got {:?}", other.map(|s| s.describe())),
    }
}

/// Opens and streams `path`, returning whether it read cleanly (a panic fails the test).
fn read_all(path: &Path) -> Result<(), HicError> {
    let mut source = open(&path.display().to_string(), &OpenOptions::default())?;
    for pixel in source.pixels()? {
        pixel?;
    }
    Ok(())
}

#[test]
fn truncated_and_corrupted_files_give_errors_not_panics() {
    let Some(dir) = data_dir() else { return };
    let bytes = std::fs::read(dir.join("gm12878_chr22_250kb.cool")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("damaged.cool");
    let mut truncated_errors = 0;
    for len in (0..bytes.len()).step_by(487) {
        std::fs::write(&path, &bytes[..len]).unwrap();
        if read_all(&path).is_err() {
            truncated_errors += 1;
        }
    }
    // Data lies at the end of the file: almost every prefix must fail.
    assert!(truncated_errors > bytes.len() / 487 - 3, "{truncated_errors} prefixes failed");
    let mut flipped_errors = 0;
    for at in (0..bytes.len()).step_by(97) {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x5a;
        std::fs::write(&path, &damaged).unwrap();
        if read_all(&path).is_err() {
            flipped_errors += 1;
        }
    }
    assert!(flipped_errors > 0, "no flipped byte was noticed");
}

/// The committed cool_file fuzz seeds (written by `fuzz/make_cool_seeds.py` with cooler) are
/// valid files the reader opens: variable-width bins over two chromosomes, int counts with a
/// `weight` column and float counts.
#[test]
fn fuzz_seeds_open_and_read() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/cool_file");
    for (name, expected) in
        [("tiny-int.cool", [5.0, 1.0, 2.0, 7.0, 3.0]), ("tiny-float.cool", [2.5, 0.5, 1.0, 3.5, 1.5])]
    {
        let path = dir.join(name);
        let mut source = gzcm_hic::open(path.to_str().expect("utf-8"), &gzcm_hic::OpenOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(source.genome().chrom_offsets(), [0, 4, 6], "{name}");
        let counts: Vec<f64> = source.pixels().expect("pixels").map(|p| p.expect("pixel").count).collect();
        assert_eq!(counts, expected, "{name}");
    }
}
