//! Property tests: whatever the data, regions are non-empty, at most four, and cover every
//! stored tile exactly once; samples are bounded, distinct and inside their region.

use std::collections::BTreeSet;

use gzcm_picker::{Decision, Grid, Survey};
use proptest::prelude::*;

fn check(grid: Grid, cells: &[(u64, u64)], per_region: usize) {
    let mut survey = Survey::new(grid);
    for &(r, c) in cells {
        survey.observe(r % grid.rows(), c % grid.cols()).unwrap();
    }
    let stored: BTreeSet<(u32, u32)> = survey.tile_nnz().keys().copied().collect();
    let plan = survey.into_plan();
    assert!(plan.regions().len() <= 4, "{:?}", plan.regions());
    assert_eq!(plan.regions().is_empty(), stored.is_empty());
    let mut seen = BTreeSet::new();
    for region in plan.regions() {
        assert!(!region.tiles().is_empty());
        for &tile in region.tiles() {
            assert!(seen.insert(tile));
            assert_eq!(plan.region_of(tile.0, tile.1), Some(region.id()));
        }
    }
    assert_eq!(seen, stored);
    let (rows, cols) = grid.tiles();
    for i in 0..rows {
        for j in 0..cols {
            assert!(plan.region_of(i, j).is_some() || stored.is_empty());
        }
    }
    let samples = plan.sample_tiles(per_region);
    for (region, sampled) in plan.regions().iter().zip(samples.regions()) {
        assert_eq!(sampled.len(), per_region.max(1).min(region.tiles().len()));
        let distinct: BTreeSet<_> = sampled.iter().collect();
        assert_eq!(distinct.len(), sampled.len());
        assert!(sampled.iter().all(|t| plan.region_of(t.0, t.1) == Some(region.id())));
    }
    assert_eq!(samples, plan.sample_tiles(per_region));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn symmetric_partitions_are_complete(
        n in 1u64..800,
        tile in 16u32..40,
        cells in prop::collection::vec((0u64..800, 0u64..800), 0..300),
        per_region in 0usize..6,
    ) {
        check(Grid::new(n, n, tile, true).unwrap(), &cells, per_region);
    }

    #[test]
    fn rectangular_partitions_are_complete(
        rows in 1u64..600,
        cols in 1u64..600,
        tile in 16u32..40,
        cells in prop::collection::vec((0u64..600, 0u64..600), 0..300),
        per_region in 0usize..6,
    ) {
        check(Grid::new(rows, cols, tile, false).unwrap(), &cells, per_region);
    }
}

#[test]
fn decisions_can_move_into_the_writer_closure() {
    fn send_sync_static<T: Send + Sync + 'static>() {}
    send_sync_static::<Decision>();
}
