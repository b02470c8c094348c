//! The streaming COO triple reader.

use std::marker::PhantomData;

use crate::coo::line::parse_value;
use crate::coo::lines::Lines;
use crate::error::{LineFault, SourceError};
use crate::source::{Shape, Triple};
use crate::value::CellValue;

/// Yields the triples of a COO file one line at a time, checking each against the shape and,
/// for a symmetric matrix, the upper triangle. Explicit zeros are dropped.
pub(crate) struct CooTriples<T> {
    lines: Lines,
    shape: Shape,
    symmetric: bool,
    finished: bool,
    cell: PhantomData<fn() -> T>,
}

impl<T: CellValue> CooTriples<T> {
    pub(crate) fn new(lines: Lines, shape: Shape, symmetric: bool) -> Self {
        CooTriples { lines, shape, symmetric, finished: false, cell: PhantomData }
    }

    fn next_triple(&mut self) -> Result<Option<Triple<T>>, SourceError> {
        loop {
            let Some(fields) = self.lines.next_fields()? else {
                return Ok(None);
            };
            let (row, col) = (fields.bin1, fields.bin2);
            let fault = if row >= self.shape.rows {
                Some(LineFault::BinOutOfRange { column: "bin1", bin: row, limit: self.shape.rows })
            } else if col >= self.shape.cols {
                Some(LineFault::BinOutOfRange { column: "bin2", bin: col, limit: self.shape.cols })
            } else if self.symmetric && row > col {
                Some(LineFault::LowerTriangle { bin1: row, bin2: col })
            } else {
                None
            };
            let value = match fault {
                Some(fault) => Err(fault),
                None => parse_value::<T>(fields.value),
            };
            let value = value.map_err(|fault| self.lines.fault(fault))?;
            if !value.is_zero() {
                return Ok(Some(Triple { row, col, value }));
            }
        }
    }
}

impl<T: CellValue> Iterator for CooTriples<T> {
    type Item = Result<Triple<T>, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let next = self.next_triple().transpose();
        self.finished = !matches!(next, Some(Ok(_)));
        next
    }
}
