//! Plain-text tables with aligned columns.

use std::fmt::Write;

/// A table: a header row and data rows, printed with columns padded to their widest cell.
/// Columns listed in `right` are right-aligned (numbers).
pub(crate) struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    right: Vec<usize>,
}

impl Table {
    pub(crate) fn new(header: &[&str], right: &[usize]) -> Self {
        Table {
            header: header.iter().map(|&h| h.to_owned()).collect(),
            rows: Vec::new(),
            right: right.to_vec(),
        }
    }

    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as text, one line per row, with a rule under the header.
    pub(crate) fn render(&self) -> String {
        let columns = self.header.len();
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                std::iter::once(&self.header)
                    .chain(&self.rows)
                    .map(|row| row.get(c).map_or(0, |cell| cell.chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        self.line(&mut out, &self.header, &widths);
        let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
        self.line(&mut out, &rule, &widths);
        for row in &self.rows {
            self.line(&mut out, row, &widths);
        }
        out
    }

    fn line(&self, out: &mut String, cells: &[String], widths: &[usize]) {
        let mut line = String::new();
        for (c, width) in widths.iter().enumerate() {
            let cell = cells.get(c).map_or("", String::as_str);
            let pad = width - cell.chars().count();
            if c > 0 {
                line.push_str("  ");
            }
            if self.right.contains(&c) {
                let _ = write!(line, "{}{cell}", " ".repeat(pad));
            } else {
                let _ = write!(line, "{cell}{}", " ".repeat(pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// Bytes in a human unit (B, KiB, MiB, GiB) with three significant digits.
pub(crate) fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{n} B") } else { format!("{value:.3} {}", UNITS[unit]) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align() {
        let mut table = Table::new(&["name", "n"], &[1]);
        table.row(vec!["zstd".into(), "7".into()]);
        table.row(vec!["lz".into(), "123".into()]);
        assert_eq!(table.render(), "name    n\n----  ---\nzstd    7\nlz    123\n");
    }

    #[test]
    fn byte_units() {
        assert_eq!(bytes(12), "12 B");
        assert_eq!(bytes(2048), "2.000 KiB");
        assert_eq!(bytes(3 << 20), "3.000 MiB");
    }
}
