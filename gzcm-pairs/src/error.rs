//! The errors of reading pairs.

use std::fmt;
use std::path::PathBuf;

/// What is wrong with a data line.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BadLineKind {
    /// Fewer columns than the format needs.
    TooFewColumns {
        /// Columns the format reads (the highest one it needs, 1-based).
        needed: usize,
        /// Columns the line has.
        found: usize,
    },
    /// A column that must be a non-negative integer is not one.
    NotAnInteger {
        /// The column's name.
        column: &'static str,
    },
    /// A chromosome that is not in the chromosome sizes.
    UnknownChrom {
        /// Its name, as written.
        chrom: String,
    },
    /// A position at or past its chromosome's end (or position 0 in a 1-based format).
    OutOfChrom {
        /// The chromosome.
        chrom: String,
        /// The position, as written.
        pos: u64,
        /// The chromosome's length.
        length: u64,
    },
    /// A COO row or column past the genome's bins.
    OutOfGenome {
        /// The bin, as written.
        bin: u64,
        /// The genome's bin count.
        n_bins: u64,
    },
}

impl BadLineKind {
    /// A short name for the class of problem, for counts of skipped lines.
    #[must_use]
    pub fn class(&self) -> &'static str {
        match self {
            BadLineKind::TooFewColumns { .. } => "too few columns",
            BadLineKind::NotAnInteger { .. } => "not an integer",
            BadLineKind::UnknownChrom { .. } => "chromosome not in the chromosome sizes",
            BadLineKind::OutOfChrom { .. } => "position past the chromosome's end",
            BadLineKind::OutOfGenome { .. } => "bin past the genome's end",
        }
    }
}

impl fmt::Display for BadLineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadLineKind::TooFewColumns { needed, found } => {
                write!(f, "it has {found} columns, the format needs {needed}")
            }
            BadLineKind::NotAnInteger { column } => write!(f, "its {column} is not a non-negative integer"),
            BadLineKind::UnknownChrom { chrom } => write!(
                f,
                "chromosome `{chrom}` is not in the chromosome sizes (give them with --chromsizes, \
                 or --skip-bad-lines to count and skip such lines)"
            ),
            BadLineKind::OutOfChrom { chrom, pos, length } => {
                write!(f, "position {pos} is outside {chrom} (length {length} bp)")
            }
            BadLineKind::OutOfGenome { bin, n_bins } => {
                write!(f, "bin {bin} is past the genome's {n_bins} bins")
            }
        }
    }
}

/// A data line that cannot be loaded: where it is, what it says, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadLine {
    /// Its 1-based line number in the (decompressed) file.
    pub line: u64,
    /// Its text (at most [`BadLine::SHOWN`] bytes of it, lossily decoded).
    pub content: String,
    /// What is wrong with it.
    pub kind: BadLineKind,
}

impl BadLine {
    /// How much of a bad line its error quotes.
    pub const SHOWN: usize = 200;

    /// A bad line `line` with text `text`.
    #[must_use]
    pub fn new(line: u64, text: &[u8], kind: BadLineKind) -> BadLine {
        let shown = &text[..text.len().min(BadLine::SHOWN)];
        let mut content = String::from_utf8_lossy(shown).into_owned();
        if text.len() > BadLine::SHOWN {
            content.push('…');
        }
        BadLine { line, content, kind }
    }
}

impl fmt::Display for BadLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {} (`{}`)", self.line, self.kind, self.content)
    }
}

/// Reading a pairs file failed.
#[derive(Debug, thiserror::Error)]
pub enum PairsError {
    /// The file (or a chromosome sizes file) could not be opened or read.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A data line that cannot be loaded.
    #[error("{}: {line}", path.display())]
    BadLine {
        /// The file.
        path: PathBuf,
        /// The line.
        line: BadLine,
    },
    /// A header line that cannot be read.
    #[error("{}: header line {line}: {reason} (`{content}`)", path.display())]
    BadHeader {
        /// The file.
        path: PathBuf,
        /// Its 1-based line number.
        line: u64,
        /// Its text.
        content: String,
        /// What is wrong.
        reason: String,
    },
    /// A line longer than [`crate::input::MAX_LINE`] bytes: not a pairs file.
    #[error(
        "{}: line {line} is longer than {max} bytes; is this a pairs file?",
        path.display(),
        max = crate::input::MAX_LINE
    )]
    LineTooLong {
        /// The file.
        path: PathBuf,
        /// Its 1-based line number.
        line: u64,
    },
    /// A chromosome sizes file (or the header's `#chromsize:` lines) that cannot be used.
    #[error("{source_name}: {reason}")]
    BadChromsizes {
        /// The chromosome sizes' source: a file, or the pairs file's header.
        source_name: String,
        /// What is wrong.
        reason: String,
    },
    /// No chromosome sizes: none given and none in the header.
    #[error(
        "{}: the file's header has no `#chromsize:` lines; give the genome with --chromsizes FILE",
        path.display()
    )]
    NoChromsizes {
        /// The pairs file.
        path: PathBuf,
    },
    /// `--min-mapq` asks for mapping qualities the file's columns do not have.
    #[error(
        "{}: --min-mapq needs mapq1 and mapq2 columns, and this {format} file has none \
         (its #columns: line names them)",
        path.display()
    )]
    NoMapq {
        /// The file.
        path: PathBuf,
        /// Its format.
        format: crate::Format,
    },
    /// The `#columns:` line lacks a column the format needs.
    #[error("{}: the #columns: line has no `{column}` column", path.display())]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column.
        column: &'static str,
    },
}
