//! Synthetic Hi-C-like matrices and a registry of the built-in codecs.

#![allow(dead_code, unreachable_pub)]

use gzcm_core::{Dtype, Registry};
use gzcm_picker::{Decision, Grid, PickOptions, SampleTiles, Survey};

/// A small deterministic generator (SplitMix64), shared by the workspace's tests.
pub use gzcm_test_support::SplitMix64 as Rng;

/// The upper-triangle non-zero cells of an `n × n` Hi-C-like map: expected count
/// `scale · (d + 1)^-1.3` at bin distance `d`, with multiplicative noise; below one expected
/// count a cell is 1 with that probability (so far tiles get sparse).
pub fn hic_cells(n: u64, scale: f64, seed: u64) -> Vec<(u64, u64, u32)> {
    let mut rng = Rng::new(seed);
    let mut cells = Vec::new();
    for row in 0..n {
        for col in row..n {
            let expected = scale * ((col - row + 1) as f64).powf(-1.3);
            let value = if expected >= 1.0 {
                (expected * (0.5 + rng.unit())) as u32
            } else {
                u32::from(rng.unit() < expected)
            };
            if value > 0 {
                cells.push((row, col, value));
            }
        }
    }
    cells
}

/// Every built-in codec.
pub fn registry() -> Registry {
    let mut registry = Registry::empty();
    gzcm_codecs::register_builtins(&mut registry).expect("built-ins register");
    registry
}

/// Runs the three passes over `cells` (`u32` or `f32`).
pub fn run<T: gzcm_core::Element>(
    grid: Grid,
    cells: &[(u64, u64, T)],
    per_region: usize,
    registry: &Registry,
    options: &PickOptions,
) -> (Decision, SampleTiles) {
    let mut survey = Survey::new(grid);
    for &(r, c, _) in cells {
        survey.observe(r, c).unwrap();
    }
    let plan = survey.into_plan();
    let samples = plan.sample_tiles(per_region);
    let mut collector = samples.collector(T::DTYPE);
    for &(r, c, v) in cells {
        collector.push(r, c, v).unwrap();
    }
    let tiles = collector.finish();
    let decision = plan.pick(registry, &tiles, options).unwrap();
    (decision, tiles)
}

pub const DTYPE_U32: Dtype = Dtype::U32;
