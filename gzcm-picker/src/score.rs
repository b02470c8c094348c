//! Scoring the candidates of one region and choosing the winner.
//!
//! Each criterion (decode seconds, stored bytes, encode seconds) is divided by the best
//! (smallest) value among the candidates that did not refuse the sample, so the best candidate
//! scores 1 on it; `score = w_decode·decode + w_size·size + w_encode·encode`, lowest wins.
//!
//! # Ties and timing noise
//!
//! Timings vary from run to run, so scores within [`TIE_TOLERANCE`] (2 %) of the lowest score
//! count as tied; among tied candidates the one with the fewest stored bytes wins (bytes are
//! exact and repeatable), then the alphabetically first name. Choices therefore only change
//! between runs when timing differences exceed the tolerance. With weights `(0, 1, 0)` the
//! score is bytes ÷ smallest bytes, and the winner is exactly the candidate with the fewest
//! bytes (first by name on equal bytes).

use crate::measure::Measurement;
use crate::weights::Weights;

/// Scores within this fraction of the lowest score count as tied.
pub const TIE_TOLERANCE: f64 = 0.02;

/// The criteria of one candidate, each divided by the best candidate's value (≥ 1).
#[derive(Clone, Copy, Debug, PartialEq)]
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
    /// The weighted score (lower is better; at least 1 for valid weights).
    pub score: f64,
}

/// Scores every candidate that has a measurement (`None` stays `None`) and returns the index
/// of the winner, or `None` when no candidate has a measurement.
#[must_use]
pub fn score_candidates(
    weights: &Weights,
    candidates: &[(&str, Option<Measurement>)],
) -> (Vec<Option<Scored>>, Option<usize>) {
    let measured = || candidates.iter().filter_map(|(_, m)| m.as_ref());
    let best = |f: fn(&Measurement) -> f64| measured().map(f).fold(f64::INFINITY, f64::min);
    #[expect(clippy::cast_precision_loss, reason = "byte counts far below 2^52")]
    let bytes = |m: &Measurement| m.bytes as f64;
    let (best_decode, best_size, best_encode) = (best(|m| m.decode_s), best(bytes), best(|m| m.encode_s));
    let ratio = |value: f64, best: f64| {
        if best > 0.0 {
            value / best
        } else if value > 0.0 {
            f64::MAX
        } else {
            1.0
        }
    };
    let scored: Vec<Option<Scored>> = candidates
        .iter()
        .map(|(_, m)| {
            m.as_ref().map(|m| {
                let criteria = Criteria {
                    decode: ratio(m.decode_s, best_decode),
                    size: ratio(bytes(m), best_size),
                    encode: ratio(m.encode_s, best_encode),
                };
                let score = weights.decode() * criteria.decode
                    + weights.size() * criteria.size
                    + weights.encode() * criteria.encode;
                Scored { criteria, score }
            })
        })
        .collect();
    let lowest = scored.iter().flatten().map(|s| s.score).fold(f64::INFINITY, f64::min);
    let winner = candidates
        .iter()
        .zip(&scored)
        .enumerate()
        .filter_map(|(index, ((name, m), s))| Some((index, *name, m.as_ref()?, s.as_ref()?)))
        .filter(|(_, _, _, s)| s.score <= lowest * (1.0 + TIE_TOLERANCE))
        .min_by(|a, b| a.2.bytes.cmp(&b.2.bytes).then_with(|| a.1.cmp(b.1)))
        .map(|(index, ..)| index);
    (scored, winner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(bytes: u64, encode_s: f64, decode_s: f64) -> Option<Measurement> {
        Some(Measurement { bytes, encode_s, decode_s })
    }

    #[test]
    fn lowest_score_wins_and_best_criteria_are_one() {
        let candidates = [("a", m(100, 1.0, 1.0)), ("b", m(50, 2.0, 4.0)), ("c", None)];
        let (scored, winner) = score_candidates(&Weights::default(), &candidates);
        assert_eq!(winner, Some(0));
        let a = scored[0].unwrap();
        assert_eq!((a.criteria.decode, a.criteria.size, a.criteria.encode), (1.0, 2.0, 1.0));
        assert!((a.score - 1.3).abs() < 1e-12);
        assert!(scored[2].is_none());
    }

    #[test]
    fn near_ties_go_to_the_smaller_then_the_first_name() {
        let w = Weights::default();
        // b is 1 % slower overall but smaller: tied, so bytes decide.
        let candidates = [("a", m(100, 1.0, 1.0)), ("b", m(99, 1.0, 1.0125))];
        assert_eq!(score_candidates(&w, &candidates).1, Some(1));
        let candidates = [("b", m(100, 1.0, 1.0)), ("a", m(100, 1.0, 1.0))];
        assert_eq!(score_candidates(&w, &candidates).1, Some(1));
        let size_only = Weights::new(0.0, 1.0, 0.0).unwrap();
        let candidates = [("a", m(101, 0.1, 0.1)), ("b", m(100, 9.0, 9.0)), ("c", m(102, 0.1, 0.1))];
        assert_eq!(score_candidates(&size_only, &candidates).1, Some(1));
        assert_eq!(score_candidates(&w, &[("a", None)]).1, None);
    }
}
