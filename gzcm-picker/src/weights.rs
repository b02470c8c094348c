//! The weights of the three criteria: decode time, stored size, encode time.

use std::fmt;
use std::str::FromStr;

use crate::error::{PickerError, Result};

/// How far the weights may sum from 1.
pub const SUM_TOLERANCE: f64 = 1e-6;

/// Weights of the normalised criteria in the score (SPEC §7). Recorded (serde) as
/// `{"decode": …, "size": …, "encode": …}`; reading checks them as [`Weights::new`] does.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "WeightsRecord")]
pub struct Weights {
    decode: f64,
    size: f64,
    encode: f64,
}

/// The unchecked form of [`Weights`] as recorded.
#[derive(serde::Deserialize)]
struct WeightsRecord {
    decode: f64,
    size: f64,
    encode: f64,
}

impl TryFrom<WeightsRecord> for Weights {
    type Error = PickerError;

    fn try_from(w: WeightsRecord) -> Result<Self> {
        Weights::new(w.decode, w.size, w.encode)
    }
}

impl Default for Weights {
    /// `(0.5, 0.3, 0.2)`: decode time, stored size, encode time.
    fn default() -> Self {
        Weights { decode: 0.5, size: 0.3, encode: 0.2 }
    }
}

impl Weights {
    /// Weights for decode time, stored size and encode time.
    ///
    /// # Errors
    /// [`PickerError::InvalidWeights`] unless all three are finite, non-negative and sum to 1
    /// (within [`SUM_TOLERANCE`]).
    pub fn new(decode: f64, size: f64, encode: f64) -> Result<Self> {
        let given = format!("{decode},{size},{encode}");
        let invalid = |reason: String| Err(PickerError::InvalidWeights { given: given.clone(), reason });
        for (name, value) in [("decode", decode), ("size", size), ("encode", encode)] {
            if !value.is_finite() {
                return invalid(format!("the {name} weight {value} is not a finite number"));
            }
            if value < 0.0 {
                return invalid(format!("the {name} weight {value} is negative"));
            }
        }
        let sum = decode + size + encode;
        if (sum - 1.0).abs() > SUM_TOLERANCE {
            return invalid(format!("the weights sum to {sum}, not 1"));
        }
        Ok(Weights { decode, size, encode })
    }

    /// Parses `"decode,size,encode"`, e.g. `"0.5,0.3,0.2"` (spaces around numbers allowed).
    ///
    /// # Errors
    /// [`PickerError::InvalidWeights`] for a count other than three, a part that is not a
    /// number, or values [`Weights::new`] refuses.
    pub fn parse(text: &str) -> Result<Self> {
        let invalid = |reason: String| Err(PickerError::InvalidWeights { given: text.to_owned(), reason });
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        if parts.len() != 3 {
            return invalid(format!("found {} comma-separated values, not 3", parts.len()));
        }
        let mut values = [0.0; 3];
        for (slot, part) in values.iter_mut().zip(&parts) {
            match part.parse::<f64>() {
                Ok(value) => *slot = value,
                Err(_) => return invalid(format!("`{part}` is not a number")),
            }
        }
        Weights::new(values[0], values[1], values[2]).map_err(|error| match error {
            PickerError::InvalidWeights { reason, .. } => {
                PickerError::InvalidWeights { given: text.to_owned(), reason }
            }
            other => other,
        })
    }

    /// Weight of decode time.
    #[must_use]
    pub fn decode(&self) -> f64 {
        self.decode
    }

    /// Weight of stored size.
    #[must_use]
    pub fn size(&self) -> f64 {
        self.size
    }

    /// Weight of encode time.
    #[must_use]
    pub fn encode(&self) -> f64 {
        self.encode
    }
}

impl FromStr for Weights {
    type Err = PickerError;

    fn from_str(text: &str) -> Result<Self> {
        Weights::parse(text)
    }
}

impl fmt::Display for Weights {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{},{}", self.decode, self.size, self.encode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(text: &str) -> String {
        match Weights::parse(text) {
            Err(PickerError::InvalidWeights { reason, .. }) => reason,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn parses_valid_weights() {
        assert_eq!(Weights::parse("0.5,0.3,0.2").unwrap(), Weights::default());
        assert_eq!(Weights::parse(" 0, 1 ,0").unwrap(), Weights::new(0.0, 1.0, 0.0).unwrap());
        assert_eq!("0.2,0.3,0.5".parse::<Weights>().unwrap().encode(), 0.5);
        let w = Weights::default();
        assert_eq!(w.to_string().parse::<Weights>().unwrap(), w);
    }

    #[test]
    fn refuses_invalid_weights_with_reasons() {
        assert!(reason("0.5,0.3,0.3").contains("sum to"));
        assert!(reason("-0.5,1.0,0.5").contains("negative"));
        assert!(reason("NaN,0.5,0.5").contains("not a finite"));
        assert!(reason("inf,0,0").contains("not a finite"));
        assert!(reason("0.5,0.5").contains("found 2"));
        assert!(reason("0.25,0.25,0.25,0.25").contains("found 4"));
        assert!(reason("fast,small,cheap").contains("`fast` is not a number"));
        assert!(reason("").contains("found 1"));
        let message = Weights::parse("1,1,1").unwrap_err().to_string();
        assert!(message.contains("three finite non-negative numbers"), "{message}");
        assert!(message.contains("sum to 1"), "{message}");
    }
}
