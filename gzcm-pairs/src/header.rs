//! The header of a 4DN pairs file: `#` lines before the first pair.
//!
//! gzcm reads `## pairs format v1.0` (the format's signature), `#chromsize: NAME LENGTH` (in
//! order, the genome when no chromosome sizes file is given) and `#columns: NAME …` (which
//! column holds what); other header lines (`#sorted:`, `#shape:`, `#genome_assembly:`,
//! `#samheader:`, …) are kept only as far as [`Header::assembly`] goes. Files of other
//! formats may start with `#` comment lines too; they are skipped the same way.

use crate::chromsizes;
use crate::error::PairsError;

/// What a file's header says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// Whether the first line is `## pairs format v…` (a 4DN pairs file).
    pub pairs_signature: bool,
    /// The `#chromsize:` lines, in order.
    pub chromsizes: Vec<(String, u64)>,
    /// The `#columns:` line's names, when there is one.
    pub columns: Option<Vec<String>>,
    /// The `#genome_assembly:` line's name, when there is one.
    pub assembly: Option<String>,
    /// Header lines read (the first data line is line `lines + 1`).
    pub lines: u64,
}

impl Header {
    /// Reads header line `number` (1-based; its text without the line break, starting with `#`)
    /// into the header.
    ///
    /// # Errors
    /// A message for a `#chromsize:` line without a name and a positive integer length.
    pub fn read_line(&mut self, number: u64, text: &str, source_name: &str) -> Result<(), PairsError> {
        self.lines = number;
        if number == 1 && text.starts_with("## pairs format") {
            self.pairs_signature = true;
        } else if let Some(rest) = text.strip_prefix("#chromsize:") {
            let mut fields = rest.split_whitespace();
            let (Some(name), Some(length)) = (fields.next(), fields.next()) else {
                return Err(PairsError::BadChromsizes {
                    source_name: source_name.to_owned(),
                    reason: format!("header line {number} has no chromosome length: `{text}`"),
                });
            };
            let length = chromsizes::parse_length(source_name, number, name, length)?;
            self.chromsizes.push((name.to_owned(), length));
        } else if let Some(rest) = text.strip_prefix("#columns:") {
            self.columns = Some(rest.split_whitespace().map(str::to_owned).collect());
        } else if let Some(rest) = text.strip_prefix("#genome_assembly:") {
            let name = rest.trim();
            if !name.is_empty() {
                self.assembly = Some(name.to_owned());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_4dn_header_lines() {
        let mut header = Header::default();
        let lines = [
            "## pairs format v1.0",
            "#sorted: chr1-chr2-pos1-pos2",
            "#genome_assembly: hg38",
            "#chromsize: chr1 1000",
            "#chromsize: chr2 500",
            "#columns: readID chr1 pos1 chr2 pos2 strand1 strand2",
        ];
        for (n, line) in (1..).zip(lines) {
            header.read_line(n, line, "x.pairs").unwrap();
        }
        assert!(header.pairs_signature);
        assert_eq!(header.chromsizes, vec![("chr1".into(), 1000), ("chr2".into(), 500)]);
        assert_eq!(header.columns.as_ref().map(Vec::len), Some(7));
        assert_eq!(header.assembly.as_deref(), Some("hg38"));
        assert_eq!(header.lines, 6);
    }

    #[test]
    fn refuses_a_chromsize_line_without_a_length() {
        let mut header = Header::default();
        let error = header.read_line(2, "#chromsize: chr1 x", "x.pairs").unwrap_err().to_string();
        assert!(error.contains("line 2: the length of `chr1` is `x`"), "{error}");
        let error = header.read_line(3, "#chromsize: chr1", "x.pairs").unwrap_err().to_string();
        assert!(error.contains("header line 3 has no chromosome length"), "{error}");
    }
}
