//! End-to-end tests of the picker on synthetic Hi-C-like maps with the built-in codecs.

use crate::common;

use std::collections::BTreeSet;

use crate::common::{hic_cells, registry, run};
use gzcm_core::{CodecHandle, Dtype, EncodeOptions};
use gzcm_picker::{Grid, Outcome, PickOptions, PickerError, PickerRecord, Survey, Weights};

const N: u64 = 384;
const T: u32 = 32;
const PER_REGION: usize = 4;

fn size_only() -> PickOptions {
    PickOptions::default().weights(Weights::new(0.0, 1.0, 0.0).unwrap()).timing_runs(1)
}

#[test]
fn regions_are_non_empty_and_cover_every_stored_tile_once() {
    let grid = Grid::new(N, N, T, true).unwrap();
    let cells = hic_cells(N, 100.0, 1);
    let mut survey = Survey::new(grid);
    for &(r, c, _) in &cells {
        survey.observe(r, c).unwrap();
    }
    let stored: BTreeSet<(u32, u32)> = survey.tile_nnz().keys().copied().collect();
    let plan = survey.into_plan();
    assert!((2..=4).contains(&plan.regions().len()), "{:?}", plan.regions());
    let mut seen = BTreeSet::new();
    for region in plan.regions() {
        assert!(!region.tiles().is_empty(), "{} is empty", region.name());
        for &tile in region.tiles() {
            assert!(seen.insert(tile), "{tile:?} is in two regions");
            assert_eq!(plan.region_of(tile.0, tile.1), Some(region.id()));
        }
    }
    assert_eq!(seen, stored);
    let n_tiles = grid.tiles().0;
    assert_eq!(plan.regions()[0].name(), "diagonal");
    assert_ne!(plan.region_of(0, 0), plan.region_of(0, n_tiles - 1), "diagonal and far tiles share a region");
}

#[test]
fn size_only_weights_choose_the_smallest_codec_per_region() {
    let registry = registry();
    let grid = Grid::new(N, N, T, true).unwrap();
    let (decision, tiles) = run(grid, &hic_cells(N, 100.0, 2), PER_REGION, &registry, &size_only());
    assert_eq!(decision.record().candidates, registry.names());
    for (region, samples) in decision.record().regions.iter().zip(tiles.regions()) {
        // Encode the sample with every candidate independently of the picker.
        let mut sizes: Vec<(usize, String)> = registry
            .names()
            .into_iter()
            .map(|name| {
                let handle = CodecHandle::from_registry(&registry, &name, &EncodeOptions::default()).unwrap();
                let mut total = 0;
                for sample in samples {
                    let mut out = Vec::new();
                    handle.encode_stored(sample.tile.view(), &sample.context, &mut out).unwrap();
                    total += out.len();
                }
                (total, name)
            })
            .collect();
        sizes.sort();
        assert_eq!(region.winner, sizes[0].1, "region {}: {sizes:?}", region.name);
        assert_eq!(decision.winners()[region.id], region.winner);
    }
    // Every tile of the grid maps to its region's winner.
    let (rows, cols) = grid.tiles();
    for i in 0..rows {
        for j in i..cols {
            let id = decision.plan().region_of(i, j).unwrap();
            assert_eq!(decision.codec_for(i, j), decision.winners()[id]);
        }
    }
}

#[test]
fn the_same_input_gives_the_same_regions_samples_and_winners() {
    let registry = registry();
    let grid = Grid::new(N, N, T, true).unwrap();
    let cells = hic_cells(N, 100.0, 3);
    let options = size_only().candidates(["lz4", "zstd", "cmc"]);
    let (a, tiles_a) = run(grid, &cells, PER_REGION, &registry, &options);
    let (b, tiles_b) = run(grid, &cells, PER_REGION, &registry, &options);
    assert_eq!(a.plan(), b.plan());
    assert_eq!(tiles_a, tiles_b);
    assert_eq!(a.winners(), b.winners());
    assert_eq!(a.regions_json(), b.regions_json());
}

/// The built-in codecs that store whole counts only.
fn integer_only(codec: &str) -> bool {
    codec.contains("cmc") || codec == "rans"
}

#[test]
fn non_integer_floats_make_integer_only_codecs_drop_out() {
    let registry = registry();
    let grid = Grid::new(N, N, T, true).unwrap();
    let cells: Vec<(u64, u64, f32)> =
        hic_cells(N, 100.0, 4).into_iter().map(|(r, c, v)| (r, c, v as f32 * 0.37 + 0.01)).collect();
    let options = PickOptions::default().timing_runs(1);
    let (decision, _) = run(grid, &cells, 2, &registry, &options);
    for region in &decision.record().regions {
        assert!(!integer_only(&region.winner), "{}", region.winner);
        for candidate in &region.candidates {
            match &candidate.outcome {
                Outcome::Refused { reason } => {
                    assert!(integer_only(&candidate.codec), "{} refused: {reason}", candidate.codec);
                    assert!(reason.contains("not a whole count"), "{reason}");
                }
                Outcome::Measured { .. } => assert!(!integer_only(&candidate.codec), "{}", candidate.codec),
                other => panic!("{other:?}"),
            }
        }
    }
    let table = decision.render_table();
    assert!(table.contains("refused"), "{table}");
}

#[test]
fn record_json_round_trips_and_regions_json_is_complete() {
    let registry = registry();
    let grid = Grid::new(N, N, T, true).unwrap();
    let options = PickOptions::default().candidates(["zstd", "lz4"]).timing_runs(1);
    let (decision, _) = run(grid, &hic_cells(N, 100.0, 5), 2, &registry, &options);
    let json = decision.record_json();
    let back = gzcm_picker::Decision::from_record_json(&json).unwrap();
    let again = PickerRecord::from_json(&back.to_json()).unwrap();
    assert_eq!(back.candidates, decision.record().candidates);
    assert_eq!(back.weights, decision.record().weights);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs());
    for (x, y) in back.regions.iter().zip(&decision.record().regions) {
        for (p, q) in x.candidates.iter().zip(&y.candidates) {
            assert_eq!(p.codec, q.codec);
            match (&p.outcome, &q.outcome) {
                (
                    Outcome::Measured { measurement: a, scored: s },
                    Outcome::Measured { measurement: b, scored: t },
                ) => {
                    assert_eq!(a.bytes, b.bytes);
                    assert!(close(a.encode_s, b.encode_s) && close(a.decode_s, b.decode_s));
                    assert!(close(s.score, t.score) && close(s.criteria.size, t.criteria.size));
                }
                (Outcome::Refused { reason: a }, Outcome::Refused { reason: b }) => assert_eq!(a, b),
                other => panic!("{other:?}"),
            }
        }
    }
    assert_eq!(again.to_json(), back.to_json());
    for (x, y) in back.regions.iter().zip(&decision.record().regions) {
        assert_eq!(
            (x.id, &x.name, x.tiles, x.sample_tiles, &x.winner),
            (y.id, &y.name, y.tiles, y.sample_tiles, &y.winner)
        );
        assert_eq!(x.candidates.len(), y.candidates.len());
    }
    let regions = decision.regions_json();
    assert_eq!(regions.len(), decision.record().regions.len());
    let total: u64 = regions.iter().map(|r| r["tiles"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, decision.plan().regions().iter().map(|r| r.tiles().len()).sum::<usize>());
    for (id, region) in regions.iter().enumerate() {
        assert_eq!(region["id"], id);
        for key in ["name", "rule", "tile_distance", "extent_tiles", "extent_bins", "codec"] {
            assert!(!region[key].is_null(), "{key} missing in {region}");
        }
    }
    assert!(decision.render_table().lines().count() > regions.len());
}

#[test]
fn candidate_names_are_checked_against_the_registry() {
    let registry = registry();
    let grid = Grid::new(64, 64, 32, true).unwrap();
    let mut survey = Survey::new(grid);
    survey.observe(0, 0).unwrap();
    let plan = survey.into_plan();
    let tiles = {
        let mut collector = plan.sample_tiles(1).collector(Dtype::U32);
        collector.push(0, 0, 5u32).unwrap();
        collector.finish()
    };
    let error =
        plan.pick(&registry, &tiles, &PickOptions::default().candidates(["zstd", "brotli"])).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, PickerError::UnknownCandidate { ref name, .. } if name == "brotli"), "{error:?}");
    for name in registry.names() {
        assert!(message.contains(&name), "{message}");
    }
    let empty: [&str; 0] = [];
    assert!(matches!(
        plan.pick(&registry, &tiles, &PickOptions::default().candidates(empty)),
        Err(PickerError::NoCandidates { .. })
    ));
    assert!(matches!(
        plan.pick(&registry, &tiles, &PickOptions::default().candidates(["lz4", "lz4"])),
        Err(PickerError::DuplicateCandidate { .. })
    ));
    for text in ["0.5,0.3,0.3", "-1,1,1", "NaN,0.5,0.5", "0.5,0.5", "0.25,0.25,0.25,0.25", "a,b,c"] {
        let message = Weights::parse(text).unwrap_err().to_string();
        assert!(message.contains("expected three finite non-negative numbers"), "{text}: {message}");
    }
}

#[test]
fn rectangular_maps_get_density_classes() {
    let registry = registry();
    let (rows, cols) = (192u64, 320u64);
    let grid = Grid::new(rows, cols, T, false).unwrap();
    let mut rng = common::Rng::new(6);
    let cells: Vec<(u64, u64, u32)> = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .filter_map(|(r, c)| {
            let p = 1.0 / (1.0 + (c / 32) as f64 * 2.0);
            (rng.unit() < p).then_some((r, c, 1 + (rng.next_u64() % 7) as u32))
        })
        .collect();
    let (decision, _) = run(grid, &cells, 2, &registry, &size_only().candidates(["lz4", "zstd"]));
    let names: Vec<&str> = decision.plan().regions().iter().map(|r| r.name()).collect();
    assert!(names.len() >= 2 && names[0] == "dense", "{names:?}");
    assert_eq!(decision.plan().regions().iter().map(|r| r.tiles().len()).sum::<usize>(), 60);
}

#[test]
fn a_refused_cell_outside_the_sample_still_drops_the_codec_from_its_region() {
    let registry = registry();
    let grid = Grid::new(N, N, T, true).unwrap();
    let mut cells: Vec<(u64, u64, f32)> =
        hic_cells(N, 100.0, 7).into_iter().map(|(r, c, v)| (r, c, v as f32)).collect();
    let mut survey = Survey::new(grid);
    for &(r, c, _) in &cells {
        survey.observe(r, c).unwrap();
    }
    let plan = survey.into_plan();
    let samples = plan.sample_tiles(1);
    // A NaN (as balanced maps hold for filtered bins) in a tile of the last region that is not sampled.
    let last = plan.regions().last().unwrap();
    let &(i, j) = last.tiles().iter().find(|t| !samples.regions()[last.id()].contains(t)).unwrap();
    let cell = cells.iter_mut().find(|(r, c, _)| grid_tile(*r, *c) == (i, j)).unwrap();
    cell.2 = f32::NAN;
    let mut collector = samples.collector(Dtype::F32);
    for &(r, c, v) in &cells {
        collector.push(r, c, v).unwrap();
    }
    let tiles = collector.finish();
    let decision = plan.pick(&registry, &tiles, &size_only().candidates(["cmc", "zstd"])).unwrap();
    let region = &decision.record().regions[last.id()];
    assert_eq!(region.winner, "zstd");
    let Outcome::Refused { reason } = &region.candidates[0].outcome else {
        panic!("cmc was not refused: {:?}", region.candidates[0]);
    };
    assert!(reason.contains(&format!("tile ({i}, {j}) outside the sample")), "{reason}");
    assert_eq!(decision.codec_for(i, j), "zstd");
}

fn grid_tile(row: u64, col: u64) -> (u32, u32) {
    ((row / u64::from(T)) as u32, (col / u64::from(T)) as u32)
}
