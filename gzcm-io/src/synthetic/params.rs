//! The generator's parameters and the `synthetic:N[:key=value…]` spec strings that set them.

use crate::error::{SourceError, SpecFault};

/// Option keys accepted after the size in a spec string.
pub const OPTION_KEYS: [&str; 7] = ["seed", "alpha", "depth", "tad", "tad-size", "compartments", "masked"];

/// Everything that determines a synthetic map. Equal parameters give identical maps.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntheticParams {
    /// Bins per side (the map is `bins × bins`, symmetric).
    pub bins: u32,
    /// Seed of the random generator (`seed=`, default 42).
    pub seed: u64,
    /// Exponent of the power-law decay of contacts with distance (`alpha=`, default 1.0).
    pub alpha: f64,
    /// Expected contacts of a cell next to the diagonal before modifiers (`depth=`, default 40).
    /// Non-zero cells per row grow roughly as `depth × (1 + ln(bins / depth))`.
    pub depth: f64,
    /// Enrichment of contacts inside a TAD-like domain (`tad=`, default 2.0; 1 disables).
    pub tad: f64,
    /// Mean domain size in bins (`tad-size=`, default 40).
    pub tad_size: u32,
    /// Strength `s` of the A/B compartment checkerboard: same-type pairs × (1 + s), others
    /// × (1 − s) (`compartments=`, default 0.3; 0 disables; below 1).
    pub compartments: f64,
    /// Fraction of masked (all-zero) bins (`masked=`, default 0.01; at least one bin when > 0).
    pub masked: f64,
}

impl SyntheticParams {
    /// The default parameters for a map of `bins × bins`.
    #[must_use]
    pub fn new(bins: u32) -> Self {
        SyntheticParams {
            bins,
            seed: 42,
            alpha: 1.0,
            depth: 40.0,
            tad: 2.0,
            tad_size: 40,
            compartments: 0.3,
            masked: 0.01,
        }
    }

    /// Parses `synthetic:N` or `synthetic:N:key=value:key=value…` (keys: [`OPTION_KEYS`]).
    /// `N` may end in `k` (thousands), e.g. `synthetic:200k:seed=7`.
    ///
    /// # Errors
    /// [`SourceError::Spec`] saying which part is wrong and what is accepted.
    pub fn parse(spec: &str) -> Result<Self, SourceError> {
        let fail = |fault| SourceError::Spec { spec: spec.to_owned(), fault };
        let rest = spec.strip_prefix(super::SPEC_PREFIX).unwrap_or(spec);
        let mut parts = rest.split(':');
        let size = parts.next().unwrap_or_default();
        let mut params =
            SyntheticParams::new(parse_bins(size).ok_or_else(|| fail(SpecFault::BadSize(size.into())))?);
        for option in parts {
            let (key, value) =
                option.split_once('=').ok_or_else(|| fail(SpecFault::NotKeyValue(option.into())))?;
            params.set(key.trim(), value.trim()).map_err(fail)?;
        }
        Ok(params)
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), SpecFault> {
        let bad = |expected| SpecFault::BadValue { key: key.into(), value: value.into(), expected };
        let float = |lo: f64, hi: f64, expected| {
            value.parse::<f64>().ok().filter(|v| (lo..=hi).contains(v)).ok_or_else(|| bad(expected))
        };
        match key {
            "seed" => self.seed = value.parse().map_err(|_| bad("a non-negative integer"))?,
            "alpha" => self.alpha = float(0.0, 4.0, "a number in 0..=4")?,
            "depth" => self.depth = float(0.001, 1e6, "a number in 0.001..=1e6")?,
            "tad" => self.tad = float(1.0, 100.0, "a number in 1..=100")?,
            "tad-size" => {
                self.tad_size =
                    value.parse().ok().filter(|&v| v >= 2).ok_or_else(|| bad("an integer >= 2"))?;
            }
            "compartments" => self.compartments = float(0.0, 0.95, "a number in 0..=0.95")?,
            "masked" => self.masked = float(0.0, 0.5, "a fraction in 0..=0.5")?,
            _ => return Err(SpecFault::UnknownKey(key.into())),
        }
        Ok(())
    }
}

fn parse_bins(text: &str) -> Option<u32> {
    let (digits, scale) = match text.strip_suffix(['k', 'K']) {
        Some(digits) => (digits, 1000),
        None => (text, 1),
    };
    let bins = digits.parse::<u32>().ok()?.checked_mul(scale)?;
    (bins > 0).then_some(bins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse() {
        assert_eq!(SyntheticParams::parse("synthetic:4096").unwrap(), SyntheticParams::new(4096));
        let p = SyntheticParams::parse("synthetic:200k:seed=7:alpha=1.2:masked=0").unwrap();
        assert_eq!((p.bins, p.seed, p.alpha, p.masked), (200_000, 7, 1.2, 0.0));
    }

    #[test]
    fn bad_specs_say_why() {
        let fault = |spec: &str| match SyntheticParams::parse(spec) {
            Err(SourceError::Spec { fault, .. }) => fault,
            other => panic!("{spec}: {other:?}"),
        };
        assert_eq!(fault("synthetic:"), SpecFault::BadSize(String::new()));
        assert_eq!(fault("synthetic:0"), SpecFault::BadSize("0".into()));
        assert_eq!(fault("synthetic:9999999k"), SpecFault::BadSize("9999999k".into()));
        assert_eq!(fault("synthetic:10:seed"), SpecFault::NotKeyValue("seed".into()));
        assert_eq!(fault("synthetic:10:colour=red"), SpecFault::UnknownKey("colour".into()));
        assert!(matches!(fault("synthetic:10:alpha=-1"), SpecFault::BadValue { .. }));
        let message = SyntheticParams::parse("synthetic:10:x=1").unwrap_err().to_string();
        assert!(message.contains("known: seed, alpha"), "{message}");
    }
}
