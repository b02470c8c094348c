//! The common shape of every matrix source: what it holds ([`SourceInfo`]) and how its cells
//! arrive ([`CellStream`]: COO triples or dense rows).

use std::fmt;
use std::str::FromStr;

use gzcm_core::Dtype;

use crate::error::SourceError;
use crate::value::CellValue;

/// Rows × columns of a matrix, in bins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    /// Number of rows.
    pub rows: u32,
    /// Number of columns.
    pub cols: u32,
}

impl Shape {
    /// A shape of `rows × cols`.
    #[must_use]
    pub const fn new(rows: u32, cols: u32) -> Self {
        Shape { rows, cols }
    }

    /// A square shape of `n × n`.
    #[must_use]
    pub const fn square(n: u32) -> Self {
        Shape { rows: n, cols: n }
    }

    /// Whether rows equal columns.
    #[must_use]
    pub const fn is_square(self) -> bool {
        self.rows == self.cols
    }

    /// Number of cells.
    #[must_use]
    pub const fn cells(self) -> u64 {
        self.rows as u64 * self.cols as u64
    }

    /// Refuses an empty shape.
    pub(crate) fn non_empty(self) -> Result<Self, SourceError> {
        if self.rows == 0 || self.cols == 0 {
            return Err(SourceError::BadShape {
                rows: self.rows.into(),
                cols: self.cols.into(),
                reason: "both edges must be at least 1",
            });
        }
        Ok(self)
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}×{}", self.rows, self.cols)
    }
}

/// Parses `N` (square), `RxC` or `R×C`.
impl FromStr for Shape {
    type Err = SourceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || SourceError::ShapeSyntax { text: s.to_owned() };
        let mut parts = s.split(['x', 'X', '×']);
        let rows: u32 = parts.next().and_then(|p| p.trim().parse().ok()).ok_or_else(bad)?;
        let cols: u32 = match parts.next() {
            Some(p) => p.trim().parse().map_err(|_| bad())?,
            None => rows,
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        Shape::new(rows, cols).non_empty()
    }
}

/// One non-zero cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Triple<T> {
    /// Row (bin1).
    pub row: u32,
    /// Column (bin2).
    pub col: u32,
    /// The value (non-zero).
    pub value: T,
}

/// The order in which a source delivers triples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Order {
    /// Ascending `(row, col)`: row-major, as `cooler dump` writes.
    RowMajor,
    /// No order is promised.
    Unsorted,
}

/// How a source delivers its cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Layout {
    /// Non-zero cells as COO triples.
    Triples,
    /// Every row in full, top to bottom.
    DenseRows,
}

/// What a source holds.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceInfo {
    /// The matrix shape.
    pub shape: Shape,
    /// The cell type the data holds naturally (integers → `uint32`, fractions → `float32`).
    /// Callers may ask the stream for the other type; values that do not fit are errors.
    pub dtype: Dtype,
    /// Whether the matrix is symmetric. A symmetric source's triples cover only
    /// `row <= col`; its dense rows are full rows (the writer keeps the upper part).
    pub symmetric: bool,
    /// The order of the triples (dense rows always come top to bottom).
    pub order: Order,
    /// Triples or dense rows.
    pub layout: Layout,
    /// At most this many triples will come (a bound for progress bars), when known beforehand.
    pub nnz: Option<u64>,
    /// A short description for messages (a path or a spec).
    pub description: String,
}

/// A stream of COO triples; an error ends the stream.
pub type TripleStream<T> = Box<dyn Iterator<Item = Result<Triple<T>, SourceError>> + Send>;

/// A stream of full dense rows, top to bottom; an error ends the stream.
pub type RowStream<T> = Box<dyn Iterator<Item = Result<Vec<T>, SourceError>> + Send>;

/// The cells of a source, in its natural layout.
pub enum CellStream<T> {
    /// Non-zero cells as triples (upper triangle only for symmetric sources).
    Triples(TripleStream<T>),
    /// Full rows.
    Rows(RowStream<T>),
}

impl<T: CellValue> CellStream<T> {
    /// The cells as triples, whatever the layout: dense rows are turned into row-major triples
    /// of their non-zero cells, keeping only `col >= row` when `upper_only` is set.
    #[must_use]
    pub fn into_triples(self, upper_only: bool) -> TripleStream<T> {
        match self {
            CellStream::Triples(triples) => triples,
            CellStream::Rows(rows) => Box::new(RowsToTriples::new(rows, upper_only)),
        }
    }
}

impl<T> fmt::Debug for CellStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CellStream::Triples(_) => "CellStream::Triples(..)",
            CellStream::Rows(_) => "CellStream::Rows(..)",
        })
    }
}

/// Walks dense rows and yields their non-zero cells.
struct RowsToTriples<T> {
    rows: RowStream<T>,
    upper_only: bool,
    row_index: u32,
    current: Vec<T>,
    col: usize,
}

impl<T: CellValue> RowsToTriples<T> {
    fn new(rows: RowStream<T>, upper_only: bool) -> Self {
        RowsToTriples { rows, upper_only, row_index: 0, current: Vec::new(), col: 0 }
    }
}

impl<T: CellValue> Iterator for RowsToTriples<T> {
    type Item = Result<Triple<T>, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            while self.col < self.current.len() {
                let col = self.col;
                self.col += 1;
                let value = self.current[col];
                if !value.is_zero() {
                    // Rows and columns are below 2^32 by the source's shape.
                    let col = u32::try_from(col).expect("row length fits the u32 shape");
                    return Some(Ok(Triple { row: self.row_index - 1, col, value }));
                }
            }
            match self.rows.next()? {
                Ok(row) => {
                    self.current = row;
                    self.col = if self.upper_only { self.row_index as usize } else { 0 };
                    self.row_index += 1;
                }
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_parses_square_and_rectangular() {
        assert_eq!("206".parse::<Shape>().unwrap(), Shape::square(206));
        assert_eq!("206x622".parse::<Shape>().unwrap(), Shape::new(206, 622));
        assert_eq!("3×4".parse::<Shape>().unwrap(), Shape::new(3, 4));
        assert!("0x4".parse::<Shape>().is_err());
        assert!("3x4x5".parse::<Shape>().is_err());
        assert!("-3".parse::<Shape>().is_err());
    }

    #[test]
    fn rows_become_upper_triples() {
        let rows: Vec<Result<Vec<u32>, SourceError>> =
            vec![Ok(vec![1, 2, 0]), Ok(vec![2, 0, 3]), Ok(vec![0, 3, 4])];
        let stream = CellStream::Rows(Box::new(rows.into_iter()));
        let cells: Vec<_> =
            stream.into_triples(true).map(|t| t.map(|t| (t.row, t.col, t.value)).unwrap()).collect();
        assert_eq!(cells, vec![(0, 0, 1), (0, 1, 2), (1, 2, 3), (2, 2, 4)]);
    }
}
