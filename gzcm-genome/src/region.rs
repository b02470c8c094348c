//! Genomic regions as people type them (`chr1`, `chr1:1000000-2000000`,
//! `chr1:1,000,000-2,000,000`) resolved to the bins of a [`Genome`]. The one parser used by the
//! CLI (`gzcm extract --range`) and the Python package (`GzcmFile.fetch`).

use std::ops::Range;

use crate::Genome;

/// What is wrong with a region for a genome.
#[derive(Debug, thiserror::Error)]
pub enum RegionError {
    /// The text is empty.
    #[error("empty region: give a chromosome, or chrom:start-end (e.g. chr1:1,000,000-2,000,000)")]
    Empty,
    /// The chromosome is not in the genome.
    #[error("`{region}`: no chromosome `{chrom}`; the file's chromosomes are {}", list(available))]
    UnknownChrom {
        /// The region as typed.
        region: String,
        /// The chromosome named.
        chrom: String,
        /// The genome's chromosomes.
        available: Vec<String>,
    },
    /// The coordinates are not `start-end` numbers.
    #[error(
        "`{region}`: write the coordinates as start-end in bp (commas allowed, or a k/M/G suffix), e.g. chr1:1,000,000-2,000,000 or chr1:1M-2M"
    )]
    Syntax {
        /// The region as typed.
        region: String,
    },
    /// Empty, reversed or beyond the chromosome's end.
    #[error("`{region}`: {start}-{end} is not inside {chrom} (0-{length}) with start < end")]
    OutOfChrom {
        /// The region as typed.
        region: String,
        /// The chromosome.
        chrom: String,
        /// Start given.
        start: u64,
        /// End given.
        end: u64,
        /// The chromosome's length.
        length: u64,
    },
    /// A `FIRST-LAST` span whose last chromosome comes before its first.
    #[error("`{region}`: {last} comes before {first} in the genome; write the chromosomes in genome order")]
    Reversed {
        /// The region as typed.
        region: String,
        /// The first chromosome named.
        first: String,
        /// The last chromosome named.
        last: String,
    },
}

/// A coordinate in bp: digits with optional `,`/`_` separators, or a number with a `k`, `M` or
/// `G` suffix (`10M`, `2.5k`) that comes to a whole number of bp.
fn parse_bp(text: &str) -> Option<u64> {
    let text = text.trim().replace([',', '_'], "");
    let unit = match text.chars().last()? {
        'k' | 'K' => 1e3,
        'm' | 'M' => 1e6,
        'g' | 'G' => 1e9,
        _ => return text.parse().ok(),
    };
    let value: f64 = text[..text.len() - 1].parse().ok()?;
    let bp = value * unit;
    ((0.0..1.8e19).contains(&bp) && bp.fract() == 0.0).then_some(bp as u64)
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

/// A region resolved in a genome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolvedRegion {
    /// The chromosome's index in [`Genome::chroms`].
    pub chrom: usize,
    /// The bins that overlap the region (a bin is in when any base pair of it is, as cooler does).
    pub bins: Range<u64>,
}

impl Genome {
    /// Resolves `region` (`chr1`, `chr1:1000000-2000000` or `chr1:1,000,000-2,000,000`; bp,
    /// half-open) to its chromosome and the bins that overlap it.
    ///
    /// # Errors
    /// [`RegionError`] for an empty text, an unknown chromosome (the message lists the genome's
    /// chromosomes), coordinates that are not `start-end` numbers, or a span outside the chromosome.
    pub fn resolve_region(&self, region: &str) -> Result<ResolvedRegion, RegionError> {
        let text = region.trim();
        if text.is_empty() {
            return Err(RegionError::Empty);
        }
        if let Some((index, chrom)) = self.chrom(text) {
            return Ok(ResolvedRegion { chrom: index, bins: chrom.bin_start..chrom.bin_end });
        }
        let unknown = |name: &str| RegionError::UnknownChrom {
            region: text.to_owned(),
            chrom: name.to_owned(),
            available: self.chroms().iter().map(|c| c.name.clone()).collect(),
        };
        let Some((name, coords)) = text.rsplit_once(':') else {
            return Err(unknown(text));
        };
        let (index, chrom) = self.chrom(name).ok_or_else(|| unknown(name))?;
        let syntax = || RegionError::Syntax { region: text.to_owned() };
        let number = |s: &str| parse_bp(s).ok_or_else(syntax);
        let (start, end) = coords.split_once('-').ok_or_else(syntax)?;
        let (start, end) = (number(start)?, number(end)?);
        if start >= end || end > chrom.length {
            return Err(RegionError::OutOfChrom {
                region: text.to_owned(),
                chrom: chrom.name.clone(),
                start,
                end,
                length: chrom.length,
            });
        }
        Ok(ResolvedRegion { chrom: index, bins: self.overlapping(index, start, end) })
    }

    /// The bins of a region that may span chromosomes: anything [`Genome::resolve_region`]
    /// takes, or `FIRST-LAST` naming two chromosomes (every bin from the first's start to the
    /// last's end, e.g. `chr1-chr3` or `2-X`).
    ///
    /// # Errors
    /// As [`Genome::resolve_region`]; [`RegionError::Reversed`] when LAST comes before FIRST.
    pub fn resolve_span(&self, region: &str) -> Result<Range<u64>, RegionError> {
        let text = region.trim();
        let named = |name: &str| self.chrom(name.trim()).map(|(index, _)| index);
        let span =
            text.match_indices('-').find_map(|(at, _)| Some((named(&text[..at])?, named(&text[at + 1..])?)));
        match span {
            Some((first, last)) if self.chrom(text).is_none() => {
                let chroms = self.chroms();
                if first > last {
                    return Err(RegionError::Reversed {
                        region: text.to_owned(),
                        first: chroms[first].name.clone(),
                        last: chroms[last].name.clone(),
                    });
                }
                Ok(chroms[first].bin_start..chroms[last].bin_end)
            }
            _ => self.bin_range(text),
        }
    }

    /// The bins that overlap `region` (see [`Genome::resolve_region`]).
    ///
    /// # Errors
    /// As [`Genome::resolve_region`].
    pub fn bin_range(&self, region: &str) -> Result<Range<u64>, RegionError> {
        self.resolve_region(region).map(|r| r.bins)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn genome() -> Genome {
        Genome::fixed(&[("chr1".to_owned(), 2_500_000), ("chrX".to_owned(), 1_000_000)], 1_000_000).unwrap()
    }

    fn resolve(text: &str) -> Result<ResolvedRegion, RegionError> {
        genome().resolve_region(text)
    }

    #[test]
    fn regions_resolve_to_overlapping_bins() {
        assert_eq!(resolve("chr1").unwrap(), ResolvedRegion { chrom: 0, bins: 0..3 });
        assert_eq!(resolve("chrX").unwrap(), ResolvedRegion { chrom: 1, bins: 3..4 });
        assert_eq!(resolve("chr1:1,000,000-2,000,000").unwrap().bins, 1..2);
        assert_eq!(resolve("chr1:999999-2000001").unwrap().bins, 0..3);
        assert_eq!(resolve("chr1:2000000-2500000").unwrap().bins, 2..3);
        assert_eq!(genome().bin_range(" chrX:0-10 ").unwrap(), 3..4);
    }

    #[test]
    fn bad_regions_are_clear_errors() {
        let err = resolve("chr2:1-5").unwrap_err();
        assert!(
            err.to_string().contains("no chromosome `chr2`; the file's chromosomes are chr1, chrX"),
            "{err}"
        );
        assert!(matches!(resolve("chr1:5"), Err(RegionError::Syntax { .. })));
        assert!(matches!(resolve("chr1:a-b"), Err(RegionError::Syntax { .. })));
        assert!(matches!(resolve("chr1:5-5"), Err(RegionError::OutOfChrom { .. })));
        assert!(matches!(resolve("chr1:0-2500001"), Err(RegionError::OutOfChrom { .. })));
        assert!(matches!(resolve(" "), Err(RegionError::Empty)));
        assert!(matches!(resolve("chr1:1.5x-2M"), Err(RegionError::Syntax { .. })));
        assert!(matches!(resolve("chr1:0.0000001k-2M"), Err(RegionError::Syntax { .. })));
    }

    #[test]
    fn coordinates_take_bp_suffixes() {
        assert_eq!(resolve("chr1:1M-2M").unwrap().bins, 1..2);
        assert_eq!(resolve("chr1:1.5M-2,500k").unwrap().bins, 1..3);
        assert_eq!(parse_bp("10M"), Some(10_000_000));
        assert_eq!(parse_bp("1g"), Some(1_000_000_000));
    }

    #[test]
    fn spans_cover_chromosomes_in_order() {
        let genome = genome();
        assert_eq!(genome.resolve_span("chr1-chrX").unwrap(), 0..4);
        assert_eq!(genome.resolve_span("chrX").unwrap(), 3..4);
        assert_eq!(genome.resolve_span("chr1:1M-2M").unwrap(), 1..2);
        assert!(matches!(genome.resolve_span("chrX-chr1"), Err(RegionError::Reversed { .. })));
        assert!(matches!(genome.resolve_span("chr1-chr9"), Err(RegionError::UnknownChrom { .. })));
    }
}
