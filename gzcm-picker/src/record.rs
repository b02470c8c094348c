//! The `codec_picker` header record: JSON out, JSON back in, and a readable table.
//!
//! ```json
//! {"weights": {"decode": 0.5, "size": 0.3, "encode": 0.2}, "normalisation": "log-ratio",
//!  "decode_budget": 1.5, "budget_reference": "zstd",
//!  "candidates": ["lz4", "zstd"], "sample_tiles_per_region": 12, "tie_tolerance": 0.02,
//!  "regions": [{"id": 0, "name": "diagonal", "tiles": 97, "sample_tiles": 12, "winner": "zstd",
//!               "candidates": [{"codec": "lz4", "bytes": 1000, "encode_s": 0.001,
//!                               "decode_s": 0.0005, "normalised": {"decode": 1.0, "size": 1.2,
//!                               "encode": 1.0}, "score": 1.06},
//!                              {"codec": "cmc", "refused": "tile (0, 0): ..."}]}]}
//! ```

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{PickerError, Result};
use crate::goal::Normalisation;
use crate::measure::Measurement;
use crate::score::{Criteria, Scored, budget_reference};
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

/// One candidate's line in a region record: `{"codec", "bytes", "encode_s", "decode_s",
/// "normalised", "score"}` when measured, `{"codec", "refused"}` when refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(into = "CandidateFields", try_from = "CandidateFields")]
pub struct CandidateRecord {
    /// Codec name.
    pub codec: String,
    /// Figures or refusal.
    pub outcome: Outcome,
}

/// The decision for one region.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

/// The whole `codec_picker` record. Unknown keys are ignored when reading; records written
/// before `normalisation`, `decode_budget` or `tie_tolerance` were recorded read with their
/// defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PickerRecord {
    /// The weights used.
    pub weights: Weights,
    /// The normalisation used (`divide-by-best` for records written before it was recorded).
    #[serde(default)]
    pub normalisation: Normalisation,
    /// The decode budget used, if any (absent in older records; written as `null` when unset).
    #[serde(default)]
    pub decode_budget: Option<f64>,
    /// The candidate the budget multiplies (`null`, or absent in older records: the fastest
    /// candidate of each region).
    #[serde(default)]
    pub budget_reference: Option<String>,
    /// Candidate codecs, in the order they were tried.
    pub candidates: Vec<String>,
    /// Requested sample tiles per region.
    pub sample_tiles_per_region: usize,
    /// Relative score difference treated as a tie.
    #[serde(default = "default_tie_tolerance")]
    pub tie_tolerance: f64,
    /// Per-region decisions, by region id.
    pub regions: Vec<RegionRecord>,
}

impl PickerRecord {
    /// The record as the header's `codec_picker` value.
    #[must_use]
    pub fn to_json(&self) -> Value {
        // Every field is a string, an integer, a finite-or-null float, or a sequence/map of
        // those, so serialising to a `Value` cannot fail.
        serde_json::to_value(self).unwrap_or_else(|e| unreachable!("a picker record serialises: {e}"))
    }

    /// Parses a header's `codec_picker` value (as written by [`PickerRecord::to_json`]).
    /// Unknown keys are ignored.
    ///
    /// # Errors
    /// [`PickerError::InvalidRecord`] naming the first missing or malformed field.
    pub fn from_json(value: &Value) -> Result<Self> {
        PickerRecord::deserialize(value).map_err(|e| invalid(format!("codec_picker: {e}")))
    }

    /// The record as a text table: one line per region and candidate, with bytes, encode and
    /// decode milliseconds, score, `*` marking the winner, and why each candidate won or lost
    /// (refusals show their reason).
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
            self.decode_budget.map_or(String::new(), |b| format!(
                ", decode within {b}× of {}",
                self.budget_reference.as_deref().map_or("the fastest".to_owned(), |r| format!("{r}'s"))
            )),
            self.sample_tiles_per_region,
            self.tie_tolerance * 100.0
        );
        let _ = writeln!(
            out,
            "{:<14} {:>7} {:>7}  {:<12} {:>12} {:>10} {:>10} {:>8}  why",
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
                let mark = if candidate.codec == region.winner { "*" } else { " " };
                match &candidate.outcome {
                    Outcome::Measured { measurement: m, scored } => {
                        let _ = writeln!(
                            out,
                            "{label:<14} {tiles:>7} {sampled:>7}  {:<12} {:>12} {:>10.3} {:>10.3} {:>8.3}{mark} {}",
                            candidate.codec,
                            m.bytes,
                            m.encode_s * 1e3,
                            m.decode_s * 1e3,
                            scored.score,
                            self.why(region, &candidate.codec, m),
                        );
                    }
                    Outcome::Refused { reason } => {
                        let _ = writeln!(
                            out,
                            "{label:<14} {tiles:>7} {sampled:>7}  {:<12} refused: {reason}",
                            candidate.codec
                        );
                    }
                }
            }
        }
        out
    }
}

impl PickerRecord {
    /// Why a measured candidate of `region` won or lost, from the recorded figures: over the
    /// decode budget, else its bytes against the winner's (the winner: the rule it won by).
    fn why(&self, region: &RegionRecord, codec: &str, m: &Measurement) -> String {
        let measured: Vec<(&str, Option<Measurement>)> = region
            .candidates
            .iter()
            .map(|c| match &c.outcome {
                Outcome::Measured { measurement, .. } => (c.codec.as_str(), Some(*measurement)),
                Outcome::Refused { .. } => (c.codec.as_str(), None),
            })
            .collect();
        if let Some(budget) = self.decode_budget
            && let Some((name, reference)) = budget_reference(self.budget_reference.as_deref(), &measured)
            && reference > 0.0
        {
            let times = m.decode_s / reference;
            if times > budget {
                return format!("decodes {times:.2}× {name}'s, over the {budget}× budget");
            }
        }
        if codec == region.winner {
            let within = if self.decode_budget.is_some() { " within the budget" } else { "" };
            return if self.weights.size() >= 1.0 {
                format!("chosen: the fewest bytes{within}")
            } else {
                format!("chosen: the lowest score{within}")
            };
        }
        match measured.iter().find(|(name, _)| *name == region.winner).and_then(|(_, m)| *m) {
            #[expect(clippy::cast_precision_loss, reason = "byte counts far below 2^52")]
            Some(winner) if winner.bytes > 0 => {
                format!("{:.2}× {}'s bytes", m.bytes as f64 / winner.bytes as f64, region.winner)
            }
            _ => String::new(),
        }
    }
}

fn default_tie_tolerance() -> f64 {
    crate::score::TIE_TOLERANCE
}

/// A candidate line as recorded: the measured fields or `refused`, never both.
#[derive(Serialize, Deserialize)]
struct CandidateFields {
    codec: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refused: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    encode_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    decode_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    normalised: Option<Criteria>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
}

impl From<CandidateRecord> for CandidateFields {
    fn from(candidate: CandidateRecord) -> Self {
        let codec = candidate.codec;
        match candidate.outcome {
            Outcome::Measured { measurement: m, scored } => CandidateFields {
                codec,
                refused: None,
                bytes: Some(m.bytes),
                encode_s: Some(m.encode_s),
                decode_s: Some(m.decode_s),
                normalised: Some(scored.criteria),
                score: Some(scored.score),
            },
            Outcome::Refused { reason } => CandidateFields {
                codec,
                refused: Some(reason),
                bytes: None,
                encode_s: None,
                decode_s: None,
                normalised: None,
                score: None,
            },
        }
    }
}

impl TryFrom<CandidateFields> for CandidateRecord {
    type Error = PickerError;

    fn try_from(f: CandidateFields) -> Result<Self> {
        if let Some(reason) = f.refused {
            return Ok(CandidateRecord { codec: f.codec, outcome: Outcome::Refused { reason } });
        }
        let codec = f.codec;
        let missing = |key: &str| invalid(format!("candidate `{codec}` has no `{key}` (and no `refused`)"));
        let measurement = Measurement {
            bytes: f.bytes.ok_or_else(|| missing("bytes"))?,
            encode_s: f.encode_s.ok_or_else(|| missing("encode_s"))?,
            decode_s: f.decode_s.ok_or_else(|| missing("decode_s"))?,
        };
        let criteria = f.normalised.ok_or_else(|| missing("normalised"))?;
        let scored = Scored { criteria, score: f.score.ok_or_else(|| missing("score"))? };
        Ok(CandidateRecord { codec, outcome: Outcome::Measured { measurement, scored } })
    }
}

fn invalid(reason: String) -> PickerError {
    PickerError::InvalidRecord { reason }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn sample() -> PickerRecord {
        let measurement = Measurement { bytes: 1234, encode_s: 0.002, decode_s: 0.0005 };
        let scored = Scored { criteria: Criteria { decode: 1.0, size: 1.5, encode: 1.25 }, score: 1.2 };
        PickerRecord {
            weights: Weights::default(),
            normalisation: Normalisation::LogRatio,
            decode_budget: Some(1.5),
            budget_reference: Some("zstd".into()),
            candidates: vec!["cmc".into(), "rans".into(), "shuffle_zstd".into(), "zstd".into()],
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
                        codec: "rans".into(),
                        outcome: Outcome::Measured {
                            measurement: Measurement { bytes: 617, decode_s: 0.002, ..measurement },
                            scored,
                        },
                    },
                    CandidateRecord {
                        codec: "shuffle_zstd".into(),
                        outcome: Outcome::Measured {
                            measurement: Measurement { bytes: 2468, decode_s: 0.0006, ..measurement },
                            scored,
                        },
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
        assert!(table.contains("decode within 1.5× of zstd's"), "{table}");
        let line = |codec: &str| {
            table
                .lines()
                .find(|l| l.split_whitespace().any(|w| w == codec))
                .unwrap_or_else(|| panic!("{table}"))
        };
        assert!(line("zstd").ends_with("* chosen: the lowest score within the budget"), "{table}");
        assert!(line("rans").ends_with("decodes 4.00× zstd's, over the 1.5× budget"), "{table}");
        assert!(line("shuffle_zstd").ends_with("  2.00× zstd's bytes"), "{table}");
    }

    #[test]
    fn malformed_records_name_the_field() {
        let mut value = sample().to_json();
        value["regions"][0]["candidates"][3].as_object_mut().unwrap().remove("score");
        let message = PickerRecord::from_json(&value).unwrap_err().to_string();
        assert!(message.contains("candidate `zstd` has no `score`"), "{message}");
        assert!(PickerRecord::from_json(&json!(null)).is_err());
        let mut value = sample().to_json();
        value["weights"]["decode"] = json!(0.9);
        assert!(PickerRecord::from_json(&value).unwrap_err().to_string().contains("sum to"));
    }

    #[test]
    fn records_without_the_newer_keys_read_with_defaults() {
        let mut value = sample().to_json();
        let root = value.as_object_mut().unwrap();
        for key in ["normalisation", "decode_budget", "budget_reference", "tie_tolerance"] {
            root.remove(key);
        }
        let record = PickerRecord::from_json(&value).unwrap();
        assert_eq!(record.normalisation, Normalisation::DivideByBest);
        assert_eq!(record.decode_budget, None);
        assert_eq!(record.budget_reference, None);
        assert!((record.tie_tolerance - crate::score::TIE_TOLERANCE).abs() < f64::EPSILON);
        assert_eq!(record.regions, sample().regions);
    }

    #[test]
    fn json_keys_are_the_recorded_ones() {
        let value = sample().to_json();
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            keys(&value),
            [
                "budget_reference",
                "candidates",
                "decode_budget",
                "normalisation",
                "regions",
                "sample_tiles_per_region",
                "tie_tolerance",
                "weights"
            ]
        );
        assert_eq!(value["normalisation"], json!("log-ratio"));
        assert_eq!(value["weights"], json!({"decode": 0.5, "size": 0.3, "encode": 0.2}));
        let region = &value["regions"][0];
        assert_eq!(keys(region), ["candidates", "id", "name", "sample_tiles", "tiles", "winner"]);
        assert_eq!(region["candidates"][0], json!({"codec": "cmc", "refused": "no"}));
        assert_eq!(
            keys(&region["candidates"][1]),
            ["bytes", "codec", "decode_s", "encode_s", "normalised", "score"]
        );
        assert_eq!(
            region["candidates"][1]["normalised"],
            json!({"decode": 1.0, "size": 1.5, "encode": 1.25})
        );
    }
}
