//! The v4 adaptive codec picker (SPEC §7): data-driven regions and a codec per region.
//!
//! Input-agnostic: the caller drives three cheap passes over its cells.
//!
//! ```no_run
//! # fn cells() -> Vec<(u64, u64, u32)> { Vec::new() }
//! # fn main() -> Result<(), gzcm_picker::PickerError> {
//! use gzcm_picker::{Grid, PickOptions, Survey, Weights};
//! # let registry = gzcm_core::Registry::empty();
//! // Pass 1: non-zero counts per tile, then regions from the data.
//! let mut survey = Survey::new(Grid::new(1000, 1000, 256, true)?);
//! for (row, col, _) in cells() {
//!     survey.observe(row, col)?;
//! }
//! let plan = survey.into_plan();
//! // Pass 2: materialise only a bounded sample of tiles per region.
//! let samples = plan.sample_tiles(gzcm_picker::DEFAULT_SAMPLE_TILES);
//! let mut collector = samples.collector(gzcm_core::Dtype::U32);
//! for (row, col, value) in cells() {
//!     collector.push(row, col, value)?;
//! }
//! // Pass 3: measure the candidates on the samples and pick a codec per region.
//! let options = PickOptions::default().weights(Weights::parse("0.5,0.3,0.2")?);
//! let decision = plan.pick(&registry, &collector.finish(), &options)?;
//! let codec = decision.codec_for(0, 3); // per tile, e.g. in the writer's codec picker
//! let (regions, record) = (decision.regions_json(), decision.record_json());
//! # let _ = (codec, regions, record);
//! # Ok(())
//! # }
//! ```
//!
//! Modules: [`survey`] (pass 1), [`regions`] (the region rule), [`sample`] (sample choice and
//! pass 2), [`measure`] (timing and bytes), [`weights`], [`goal`] (normalisations, decode budget and presets), [`score`] (normalisation, ties and
//! timing noise), [`record`] (the header record and its table), [`decision`] (the pick).

#![forbid(unsafe_code)]

pub mod decision;
pub mod error;
pub mod goal;
pub mod measure;
pub mod record;
pub mod regions;
pub mod sample;
pub mod score;
pub mod survey;
pub mod weights;

pub use decision::{Decision, PickOptions, resolve_candidates};
pub use error::PickerError;
pub use goal::{Goal, Normalisation, Scoring};
pub use measure::Measurement;
pub use record::{CandidateRecord, Outcome, PickerRecord, RegionRecord};
pub use regions::{Region, RegionPlan, RegionRule};
pub use sample::{DEFAULT_SAMPLE_TILES, SampleCollector, SampleSet, SampleTile, SampleTiles};
pub use score::{Criteria, Scored, TIE_TOLERANCE};
pub use survey::{Grid, Survey, TileCoord};
pub use weights::Weights;
