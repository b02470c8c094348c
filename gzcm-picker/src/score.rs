//! Scoring the candidates of one region and choosing the winner.
//!
//! Each criterion (decode seconds, stored bytes, encode seconds) is normalised across the
//! candidates that did not refuse the sample as [`Normalisation`] says (divided by the best,
//! min–max, or the log of the ratio to the best);
//! `score = w_decode·decode + w_size·size + w_encode·encode`, lowest wins. With a decode budget,
//! candidates decoding more than `budget ×` slower than the reference candidate (the fastest
//! when none is named or the named one was not measured) cannot win.
//!
//! # Ties and timing noise
//!
//! Timings vary from run to run, so scores within [`TIE_TOLERANCE`] (2 %) of the lowest score
//! count as tied; among tied candidates the one with the fewest stored bytes wins (bytes are
//! exact and repeatable), then the alphabetically first name. Choices therefore only change
//! between runs when timing differences exceed the tolerance. With weights `(0, 1, 0)` the
//! winner is exactly the candidate with the fewest bytes (first by name on equal bytes) under
//! every normalisation.

use crate::goal::{Normalisation, Scoring};
use crate::measure::Measurement;

/// Scores within this fraction of the lowest score count as tied.
pub const TIE_TOLERANCE: f64 = 0.02;

/// The criteria of one candidate, each normalised across the candidates (the `normalised`
/// object of a `codec_picker` candidate record).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Criteria {
    /// Normalised decode seconds.
    pub decode: f64,
    /// Normalised stored bytes.
    pub size: f64,
    /// Normalised encode seconds.
    pub encode: f64,
}

/// A candidate's normalised criteria and score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scored {
    /// The normalised criteria.
    pub criteria: Criteria,
    /// The weighted score (lower is better).
    pub score: f64,
}

/// Scores every candidate that has a measurement (`None` stays `None`) and returns the index
/// of the winner, or `None` when no candidate has a measurement.
#[must_use]
pub fn score_candidates(
    scoring: &Scoring,
    candidates: &[(&str, Option<Measurement>)],
) -> (Vec<Option<Scored>>, Option<usize>) {
    let measured = || candidates.iter().filter_map(|(_, m)| m.as_ref());
    let range = |f: fn(&Measurement) -> f64| {
        measured().map(f).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
    };
    let (decode, size, encode) = (range(|m| m.decode_s), range(bytes), range(|m| m.encode_s));
    let weights = &scoring.weights;
    let scored: Vec<Option<Scored>> = candidates
        .iter()
        .map(|(_, m)| {
            m.as_ref().map(|m| {
                let criteria = Criteria {
                    decode: normalise(scoring.normalisation, m.decode_s, decode),
                    size: normalise(scoring.normalisation, bytes(m), size),
                    encode: normalise(scoring.normalisation, m.encode_s, encode),
                };
                let score = weights.decode() * criteria.decode
                    + weights.size() * criteria.size
                    + weights.encode() * criteria.encode;
                Scored { criteria, score }
            })
        })
        .collect();
    let reference = budget_reference(scoring.budget_reference, candidates).map_or(decode.0, |(_, s)| s);
    let within_budget =
        |m: &Measurement| scoring.decode_budget.is_none_or(|budget| m.decode_s <= reference * budget);
    let eligible = || {
        candidates
            .iter()
            .zip(&scored)
            .enumerate()
            .filter_map(|(index, ((name, m), s))| Some((index, *name, m.as_ref()?, s.as_ref()?)))
            .filter(|(_, _, m, _)| within_budget(m))
    };
    let lowest = eligible().map(|(.., s)| s.score).fold(f64::INFINITY, f64::min);
    let tolerance = TIE_TOLERANCE * lowest.abs().max(TIE_FLOOR);
    let winner = eligible()
        .filter(|(.., s)| s.score <= lowest + tolerance)
        .min_by(|a, b| a.2.bytes.cmp(&b.2.bytes).then_with(|| a.1.cmp(b.1)))
        .map(|(index, ..)| index);
    (scored, winner)
}

/// The candidate a decode budget multiplies and its decode seconds: `reference` when it is
/// named and was measured, else the fastest measured candidate (`None` when none was).
#[must_use]
pub fn budget_reference<'a>(
    reference: Option<&str>,
    candidates: &[(&'a str, Option<Measurement>)],
) -> Option<(&'a str, f64)> {
    let measured = || candidates.iter().filter_map(|&(name, m)| Some((name, m?.decode_s)));
    reference
        .and_then(|reference| measured().find(|&(name, _)| name == reference))
        .or_else(|| measured().min_by(|a, b| a.1.total_cmp(&b.1)))
}

/// Scores that normalise to 0 (log ratio, min–max) still tie within `TIE_TOLERANCE × this`.
const TIE_FLOOR: f64 = 1.0;

#[expect(clippy::cast_precision_loss, reason = "byte counts far below 2^52")]
fn bytes(m: &Measurement) -> f64 {
    m.bytes as f64
}

/// One criterion's value normalised against the candidates' `(min, max)`.
fn normalise(normalisation: Normalisation, value: f64, (best, worst): (f64, f64)) -> f64 {
    let ratio = || {
        if best > 0.0 {
            value / best
        } else if value > 0.0 {
            f64::MAX
        } else {
            1.0
        }
    };
    match normalisation {
        Normalisation::DivideByBest => ratio(),
        Normalisation::LogRatio => ratio().ln(),
        Normalisation::MinMax if worst > best => (value - best) / (worst - best),
        Normalisation::MinMax => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goal::Goal;
    use crate::weights::Weights;

    fn with(weights: Weights, normalisation: Normalisation) -> Scoring {
        Scoring { weights, normalisation, decode_budget: None, budget_reference: None }
    }

    fn m(bytes: u64, encode_s: f64, decode_s: f64) -> Option<Measurement> {
        Some(Measurement { bytes, encode_s, decode_s })
    }

    #[test]
    fn lowest_score_wins_and_best_criteria_are_one() {
        let candidates = [("a", m(100, 1.0, 1.0)), ("b", m(50, 2.0, 4.0)), ("c", None)];
        let (scored, winner) =
            score_candidates(&with(Weights::default(), Normalisation::DivideByBest), &candidates);
        assert_eq!(winner, Some(0));
        let a = scored[0].unwrap();
        assert_eq!((a.criteria.decode, a.criteria.size, a.criteria.encode), (1.0, 2.0, 1.0));
        assert!((a.score - 1.3).abs() < 1e-12);
        assert!(scored[2].is_none());
    }

    #[test]
    fn near_ties_go_to_the_smaller_then_the_first_name() {
        let w = with(Weights::default(), Normalisation::DivideByBest);
        // b is 1 % slower overall but smaller: tied, so bytes decide.
        let candidates = [("a", m(100, 1.0, 1.0)), ("b", m(99, 1.0, 1.0125))];
        assert_eq!(score_candidates(&w, &candidates).1, Some(1));
        let candidates = [("b", m(100, 1.0, 1.0)), ("a", m(100, 1.0, 1.0))];
        assert_eq!(score_candidates(&w, &candidates).1, Some(1));
        let size_only = with(Weights::new(0.0, 1.0, 0.0).unwrap(), Normalisation::DivideByBest);
        let candidates = [("a", m(101, 0.1, 0.1)), ("b", m(100, 9.0, 9.0)), ("c", m(102, 0.1, 0.1))];
        assert_eq!(score_candidates(&size_only, &candidates).1, Some(1));
        assert_eq!(score_candidates(&w, &[("a", None)]).1, None);
    }

    /// The figures of the `gm12878_rao2014_2500kb` diagonal region as measured by the picker
    /// (bytes, encode s, decode s): the reason the normalisation changed.
    fn dense_diagonal() -> Vec<(&'static str, Option<Measurement>)> {
        vec![
            ("bsc_cmc", m(233_423, 0.0695, 0.0439)),
            ("cmc", m(175_210, 0.2774, 0.3355)),
            ("cmc_zstd", m(229_871, 0.1150, 0.0057)),
            ("lz4", m(910_408, 0.0035, 0.0012)),
            ("zstd", m(598_082, 0.0878, 0.0019)),
        ]
    }

    #[test]
    fn divide_by_best_with_old_defaults_picks_the_fastest_codec() {
        let old = with(Weights::default(), Normalisation::DivideByBest);
        assert_eq!(score_candidates(&old, &dense_diagonal()).1, Some(3));
    }

    #[test]
    fn presets_on_a_dense_region() {
        let pick = |goal: Goal| score_candidates(&goal.scoring(), &dense_diagonal()).1;
        assert_eq!(pick(Goal::Balanced), Some(4), "smallest within 1.5× of zstd's decode");
        assert_eq!(pick(Goal::Smallest), Some(1));
        assert_eq!(pick(Goal::Fastest), Some(3));
    }

    #[test]
    fn min_max_and_log_ratio_put_the_best_at_zero() {
        let candidates = [("a", m(100, 1.0, 2.0)), ("b", m(300, 3.0, 1.0))];
        let (scored, _) = score_candidates(&with(Weights::default(), Normalisation::MinMax), &candidates);
        let a = scored[0].unwrap().criteria;
        assert_eq!((a.size, a.decode, a.encode), (0.0, 1.0, 0.0));
        let (scored, _) = score_candidates(&with(Weights::default(), Normalisation::LogRatio), &candidates);
        let b = scored[1].unwrap().criteria;
        assert!((b.size - 3f64.ln()).abs() < 1e-12 && b.decode == 0.0);
        let same = [("a", m(100, 1.0, 1.0)), ("b", m(100, 1.0, 1.0))];
        let (scored, winner) = score_candidates(&with(Weights::default(), Normalisation::MinMax), &same);
        assert_eq!((scored[1].unwrap().score, winner), (0.0, Some(0)));
    }

    #[test]
    fn a_decode_budget_keeps_slow_candidates_from_winning() {
        let mut scoring = Goal::Smallest.scoring();
        scoring.decode_budget = Some(1.5);
        let candidates = [("fast", m(200, 1.0, 1.0)), ("small", m(100, 1.0, 1.6))];
        assert_eq!(score_candidates(&scoring, &candidates).1, Some(0));
        scoring.decode_budget = Some(1.6);
        assert_eq!(score_candidates(&scoring, &candidates).1, Some(1));
    }

    #[test]
    fn a_named_budget_reference_replaces_the_fastest() {
        let mut scoring = Goal::Smallest.scoring();
        scoring.decode_budget = Some(1.5);
        scoring.budget_reference = Some("zstd");
        // lz4 is fastest; against it only lz4 and zstd would qualify. Against zstd, cmc_zstd
        // (1.4× zstd) is within the budget and smallest.
        let candidates =
            [("lz4", m(300, 1.0, 1.0)), ("zstd", m(200, 1.0, 2.5)), ("cmc_zstd", m(100, 1.0, 3.5))];
        assert_eq!(score_candidates(&scoring, &candidates).1, Some(2));
        // A slower one is still kept out.
        let candidates = [("lz4", m(300, 1.0, 1.0)), ("zstd", m(200, 1.0, 2.5)), ("cmc", m(100, 1.0, 4.0))];
        assert_eq!(score_candidates(&scoring, &candidates).1, Some(1));
        // A reference that was not measured falls back to the fastest.
        let candidates = [("lz4", m(300, 1.0, 1.0)), ("zstd", None), ("cmc_zstd", m(100, 1.0, 1.4))];
        assert_eq!(score_candidates(&scoring, &candidates).1, Some(2));
        let candidates = [("lz4", m(300, 1.0, 1.0)), ("cmc_zstd", m(100, 1.0, 1.6))];
        assert_eq!(score_candidates(&scoring, &candidates).1, Some(0));
    }
}
