//! One chromosome: its name, length and genome-wide bin range.

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// One chromosome's extent in bins. Serialised as an entry of the `.gzcm` header's
/// `metadata.chroms`: `{"name", "length", "bin_start", "bin_end"}`, in that order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Chrom {
    /// Chromosome name (`chr1`, `I`, …).
    pub name: String,
    /// Length in base pairs.
    pub length: u64,
    /// First bin.
    pub bin_start: u64,
    /// One past the last bin.
    pub bin_end: u64,
}

impl Chrom {
    /// A chromosome entry.
    #[must_use]
    pub fn new(name: impl Into<String>, length: u64, bin_start: u64, bin_end: u64) -> Self {
        Chrom { name: name.into(), length, bin_start, bin_end }
    }

    /// Its bins, `bin_start..bin_end`.
    #[must_use]
    pub fn bins(&self) -> Range<u64> {
        self.bin_start..self.bin_end
    }

    /// How many bins it has (0 when its range is reversed).
    #[must_use]
    pub fn n_bins(&self) -> u64 {
        self.bin_end.saturating_sub(self.bin_start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_the_header_stores_it() {
        let chrom = Chrom::new("chr1", 2_500, 3, 6);
        let json = serde_json::to_string(&chrom).unwrap();
        assert_eq!(json, r#"{"name":"chr1","length":2500,"bin_start":3,"bin_end":6}"#);
        assert_eq!(serde_json::from_str::<Chrom>(&json).unwrap(), chrom);
        assert_eq!((chrom.bins(), chrom.n_bins()), (3..6, 3));
        assert_eq!(Chrom::new("x", 1, 5, 4).n_bins(), 0);
    }
}
