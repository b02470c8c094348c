//! The formats `gzcm load` reads, and which columns hold what in each.

use std::fmt;
use std::str::FromStr;

/// A pairs-like text format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// 4DN pairs (pairtools, the 4DN portal): `readID chr1 pos1 chr2 pos2 strand1 strand2 …`,
    /// 1-based positions, columns named by the header's `#columns:` line when it has one.
    Pairs,
    /// HiC-Pro validPairs: `readID chr1 pos1 strand1 chr2 pos2 strand2 fragsize frag1 frag2
    /// [mapq1 mapq2]`, 1-based positions.
    ValidPairs,
    /// bedGraph2 (bedpe-like pixels): `chrom1 start1 end1 chrom2 start2 end2 count`, 0-based
    /// starts; each line adds `count` to the pixel holding the two starts.
    Bg2,
    /// gzcm's COO text: `row col value` with genome-wide bin numbers at the base resolution.
    Coo,
}

impl Format {
    /// Every format, in the order `--format` lists them.
    pub const ALL: [Format; 4] = [Format::Pairs, Format::ValidPairs, Format::Bg2, Format::Coo];

    /// The name `--format` takes.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Format::Pairs => "pairs",
            Format::ValidPairs => "validpairs",
            Format::Bg2 => "bg2",
            Format::Coo => "coo",
        }
    }

    /// The format a file name suggests (compression suffixes `.gz`, `.bgz` ignored): `.pairs`,
    /// `validPairs` (any case), `.bg2`, `.coo`; `None` when it suggests none.
    #[must_use]
    pub fn from_file_name(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        let stem = lower.trim_end_matches(".gz").trim_end_matches(".bgz");
        if stem.ends_with(".pairs") || stem.ends_with(".pairsam") {
            Some(Format::Pairs)
        } else if stem.ends_with("validpairs") {
            Some(Format::ValidPairs)
        } else if stem.ends_with(".bg2") || stem.ends_with(".bedgraph2") {
            Some(Format::Bg2)
        } else if stem.ends_with(".coo") {
            Some(Format::Coo)
        } else {
            None
        }
    }

    /// The column layout of this format (for [`Format::Pairs`], without a `#columns:` line).
    #[must_use]
    pub fn layout(self) -> Layout {
        match self {
            Format::Pairs => Layout {
                anchors: Anchors::Genomic { chrom1: 1, pos1: 2, chrom2: 3, pos2: 4, one_based: true },
                count: None,
                mapq: None,
            },
            Format::ValidPairs => Layout {
                anchors: Anchors::Genomic { chrom1: 1, pos1: 2, chrom2: 4, pos2: 5, one_based: true },
                count: None,
                mapq: Some((10, 11)),
            },
            Format::Bg2 => Layout {
                anchors: Anchors::Genomic { chrom1: 0, pos1: 1, chrom2: 3, pos2: 4, one_based: false },
                count: Some(6),
                mapq: None,
            },
            Format::Coo => Layout { anchors: Anchors::Bins { row: 0, col: 1 }, count: Some(2), mapq: None },
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Format, String> {
        Format::ALL.into_iter().find(|f| f.name().eq_ignore_ascii_case(text)).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
            format!("unknown pairs format `{text}`; the formats are {}", names.join(", "))
        })
    }
}

/// Where a line's two anchors are (0-based column indexes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchors {
    /// A chromosome and a position per side.
    Genomic {
        /// Side 1's chromosome.
        chrom1: usize,
        /// Side 1's position.
        pos1: usize,
        /// Side 2's chromosome.
        chrom2: usize,
        /// Side 2's position.
        pos2: usize,
        /// Whether positions count from 1 (pairs, validPairs) rather than 0 (bedGraph2).
        one_based: bool,
    },
    /// Genome-wide bin numbers.
    Bins {
        /// The row's column.
        row: usize,
        /// The column's column.
        col: usize,
    },
}

/// Which columns of a line hold what (0-based indexes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The two anchors.
    pub anchors: Anchors,
    /// The count column; `None` when each line counts 1.
    pub count: Option<usize>,
    /// The two mapping-quality columns, when the format has them.
    pub mapq: Option<(usize, usize)>,
}

impl Layout {
    /// The 4DN layout named by a `#columns:` line (`chr1 pos1 chr2 pos2`, and `mapq1 mapq2`
    /// when present; other columns are ignored).
    ///
    /// # Errors
    /// The name of the first required column the line lacks.
    pub fn from_pairs_columns(columns: &[String]) -> Result<Layout, &'static str> {
        let find = |name: &'static str| columns.iter().position(|c| c == name).ok_or(name);
        let anchors = Anchors::Genomic {
            chrom1: find("chr1")?,
            pos1: find("pos1")?,
            chrom2: find("chr2")?,
            pos2: find("pos2")?,
            one_based: true,
        };
        let mapq = match (find("mapq1"), find("mapq2")) {
            (Ok(a), Ok(b)) => Some((a, b)),
            _ => None,
        };
        Ok(Layout { anchors, count: None, mapq })
    }

    /// The number of columns a line needs (one past the highest index read).
    #[must_use]
    pub fn columns_needed(&self, with_mapq: bool) -> usize {
        let anchors = match self.anchors {
            Anchors::Genomic { chrom1, pos1, chrom2, pos2, .. } => chrom1.max(pos1).max(chrom2).max(pos2),
            Anchors::Bins { row, col } => row.max(col),
        };
        let count = self.count.unwrap_or(0);
        let mapq = if with_mapq { self.mapq.map_or(0, |(a, b)| a.max(b)) } else { 0 };
        anchors.max(count).max(mapq) + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_suggest_formats() {
        assert_eq!(Format::from_file_name("a.pairs.gz"), Some(Format::Pairs));
        assert_eq!(Format::from_file_name("A.allValidPairs"), Some(Format::ValidPairs));
        assert_eq!(Format::from_file_name("x.bg2"), Some(Format::Bg2));
        assert_eq!(Format::from_file_name("x.coo.bgz"), Some(Format::Coo));
        assert_eq!(Format::from_file_name("x.txt"), None);
        assert_eq!("ValidPairs".parse::<Format>(), Ok(Format::ValidPairs));
        assert!("bam".parse::<Format>().unwrap_err().contains("pairs, validpairs, bg2, coo"));
    }

    #[test]
    fn columns_line_gives_the_layout() {
        let names: Vec<String> =
            "readID chr1 pos1 chr2 pos2 strand1 strand2 mapq1 mapq2".split(' ').map(String::from).collect();
        let layout = Layout::from_pairs_columns(&names).unwrap();
        assert_eq!(layout.mapq, Some((7, 8)));
        assert_eq!(layout.columns_needed(true), 9);
        assert_eq!(layout.columns_needed(false), 5);
        assert_eq!(Layout::from_pairs_columns(&names[..3]), Err("chr2"));
    }
}
