//! Genomic ranges on the command line (`chr1`, `chr1:1000000-2000000`,
//! `chr1:1,000,000-2,000,000`) and their bins in a file's genome.

use std::ops::Range;

use gzcm_container::Genome;

/// A range as typed, before it meets a genome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RangeSpec {
    text: String,
}

/// Parses a `--range` value (checked against the file's chromosomes later).
pub(crate) fn parse_range(text: &str) -> Result<RangeSpec, String> {
    if text.trim().is_empty() {
        return Err("give a chromosome, or chrom:start-end (e.g. chr1:1,000,000-2,000,000)".to_owned());
    }
    Ok(RangeSpec { text: text.trim().to_owned() })
}

/// What is wrong with a range for a file.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RangeError {
    /// The chromosome is not in the file.
    #[error("`{range}`: no chromosome `{chrom}`; the file's chromosomes are {}", list(available))]
    UnknownChrom {
        /// The range as typed.
        range: String,
        /// The chromosome named.
        chrom: String,
        /// The file's chromosomes.
        available: Vec<String>,
    },
    /// The coordinates are not `start-end` numbers.
    #[error(
        "`{range}`: write the coordinates as start-end in bp (commas allowed), e.g. chr1:1,000,000-2,000,000"
    )]
    Syntax {
        /// The range as typed.
        range: String,
    },
    /// Empty, reversed or beyond the chromosome's end.
    #[error("`{range}`: {start}-{end} is not inside {chrom} (0-{length}) with start < end")]
    OutOfChrom {
        /// The range as typed.
        range: String,
        /// The chromosome.
        chrom: String,
        /// Start given.
        start: u64,
        /// End given.
        end: u64,
        /// The chromosome's length.
        length: u64,
    },
}

/// Up to 25 names, then how many more.
fn list(names: &[String]) -> String {
    const SHOWN: usize = 25;
    let mut text = names.iter().take(SHOWN).map(String::as_str).collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(", … ({} in all)", names.len()));
    }
    text
}

/// A range resolved in a genome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// The chromosome's index.
    pub(crate) chrom: usize,
    /// The bins that overlap the range (a bin is in when any base pair of it is, as cooler does).
    pub(crate) bins: Range<u64>,
}

impl RangeSpec {
    /// The bins of `genome` that the range overlaps.
    pub(crate) fn resolve(&self, genome: &Genome) -> Result<Resolved, RangeError> {
        let text = &self.text;
        if let Some((index, chrom)) = genome.chrom(text) {
            return Ok(Resolved { chrom: index, bins: chrom.bin_start..chrom.bin_end });
        }
        let unknown = |name: &str| RangeError::UnknownChrom {
            range: text.clone(),
            chrom: name.to_owned(),
            available: genome.chroms().iter().map(|c| c.name.clone()).collect(),
        };
        let Some((name, coords)) = text.rsplit_once(':') else {
            return Err(unknown(text));
        };
        let (index, chrom) = genome.chrom(name).ok_or_else(|| unknown(name))?;
        let syntax = || RangeError::Syntax { range: text.clone() };
        let number = |s: &str| s.trim().replace([',', '_'], "").parse::<u64>().map_err(|_| syntax());
        let (start, end) = coords.split_once('-').ok_or_else(syntax)?;
        let (start, end) = (number(start)?, number(end)?);
        if start >= end || end > chrom.length {
            return Err(RangeError::OutOfChrom {
                range: text.clone(),
                chrom: chrom.name.clone(),
                start,
                end,
                length: chrom.length,
            });
        }
        Ok(Resolved { chrom: index, bins: genome.overlapping(index, start, end) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn genome() -> Genome {
        Genome::fixed(&[("chr1".to_owned(), 2_500_000), ("chrX".to_owned(), 1_000_000)], 1_000_000).unwrap()
    }

    fn resolve(text: &str) -> Result<Resolved, RangeError> {
        parse_range(text).unwrap().resolve(&genome())
    }

    #[test]
    fn ranges_resolve_to_overlapping_bins() {
        assert_eq!(resolve("chr1").unwrap(), Resolved { chrom: 0, bins: 0..3 });
        assert_eq!(resolve("chrX").unwrap(), Resolved { chrom: 1, bins: 3..4 });
        assert_eq!(resolve("chr1:1,000,000-2,000,000").unwrap().bins, 1..2);
        assert_eq!(resolve("chr1:999999-2000001").unwrap().bins, 0..3);
        assert_eq!(resolve("chr1:2000000-2500000").unwrap().bins, 2..3);
    }

    #[test]
    fn bad_ranges_are_clear_errors() {
        let err = resolve("chr2:1-5").unwrap_err();
        assert!(
            err.to_string().contains("no chromosome `chr2`; the file's chromosomes are chr1, chrX"),
            "{err}"
        );
        assert!(matches!(resolve("chr1:5"), Err(RangeError::Syntax { .. })));
        assert!(matches!(resolve("chr1:a-b"), Err(RangeError::Syntax { .. })));
        assert!(matches!(resolve("chr1:5-5"), Err(RangeError::OutOfChrom { .. })));
        assert!(matches!(resolve("chr1:0-2500001"), Err(RangeError::OutOfChrom { .. })));
        assert!(parse_range(" ").is_err());
    }
}
