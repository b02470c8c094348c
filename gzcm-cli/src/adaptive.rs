//! The v4 adaptive codec choice (SPEC §7): survey the tiles, sample each region, measure the
//! candidate codecs on the samples, and hand the writer a codec per tile.
//!
//! The source is read twice before the write itself (tile counts, then the sample tiles);
//! every `gzcm-io` source can be re-read, and memory stays at the sample tiles.

use std::sync::Arc;

use gzcm::{Dtype, Registry};
use gzcm_io::{CellValue, MatrixSource};
use gzcm_picker::{DEFAULT_SAMPLE_TILES, Decision, Goal, Grid, Normalisation, PickOptions, Survey, Weights};

use crate::ingest::levelled_codecs;
use crate::progress;

/// What the user asked of the picker.
#[derive(Clone, Debug)]
pub(crate) struct PickerArgs {
    /// Candidate codecs; empty means every registered codec that stores the dtype.
    pub(crate) candidates: Vec<String>,
    /// The preset: weights, normalisation and decode budget.
    pub(crate) goal: Goal,
    /// Criterion weights (decode, size, encode) replacing the goal's, and its decode budget.
    pub(crate) weights: Option<Weights>,
    /// Normalisation replacing the goal's.
    pub(crate) normalisation: Option<Normalisation>,
    /// Compression level for the candidates that have one.
    pub(crate) level: Option<i32>,
}

/// Parses `--picker-weights`: three non-negative numbers summing to 1.
pub(crate) fn parse_weights(text: &str) -> Result<Weights, String> {
    Weights::parse(text).map_err(|e| e.to_string())
}

/// Parses `--picker-goal`: smallest, fastest or balanced.
pub(crate) fn parse_goal(text: &str) -> Result<Goal, String> {
    text.parse().map_err(|e: gzcm_picker::PickerError| e.to_string())
}

/// Parses `--picker-normalisation`: divide-by-best, min-max or log-ratio.
pub(crate) fn parse_normalisation(text: &str) -> Result<Normalisation, String> {
    text.parse().map_err(|e: gzcm_picker::PickerError| e.to_string())
}

/// Runs the survey, sampling and measuring passes and returns the decision.
pub(crate) fn decide(
    source: &MatrixSource,
    tile_size: u32,
    dtype: Dtype,
    registry: &Registry,
    args: &PickerArgs,
) -> anyhow::Result<Arc<Decision>> {
    match dtype {
        Dtype::U32 => decide_typed::<u32>(source, tile_size, registry, args),
        Dtype::F32 => decide_typed::<f32>(source, tile_size, registry, args),
        other => anyhow::bail!("dtype {other} is not supported by the picker"),
    }
}

fn decide_typed<T: CellValue>(
    source: &MatrixSource,
    tile_size: u32,
    registry: &Registry,
    args: &PickerArgs,
) -> anyhow::Result<Arc<Decision>> {
    let info = source.info();
    let grid = Grid::new(info.shape.rows.into(), info.shape.cols.into(), tile_size, info.symmetric)?;
    let spinner = progress::spinner("picker: counting non-zero cells per tile");
    let mut survey = Survey::new(grid);
    for triple in source.triples::<T>()? {
        let triple = triple?;
        survey.observe(triple.row.into(), triple.col.into())?;
    }
    let plan = survey.into_plan();
    spinner.set_message("picker: collecting sample tiles");
    let mut collector = plan.sample_tiles(DEFAULT_SAMPLE_TILES).collector(T::DTYPE);
    for triple in source.triples::<T>()? {
        let triple = triple?;
        collector.push(triple.row.into(), triple.col.into(), triple.value)?;
    }
    spinner.set_message("picker: measuring candidate codecs");
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
    let decision = plan.pick(registry, &collector.finish(), &options)?;
    spinner.finish_and_clear();
    Ok(Arc::new(decision))
}
