//! From values to positions on the colour ramp: a linear or logarithmic scale between limits
//! that are given or taken from percentiles of the data.

use std::str::FromStr;

use crate::error::PlotError;

/// How values map onto the colour ramp.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Scale {
    /// log10 between the limits (values ≤ 0 take the lowest colour): the usual view of
    /// contacts, which fall by orders of magnitude with distance.
    #[default]
    Log,
    /// Linear between the limits.
    Linear,
}

impl FromStr for Scale {
    type Err = PlotError;

    fn from_str(text: &str) -> Result<Scale, PlotError> {
        match text {
            "log" => Ok(Scale::Log),
            "linear" => Ok(Scale::Linear),
            _ => Err(PlotError::UnknownScale { name: text.to_owned() }),
        }
    }
}

impl Scale {
    /// Its name (`log`, `linear`).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Scale::Log => "log",
            Scale::Linear => "linear",
        }
    }
}

/// Where the colour limits come from: each end a fixed value or a percentile (0..=100) of the
/// finite values shown (positive ones on a log scale).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// The lower end.
    pub low: Bound,
    /// The upper end.
    pub high: Bound,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { low: DEFAULT_LIMITS.0, high: DEFAULT_LIMITS.1 }
    }
}

/// One end of the colour limits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    /// This value.
    Value(f64),
    /// This percentile (0..=100) of the values shown.
    Percentile(f64),
}

/// The default limits: the 1st and 99.5th percentiles.
pub const DEFAULT_LIMITS: (Bound, Bound) = (Bound::Percentile(1.0), Bound::Percentile(99.5));

impl Limits {
    /// Limits from `--vmin`, `--vmax` and `--percentile LOW,HIGH` (a value given wins over the
    /// percentile of its end).
    ///
    /// # Errors
    /// [`PlotError::BadLimits`] for a percentile outside 0..=100 or not below the other.
    pub fn new(
        vmin: Option<f64>,
        vmax: Option<f64>,
        percentile: Option<(f64, f64)>,
    ) -> Result<Limits, PlotError> {
        let (mut low, mut high) = DEFAULT_LIMITS;
        if let Some((lo, hi)) = percentile {
            if !(0.0..=100.0).contains(&lo) || !(0.0..=100.0).contains(&hi) || lo >= hi {
                return Err(PlotError::BadLimits {
                    reason: format!("percentiles {lo},{hi}: give LOW,HIGH with 0 <= LOW < HIGH <= 100"),
                });
            }
            (low, high) = (Bound::Percentile(lo), Bound::Percentile(hi));
        }
        for (given, bound) in [(vmin, &mut low), (vmax, &mut high)] {
            if let Some(value) = given {
                if !value.is_finite() {
                    return Err(PlotError::BadLimits { reason: format!("{value} is not a finite limit") });
                }
                *bound = Bound::Value(value);
            }
        }
        Ok(Limits { low, high })
    }

    /// The limits for `values` on `scale`: percentiles of the finite values (positive ones on
    /// a log scale); `None` when there is nothing to take them from.
    ///
    /// # Errors
    /// [`PlotError::BadLimits`] when the limits are not increasing, or not positive on a log scale.
    pub fn resolve(self, values: impl Iterator<Item = f64>, scale: Scale) -> Result<(f64, f64), PlotError> {
        let Limits { low, high } = self;
        let mut shown: Vec<f64> =
            values.filter(|v| v.is_finite() && (scale == Scale::Linear || *v > 0.0)).collect();
        shown.sort_by(f64::total_cmp);
        let at = |bound: Bound| match bound {
            Bound::Value(v) => Some(v),
            Bound::Percentile(p) => percentile(&shown, p),
        };
        let (vmin, vmax) = match (at(low), at(high)) {
            (Some(a), Some(b)) => (a, b),
            // No finite value: any limits do; the picture is all grey or lowest colour.
            _ => (1.0, 10.0),
        };
        let (vmin, vmax) = if vmin == vmax && !matches!((low, high), (Bound::Value(_), Bound::Value(_))) {
            widen(vmin, scale)
        } else {
            (vmin, vmax)
        };
        if vmin >= vmax || (scale == Scale::Log && vmin <= 0.0) {
            let log = if scale == Scale::Log { " and positive (log scale)" } else { "" };
            return Err(PlotError::BadLimits {
                reason: format!("limits {vmin}..{vmax}: the lower must be below the upper{log}"),
            });
        }
        Ok((vmin, vmax))
    }
}

/// Limits around a single value.
fn widen(value: f64, scale: Scale) -> (f64, f64) {
    match scale {
        Scale::Log => (value / 2.0, value * 2.0),
        Scale::Linear if value == 0.0 => (0.0, 1.0),
        Scale::Linear => (value - value.abs() / 2.0, value + value.abs() / 2.0),
    }
}

/// The `p`-th percentile (0..=100) of sorted values, interpolated linearly (numpy's default).
fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let x = p / 100.0 * last as f64;
    let (i, f) = (x.floor() as usize, x.fract());
    let (a, b) = (sorted[i.min(last)], sorted[(i + 1).min(last)]);
    Some(a + (b - a) * f)
}

/// Values mapped onto 0..=1 between resolved limits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Norm {
    /// The scale.
    pub scale: Scale,
    /// The value at the bottom of the ramp.
    pub vmin: f64,
    /// The value at the top of the ramp.
    pub vmax: f64,
}

impl Norm {
    /// The position of `value` on the ramp, clamped to 0..=1; `None` for NaN (drawn grey).
    /// On a log scale, values ≤ 0 are at 0.
    #[must_use]
    pub fn position(&self, value: f64) -> Option<f64> {
        if value.is_nan() {
            return None;
        }
        let t = match self.scale {
            Scale::Linear => (value - self.vmin) / (self.vmax - self.vmin),
            Scale::Log if value <= 0.0 => 0.0,
            Scale::Log => (value.log10() - self.vmin.log10()) / (self.vmax.log10() - self.vmin.log10()),
        };
        Some(t.clamp(0.0, 1.0))
    }

    /// The value at position `t` of the ramp (the inverse of [`Norm::position`]).
    #[must_use]
    pub fn value_at(&self, t: f64) -> f64 {
        match self.scale {
            Scale::Linear => self.vmin + (self.vmax - self.vmin) * t,
            Scale::Log => 10f64.powf(self.vmin.log10() + (self.vmax.log10() - self.vmin.log10()) * t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let sorted = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile(&sorted, 0.0), Some(1.0));
        assert_eq!(percentile(&sorted, 50.0), Some(3.0));
        assert_eq!(percentile(&sorted, 62.5), Some(3.5));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn log_limits_ignore_zeros_and_linear_ones_keep_them() {
        let values = [0.0, 0.0, 10.0, 100.0, 1000.0, f64::NAN];
        let limits = Limits::new(None, None, Some((0.0, 100.0))).unwrap();
        assert_eq!(limits.resolve(values.into_iter(), Scale::Log).unwrap(), (10.0, 1000.0));
        assert_eq!(limits.resolve(values.into_iter(), Scale::Linear).unwrap(), (0.0, 1000.0));
        let norm = Norm { scale: Scale::Log, vmin: 10.0, vmax: 1000.0 };
        assert_eq!(norm.position(100.0), Some(0.5));
        assert_eq!(norm.position(0.0), Some(0.0));
        assert_eq!(norm.position(f64::NAN), None);
        assert!((norm.value_at(0.5) - 100.0).abs() < 1e-9);
    }

    #[test]
    fn bad_limits_are_errors() {
        assert!(Limits::new(None, None, Some((50.0, 10.0))).is_err());
        assert!(Limits::new(None, None, Some((0.0, 101.0))).is_err());
        let fixed = Limits::new(Some(-1.0), Some(5.0), None).unwrap();
        assert!(fixed.resolve([1.0].into_iter(), Scale::Log).unwrap_err().to_string().contains("positive"));
        assert!("cubic".parse::<Scale>().is_err());
    }
}
