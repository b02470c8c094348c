//! The `codec_picker` header record: JSON out, JSON back in, and a readable table.
//!
//! ```json
//! {"weights": {"decode": 0.5, "size": 0.3, "encode": 0.2}, "normalisation": "log-ratio",
//!  "decode_budget": 2.0,
//!  "candidates": ["lz4", "zstd"], "sample_tiles_per_region": 12, "tie_tolerance": 0.02,
//!  "regions": [{"id": 0, "name": "diagonal", "tiles": 97, "sample_tiles": 12, "winner": "zstd",
//!               "candidates": [{"codec": "lz4", "bytes": 1000, "encode_s": 0.001,
//!                               "decode_s": 0.0005, "normalised": {"decode": 1.0, "size": 1.2,
//!                               "encode": 1.0}, "score": 1.06},
//!                              {"codec": "cmc", "refused": "tile (0, 0): ..."}]}]}
//! ```

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use crate::error::{PickerError, Result};
use crate::goal::Normalisation;
use crate::measure::Measurement;
use crate::score::{Criteria, Scored};
use crate::weights::Weights;

/// How one candidate fared on one region's sample.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Outcome {
    /// The candidate stored every sample tile.
    Measured {
        /// Bytes and seconds, summed over the sample.
        measurement: Measurement,
        /// Normalised criteria and score.
        scored: Scored,
    },
    /// The candidate refused a sample tile and dropped out of the region.
    Refused {
        /// Why.
        reason: String,
    },
}

/// One candidate's line in a region record.
#[derive(Clone, Debug, PartialEq)]
pub struct CandidateRecord {
    /// Codec name.
    pub codec: String,
    /// Figures or refusal.
    pub outcome: Outcome,
}

/// The decision for one region.
#[derive(Clone, Debug, PartialEq)]
pub struct RegionRecord {
    /// Region id (index into the header's `regions`).
    pub id: usize,
    /// Region name.
    pub name: String,
    /// Stored tiles in the region.
    pub tiles: usize,
    /// Tiles in the region's sample.
    pub sample_tiles: usize,
    /// Every candidate, in candidate order.
    pub candidates: Vec<CandidateRecord>,
    /// The chosen codec.
    pub winner: String,
}

/// The whole `codec_picker` record.
#[derive(Clone, Debug, PartialEq)]
pub struct PickerRecord {
    /// The weights used.
    pub weights: Weights,
    /// The normalisation used (`divide-by-best` for records written before it was recorded).
    pub normalisation: Normalisation,
    /// The decode budget used, if any (absent in older records).
    pub decode_budget: Option<f64>,
    /// Candidate codecs, in the order they were tried.
    pub candidates: Vec<String>,
    /// Requested sample tiles per region.
    pub sample_tiles_per_region: usize,
    /// Relative score difference treated as a tie.
    pub tie_tolerance: f64,
    /// Per-region decisions, by region id.
    pub regions: Vec<RegionRecord>,
}

impl PickerRecord {
    /// The record as the header's `codec_picker` value.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let regions: Vec<Value> = self
            .regions
            .iter()
            .map(|region| {
                let candidates: Vec<Value> = region.candidates.iter().map(candidate_json).collect();
                json!({
                    "id": region.id,
                    "name": region.name,
                    "tiles": region.tiles,
                    "sample_tiles": region.sample_tiles,
                    "candidates": candidates,
                    "winner": region.winner,
                })
            })
            .collect();
        json!({
            "weights": {
                "decode": self.weights.decode(),
                "size": self.weights.size(),
                "encode": self.weights.encode(),
            },
            "normalisation": self.normalisation.name(),
            "decode_budget": self.decode_budget,
            "candidates": self.candidates,
            "sample_tiles_per_region": self.sample_tiles_per_region,
            "tie_tolerance": self.tie_tolerance,
            "regions": regions,
        })
    }

    /// Parses a header's `codec_picker` value (as written by [`PickerRecord::to_json`]).
    /// Unknown keys are ignored.
    ///
    /// # Errors
    /// [`PickerError::InvalidRecord`] naming the first missing or malformed field by its path.
    pub fn from_json(value: &Value) -> Result<Self> {
        let root = object(value, "codec_picker")?;
        let w = object(field(root, "codec_picker", "weights")?, "codec_picker.weights")?;
        let weight = |key: &str| {
            number(field(w, "codec_picker.weights", key)?, &format!("codec_picker.weights.{key}"))
        };
        let weights = Weights::new(weight("decode")?, weight("size")?, weight("encode")?)
            .map_err(|e| invalid(format!("codec_picker.weights: {e}")))?;
        let normalisation = match root.get("normalisation") {
            Some(v) => string(v, "codec_picker.normalisation")?
                .parse::<Normalisation>()
                .map_err(|e| invalid(format!("codec_picker.normalisation: {e}")))?,
            None => Normalisation::DivideByBest,
        };
        let decode_budget = match root.get("decode_budget") {
            None | Some(Value::Null) => None,
            Some(v) => Some(number(v, "codec_picker.decode_budget")?),
        };
        let candidates = array(field(root, "codec_picker", "candidates")?, "codec_picker.candidates")?
            .iter()
            .enumerate()
            .map(|(i, v)| string(v, &format!("codec_picker.candidates[{i}]")))
            .collect::<Result<Vec<_>>>()?;
        let sample_tiles_per_region = count(
            field(root, "codec_picker", "sample_tiles_per_region")?,
            "codec_picker.sample_tiles_per_region",
        )?;
        let tie_tolerance = match root.get("tie_tolerance") {
            Some(v) => number(v, "codec_picker.tie_tolerance")?,
            None => crate::score::TIE_TOLERANCE,
        };
        let regions = array(field(root, "codec_picker", "regions")?, "codec_picker.regions")?
            .iter()
            .enumerate()
            .map(|(i, v)| region_from_json(v, &format!("codec_picker.regions[{i}]")))
            .collect::<Result<Vec<_>>>()?;
        Ok(PickerRecord {
            weights,
            normalisation,
            decode_budget,
            candidates,
            sample_tiles_per_region,
            tie_tolerance,
            regions,
        })
    }

    /// The record as a text table: one line per region and candidate, with bytes, encode and
    /// decode milliseconds, score, and `*` marking the winner (refusals show their reason).
    #[must_use]
    pub fn render_table(&self) -> String {
        let mut out = String::new();
        let w = &self.weights;
        let _ = writeln!(
            out,
            "codec picker: weights decode {} size {} encode {}, {}{}; {} sample tiles per region; ties within {}%",
            w.decode(),
            w.size(),
            w.encode(),
            self.normalisation,
            self.decode_budget.map_or(String::new(), |b| format!(", decode within {b}× of the fastest")),
            self.sample_tiles_per_region,
            self.tie_tolerance * 100.0
        );
        let _ = writeln!(
            out,
            "{:<14} {:>7} {:>7}  {:<10} {:>12} {:>10} {:>10} {:>8}",
            "region", "tiles", "sampled", "candidate", "bytes", "enc ms", "dec ms", "score"
        );
        for region in &self.regions {
            let label = format!("{} {}", region.id, region.name);
            for (k, candidate) in region.candidates.iter().enumerate() {
                let (label, tiles, sampled) = if k == 0 {
                    (label.as_str(), region.tiles.to_string(), region.sample_tiles.to_string())
                } else {
                    ("", String::new(), String::new())
                };
                let mark = if candidate.codec == region.winner { " *" } else { "" };
                match &candidate.outcome {
                    Outcome::Measured { measurement: m, scored } => {
                        let _ = writeln!(
                            out,
                            "{label:<14} {tiles:>7} {sampled:>7}  {:<10} {:>12} {:>10.3} {:>10.3} {:>8.3}{mark}",
                            candidate.codec,
                            m.bytes,
                            m.encode_s * 1e3,
                            m.decode_s * 1e3,
                            scored.score,
                        );
                    }
                    Outcome::Refused { reason } => {
                        let _ = writeln!(
                            out,
                            "{label:<14} {tiles:>7} {sampled:>7}  {:<10} refused: {reason}",
                            candidate.codec
                        );
                    }
                }
            }
        }
        out
    }
}

fn candidate_json(candidate: &CandidateRecord) -> Value {
    match &candidate.outcome {
        Outcome::Measured { measurement: m, scored } => json!({
            "codec": candidate.codec,
            "bytes": m.bytes,
            "encode_s": m.encode_s,
            "decode_s": m.decode_s,
            "normalised": {
                "decode": scored.criteria.decode,
                "size": scored.criteria.size,
                "encode": scored.criteria.encode,
            },
            "score": scored.score,
        }),
        Outcome::Refused { reason } => json!({"codec": candidate.codec, "refused": reason}),
    }
}

fn region_from_json(value: &Value, path: &str) -> Result<RegionRecord> {
    let o = object(value, path)?;
    let get = |key: &str| field(o, path, key);
    let candidates = array(get("candidates")?, &format!("{path}.candidates"))?
        .iter()
        .enumerate()
        .map(|(i, v)| candidate_from_json(v, &format!("{path}.candidates[{i}]")))
        .collect::<Result<Vec<_>>>()?;
    Ok(RegionRecord {
        id: count(get("id")?, &format!("{path}.id"))?,
        name: string(get("name")?, &format!("{path}.name"))?,
        tiles: count(get("tiles")?, &format!("{path}.tiles"))?,
        sample_tiles: count(get("sample_tiles")?, &format!("{path}.sample_tiles"))?,
        candidates,
        winner: string(get("winner")?, &format!("{path}.winner"))?,
    })
}

fn candidate_from_json(value: &Value, path: &str) -> Result<CandidateRecord> {
    let o = object(value, path)?;
    let codec = string(field(o, path, "codec")?, &format!("{path}.codec"))?;
    if let Some(reason) = o.get("refused") {
        let reason = string(reason, &format!("{path}.refused"))?;
        return Ok(CandidateRecord { codec, outcome: Outcome::Refused { reason } });
    }
    let num = |key: &str| number(field(o, path, key)?, &format!("{path}.{key}"));
    let n_path = format!("{path}.normalised");
    let n = object(field(o, path, "normalised")?, &n_path)?;
    let norm = |key: &str| number(field(n, &n_path, key)?, &format!("{n_path}.{key}"));
    let bytes = field(o, path, "bytes")?
        .as_u64()
        .ok_or_else(|| invalid(format!("{path}.bytes must be a non-negative integer")))?;
    let measurement = Measurement { bytes, encode_s: num("encode_s")?, decode_s: num("decode_s")? };
    let criteria = Criteria { decode: norm("decode")?, size: norm("size")?, encode: norm("encode")? };
    let scored = Scored { criteria, score: num("score")? };
    Ok(CandidateRecord { codec, outcome: Outcome::Measured { measurement, scored } })
}

fn invalid(reason: String) -> PickerError {
    PickerError::InvalidRecord { reason }
}

fn field<'a>(o: &'a Map<String, Value>, path: &str, key: &str) -> Result<&'a Value> {
    o.get(key).ok_or_else(|| invalid(format!("{path}.{key} is missing")))
}

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>> {
    v.as_object().ok_or_else(|| invalid(format!("{path} must be an object")))
}

fn array<'a>(v: &'a Value, path: &str) -> Result<&'a Vec<Value>> {
    v.as_array().ok_or_else(|| invalid(format!("{path} must be an array")))
}

fn string(v: &Value, path: &str) -> Result<String> {
    v.as_str().map(str::to_owned).ok_or_else(|| invalid(format!("{path} must be a string")))
}

fn number(v: &Value, path: &str) -> Result<f64> {
    v.as_f64().ok_or_else(|| invalid(format!("{path} must be a number")))
}

fn count(v: &Value, path: &str) -> Result<usize> {
    v.as_u64()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| invalid(format!("{path} must be a non-negative integer")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> PickerRecord {
        let measurement = Measurement { bytes: 1234, encode_s: 0.002, decode_s: 0.0005 };
        let scored = Scored { criteria: Criteria { decode: 1.0, size: 1.5, encode: 1.25 }, score: 1.2 };
        PickerRecord {
            weights: Weights::default(),
            normalisation: Normalisation::LogRatio,
            decode_budget: Some(2.0),
            candidates: vec!["cmc".into(), "zstd".into()],
            sample_tiles_per_region: 12,
            tie_tolerance: 0.02,
            regions: vec![RegionRecord {
                id: 0,
                name: "diagonal".into(),
                tiles: 40,
                sample_tiles: 12,
                candidates: vec![
                    CandidateRecord {
                        codec: "cmc".into(),
                        outcome: Outcome::Refused { reason: "no".into() },
                    },
                    CandidateRecord {
                        codec: "zstd".into(),
                        outcome: Outcome::Measured { measurement, scored },
                    },
                ],
                winner: "zstd".into(),
            }],
        }
    }

    #[test]
    fn json_round_trips_and_table_marks_the_winner() {
        let record = sample();
        assert_eq!(PickerRecord::from_json(&record.to_json()).unwrap(), record);
        let table = record.render_table();
        assert!(table.contains("refused: no"), "{table}");
        assert!(table.lines().any(|l| l.contains("zstd") && l.ends_with(" *")), "{table}");
    }

    #[test]
    fn malformed_records_name_the_field() {
        let mut value = sample().to_json();
        value["regions"][0]["candidates"][1].as_object_mut().unwrap().remove("score");
        let message = PickerRecord::from_json(&value).unwrap_err().to_string();
        assert!(message.contains("codec_picker.regions[0].candidates[1].score is missing"), "{message}");
        assert!(PickerRecord::from_json(&json!(null)).is_err());
        value["weights"]["decode"] = json!(0.9);
        assert!(PickerRecord::from_json(&value).unwrap_err().to_string().contains("sum to"));
    }
}
