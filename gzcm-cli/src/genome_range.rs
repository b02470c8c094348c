//! Genomic ranges on the command line (`chr1`, `chr1:1000000-2000000`,
//! `chr1:1,000,000-2,000,000`). Parsing and resolution live in
//! [`Genome::resolve_region`] (shared with the Python package); this is the clap value type.

use gzcm_container::{Genome, RegionError, ResolvedRegion};

/// A range as typed, before it meets a genome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RangeSpec {
    text: String,
}

/// Parses a `--range` value (checked against the file's chromosomes later).
pub(crate) fn parse_range(text: &str) -> Result<RangeSpec, String> {
    if text.trim().is_empty() {
        return Err(RegionError::Empty.to_string());
    }
    Ok(RangeSpec { text: text.trim().to_owned() })
}

impl RangeSpec {
    /// The bins of `genome` that the range overlaps.
    pub(crate) fn resolve(&self, genome: &Genome) -> Result<ResolvedRegion, RegionError> {
        genome.resolve_region(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_resolve_through_the_genome() {
        let genome = Genome::fixed(&[("chr1".to_owned(), 2_500_000)], 1_000_000).unwrap();
        assert_eq!(parse_range("chr1:1,000,000-2,000,000").unwrap().resolve(&genome).unwrap().bins, 1..2);
        assert!(parse_range(" ").is_err());
        assert!(matches!(
            parse_range("chr2").unwrap().resolve(&genome),
            Err(RegionError::UnknownChrom { .. })
        ));
    }
}
