//! The cheap pre-scan of a COO file: shape, triangle, order and value kind in one pass.

use std::path::Path;

use crate::coo::lines::Lines;
use crate::error::{LineFault, SourceError};
use crate::value::{is_u32_text, parse_finite};

/// What one pass over a COO file found.
#[derive(Clone, Debug, PartialEq)]
pub struct CooScan {
    /// Number of data lines.
    pub lines: u64,
    /// Largest `bin1`, `None` for a file without data lines.
    pub max_bin1: Option<u32>,
    /// Largest `bin2`.
    pub max_bin2: Option<u32>,
    /// Whether `bin1 <= bin2` on every line.
    pub upper_only: bool,
    /// Whether the lines are in strictly ascending `(bin1, bin2)` order (no duplicates).
    pub row_major: bool,
    /// Whether every value is a non-negative integer that `uint32` holds.
    pub integer_values: bool,
    /// Sum of the values as written.
    pub sum: f64,
}

impl CooScan {
    /// Scans the whole file. Memory is one line; a malformed line stops the scan with its error.
    ///
    /// # Errors
    /// [`SourceError::Io`] when the file cannot be read, [`SourceError::Line`] for the first
    /// malformed line (bins that are not integers, values that are not finite numbers,
    /// wrong column counts).
    pub fn run(path: &Path) -> Result<Self, SourceError> {
        let mut lines = Lines::open(path)?;
        let mut scan = CooScan {
            lines: 0,
            max_bin1: None,
            max_bin2: None,
            upper_only: true,
            row_major: true,
            integer_values: true,
            sum: 0.0,
        };
        let mut previous: Option<(u32, u32)> = None;
        while let Some(fields) = lines.next_fields()? {
            let (bin1, bin2, text) = (fields.bin1, fields.bin2, fields.value);
            let value = parse_finite(text).map_err(|fault| LineFault::Value { text: text.to_owned(), fault });
            let integer = is_u32_text(text);
            let value = value.map_err(|fault| lines.fault(fault))?;
            scan.lines += 1;
            scan.sum += value;
            scan.integer_values &= integer;
            scan.upper_only &= bin1 <= bin2;
            scan.row_major &= previous.is_none_or(|p| p < (bin1, bin2));
            scan.max_bin1 = scan.max_bin1.max(Some(bin1));
            scan.max_bin2 = scan.max_bin2.max(Some(bin2));
            previous = Some((bin1, bin2));
        }
        Ok(scan)
    }
}
