//! Named balancing vectors, and how other formats' vectors convert to gzcm's.

/// How a stored weight vector is applied to a count.
///
/// gzcm's [`WeightVector`]s are always [`Multiplicative`](WeightMeaning::Multiplicative) (cooler's
/// convention for its `weight` column); vectors stored the other way are converted when read
/// ([`WeightVector::from_stored`]) and back when written ([`WeightVector::stored_as`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WeightMeaning {
    /// balanced = count · w_i · w_j.
    Multiplicative,
    /// balanced = count / (w_i · w_j).
    Divisive,
}

/// Weight columns that cooler reads as *divisive* by default: the 4DN data portal and hic2cool
/// store Juicer's normalisation vectors under these names in that form
/// (`cooler.Cooler.matrix(balance="KR")` divides).
pub const COOLER_DIVISIVE_WEIGHTS: [&str; 3] = ["KR", "VC", "VC_SQRT"];

impl WeightMeaning {
    /// How cooler applies a `bins/<name>` column: divisive for [`COOLER_DIVISIVE_WEIGHTS`],
    /// multiplicative otherwise.
    #[must_use]
    pub fn of_cooler_column(name: &str) -> WeightMeaning {
        if COOLER_DIVISIVE_WEIGHTS.contains(&name) {
            WeightMeaning::Divisive
        } else {
            WeightMeaning::Multiplicative
        }
    }

    /// `value` converted between this meaning and the multiplicative one (either way: the
    /// conversion is its own inverse): unchanged, or `1 / value` for divisive vectors.
    #[must_use]
    pub fn convert(self, value: f64) -> f64 {
        match self {
            WeightMeaning::Multiplicative => value,
            WeightMeaning::Divisive => value.recip(),
        }
    }
}

/// A named balancing vector: one float64 per bin, NaN for a masked bin, always multiplicative:
/// a balanced value is `count · w[i] · w[j]` (see [`crate::balance`]).
#[derive(Clone, Debug, PartialEq)]
pub struct WeightVector {
    /// Its name (`weight`, `KR`, `VC`, `VC_SQRT`, `SCALE`, …).
    pub name: String,
    /// One multiplicative value per bin.
    pub values: Vec<f64>,
}

impl WeightVector {
    /// A vector named `name` of multiplicative `values`.
    #[must_use]
    pub fn new(name: impl Into<String>, values: Vec<f64>) -> Self {
        WeightVector { name: name.into(), values }
    }

    /// A vector stored with `meaning` (divisive values become `1 / w`).
    #[must_use]
    pub fn from_stored(name: impl Into<String>, mut values: Vec<f64>, meaning: WeightMeaning) -> Self {
        if meaning != WeightMeaning::Multiplicative {
            values.iter_mut().for_each(|v| *v = meaning.convert(*v));
        }
        WeightVector::new(name, values)
    }

    /// The cooler column `bins/<name>` as a vector (see [`WeightMeaning::of_cooler_column`]).
    #[must_use]
    pub fn from_cooler_column(name: impl Into<String>, values: Vec<f64>) -> Self {
        let name = name.into();
        let meaning = WeightMeaning::of_cooler_column(&name);
        WeightVector::from_stored(name, values, meaning)
    }

    /// The values as a vector of `meaning` stores them.
    #[must_use]
    pub fn stored_as(&self, meaning: WeightMeaning) -> Vec<f64> {
        self.values.iter().map(|&v| meaning.convert(v)).collect()
    }

    /// The values as cooler's `bins/<name>` column holds them (the inverse of
    /// [`WeightVector::from_cooler_column`]).
    #[must_use]
    pub fn cooler_column(&self) -> Vec<f64> {
        self.stored_as(WeightMeaning::of_cooler_column(&self.name))
    }

    /// gzcm's multiplicative weight of a Juicer normalisation value (a divisor `n`):
    /// `1 / n`, or NaN (a masked bin) for a divisor that is not finite and positive.
    #[must_use]
    pub fn juicer_weight(divisor: f64) -> f64 {
        if divisor.is_finite() && divisor > 0.0 { WeightMeaning::Divisive.convert(divisor) } else { f64::NAN }
    }

    /// Values that are not NaN.
    #[must_use]
    pub fn finite_count(&self) -> usize {
        self.values.iter().filter(|v| !v.is_nan()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cooler_divisive_columns_are_inverted_both_ways() {
        assert_eq!(WeightMeaning::of_cooler_column("KR"), WeightMeaning::Divisive);
        assert_eq!(WeightMeaning::of_cooler_column("VC_SQRT"), WeightMeaning::Divisive);
        assert_eq!(WeightMeaning::of_cooler_column("weight"), WeightMeaning::Multiplicative);
        let kr = WeightVector::from_cooler_column("KR", vec![2.0, 0.5, f64::NAN]);
        assert_eq!(kr.values[..2], [0.5, 2.0]);
        assert!(kr.values[2].is_nan());
        assert_eq!(kr.cooler_column()[..2], [2.0, 0.5]);
        let weight = WeightVector::from_cooler_column("weight", vec![2.0, 0.5]);
        assert_eq!((weight.values.clone(), weight.cooler_column()), (vec![2.0, 0.5], vec![2.0, 0.5]));
        assert_eq!(weight.finite_count(), 2);
        assert_eq!(kr.finite_count(), 2);
    }

    #[test]
    fn juicer_divisors_become_weights_and_bad_ones_mask() {
        assert_eq!(WeightVector::juicer_weight(4.0), 0.25);
        for divisor in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(WeightVector::juicer_weight(divisor).is_nan(), "{divisor}");
        }
    }

    #[test]
    fn stored_meaning_round_trips() {
        let stored = vec![4.0, 0.125];
        let w = WeightVector::from_stored("SCALE", stored.clone(), WeightMeaning::Divisive);
        assert_eq!(w.values, [0.25, 8.0]);
        assert_eq!(w.stored_as(WeightMeaning::Divisive), stored);
        assert_eq!(w.stored_as(WeightMeaning::Multiplicative), w.values);
    }
}
