//! One line of a pairs-like file to the cell it adds to.
//!
//! A line's two anchors become genome-wide bins at the base resolution (position `p` of a
//! chromosome, 0-based, falls in its bin `p / resolution`), folded onto the upper triangle as
//! cooler folds pairs (the two sides swapped when side 1 comes later in the genome), so pairs
//! may come in either orientation and in any order. Filters drop lines on purpose and count
//! them; a line that cannot be read is a [`BadLine`], an error unless bad lines are skipped,
//! and then counted by class.

use std::collections::{BTreeMap, HashMap};

use gzcm_genome::{Bins, Genome};

use crate::error::{BadLine, BadLineKind};
use crate::format::{Anchors, Layout};
use crate::input::Chunk;

/// The most columns a line is split into; a layout reading a later column is refused.
pub const MAX_COLUMNS: usize = 64;

/// What to drop on purpose, and what to do with lines that cannot be read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// Drop pairs where either side's mapping quality is below this (`mapq1`/`mapq2` columns).
    pub min_mapq: Option<u32>,
    /// Keep only intra-chromosomal pairs whose positions are at most this many bp apart (a
    /// band-limited map; inter-chromosomal pairs are dropped).
    pub max_distance: Option<u64>,
    /// Count and skip lines that cannot be read, instead of stopping at the first.
    pub skip_bad_lines: bool,
}

/// A cell of the upper triangle and what to add to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Contact {
    /// Row bin (genome-wide, at the base resolution), at most `col`.
    pub row: u64,
    /// Column bin.
    pub col: u64,
    /// The count to add (1 for a pair).
    pub count: u32,
}

/// What became of the lines read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Data lines read (neither header nor comment nor blank).
    pub lines: u64,
    /// Lines loaded as contacts.
    pub loaded: u64,
    /// The sum of their counts (pairs for a pairs file).
    pub contacts: u64,
    /// Lines with a count of 0 (bedGraph2, COO): nothing to add.
    pub zero_counts: u64,
    /// Lines dropped by `--min-mapq`.
    pub below_min_mapq: u64,
    /// Lines dropped by `--max-distance`.
    pub beyond_max_distance: u64,
    /// Lines skipped under `--skip-bad-lines`, by class ([`BadLineKind::class`]).
    pub skipped: BTreeMap<&'static str, u64>,
    /// The first line skipped, as an example for the report.
    pub first_skipped: Option<BadLine>,
}

impl Tally {
    /// Adds another chunk's tally to this one.
    pub fn merge(&mut self, other: Tally) {
        self.lines += other.lines;
        self.loaded += other.loaded;
        self.contacts += other.contacts;
        self.zero_counts += other.zero_counts;
        self.below_min_mapq += other.below_min_mapq;
        self.beyond_max_distance += other.beyond_max_distance;
        for (class, n) in other.skipped {
            *self.skipped.entry(class).or_default() += n;
        }
        if let Some(line) = other.first_skipped
            && self.first_skipped.as_ref().is_none_or(|first| line.line < first.line)
        {
            self.first_skipped = Some(line);
        }
    }

    /// Lines skipped as unreadable, all classes.
    #[must_use]
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }
}

/// What one line gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Parsed {
    Contact(Contact),
    Zero,
    BelowMinMapq,
    BeyondMaxDistance,
}

/// Reads the lines of one layout against one genome at its fixed bin size.
#[derive(Clone, Debug)]
pub struct LineParser {
    layout: Layout,
    needed: usize,
    filters: Filters,
    chroms: HashMap<Box<[u8]>, usize>,
    names: Vec<String>,
    lengths: Vec<u64>,
    offsets: Vec<u64>,
    bin_size: u64,
    n_bins: u64,
}

/// Why a [`LineParser`] cannot be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// The genome's bins are not of one size.
    #[error("pairs are binned at a fixed resolution; this genome's bins vary in size")]
    VariableBins,
    /// The layout reads a column past [`MAX_COLUMNS`].
    #[error("the layout reads column {needed}; gzcm reads at most {MAX_COLUMNS} columns a line")]
    TooManyColumns {
        /// The columns it needs.
        needed: usize,
    },
    /// `--min-mapq` for a layout without mapping qualities.
    #[error("--min-mapq needs mapping-quality columns, and this format has none")]
    NoMapq,
}

impl LineParser {
    /// A parser of `layout` lines for `genome` (fixed bins: the base resolution).
    ///
    /// # Errors
    /// [`LayoutError`].
    pub fn new(genome: &Genome, layout: Layout, filters: Filters) -> Result<LineParser, LayoutError> {
        let Bins::Fixed { bin_size } = *genome.bins() else { return Err(LayoutError::VariableBins) };
        if filters.min_mapq.is_some() && layout.mapq.is_none() {
            return Err(LayoutError::NoMapq);
        }
        let needed = layout.columns_needed(filters.min_mapq.is_some());
        if needed > MAX_COLUMNS {
            return Err(LayoutError::TooManyColumns { needed });
        }
        let chroms = genome.chroms();
        Ok(LineParser {
            layout,
            needed,
            filters,
            chroms: chroms.iter().enumerate().map(|(i, c)| (c.name.as_bytes().into(), i)).collect(),
            names: chroms.iter().map(|c| c.name.clone()).collect(),
            lengths: chroms.iter().map(|c| c.length).collect(),
            offsets: chroms.iter().map(|c| c.bin_start).collect(),
            bin_size,
            n_bins: genome.n_bins(),
        })
    }

    /// Parses every line of `chunk`, appending its contacts to `out` and counting into `tally`.
    ///
    /// # Errors
    /// The chunk's first bad line, unless bad lines are skipped.
    pub fn parse_chunk(
        &self,
        chunk: &Chunk,
        out: &mut Vec<Contact>,
        tally: &mut Tally,
    ) -> Result<(), BadLine> {
        for (number, line) in (chunk.first_line..).zip(chunk.text.split(|&b| b == b'\n')) {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() || line[0] == b'#' {
                continue;
            }
            tally.lines += 1;
            match self.parse_line(line) {
                Ok(Parsed::Contact(contact)) => {
                    tally.loaded += 1;
                    tally.contacts += u64::from(contact.count);
                    out.push(contact);
                }
                Ok(Parsed::Zero) => tally.zero_counts += 1,
                Ok(Parsed::BelowMinMapq) => tally.below_min_mapq += 1,
                Ok(Parsed::BeyondMaxDistance) => tally.beyond_max_distance += 1,
                Err(kind) if self.filters.skip_bad_lines => {
                    *tally.skipped.entry(kind.class()).or_default() += 1;
                    if tally.first_skipped.is_none() {
                        tally.first_skipped = Some(BadLine::new(number, line, kind));
                    }
                }
                Err(kind) => return Err(BadLine::new(number, line, kind)),
            }
        }
        Ok(())
    }

    fn parse_line(&self, line: &[u8]) -> Result<Parsed, BadLineKind> {
        let mut fields: [&[u8]; MAX_COLUMNS] = [&[]; MAX_COLUMNS];
        let mut found = 0;
        for field in line.split(|&b| b == b'\t' || b == b' ').filter(|f| !f.is_empty()) {
            if found == self.needed {
                break;
            }
            fields[found] = field;
            found += 1;
        }
        if found < self.needed {
            let total = if found < self.needed {
                line.split(|&b| b == b'\t' || b == b' ').filter(|f| !f.is_empty()).count()
            } else {
                found
            };
            return Err(BadLineKind::TooFewColumns { needed: self.needed, found: total });
        }
        let count = match self.layout.count {
            Some(column) => integer(fields[column], "count")?,
            None => 1,
        };
        let count = u32::try_from(count).map_err(|_| BadLineKind::NotAnInteger { column: "count" })?;
        if let (Some(min), Some((m1, m2))) = (self.filters.min_mapq, self.layout.mapq) {
            let q1 = integer(fields[m1], "mapq1")?;
            let q2 = integer(fields[m2], "mapq2")?;
            if q1.min(q2) < u64::from(min) {
                return Ok(Parsed::BelowMinMapq);
            }
        }
        let (row, col) = match self.layout.anchors {
            Anchors::Genomic { chrom1, pos1, chrom2, pos2, one_based } => {
                let (c1, p1) = self.anchor(fields[chrom1], fields[pos1], one_based, "pos1")?;
                let (c2, p2) = self.anchor(fields[chrom2], fields[pos2], one_based, "pos2")?;
                if let Some(max) = self.filters.max_distance
                    && (c1 != c2 || p1.abs_diff(p2) > max)
                {
                    return Ok(Parsed::BeyondMaxDistance);
                }
                (self.offsets[c1] + p1 / self.bin_size, self.offsets[c2] + p2 / self.bin_size)
            }
            Anchors::Bins { row, col } => {
                let row = self.bin(integer(fields[row], "row")?)?;
                let col = self.bin(integer(fields[col], "col")?)?;
                (row, col)
            }
        };
        if count == 0 {
            return Ok(Parsed::Zero);
        }
        let (row, col) = if row > col { (col, row) } else { (row, col) };
        Ok(Parsed::Contact(Contact { row, col, count }))
    }

    /// A chromosome and a 0-based position on it.
    fn anchor(
        &self,
        chrom: &[u8],
        pos: &[u8],
        one_based: bool,
        column: &'static str,
    ) -> Result<(usize, u64), BadLineKind> {
        let &index = self.chroms.get(chrom).ok_or_else(|| BadLineKind::UnknownChrom {
            chrom: String::from_utf8_lossy(chrom).into_owned(),
        })?;
        let written = integer(pos, column)?;
        let length = self.lengths[index];
        let zero_based = if one_based { written.checked_sub(1) } else { Some(written) };
        match zero_based {
            Some(p) if p < length => Ok((index, p)),
            _ => Err(BadLineKind::OutOfChrom { chrom: self.names[index].clone(), pos: written, length }),
        }
    }

    fn bin(&self, bin: u64) -> Result<u64, BadLineKind> {
        if bin < self.n_bins { Ok(bin) } else { Err(BadLineKind::OutOfGenome { bin, n_bins: self.n_bins }) }
    }
}

/// A non-negative decimal integer of at most 19 digits.
fn integer(text: &[u8], column: &'static str) -> Result<u64, BadLineKind> {
    if text.is_empty() || text.len() > 19 {
        return Err(BadLineKind::NotAnInteger { column });
    }
    let mut value = 0u64;
    for &b in text {
        if !b.is_ascii_digit() {
            return Err(BadLineKind::NotAnInteger { column });
        }
        value = value * 10 + u64::from(b - b'0');
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::Format;

    fn genome() -> Genome {
        Genome::fixed(&[("chr1".into(), 1000), ("chr2".into(), 450)], 100).unwrap()
    }

    fn parse(format: Format, filters: Filters, text: &str) -> Result<(Vec<Contact>, Tally), BadLine> {
        let parser = LineParser::new(&genome(), format.layout(), filters).unwrap();
        let chunk = Chunk { first_line: 10, text: text.as_bytes().to_vec() };
        let (mut out, mut tally) = (Vec::new(), Tally::default());
        parser.parse_chunk(&chunk, &mut out, &mut tally)?;
        Ok((out, tally))
    }

    fn cell(row: u64, col: u64, count: u32) -> Contact {
        Contact { row, col, count }
    }

    #[test]
    fn pairs_are_binned_one_based_and_folded() {
        let text = "r1\tchr1\t1\tchr1\t100\t+\t-\nr2\tchr1\t101\tchr1\t1\t+\t-\nr3 chr2 450 chr1 1000 + +\r\n\n# c\n";
        let (cells, tally) = parse(Format::Pairs, Filters::default(), text).unwrap();
        assert_eq!(cells, vec![cell(0, 0, 1), cell(0, 1, 1), cell(9, 14, 1)]);
        assert_eq!((tally.lines, tally.loaded, tally.contacts), (3, 3, 3));
    }

    #[test]
    fn bg2_and_coo_carry_counts() {
        let (cells, tally) = parse(
            Format::Bg2,
            Filters::default(),
            "chr1\t0\t100\tchr2\t400\t450\t7\nchr1\t0\t100\tchr1\t0\t100\t0\n",
        )
        .unwrap();
        assert_eq!(cells, vec![cell(0, 14, 7)]);
        assert_eq!((tally.contacts, tally.zero_counts), (7, 1));
        let (cells, _) = parse(Format::Coo, Filters::default(), "3 1 5\n").unwrap();
        assert_eq!(cells, vec![cell(1, 3, 5)]);
    }

    #[test]
    fn filters_drop_and_count() {
        let text = "r chr1 5 - chr1 900 + 0 0 0 30 10\nr chr1 5 - chr1 900 + 0 0 0 30 30\nr chr1 5 - chr2 9 + 0 0 0 30 30\n";
        let filters = Filters { min_mapq: Some(20), max_distance: Some(1000), skip_bad_lines: false };
        let (cells, tally) = parse(Format::ValidPairs, filters, text).unwrap();
        assert_eq!(cells.len(), 1);
        assert_eq!((tally.below_min_mapq, tally.beyond_max_distance), (1, 1));
        let filters = Filters { max_distance: Some(100), ..Filters::default() };
        let (cells, tally) = parse(Format::ValidPairs, filters, text).unwrap();
        assert!(cells.is_empty());
        assert_eq!(tally.beyond_max_distance, 3);
    }

    #[test]
    fn every_bad_line_class_names_line_and_content() {
        let cases = [
            ("r chr1 5\n", "line 10: it has 3 columns, the format needs 5"),
            ("r chr1 x chr1 5\n", "its pos1 is not a non-negative integer"),
            ("r chr1 -5 chr1 5\n", "its pos1 is not a non-negative integer"),
            ("r chrX 5 chr1 5\n", "chromosome `chrX` is not in the chromosome sizes"),
            ("r chr1 5 chr2 451\n", "position 451 is outside chr2 (length 450 bp)"),
            ("r chr1 0 chr2 1\n", "position 0 is outside chr1"),
        ];
        for (text, message) in cases {
            let error = parse(Format::Pairs, Filters::default(), text).unwrap_err();
            assert!(error.to_string().contains(message), "{error} lacks {message}");
            assert!(error.to_string().contains(text.trim_end()), "{error} lacks the line");
        }
        let error = parse(Format::Coo, Filters::default(), "1 15 1\n").unwrap_err();
        assert!(error.to_string().contains("bin 15 is past the genome's 15 bins"), "{error}");
        let error = parse(Format::Bg2, Filters::default(), "chr1 0 1 chr1 0 1 1.5\n").unwrap_err();
        assert!(error.to_string().contains("its count is not"), "{error}");
    }

    #[test]
    fn skipping_counts_bad_lines_by_class() {
        let text = "r chrX 5 chr1 5\nr chr1 5 chr1 7\nr chrY 1 chr1 1\nr chr1 x chr1 1\n";
        let filters = Filters { skip_bad_lines: true, ..Filters::default() };
        let (cells, tally) = parse(Format::Pairs, filters, text).unwrap();
        assert_eq!(cells.len(), 1);
        assert_eq!(tally.skipped_total(), 3);
        assert_eq!(tally.skipped["chromosome not in the chromosome sizes"], 2);
        assert_eq!(tally.first_skipped.as_ref().map(|l| l.line), Some(10));
    }

    #[test]
    fn min_mapq_needs_mapq_columns() {
        let filters = Filters { min_mapq: Some(1), ..Filters::default() };
        assert_eq!(
            LineParser::new(&genome(), Format::Pairs.layout(), filters).unwrap_err(),
            LayoutError::NoMapq
        );
    }
}
