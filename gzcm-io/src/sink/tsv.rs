//! `bin1<TAB>bin2<TAB>value` text, one line per non-zero cell, as `cooler dump` writes.

use std::io::{self, Write};

use ndarray::ArrayView2;

use crate::value::CellValue;

/// Writes one `bin1<TAB>bin2<TAB>value` line.
///
/// # Errors
/// Whatever the writer reports.
pub fn write_tsv_line<T: CellValue>(out: &mut impl Write, row: u64, col: u64, value: T) -> io::Result<()> {
    write!(out, "{row}\t{col}\t")?;
    value.write_text(out)?;
    out.write_all(b"\n")
}

/// Writes the non-zero cells of a dense region whose top-left cell is `(row0, col0)`, row-major;
/// with `upper_only`, only cells with `bin1 <= bin2` (the stored triangle of a symmetric
/// matrix). Returns the number of lines written.
///
/// # Errors
/// Whatever the writer reports.
pub fn write_tsv_region<T: CellValue>(
    out: &mut impl Write,
    (row0, col0): (u64, u64),
    region: ArrayView2<'_, T>,
    upper_only: bool,
) -> io::Result<u64> {
    let mut lines = 0;
    for ((r, c), &value) in region.indexed_iter() {
        let (row, col) = (row0 + r as u64, col0 + c as u64);
        if value.is_zero() || (upper_only && row > col) {
            continue;
        }
        write_tsv_line(out, row, col, value)?;
        lines += 1;
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn region_lines_skip_zeros_and_lower_cells() {
        let region = array![[1u32, 0, 2], [3, 4, 0]];
        let mut out = Vec::new();
        assert_eq!(write_tsv_region(&mut out, (10, 10), region.view(), true).unwrap(), 3);
        assert_eq!(String::from_utf8(out).unwrap(), "10\t10\t1\n10\t12\t2\n11\t11\t4\n");
        let mut out = Vec::new();
        write_tsv_region(&mut out, (0, 5), array![[0.5f32]].view(), false).unwrap();
        assert_eq!(out, b"0\t5\t0.5\n");
    }

    #[test]
    fn float_values_print_exactly_what_is_stored() {
        let values = [50_331_648f32, 16_777_217f32, 3.0, 0.1, 1e-7, 2.5e20, -4.0];
        let mut out = Vec::new();
        for &v in &values {
            write_tsv_line(&mut out, 0, 0, v).unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        let printed: Vec<&str> = text.lines().map(|l| l.rsplit('\t').next().unwrap()).collect();
        // Integral values as integers, digit for digit.
        assert_eq!(&printed[..4], ["50331648", "16777216", "3", "0.1"]);
        // Every value reads back as the float32 stored.
        for (text, &value) in printed.iter().zip(&values) {
            assert_eq!(text.parse::<f32>().unwrap().to_bits(), value.to_bits(), "{text}");
        }
    }
}
