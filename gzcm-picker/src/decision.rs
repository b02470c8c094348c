//! Pass 3: measuring every candidate on every region's sample, and the resulting decision.

use std::collections::BTreeMap;

use gzcm_core::{CodecHandle, Dtype, EncodeOptions, Registry, RegistryError, TileError};
use serde_json::Value;

use crate::error::{PickerError, Result};
use crate::goal::{Goal, Normalisation, Scoring};
use crate::measure::{DEFAULT_TIMING_RUNS, Measurement, check_probe, measure};
use crate::record::{CandidateRecord, Outcome, PickerRecord, RegionRecord};
use crate::region_entry::RegionEntry;
use crate::regions::RegionPlan;
use crate::sample::SampleTiles;
use crate::score::{TIE_TOLERANCE, score_candidates};
use crate::weights::Weights;

/// Options of the pick: scoring (weights, normalisation, decode budget), candidates, per-codec
/// encode options, timing runs.
#[derive(Clone, Debug)]
pub struct PickOptions {
    scoring: Scoring,
    candidates: Option<Vec<String>>,
    default_candidates: Option<&'static [&'static str]>,
    encode_options: BTreeMap<String, EncodeOptions>,
    timing_runs: usize,
}

impl Default for PickOptions {
    /// The [`Goal::Balanced`] scoring and candidates ([`Goal::default_candidates`]), default
    /// encode options, [`DEFAULT_TIMING_RUNS`] timing runs.
    fn default() -> Self {
        PickOptions {
            scoring: Scoring::default(),
            candidates: None,
            default_candidates: Goal::default().default_candidates(),
            encode_options: BTreeMap::new(),
            timing_runs: DEFAULT_TIMING_RUNS,
        }
    }
}

impl PickOptions {
    /// Sets the weights and clears the decode budget (explicit weights are the whole
    /// trade-off; set a budget after this call to combine them) and the goal's short list of
    /// candidates (every registered codec is measured unless [`PickOptions::candidates`] names
    /// some); the normalisation stays.
    #[must_use]
    pub fn weights(mut self, weights: Weights) -> Self {
        self.scoring.weights = weights;
        self.scoring.decode_budget = None;
        self.scoring.budget_reference = None;
        self.default_candidates = None;
        self
    }

    /// Sets the normalisation of the criteria.
    #[must_use]
    pub fn normalisation(mut self, normalisation: Normalisation) -> Self {
        self.scoring.normalisation = normalisation;
        self
    }

    /// Sets or clears the decode budget (a factor of the reference candidate's decode time,
    /// the fastest candidate's unless [`PickOptions::goal`] named one).
    #[must_use]
    pub fn decode_budget(mut self, budget: Option<f64>) -> Self {
        self.scoring.decode_budget = budget;
        self
    }

    /// Replaces weights, normalisation, decode budget and the default candidates by a preset's.
    #[must_use]
    pub fn goal(mut self, goal: Goal) -> Self {
        self.scoring = goal.scoring();
        self.default_candidates = goal.default_candidates();
        self
    }

    /// The scoring in effect.
    #[must_use]
    pub fn scoring(&self) -> &Scoring {
        &self.scoring
    }

    /// The candidates these options stand for, checked against `registry` and `dtype`: the
    /// named ones, else the goal's short list (those of it that are registered and store
    /// `dtype`; every codec that does when none of them is), else every registered codec that
    /// stores `dtype`.
    ///
    /// # Errors
    /// As [`resolve_candidates`].
    pub fn resolve_candidates(&self, registry: &Registry, dtype: Dtype) -> Result<Vec<String>> {
        let valid = resolve_candidates(registry, dtype, self.candidates.as_deref())?;
        match (&self.candidates, self.default_candidates) {
            (None, Some(short)) => {
                let listed: Vec<String> =
                    valid.iter().filter(|name| short.contains(&name.as_str())).cloned().collect();
                Ok(if listed.is_empty() { valid } else { listed })
            }
            _ => Ok(valid),
        }
    }

    /// Restricts the candidates to these codec names (tried in this order).
    #[must_use]
    pub fn candidates(mut self, names: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.candidates = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Encode options for one codec (as the writer will use them, e.g. a zstd level).
    #[must_use]
    pub fn codec_options(mut self, name: impl Into<String>, options: EncodeOptions) -> Self {
        self.encode_options.insert(name.into(), options);
        self
    }

    /// Timed runs per measurement (the fastest counts; at least 1).
    #[must_use]
    pub fn timing_runs(mut self, runs: usize) -> Self {
        self.timing_runs = runs.max(1);
        self
    }
}

/// The candidate names the options stand for, checked against `registry` and `dtype`.
///
/// # Errors
/// [`PickerError::UnknownCandidate`], [`PickerError::UnsupportedCandidate`] and
/// [`PickerError::NoCandidates`] (each listing the valid names),
/// [`PickerError::DuplicateCandidate`], or [`PickerError::Registry`] for a contested name.
pub fn resolve_candidates(
    registry: &Registry,
    dtype: Dtype,
    names: Option<&[String]>,
) -> Result<Vec<String>> {
    let valid: Vec<String> =
        registry.descriptors().filter(|d| d.supports(dtype)).map(|d| d.name().to_owned()).collect();
    let Some(names) = names else {
        if valid.is_empty() {
            return Err(PickerError::NoCandidates { dtype, valid });
        }
        return Ok(valid);
    };
    if names.is_empty() {
        return Err(PickerError::NoCandidates { dtype, valid });
    }
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        if out.contains(name) {
            return Err(PickerError::DuplicateCandidate { name: name.clone() });
        }
        match registry.get(name) {
            Ok(d) if d.supports(dtype) => out.push(name.clone()),
            Ok(_) => return Err(PickerError::UnsupportedCandidate { name: name.clone(), dtype, valid }),
            Err(RegistryError::UnknownCodec { .. }) => {
                return Err(PickerError::UnknownCandidate { name: name.clone(), valid });
            }
            Err(other) => return Err(other.into()),
        }
    }
    Ok(out)
}

/// The picker's result: a codec per region, usable per tile by the writer.
#[derive(Clone, Debug)]
pub struct Decision {
    plan: RegionPlan,
    winners: Vec<String>,
    fallback: String,
    record: PickerRecord,
}

impl RegionPlan {
    /// Measures every candidate on every region's sample tiles and picks a codec per region.
    /// A candidate first has to store the region's probe tile, if any (see
    /// [`SampleTiles::probes`]); one that refuses it, or any sample tile, drops out of the region.
    ///
    /// # Errors
    /// As [`resolve_candidates`]; [`PickerError::SampleMismatch`] when `samples` were collected
    /// for another plan; [`PickerError::NoViableCodec`] when every candidate refuses a region's
    /// sample (with each refusal reason).
    pub fn pick(
        &self,
        registry: &Registry,
        samples: &SampleTiles,
        options: &PickOptions,
    ) -> Result<Decision> {
        if samples.grid() != self.grid() || samples.regions().len() != self.regions().len() {
            return Err(PickerError::SampleMismatch {
                reason: format!(
                    "the plan has {} regions, the samples {} (or the geometry differs)",
                    self.regions().len(),
                    samples.regions().len()
                ),
            });
        }
        let dtype = samples.dtype();
        let candidates = options.resolve_candidates(registry, dtype)?;
        let default_options = EncodeOptions::default();
        let handles: Vec<std::result::Result<CodecHandle, String>> = candidates
            .iter()
            .map(|name| {
                let opts = options.encode_options.get(name).unwrap_or(&default_options);
                CodecHandle::from_registry(registry, name, opts).map_err(|e: TileError| e.to_string())
            })
            .collect();
        // Encode times only matter to a scoring that weighs them; otherwise the checked encode's
        // time is recorded as it is (a model codec's encode was most of the picker's time).
        let encode_runs = if options.scoring.weights.encode() > 0.0 { options.timing_runs } else { 0 };
        let mut regions = Vec::with_capacity(self.regions().len());
        let mut winners = Vec::with_capacity(self.regions().len());
        for ((region, tiles), probe) in self.regions().iter().zip(samples.regions()).zip(samples.probes()) {
            let results: Vec<std::result::Result<Measurement, String>> = handles
                .iter()
                .map(|handle| match handle {
                    Ok(handle) => probe
                        .as_ref()
                        .map_or(Ok(()), |probe| check_probe(handle, probe))
                        .and_then(|()| measure(handle, tiles, options.timing_runs, encode_runs)),
                    Err(reason) => Err(reason.clone()),
                })
                .collect();
            let figures: Vec<(&str, Option<Measurement>)> = candidates
                .iter()
                .zip(&results)
                .map(|(name, r)| (name.as_str(), r.as_ref().ok().copied()))
                .collect();
            let (scored, winner) = score_candidates(&options.scoring, &figures);
            let Some(winner) = winner else {
                let reasons = candidates
                    .iter()
                    .zip(&results)
                    .map(|(name, r)| format!("{name}: {}", r.as_ref().err().map_or("", String::as_str)))
                    .collect();
                return Err(PickerError::NoViableCodec {
                    region: region.id(),
                    name: region.name().to_owned(),
                    reasons,
                });
            };
            let records = candidates
                .iter()
                .zip(results)
                .zip(scored)
                .map(|((codec, result), scored)| {
                    let outcome = match (result, scored) {
                        (Ok(measurement), Some(scored)) => Outcome::Measured { measurement, scored },
                        (Err(reason), _) => Outcome::Refused { reason },
                        (Ok(_), None) => Outcome::Refused { reason: "not scored".to_owned() },
                    };
                    CandidateRecord { codec: codec.clone(), outcome }
                })
                .collect();
            winners.push(candidates[winner].clone());
            regions.push(RegionRecord {
                id: region.id(),
                name: region.name().to_owned(),
                tiles: region.tiles().len(),
                sample_tiles: tiles.len(),
                candidates: records,
                winner: candidates[winner].clone(),
            });
        }
        let record = PickerRecord {
            weights: options.scoring.weights,
            normalisation: options.scoring.normalisation,
            decode_budget: options.scoring.decode_budget,
            budget_reference: options
                .scoring
                .budget_reference
                .filter(|name| {
                    options.scoring.decode_budget.is_some() && candidates.iter().any(|c| c == name)
                })
                .map(str::to_owned),
            candidates: candidates.clone(),
            sample_tiles_per_region: samples.per_region(),
            tie_tolerance: TIE_TOLERANCE,
            regions,
        };
        let fallback = winners.last().cloned().unwrap_or_else(|| candidates[0].clone());
        Ok(Decision { plan: self.clone(), winners, fallback, record })
    }
}

impl Decision {
    /// The codec for tile `(tile_row, tile_col)`: its region's winner. Any tile of the grid
    /// works (tiles outside the sample, and tiles empty in the survey, take the winner of the
    /// region their position or density class maps to).
    #[must_use]
    pub fn codec_for(&self, tile_row: u32, tile_col: u32) -> &str {
        self.plan.region_of(tile_row, tile_col).and_then(|id| self.winners.get(id)).unwrap_or(&self.fallback)
    }

    /// The winner of each region, by region id.
    #[must_use]
    pub fn winners(&self) -> &[String] {
        &self.winners
    }

    /// The regions the decision applies to.
    #[must_use]
    pub fn plan(&self) -> &RegionPlan {
        &self.plan
    }

    /// The measured figures and choices.
    #[must_use]
    pub fn record(&self) -> &PickerRecord {
        &self.record
    }

    /// The header's `regions`: per region `id`, `name`, `rule`, `tile_distance` `[min, max]`,
    /// `density` `[min, max]`, `extent_tiles` / `extent_bins` (`rows` and `cols`; tiles
    /// inclusive, bins half-open), `tiles`, `nnz` and `codec`.
    #[must_use]
    pub fn regions_json(&self) -> Vec<Value> {
        self.region_entries().iter().map(RegionEntry::to_json).collect()
    }

    /// The header's `regions` as typed entries (see [`RegionEntry`]).
    #[must_use]
    pub fn region_entries(&self) -> Vec<RegionEntry> {
        self.plan
            .regions()
            .iter()
            .zip(&self.winners)
            .map(|(r, codec)| r.entry(self.plan.grid(), codec))
            .collect()
    }

    /// The header's `codec_picker` (see [`PickerRecord::to_json`]).
    #[must_use]
    pub fn record_json(&self) -> Value {
        self.record.to_json()
    }

    /// Parses a header's `codec_picker` back (for `gzcm info`).
    ///
    /// # Errors
    /// As [`PickerRecord::from_json`].
    pub fn from_record_json(value: &Value) -> Result<PickerRecord> {
        PickerRecord::from_json(value)
    }

    /// The record as a readable table (see [`PickerRecord::render_table`]).
    #[must_use]
    pub fn render_table(&self) -> String {
        self.record.render_table()
    }
}
