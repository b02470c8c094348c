//! The v4 adaptive codec choice (SPEC §7): survey the tiles, sample each region, measure the
//! candidate codecs on the samples, and hand the writer a codec per tile.
//!
//! The source is read twice before the write itself (tile counts, then the sample tiles);
//! every [`CellInput`] can be re-read, and memory stays at the sample tiles.

use std::sync::Arc;

use gzcm::{Dtype, Registry};
use gzcm_io::CellValue;
use gzcm_picker::{DEFAULT_SAMPLE_TILES, Decision, Goal, Grid, Normalisation, PickOptions, Survey, Weights};

use crate::error::ConvertError;
use crate::ingest::{CellInput, levelled_codecs};
use crate::progress::{Phase, Progress};

/// What the user asked of the picker.
#[derive(Clone, Debug, Default)]
pub struct PickerArgs {
    /// Candidate codecs; empty means the goal's ([`Goal::default_candidates`]: `balanced`
    /// measures `rans`, `shuffle_zstd` and `zstd`), else every registered codec that stores
    /// the dtype.
    pub candidates: Vec<String>,
    /// The preset: weights, normalisation and decode budget ([`crate::policy::DEFAULT_GOAL`]:
    /// `balanced`).
    pub goal: Goal,
    /// Criterion weights (decode, size, encode) replacing the goal's, and its decode budget.
    pub weights: Option<Weights>,
    /// Normalisation replacing the goal's.
    pub normalisation: Option<Normalisation>,
    /// Compression level for the candidates that have one: [`crate::Settings::level`], filled
    /// in by the policy (front ends leave it `None`).
    pub level: Option<i32>,
}

/// Runs the survey, sampling and measuring passes and returns the decision.
pub fn decide(
    input: &impl CellInput,
    tile_size: u32,
    dtype: Dtype,
    registry: &Registry,
    args: &PickerArgs,
    progress: &dyn Progress,
) -> Result<Arc<Decision>, ConvertError> {
    match dtype {
        Dtype::U32 => decide_typed::<u32>(input, tile_size, registry, args, progress),
        Dtype::F32 => decide_typed::<f32>(input, tile_size, registry, args, progress),
        dtype => Err(ConvertError::UnsupportedDtype { dtype, stage: "picker" }),
    }
}

fn decide_typed<T: CellValue>(
    input: &impl CellInput,
    tile_size: u32,
    registry: &Registry,
    args: &PickerArgs,
    progress: &dyn Progress,
) -> Result<Arc<Decision>, ConvertError> {
    let info = input.info();
    let shape = (info.shape.rows.into(), info.shape.cols.into());
    let visit = |cell: &mut CellSink<'_, T>| {
        for triple in input.triples::<T>()? {
            let triple = triple?;
            cell(triple.row.into(), triple.col.into(), triple.value)?;
        }
        Ok(())
    };
    decide_with(shape, info.symmetric, tile_size, registry, args, progress, visit)
}

/// What receives each `(row, col, value)` cell of an input.
pub(crate) type CellSink<'a, T> = dyn FnMut(u64, u64, T) -> Result<(), ConvertError> + 'a;

/// The picker's passes over any input that `visit` can stream twice (every cell, once per call):
/// the tile counts, then the sample tiles; then the candidates are measured.
pub(crate) fn decide_with<T: CellValue>(
    (rows, cols): (u64, u64),
    symmetric: bool,
    tile_size: u32,
    registry: &Registry,
    args: &PickerArgs,
    progress: &dyn Progress,
    mut visit: impl FnMut(&mut CellSink<'_, T>) -> Result<(), ConvertError>,
) -> Result<Arc<Decision>, ConvertError> {
    let options = pick_options(args);
    // The candidates are checked before the input is read twice.
    options.resolve_candidates(registry, T::DTYPE)?;
    let grid = Grid::new(rows, cols, tile_size, symmetric)?;
    let spinner = Phase::begin(progress, "picker: counting non-zero cells per tile", "", None);
    let mut survey = Survey::new(grid);
    visit(&mut |row, col, _| Ok(survey.observe(row, col)?))?;
    let plan = survey.into_plan();
    spinner.set_message("picker: collecting sample tiles");
    let mut collector = plan.sample_tiles(DEFAULT_SAMPLE_TILES).collector(T::DTYPE);
    visit(&mut |row, col, value| Ok(collector.push(row, col, value)?))?;
    spinner.set_message("picker: measuring candidate codecs");
    let decision = plan.pick(registry, &collector.finish(), &options)?;
    Ok(Arc::new(decision))
}

/// The picker's options from what the user asked.
fn pick_options(args: &PickerArgs) -> PickOptions {
    let mut options = PickOptions::default().goal(args.goal);
    if let Some(weights) = args.weights {
        options = options.weights(weights);
    }
    if let Some(normalisation) = args.normalisation {
        options = options.normalisation(normalisation);
    }
    for (name, encode) in levelled_codecs(args.level) {
        options = options.codec_options(name, encode);
    }
    if !args.candidates.is_empty() {
        options = options.candidates(args.candidates.iter().cloned());
    }
    options
}
