//! How candidates are compared: the normalisation of the criteria, an optional decode budget,
//! and the `--picker-goal` presets that bundle them with weights.
//!
//! Dividing each criterion by the best candidate's value (the original rule) lets a codec that
//! decodes 100× slower but stores 3× fewer bytes lose to the fastest codec under any weights
//! that value decoding at all, so dense maps ended up entirely in `lz4`. The log ratio counts a
//! 2× gain the same on every criterion; min–max puts every criterion on `0..=1` across the
//! candidates. The decode budget keeps out candidates that decode more than `budget ×` slower
//! than the fastest candidate, whatever their size: `balanced` is "the smallest candidate whose
//! decode is within 2× of the fastest".

use std::fmt;
use std::str::FromStr;

use crate::error::{PickerError, Result};
use crate::weights::Weights;

/// How each criterion is turned into a comparable number before weighting.
/// Recorded (serde) by its [`name`](Normalisation::name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum Normalisation {
    /// `value ÷ best` (≥ 1): the rule of files written before normalisations were recorded.
    #[default]
    DivideByBest,
    /// `(value − min) ÷ (max − min)` across the measured candidates (0 when all are equal).
    MinMax,
    /// `ln(value ÷ best)` (≥ 0): a 2× difference weighs the same on every criterion.
    LogRatio,
}

impl Normalisation {
    /// The name used on the command line and in the `codec_picker` record.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Normalisation::DivideByBest => "divide-by-best",
            Normalisation::MinMax => "min-max",
            Normalisation::LogRatio => "log-ratio",
        }
    }
}

impl fmt::Display for Normalisation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl From<Normalisation> for &'static str {
    fn from(normalisation: Normalisation) -> Self {
        normalisation.name()
    }
}

impl TryFrom<String> for Normalisation {
    type Error = PickerError;

    fn try_from(text: String) -> Result<Self> {
        text.parse()
    }
}

impl FromStr for Normalisation {
    type Err = PickerError;

    fn from_str(text: &str) -> Result<Self> {
        [Normalisation::DivideByBest, Normalisation::MinMax, Normalisation::LogRatio]
            .into_iter()
            .find(|n| n.name() == text)
            .ok_or_else(|| PickerError::UnknownSetting {
                setting: "normalisation",
                given: text.to_owned(),
                expected: "divide-by-best, min-max, log-ratio",
            })
    }
}

/// Everything that decides a region's winner from its measurements.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scoring {
    /// Weights of the normalised criteria.
    pub weights: Weights,
    /// How the criteria are normalised.
    pub normalisation: Normalisation,
    /// When set, a candidate whose decode time exceeds this factor times the reference
    /// candidate's cannot win (it is still measured and recorded).
    pub decode_budget: Option<f64>,
    /// The candidate whose decode time the budget multiplies; `None`, or a codec that is not
    /// among the measured candidates: the fastest candidate.
    pub budget_reference: Option<&'static str>,
}

impl Default for Scoring {
    /// The [`Goal::Balanced`] preset.
    fn default() -> Self {
        Goal::Balanced.scoring()
    }
}

/// The `--picker-goal` presets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Goal {
    /// The fewest bytes, whatever the decode time: weights `(0, 1, 0)`, log ratio.
    Smallest,
    /// The fastest decode, bytes breaking near-ties: weights `(0.9, 0.1, 0)`, log ratio.
    Fastest,
    /// The fewest bytes among candidates that decode within 1.5× of `zstd` (the default codec
    /// of version 3), else of the fastest candidate: weights `(0, 1, 0)`, log ratio, decode
    /// budget 1.5 against `zstd`. Reads stay close to a v3 `zstd` file's while any smaller
    /// codec that keeps up wins.
    #[default]
    Balanced,
}

/// The decode budget of [`Goal::Balanced`].
pub const BALANCED_DECODE_BUDGET: f64 = 1.5;

/// The candidate [`Goal::Balanced`]'s budget is measured against.
pub const BALANCED_BUDGET_REFERENCE: &str = "zstd";

/// The codecs [`Goal::Balanced`] measures unless told otherwise: its budget's reference and
/// the built-ins that can decode within the budget. `shuffle_zstd` decodes a dense tile faster
/// than `zstd`; `rans` decodes a sparse tile (a list of its non-zeros) faster, and a dense one
/// 8–15× slower, so the budget keeps it to sparse regions. The model codecs (`cmc`, `cmc_zstd`,
/// `bsc`, `bsc_cmc`) decode dense tiles 4–130× slower than `zstd` and sparse ones no faster
/// than `rans`; on the shared maps `cmc_zstd` sat at the budget's edge, so its wins came and
/// went with the machine's load. `lz4` is never the smallest within the budget.
pub const BALANCED_CANDIDATES: &[&str] = &["rans", "shuffle_zstd", "zstd"];

impl Goal {
    /// The name used on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Goal::Smallest => "smallest",
            Goal::Fastest => "fastest",
            Goal::Balanced => "balanced",
        }
    }

    /// The preset's weights, normalisation and decode budget.
    #[must_use]
    pub fn scoring(self) -> Scoring {
        let weights = |d, s, e| Weights::new(d, s, e).unwrap_or_default();
        match self {
            Goal::Smallest => Scoring {
                weights: weights(0.0, 1.0, 0.0),
                normalisation: Normalisation::LogRatio,
                decode_budget: None,
                budget_reference: None,
            },
            Goal::Fastest => Scoring {
                weights: weights(0.9, 0.1, 0.0),
                normalisation: Normalisation::LogRatio,
                decode_budget: None,
                budget_reference: None,
            },
            Goal::Balanced => Scoring {
                weights: weights(0.0, 1.0, 0.0),
                normalisation: Normalisation::LogRatio,
                decode_budget: Some(BALANCED_DECODE_BUDGET),
                budget_reference: Some(BALANCED_BUDGET_REFERENCE),
            },
        }
    }
}

impl Goal {
    /// The codecs the preset measures when no candidates are named: [`BALANCED_CANDIDATES`]
    /// for [`Goal::Balanced`]; `None` (every registered codec) for the others.
    #[must_use]
    pub fn default_candidates(self) -> Option<&'static [&'static str]> {
        match self {
            Goal::Balanced => Some(BALANCED_CANDIDATES),
            Goal::Smallest | Goal::Fastest => None,
        }
    }
}

impl FromStr for Goal {
    type Err = PickerError;

    fn from_str(text: &str) -> Result<Self> {
        [Goal::Smallest, Goal::Fastest, Goal::Balanced].into_iter().find(|g| g.name() == text).ok_or_else(
            || PickerError::UnknownSetting {
                setting: "goal",
                given: text.to_owned(),
                expected: "smallest, fastest, balanced",
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for n in [Normalisation::DivideByBest, Normalisation::MinMax, Normalisation::LogRatio] {
            assert_eq!(n.name().parse::<Normalisation>().unwrap(), n);
        }
        for g in [Goal::Smallest, Goal::Fastest, Goal::Balanced] {
            assert_eq!(g.name().parse::<Goal>().unwrap(), g);
        }
        let message = "log".parse::<Normalisation>().unwrap_err().to_string();
        assert!(message.contains("`log`") && message.contains("log-ratio"), "{message}");
        assert!("quick".parse::<Goal>().unwrap_err().to_string().contains("smallest, fastest"));
    }

    #[test]
    fn presets_are_valid_and_balanced_is_the_default() {
        assert_eq!(Scoring::default(), Goal::Balanced.scoring());
        assert_eq!(Goal::Balanced.scoring().decode_budget, Some(BALANCED_DECODE_BUDGET));
        assert_eq!(Goal::Smallest.scoring().weights.size(), 1.0);
        assert!(Goal::Fastest.scoring().weights.decode() > 0.5);
    }
}
