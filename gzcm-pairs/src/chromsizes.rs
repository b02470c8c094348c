//! Chromosome sizes: a `name<TAB>length` file (UCSC's `.chrom.sizes`, cooler's chromsizes), or
//! the `#chromsize:` lines of a 4DN header, checked the same way.

use std::collections::HashSet;
use std::path::Path;

use crate::error::PairsError;

/// The chromosomes of `path`, in file order: one `name length` per line (tab- or
/// space-separated; further columns, blank lines and `#` comments are ignored).
///
/// # Errors
/// [`PairsError::Io`] when the file cannot be read; [`PairsError::BadChromsizes`] for a line
/// without a positive integer length, a repeated name, or no chromosomes at all.
pub fn read_chromsizes(path: &Path) -> Result<Vec<(String, u64)>, PairsError> {
    let text = std::fs::read_to_string(path).map_err(|source| PairsError::Io {
        action: "read the chromosome sizes",
        path: path.to_owned(),
        source,
    })?;
    let source_name = path.display().to_string();
    let mut chroms = Vec::new();
    for (number, line) in (1u64..).zip(text.lines()) {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let (Some(name), Some(length)) = (fields.next(), fields.next()) else {
            return Err(bad(&source_name, format!("line {number} has no length: `{line}`")));
        };
        chroms.push((name.to_owned(), parse_length(&source_name, number, name, length)?));
    }
    check(&source_name, chroms)
}

/// A chromosome's length as written on line `number` of `source_name`.
///
/// # Errors
/// [`PairsError::BadChromsizes`] unless it is a positive integer.
pub fn parse_length(source_name: &str, number: u64, name: &str, length: &str) -> Result<u64, PairsError> {
    match length.parse::<u64>() {
        Ok(length) if length > 0 => Ok(length),
        _ => Err(bad(
            source_name,
            format!("line {number}: the length of `{name}` is `{length}`, not a positive integer"),
        )),
    }
}

/// Checks a chromosome list: at least one, no name twice.
///
/// # Errors
/// [`PairsError::BadChromsizes`].
pub fn check(source_name: &str, chroms: Vec<(String, u64)>) -> Result<Vec<(String, u64)>, PairsError> {
    if chroms.is_empty() {
        return Err(bad(source_name, "no chromosomes are listed".to_owned()));
    }
    let mut seen = HashSet::new();
    for (name, _) in &chroms {
        if !seen.insert(name.as_str()) {
            return Err(bad(source_name, format!("chromosome `{name}` is listed twice")));
        }
    }
    Ok(chroms)
}

fn bad(source_name: &str, reason: String) -> PairsError {
    PairsError::BadChromsizes { source_name: source_name.to_owned(), reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    #[test]
    fn reads_names_and_lengths_in_order() {
        let f = file("# comment\nchr2\t300\n\nchr1 100 extra\n");
        assert_eq!(read_chromsizes(f.path()).unwrap(), vec![("chr2".into(), 300), ("chr1".into(), 100)]);
    }

    #[test]
    fn refuses_bad_lengths_repeats_and_empty_files() {
        let message = |text: &str| read_chromsizes(file(text).path()).unwrap_err().to_string();
        assert!(message("chr1\tten\n").contains("line 1: the length of `chr1` is `ten`"));
        assert!(message("chr1\t0\n").contains("not a positive integer"));
        assert!(message("chr1\n").contains("line 1 has no length"));
        assert!(message("chr1\t5\nchr1\t6\n").contains("`chr1` is listed twice"));
        assert!(message("\n# none\n").contains("no chromosomes"));
    }
}
