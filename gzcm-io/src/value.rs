//! Conversion of text and foreign numbers into matrix cells, refusing what does not fit.

use std::io::{self, Write};

use gzcm_core::{Dtype, Element};

use crate::error::ValueFault;

/// Largest integer that `f32` holds exactly, together with every integer below it.
const F32_EXACT_INT: f64 = 16_777_216.0;

/// Whether integer text names a number `f32` holds exactly (e.g. 2^32 does, 2^24 + 1 does not).
fn exact_in_f32(text: &str) -> bool {
    #[expect(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        reason = "checked by the round trip"
    )]
    text.trim().trim_start_matches('+').parse::<i128>().is_ok_and(|v| (v as f32) as i128 == v)
}

/// A matrix cell type the readers can produce: `u32` counts or `f32` values.
///
/// Every conversion is checked: a value that the type cannot hold is a [`ValueFault`], never a
/// silent rounding, wrap or saturation (except `f64 → f32`, which rounds to the nearest `f32` as
/// any balanced-matrix export does, but refuses values beyond the `f32` range).
pub trait CellValue: Element {
    /// Parses a decimal number from COO text.
    ///
    /// # Errors
    /// A [`ValueFault`] when the text is not a number or does not fit.
    fn parse_text(text: &str) -> Result<Self, ValueFault>;

    /// Converts a floating-point value (from `<f4` or `<f8` data).
    ///
    /// # Errors
    /// A [`ValueFault`] when the value does not fit.
    fn from_f64(value: f64) -> Result<Self, ValueFault>;

    /// Converts a signed integer (from `<i4` or `<i8` data).
    ///
    /// # Errors
    /// A [`ValueFault`] when the value does not fit.
    fn from_i64(value: i64) -> Result<Self, ValueFault>;

    /// Converts an unsigned integer (from `<u4` or `<u8` data).
    ///
    /// # Errors
    /// A [`ValueFault`] when the value does not fit.
    fn from_u64(value: u64) -> Result<Self, ValueFault>;

    /// The value as `f64` (exact for both cell types).
    fn to_f64(self) -> f64;

    /// The numpy descriptor of the type (`<u4`, `<f4`).
    const NPY_DESCR: &'static str;

    /// Writes the value as text, the way `cooler dump` does (integers plainly, floats shortest).
    ///
    /// # Errors
    /// Whatever the writer reports.
    fn write_text(self, out: &mut impl Write) -> io::Result<()>;
}

impl CellValue for u32 {
    const NPY_DESCR: &'static str = "<u4";

    fn parse_text(text: &str) -> Result<Self, ValueFault> {
        match text.parse::<u32>() {
            Ok(v) => Ok(v),
            Err(_) => Self::from_f64(parse_finite(text)?),
        }
    }

    fn from_f64(value: f64) -> Result<Self, ValueFault> {
        if !value.is_finite() {
            Err(ValueFault::NotFinite)
        } else if value < 0.0 {
            Err(ValueFault::Negative(Dtype::U32))
        } else if value.fract() != 0.0 {
            Err(ValueFault::NotAnInteger(Dtype::U32))
        } else if value > f64::from(u32::MAX) {
            Err(ValueFault::TooLarge(Dtype::U32))
        } else {
            Ok(value as u32)
        }
    }

    fn from_i64(value: i64) -> Result<Self, ValueFault> {
        if value < 0 {
            return Err(ValueFault::Negative(Dtype::U32));
        }
        u32::try_from(value).map_err(|_| ValueFault::TooLarge(Dtype::U32))
    }

    fn from_u64(value: u64) -> Result<Self, ValueFault> {
        u32::try_from(value).map_err(|_| ValueFault::TooLarge(Dtype::U32))
    }

    fn to_f64(self) -> f64 {
        f64::from(self)
    }

    fn write_text(self, out: &mut impl Write) -> io::Result<()> {
        write!(out, "{self}")
    }
}

impl CellValue for f32 {
    const NPY_DESCR: &'static str = "<f4";

    fn parse_text(text: &str) -> Result<Self, ValueFault> {
        let value = parse_finite(text)?;
        let is_integer_text = !text.contains(['.', 'e', 'E']);
        if is_integer_text && value.abs() > F32_EXACT_INT && !exact_in_f32(text) {
            return Err(ValueFault::Inexact(Dtype::F32));
        }
        Self::from_f64(value)
    }

    fn from_f64(value: f64) -> Result<Self, ValueFault> {
        if !value.is_finite() {
            return Err(ValueFault::NotFinite);
        }
        if value.abs() > f64::from(f32::MAX) {
            return Err(ValueFault::TooLarge(Dtype::F32));
        }
        let stored = value as f32;
        if stored == 0.0 && value != 0.0 {
            return Err(ValueFault::Underflow(Dtype::F32));
        }
        Ok(stored)
    }

    fn from_i64(value: i64) -> Result<Self, ValueFault> {
        if value.unsigned_abs() > 1 << 24 {
            return Err(ValueFault::Inexact(Dtype::F32));
        }
        Ok(value as f32)
    }

    fn from_u64(value: u64) -> Result<Self, ValueFault> {
        if value > 1 << 24 {
            return Err(ValueFault::Inexact(Dtype::F32));
        }
        Ok(value as f32)
    }

    fn to_f64(self) -> f64 {
        f64::from(self)
    }

    /// Integral values print as integers, digit for digit (`50331648`; the shortest
    /// round-trip form would print `50331650`, which reads back as the same float32 but not as
    /// the count people expect); others in the shortest form that reads back as the same float32.
    fn write_text(self, out: &mut impl Write) -> io::Result<()> {
        // Every float32 of magnitude 2^24 and above is an integer; below 2^63 it fits an i64.
        if self.fract() == 0.0 && self.abs() < 9.2e18 {
            write!(out, "{}", self as i64)
        } else {
            write!(out, "{self}")
        }
    }
}

/// Parses a finite decimal number.
pub(crate) fn parse_finite(text: &str) -> Result<f64, ValueFault> {
    let value: f64 = text.parse().map_err(|_| ValueFault::NotANumber)?;
    if value.is_finite() { Ok(value) } else { Err(ValueFault::NotFinite) }
}

/// Whether `text` is the decimal form of a non-negative integer that `u32` holds.
pub(crate) fn is_u32_text(text: &str) -> bool {
    u32::parse_text(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u32_accepts_integers_and_integral_floats() {
        assert_eq!(u32::parse_text("17"), Ok(17));
        assert_eq!(u32::parse_text("17.0"), Ok(17));
        assert_eq!(u32::parse_text("4294967295"), Ok(u32::MAX));
    }

    #[test]
    fn u32_refuses_what_does_not_fit() {
        assert_eq!(u32::parse_text("-1"), Err(ValueFault::Negative(Dtype::U32)));
        assert_eq!(u32::parse_text("1.5"), Err(ValueFault::NotAnInteger(Dtype::U32)));
        assert_eq!(u32::parse_text("4294967296"), Err(ValueFault::TooLarge(Dtype::U32)));
        assert_eq!(u32::parse_text("abc"), Err(ValueFault::NotANumber));
        assert_eq!(u32::parse_text("nan"), Err(ValueFault::NotFinite));
        assert_eq!(u32::from_i64(-3), Err(ValueFault::Negative(Dtype::U32)));
    }

    #[test]
    fn f32_refuses_inexact_integers_and_overflow() {
        assert_eq!(f32::parse_text("0.25"), Ok(0.25));
        assert_eq!(f32::parse_text("16777216"), Ok(16_777_216.0));
        assert_eq!(f32::parse_text("16777217"), Err(ValueFault::Inexact(Dtype::F32)));
        assert_eq!(f32::from_u64(1 << 25), Err(ValueFault::Inexact(Dtype::F32)));
        assert_eq!(f32::from_f64(1e300), Err(ValueFault::TooLarge(Dtype::F32)));
        assert_eq!(f32::from_f64(f64::NAN), Err(ValueFault::NotFinite));
    }

    #[test]
    fn f32_refuses_values_that_would_underflow_to_zero() {
        assert_eq!(f32::from_f64(1e-50), Err(ValueFault::Underflow(Dtype::F32)));
        assert_eq!(f32::from_f64(-1e-50), Err(ValueFault::Underflow(Dtype::F32)));
        assert_eq!(f32::from_f64(1e-40), Ok(1e-40_f64 as f32), "subnormals are kept");
        assert_eq!(f32::from_f64(0.0), Ok(0.0));
    }

    #[test]
    fn text_form_is_plain() {
        let mut out = Vec::new();
        7u32.write_text(&mut out).unwrap();
        out.push(b' ');
        0.5f32.write_text(&mut out).unwrap();
        assert_eq!(out, b"7 0.5");
    }
}
