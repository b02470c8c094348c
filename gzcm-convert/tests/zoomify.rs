//! `zoomify` end to end through the public API: base files written with a genome, coarsened
//! into single-resolution files, read back and compared with sums computed cell by cell.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gzcm::TileData;
use gzcm_container::{Bins, Chrom, Genome, Reader, WeightVector, Writer};
use gzcm_convert::zoomify::{Base, BinMap, Resolutions, ZoomifyError, coarsen_into};
use gzcm_convert::{ConvertError, InputOptions, SettingError, Settings, convert};
use gzcm_test_support::SplitMix64;

/// chr1 253 bp, chr2 97 bp, chr3 10 bp, in 5 bp bins: 51 + 20 + 2 = 73 bins, each chromosome
/// ending in a short bin.
fn genome() -> Genome {
    let chroms = [("chr1", 253), ("chr2", 97), ("chr3", 10)];
    let chroms: Vec<(String, u64)> = chroms.iter().map(|&(n, l)| (n.to_owned(), l)).collect();
    let genome = Genome::fixed(&chroms, 5).unwrap();
    let weights = vec![WeightVector::new("weight", vec![0.5; 73])];
    genome.with_assembly(Some("toy".to_owned())).with_weights(weights).unwrap()
}

/// Hi-C-like cells of a 73-bin map: decaying with distance, upper triangle when `symmetric`.
fn cells(symmetric: bool, seed: u64) -> Vec<(u64, u64, u32)> {
    let mut rng = SplitMix64::new(seed);
    let mut out = Vec::new();
    for row in 0..73u64 {
        for col in (if symmetric { row } else { 0 })..73 {
            let count = rng.poisson(40.0 / (1.0 + row.abs_diff(col) as f64));
            if count > 0 {
                out.push((row, col, count));
            }
        }
    }
    out
}

fn write_base(path: &Path, cells: &[(u64, u64, u32)], symmetric: bool) {
    let mut writer =
        Writer::builder(path, 73, 73).tile_size(16).symmetric(symmetric).genome(genome()).create().unwrap();
    for &(row, col, value) in cells {
        writer.push(row, col, value).unwrap();
    }
    writer.finish().unwrap();
}

/// What each coarse cell must hold: the base cells summed by the bin map.
fn expected(cells: &[(u64, u64, u32)], map: &BinMap) -> BTreeMap<(u64, u64), u64> {
    let mut sums = BTreeMap::new();
    for &(row, col, value) in cells {
        *sums.entry((map.coarse_bin(row), map.coarse_bin(col))).or_insert(0) += u64::from(value);
    }
    sums
}

/// The stored cells of a file (the upper triangle of a symmetric one).
fn stored(path: &Path) -> BTreeMap<(u64, u64), u64> {
    let reader = Reader::open(path).unwrap();
    let (n, _) = reader.shape();
    let TileData::U32(m) = reader.window(0..n, 0..n).unwrap() else { panic!("a u32 file") };
    let mut out = BTreeMap::new();
    for ((r, c), &v) in m.indexed_iter() {
        if v != 0 && (!reader.symmetric() || c >= r) {
            out.insert((r as u64, c as u64), u64::from(v));
        }
    }
    out
}

fn outputs(dir: &Path, resolutions: &[u64]) -> Vec<(u64, PathBuf)> {
    resolutions.iter().map(|&r| (r, dir.join(format!("z.{r}.gzcm")))).collect()
}

#[test]
fn every_level_holds_the_base_summed_within_chromosomes() {
    for symmetric in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let (input, cells) = (dir.path().join("base.gzcm"), cells(symmetric, 7));
        write_base(&input, &cells, symmetric);
        let base = Base::open(&input).unwrap();
        // Factors 2, 3 and 8, one tile of 16 base bins, and one above every chromosome.
        let resolutions = [10, 15, 40, 80, 1000];
        let levels = coarsen_into(&base, &outputs(dir.path(), &resolutions), &Settings::default()).unwrap();
        assert_eq!(levels.iter().map(|l| l.resolution).collect::<Vec<_>>(), resolutions);
        for (&resolution, level) in resolutions.iter().zip(&levels) {
            let map = BinMap::new(&genome(), resolution);
            let reader = Reader::open(&level.summary.path).unwrap();
            let g = reader.genome().unwrap();
            assert_eq!(g.bins(), &Bins::Fixed { bin_size: resolution });
            assert_eq!((g.assembly(), g.weights().len(), reader.symmetric()), (Some("toy"), 0, symmetric));
            let lengths: Vec<(String, u64)> = g.chroms().iter().map(|c| (c.name.clone(), c.length)).collect();
            assert_eq!(lengths, [("chr1".into(), 253), ("chr2".into(), 97), ("chr3".into(), 10)]);
            for chrom in g.chroms() {
                assert_eq!(chrom.n_bins(), chrom.length.div_ceil(resolution), "{resolution}");
            }
            assert_eq!(reader.header().metadata.resolution, Some(resolution));
            assert_eq!(
                stored(&level.summary.path),
                expected(&cells, &map),
                "{resolution} symmetric={symmetric}"
            );
        }
    }
}

#[test]
fn an_asymmetric_map_keeps_its_two_triangles_apart() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("base.gzcm");
    // (0, 1) and (1, 0) are one coarse cell's two mirrors at 10 bp: 3 above, 5 below.
    write_base(&input, &[(0, 1, 3), (1, 0, 5), (2, 70, 1)], false);
    let levels =
        coarsen_into(&Base::open(&input).unwrap(), &outputs(dir.path(), &[10]), &Settings::default());
    let cells = stored(&levels.unwrap()[0].summary.path);
    assert_eq!(cells, BTreeMap::from([((0, 0), 8), ((1, 35), 1)]));
}

#[test]
fn the_base_keeps_its_weights_and_the_codec_settings_apply_to_each_level() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("base.gzcm");
    write_base(&input, &cells(true, 3), true);
    let settings =
        Settings { codec: Some("lz4".into()), version: Some(4), tile_size: Some(32), ..Settings::default() };
    let levels =
        coarsen_into(&Base::open(&input).unwrap(), &outputs(dir.path(), &[10, 20]), &settings).unwrap();
    for level in &levels {
        let reader = Reader::open(&level.summary.path).unwrap();
        assert_eq!((reader.version(), reader.tile_size()), (4, 32));
        assert_eq!(reader.header().codecs.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["lz4"]);
        assert!(reader.verify().is_ok());
    }
    assert_eq!(Reader::open(&input).unwrap().weight_names(), ["weight"]);
}

#[test]
fn float_counts_are_summed_in_f64_and_stored_as_f32() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("base.gzcm");
    let mut writer = Writer::builder(&input, 73, 73).tile_size(16).dtype(gzcm::Dtype::F32).genome(genome());
    writer = writer.symmetric(true);
    let mut writer = writer.create().unwrap();
    // 0.1 + 0.2 in f32 then summed in f32 would round differently from the f64 sum.
    for (row, col, value) in [(0u64, 0u64, 0.1f32), (0, 1, 0.2), (1, 1, 1e-3), (60, 72, 2.5)] {
        writer.push(row, col, value).unwrap();
    }
    writer.finish().unwrap();
    let levels =
        coarsen_into(&Base::open(&input).unwrap(), &outputs(dir.path(), &[10]), &Settings::default());
    let reader = Reader::open(&levels.unwrap()[0].summary.path).unwrap();
    let TileData::F32(m) = reader.window(0..37, 0..37).unwrap() else { panic!("an f32 file") };
    let sum = f64::from(0.1f32) + f64::from(0.2f32) + f64::from(1e-3f32);
    assert_eq!(m[[0, 0]], sum as f32);
    assert_eq!(m[[30, 36]], 2.5);
}

#[test]
fn a_sum_beyond_u32_is_an_error_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("base.gzcm");
    let half = u32::MAX / 2 + 1;
    write_base(&input, &[(0, 0, half), (0, 1, half), (5, 5, 1)], true);
    let out = outputs(dir.path(), &[10]);
    let err = coarsen_into(&Base::open(&input).unwrap(), &out, &Settings::default()).unwrap_err();
    assert!(
        matches!(err, ZoomifyError::CountOverflow { resolution: 10, row: 0, col: 0, sum: 4_294_967_296, .. }),
        "{err}"
    );
    assert!(!out[0].1.exists());
    assert_eq!(gzcm_test_support::dir_entries(dir.path()), ["base.gzcm"], "no temporary file is left");
}

#[test]
fn inputs_without_fixed_genomic_bins_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.gzcm");
    let mut writer = Writer::builder(&plain, 4, 4).symmetric(true).create().unwrap();
    writer.push(0, 1, 1u32).unwrap();
    writer.finish().unwrap();
    let err = Base::open(&plain).unwrap_err();
    assert!(
        err.to_string().contains("zoomify needs genomic bins; convert with --bins or from a .cool"),
        "{err}"
    );
    let variable = dir.path().join("variable.gzcm");
    let chroms = vec![Chrom::new("a", 30, 0, 2)];
    let genome = Genome::new(chroms, Bins::Variable { starts: vec![0, 10], ends: vec![10, 30] }).unwrap();
    Writer::builder(&variable, 2, 2).genome(genome).create().unwrap().finish().unwrap();
    assert!(matches!(Base::open(&variable), Err(ZoomifyError::VariableBins { .. })));
}

#[test]
fn the_output_is_never_the_input_and_bad_requests_are_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("base.gzcm");
    write_base(&input, &cells(true, 1), true);
    let before = std::fs::read(&input).unwrap();
    let base = Base::open(&input).unwrap();
    let overwrite = Settings { overwrite: true, ..Settings::default() };
    let err = coarsen_into(&base, &[(10, input.clone())], &overwrite).unwrap_err();
    assert!(
        matches!(&err, ZoomifyError::Convert(e) if matches!(**e, ConvertError::OutputIsInput { .. })),
        "{err}"
    );
    assert_eq!(std::fs::read(&input).unwrap(), before);
    let run = |list: &[u64], settings: &Settings| coarsen_into(&base, &outputs(dir.path(), list), settings);
    assert!(matches!(
        run(&[12], &Settings::default()),
        Err(ZoomifyError::NotAMultiple { resolution: 12, base: 5 })
    ));
    assert!(matches!(run(&[20, 10], &Settings::default()), Err(ZoomifyError::NotIncreasing { .. })));
    assert!(matches!(run(&[5], &Settings::default()), Err(ZoomifyError::EqualsBase { base: 5 })));
    let adaptive = Settings { adaptive: Some(true), ..Settings::default() };
    let err = run(&[10], &adaptive).unwrap_err();
    assert!(matches!(err.setting(), Some(SettingError::NotForZoomify { .. })), "{err}");
    // An existing output is kept without overwrite, replaced with it.
    let out = outputs(dir.path(), &[10]);
    std::fs::write(&out[0].1, "keep").unwrap();
    assert!(run(&[10], &Settings::default()).is_err());
    assert_eq!(std::fs::read(&out[0].1).unwrap(), b"keep");
    run(&[10], &overwrite).unwrap();
    assert_eq!(base.plan(&Resolutions::List(vec![10, 20])).unwrap(), [10, 20]);
}

#[test]
fn a_real_cool_file_coarsens_to_the_sums_of_its_pixels() {
    let Some(cool) = gzcm_test_support::data_path("yeast_10kb.cool") else { return };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("yeast.gzcm");
    convert(cool.to_str().unwrap(), &input, &Settings::default(), &InputOptions::default()).unwrap();
    let base = Base::open(&input).unwrap();
    // 12,157,105 bp in 256 bins: top 47,489 bp; nice: 20 kb (50 kb is above the top).
    assert_eq!(base.plan(&Resolutions::Nice).unwrap(), [20_000]);
    assert_eq!(base.plan(&Resolutions::BaseMultiples).unwrap(), [20_000, 40_000]);
    let resolutions = [20_000, 40_000, 50_000, 1_000_000];
    let levels = coarsen_into(&base, &outputs(dir.path(), &resolutions), &Settings::default()).unwrap();
    let base_cells: Vec<(u64, u64, u32)> =
        stored(&input).into_iter().map(|((r, c), v)| (r, c, u32::try_from(v).unwrap())).collect();
    for (level, &resolution) in levels.iter().zip(&resolutions) {
        let map = BinMap::new(base.genome(), resolution);
        assert_eq!(stored(&level.summary.path), expected(&base_cells, &map), "{resolution}");
    }
}
