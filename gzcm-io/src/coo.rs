//! COO text sources: `bin1 bin2 value` per line, tab- or whitespace-separated, optionally gzip.
//!
//! The reader streams line by line; memory is one line whatever the file size. Blank lines,
//! `#` comments and a `bin1…` column header line (as `cooler dump --header` writes) are skipped.
//!
//! Two modes:
//! - **one pass**: when the shape and the symmetry are both known (given by the caller, or a
//!   non-square shape, which cannot be symmetric), the file is read once, while converting;
//! - **pre-scan**: otherwise [`CooScan`] reads the file once more beforehand to infer what is
//!   missing: the shape (largest bin + 1), the symmetry (square and `bin1 <= bin2` on every line
//!   ⇒ the upper triangle of a symmetric matrix) and the natural dtype (all integers ⇒ `uint32`).

mod line;
mod lines;
mod scan;
mod triples;

use std::path::{Path, PathBuf};

use gzcm_core::Dtype;

use crate::error::SourceError;
use crate::source::{CellStream, Layout, Order, Shape, SourceInfo};
use crate::value::CellValue;
pub use scan::CooScan;

use lines::Lines;
use triples::CooTriples;

/// What the caller already knows about a COO file; whatever is `None` is inferred.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CooOptions {
    /// The matrix shape; inferred as largest bin + 1 when absent.
    pub shape: Option<Shape>,
    /// Whether the file is the upper triangle of a symmetric matrix.
    pub symmetric: Option<bool>,
}

/// A COO text file, ready to stream.
#[derive(Clone, Debug)]
pub struct CooSource {
    path: PathBuf,
    info: SourceInfo,
    scan: Option<CooScan>,
}

impl CooSource {
    /// Opens `path`, pre-scanning it when the options leave the shape or the symmetry open.
    ///
    /// # Errors
    /// [`SourceError::Io`] for unreadable files, [`SourceError::Line`] for malformed lines met
    /// by the pre-scan, [`SourceError::Empty`] when a shape must be inferred from a file with no
    /// data lines, [`SourceError::BadShape`] for a symmetric declaration on a non-square shape.
    pub fn open(path: &Path, options: CooOptions) -> Result<Self, SourceError> {
        let one_pass = match (options.shape, options.symmetric) {
            (Some(_), Some(_)) => true,
            (Some(shape), None) => !shape.is_square(),
            (None, _) => false,
        };
        let scan = if one_pass { None } else { Some(CooScan::run(path)?) };
        let (shape, symmetric) = resolve(path, options, scan.as_ref())?;
        let info = SourceInfo {
            shape,
            dtype: match &scan {
                Some(scan) if !scan.integer_values => Dtype::F32,
                _ => Dtype::U32,
            },
            symmetric,
            order: match &scan {
                Some(scan) if scan.row_major => Order::RowMajor,
                _ => Order::Unsorted,
            },
            layout: Layout::Triples,
            nnz: scan.as_ref().map(|s| s.lines),
            description: path.display().to_string(),
        };
        Ok(CooSource { path: path.to_owned(), info, scan })
    }

    /// What the file holds.
    #[must_use]
    pub fn info(&self) -> &SourceInfo {
        &self.info
    }

    /// The pre-scan's findings, when one was run.
    #[must_use]
    pub fn scan(&self) -> Option<&CooScan> {
        self.scan.as_ref()
    }

    /// Streams the triples (reopening the file: each call reads it anew).
    ///
    /// # Errors
    /// [`SourceError::Io`] when the file cannot be opened; later errors arrive in the stream.
    pub fn cells<T: CellValue>(&self) -> Result<CellStream<T>, SourceError> {
        let lines = Lines::open(&self.path)?;
        let triples = CooTriples::<T>::new(lines, self.info.shape, self.info.symmetric);
        Ok(CellStream::Triples(Box::new(triples)))
    }
}

/// Decides shape and symmetry from the options, falling back on the scan.
fn resolve(path: &Path, options: CooOptions, scan: Option<&CooScan>) -> Result<(Shape, bool), SourceError> {
    let upper_only = scan.is_none_or(|s| s.upper_only);
    let shape = match (options.shape, scan) {
        (Some(shape), _) => shape.non_empty()?,
        (None, Some(scan)) => inferred_shape(path, scan, options.symmetric.unwrap_or(upper_only))?,
        (None, None) => unreachable!("a scan runs whenever the shape is missing"),
    };
    let symmetric = options.symmetric.unwrap_or(upper_only && shape.is_square());
    if symmetric && !shape.is_square() {
        return Err(SourceError::BadShape {
            rows: shape.rows.into(),
            cols: shape.cols.into(),
            reason: "a symmetric matrix must be square",
        });
    }
    Ok((shape, symmetric))
}

fn inferred_shape(path: &Path, scan: &CooScan, square: bool) -> Result<Shape, SourceError> {
    let (Some(max1), Some(max2)) = (scan.max_bin1, scan.max_bin2) else {
        return Err(SourceError::Empty { path: path.to_owned() });
    };
    let edge = |max: u32| {
        max.checked_add(1).ok_or(SourceError::BadShape {
            rows: u64::from(max1) + 1,
            cols: u64::from(max2) + 1,
            reason: "bin numbers must stay below 2^32 - 1",
        })
    };
    if square { Ok(Shape::square(edge(max1.max(max2))?)) } else { Ok(Shape::new(edge(max1)?, edge(max2)?)) }
}
