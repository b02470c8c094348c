//! `--bins FILE.bins.tsv`: the bins of a COO input, one `chrom<TAB>start<TAB>end` line per bin
//! (0-based, half-open bp, as `cooler dump -t bins` writes), optionally after a header line
//! `chrom start end NAME…` whose extra columns are weight vectors (`nan` or empty for a masked
//! bin).

use std::io::BufRead;
use std::path::{Path, PathBuf};

use gzcm_genome::{Bins, Chrom, Genome, GenomeError, WeightVector};

/// What can be wrong with a bins file.
#[derive(Debug, thiserror::Error)]
pub enum BinsError {
    /// The file cannot be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A line is not `chrom start end [weights…]`.
    #[error("{}: line {line}: {reason}", path.display())]
    Line {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The file lists no bins.
    #[error("{}: no bins", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The bins do not form a genome.
    #[error("{}: {source}", path.display())]
    Genome {
        /// The file.
        path: PathBuf,
        /// What is inconsistent.
        #[source]
        source: GenomeError,
    },
}

/// The bins read so far.
#[derive(Default)]
struct Table {
    names: Vec<String>,
    chroms: Vec<(String, u64, u64)>,
    starts: Vec<u64>,
    ends: Vec<u64>,
    weights: Vec<Vec<f64>>,
}

/// Reads a bins file into a genome (fixed bins when every bin but each chromosome's last has
/// one size and they follow each other from 0; variable bins otherwise). A chromosome's length
/// is its last bin's end.
pub fn read(path: &Path) -> Result<Genome, BinsError> {
    let io = |source| BinsError::Io { path: path.to_owned(), source };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut table = Table::default();
    for (number, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io)?;
        let bad = |reason: String| BinsError::Line { path: path.to_owned(), line: number + 1, reason };
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if number == 0 && fields.first() == Some(&"chrom") {
            table.names = fields.iter().skip(3).map(|s| (*s).to_owned()).collect();
            table.weights = vec![Vec::new(); table.names.len()];
            continue;
        }
        table.push(&fields).map_err(bad)?;
    }
    if table.starts.is_empty() {
        return Err(BinsError::Empty { path: path.to_owned() });
    }
    table.genome().map_err(|source| BinsError::Genome { path: path.to_owned(), source })
}

impl Table {
    fn push(&mut self, fields: &[&str]) -> Result<(), String> {
        if fields.len() != 3 + self.names.len() {
            return Err(format!(
                "{} fields, expected {} (chrom, start, end{}); weight columns need a header line \
                 `chrom<TAB>start<TAB>end<TAB>NAME…`",
                fields.len(),
                3 + self.names.len(),
                self.names.iter().map(|n| format!(", {n}")).collect::<String>()
            ));
        }
        let number = |text: &str, what: &str| {
            text.trim().parse::<u64>().map_err(|_| format!("{what} `{text}` is not a non-negative integer"))
        };
        let (start, end) = (number(fields[1], "start")?, number(fields[2], "end")?);
        let bin = self.starts.len() as u64;
        match self.chroms.last_mut() {
            Some((name, length, bin_end)) if name == fields[0] => {
                *length = (*length).max(end);
                *bin_end = bin + 1;
            }
            _ => {
                if self.chroms.iter().any(|(name, ..)| name == fields[0]) {
                    return Err(format!("chromosome `{}` appears again after other chromosomes", fields[0]));
                }
                self.chroms.push((fields[0].to_owned(), end, bin + 1));
            }
        }
        self.starts.push(start);
        self.ends.push(end);
        for (column, text) in self.weights.iter_mut().zip(&fields[3..]) {
            let text = text.trim();
            let value = if text.is_empty() {
                f64::NAN
            } else {
                text.parse::<f64>().map_err(|_| format!("weight `{text}` is not a number"))?
            };
            column.push(value);
        }
        Ok(())
    }

    /// The single bin size if the bins are fixed-size, else `None`.
    fn fixed_size(&self) -> Option<u64> {
        let size = self.ends[0].checked_sub(self.starts[0]).filter(|&s| s > 0)?;
        let mut first = 0;
        for (_, length, bin_end) in &self.chroms {
            let last = usize::try_from(*bin_end).ok()?;
            for (k, i) in (first..last).enumerate() {
                let start = k as u64 * size;
                if self.starts[i] != start || self.ends[i] != (start + size).min(*length) {
                    return None;
                }
            }
            first = last;
        }
        Some(size)
    }

    fn genome(self) -> Result<Genome, GenomeError> {
        let mut first = 0;
        let chroms = self
            .chroms
            .iter()
            .map(|(name, length, bin_end)| {
                let chrom = Chrom::new(name.clone(), *length, first, *bin_end);
                first = *bin_end;
                chrom
            })
            .collect();
        let bins = match self.fixed_size() {
            Some(bin_size) => Bins::Fixed { bin_size },
            None => Bins::Variable { starts: self.starts, ends: self.ends },
        };
        let weights =
            self.names.into_iter().zip(self.weights).map(|(n, v)| WeightVector::new(n, v)).collect();
        Genome::new(chroms, bins)?.with_weights(weights)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<Genome, BinsError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.bins.tsv");
        std::fs::write(&path, text).unwrap();
        read(&path)
    }

    #[test]
    fn fixed_bins_with_weights_are_recognised() {
        let g =
            read_text("chrom\tstart\tend\tweight\nc1\t0\t10\t0.5\nc1\t10\t25\tnan\nc2\t0\t7\t\n").unwrap();
        // c1's second bin is 15 bp: not fixed at 10.
        assert_eq!(g.resolution(), None);
        let g =
            read_text("chrom\tstart\tend\tweight\nc1\t0\t10\t0.5\nc1\t10\t15\tnan\nc2\t0\t7\t\n").unwrap();
        assert_eq!(g.resolution(), Some(10));
        assert_eq!(g.chroms()[0], Chrom::new("c1", 15, 0, 2));
        assert_eq!(g.chroms()[1], Chrom::new("c2", 7, 2, 3));
        let w = &g.weight("weight").unwrap().values;
        assert_eq!(w[0], 0.5);
        assert!(w[1].is_nan() && w[2].is_nan());
    }

    #[test]
    fn the_shared_layout_without_header_reads() {
        let g = read_text("chr22\t0\t250000\nchr22\t250000\t500000\nchr22\t500000\t600000\n").unwrap();
        assert_eq!((g.n_bins(), g.resolution()), (3, Some(250_000)));
        assert!(g.weights().is_empty());
    }

    #[test]
    fn bad_lines_name_the_line() {
        let err = read_text("c1\t0\t10\nc1\tx\t20\n").unwrap_err();
        assert!(err.to_string().contains("line 2: start `x`"), "{err}");
        let err = read_text("c1\t0\t10\t0.5\n").unwrap_err();
        assert!(err.to_string().contains("header line"), "{err}");
        let err = read_text("c1\t0\t10\nc2\t0\t10\nc1\t10\t20\n").unwrap_err();
        assert!(err.to_string().contains("appears again"), "{err}");
        assert!(matches!(read_text("\n"), Err(BinsError::Empty { .. })));
        assert!(matches!(read_text("c1\t5\t3\n"), Err(BinsError::Genome { .. })));
    }
}
