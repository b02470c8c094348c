//! Splitting one line of COO text into its three fields.

use crate::error::LineFault;
use crate::value::CellValue;

/// The fields of one data line, bins parsed, the value still text.
#[derive(Debug, PartialEq)]
pub(crate) struct Fields<'a> {
    pub(crate) bin1: u32,
    pub(crate) bin2: u32,
    pub(crate) value: &'a str,
}

/// What a line of COO text holds.
#[derive(Debug, PartialEq)]
pub(crate) enum Line<'a> {
    /// A blank line, a `#` comment, or a `bin1…` column header: skipped.
    Skip,
    /// A data line.
    Data(Fields<'a>),
}

/// Splits a line (without its newline) on tabs or runs of whitespace.
pub(crate) fn split_line(bytes: &[u8]) -> Result<Line<'_>, LineFault> {
    let text = std::str::from_utf8(bytes).map_err(|_| LineFault::NotText)?;
    let text = text.trim();
    if text.is_empty() || text.starts_with('#') || text.starts_with("bin1") {
        return Ok(Line::Skip);
    }
    let mut columns = text.split_ascii_whitespace();
    let (Some(bin1), Some(bin2), Some(value)) = (columns.next(), columns.next(), columns.next()) else {
        return Err(LineFault::MissingColumn { found: text.split_ascii_whitespace().count() });
    };
    if columns.next().is_some() {
        return Err(LineFault::ExtraColumn { found: text.split_ascii_whitespace().count() });
    }
    Ok(Line::Data(Fields { bin1: parse_bin("bin1", bin1)?, bin2: parse_bin("bin2", bin2)?, value }))
}

fn parse_bin(column: &'static str, text: &str) -> Result<u32, LineFault> {
    text.parse().map_err(|_| LineFault::BadBin { column, text: text.to_owned() })
}

/// Parses the value column into the target cell type.
pub(crate) fn parse_value<T: CellValue>(text: &str) -> Result<T, LineFault> {
    T::parse_text(text).map_err(|fault| LineFault::Value { text: text.to_owned(), fault })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ValueFault;
    use gzcm_core::Dtype;

    fn data(line: &str) -> Result<(u32, u32, String), LineFault> {
        match split_line(line.as_bytes())? {
            Line::Data(f) => Ok((f.bin1, f.bin2, f.value.to_owned())),
            Line::Skip => panic!("line skipped: {line}"),
        }
    }

    #[test]
    fn tabs_and_spaces_split_alike() {
        assert_eq!(data("1\t2\t3").unwrap(), (1, 2, "3".into()));
        assert_eq!(data("  1   2 3.5\r").unwrap(), (1, 2, "3.5".into()));
    }

    #[test]
    fn blank_comment_and_header_lines_are_skipped() {
        for line in ["", "   ", "# comment", "bin1_id\tbin2_id\tcount"] {
            assert_eq!(split_line(line.as_bytes()).unwrap(), Line::Skip);
        }
    }

    #[test]
    fn malformed_lines_say_why() {
        assert_eq!(data("1 2"), Err(LineFault::MissingColumn { found: 2 }));
        assert_eq!(data("1 2 3 4"), Err(LineFault::ExtraColumn { found: 4 }));
        assert_eq!(data("a 2 3"), Err(LineFault::BadBin { column: "bin1", text: "a".into() }));
        assert_eq!(data("1 -2 3"), Err(LineFault::BadBin { column: "bin2", text: "-2".into() }));
        assert_eq!(split_line(b"1 2 \xff"), Err(LineFault::NotText));
        assert_eq!(
            parse_value::<u32>("-4"),
            Err(LineFault::Value { text: "-4".into(), fault: ValueFault::Negative(Dtype::U32) })
        );
    }
}
