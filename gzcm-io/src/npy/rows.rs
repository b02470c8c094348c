//! Streaming the rows of `.npy` data: raw row bytes, conversion to cells, and the cheap
//! order-independent symmetry check.

use std::io::{self, Read};
use std::marker::PhantomData;
use std::path::PathBuf;

use crate::error::{NpyFault, SourceError, ValueFault};
use crate::input::Input;
use crate::npy::header::{NpyDtype, NpyHeader};
use crate::value::CellValue;

/// Reads the data one row of raw bytes at a time, checking that exactly the promised number of
/// bytes follows the header.
pub(crate) struct RawRows {
    path: PathBuf,
    input: Input,
    header: NpyHeader,
    next_row: u32,
    bytes: Vec<u8>,
}

impl RawRows {
    /// `input` must be positioned at the first data byte.
    pub(crate) fn new(path: PathBuf, input: Input, header: NpyHeader) -> Self {
        // The row buffer grows with the bytes actually read, never from the header's numbers
        // alone (a compressed file's size cannot be checked before it is read).
        RawRows { path, input, header, next_row: 0, bytes: Vec::new() }
    }

    /// The next row's index and bytes; `None` after the last row (once the end is confirmed).
    pub(crate) fn next_row(&mut self) -> Result<Option<(u32, &[u8])>, SourceError> {
        if self.next_row == self.header.rows {
            self.check_end()?;
            return Ok(None);
        }
        let row = self.next_row;
        let row_bytes = u64::from(self.header.cols) * self.header.dtype.itemsize() as u64;
        self.bytes.clear();
        let read = (&mut self.input).take(row_bytes).read_to_end(&mut self.bytes);
        let read = read.map_err(|source| SourceError::Io { path: self.path.clone(), source })?;
        if (read as u64) < row_bytes {
            let found = u64::from(row) * row_bytes + read as u64;
            let fault = NpyFault::SizeMismatch { expected: self.header.data_bytes(), found };
            return Err(SourceError::Npy { path: self.path.clone(), fault });
        }
        self.next_row += 1;
        Ok(Some((row, &self.bytes)))
    }

    fn check_end(&mut self) -> Result<(), SourceError> {
        let io_error = |source| SourceError::Io { path: self.path.clone(), source };
        let trailing = io::copy(&mut self.input, &mut io::sink()).map_err(io_error)?;
        if trailing > 0 {
            let expected = self.header.data_bytes();
            let fault = NpyFault::SizeMismatch { expected, found: expected + trailing };
            return Err(SourceError::Npy { path: self.path.clone(), fault });
        }
        Ok(())
    }

    pub(crate) fn path(&self) -> &PathBuf {
        &self.path
    }

    pub(crate) fn dtype(&self) -> NpyDtype {
        self.header.dtype
    }
}

/// Converts one little-endian element to a cell.
fn convert<T: CellValue>(dtype: NpyDtype, item: &[u8]) -> Result<T, ValueFault> {
    let four = |item: &[u8]| [item[0], item[1], item[2], item[3]];
    let eight = |item: &[u8]| [item[0], item[1], item[2], item[3], item[4], item[5], item[6], item[7]];
    match dtype {
        NpyDtype::F4 => T::from_f64(f64::from(f32::from_le_bytes(four(item)))),
        NpyDtype::F8 => T::from_f64(f64::from_le_bytes(eight(item))),
        NpyDtype::I4 => T::from_i64(i64::from(i32::from_le_bytes(four(item)))),
        NpyDtype::I8 => T::from_i64(i64::from_le_bytes(eight(item))),
        NpyDtype::U4 => T::from_u64(u64::from(u32::from_le_bytes(four(item)))),
        NpyDtype::U8 => T::from_u64(u64::from_le_bytes(eight(item))),
    }
}

/// An order-independent fingerprint of the upper triangle against the transposed lower one.
///
/// Each off-diagonal non-zero cell adds a 64-bit hash of `(min(i,j), max(i,j), raw bits)` to the
/// sum of its triangle; a symmetric matrix gives equal sums. Memory is two integers, so the
/// check streams; a non-symmetric matrix passes only on a 64-bit hash collision (~2^-64).
#[derive(Debug, Default)]
pub(crate) struct SymmetryCheck {
    upper: u64,
    lower: u64,
}

impl SymmetryCheck {
    pub(crate) fn add_row(&mut self, row: u32, bytes: &[u8], itemsize: usize) {
        for (col, item) in bytes.chunks_exact(itemsize).enumerate() {
            if item.iter().all(|&b| b == 0) {
                continue;
            }
            let mut raw = [0u8; 8];
            raw[..itemsize].copy_from_slice(item);
            let (row, col) = (u64::from(row), col as u64);
            let cell = |i: u64, j: u64| mix(mix((i << 32) | j) ^ u64::from_le_bytes(raw));
            if col > row {
                self.upper = self.upper.wrapping_add(cell(row, col));
            } else if col < row {
                self.lower = self.lower.wrapping_add(cell(col, row));
            }
        }
    }

    pub(crate) fn is_symmetric(&self) -> bool {
        self.upper == self.lower
    }
}

/// The splitmix64 finaliser: a cheap, well-mixing 64-bit hash.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Reads every row to decide whether the matrix equals its transpose.
pub(crate) fn scan_symmetry(mut rows: RawRows) -> Result<bool, SourceError> {
    let itemsize = rows.dtype().itemsize();
    let mut check = SymmetryCheck::default();
    while let Some((row, bytes)) = rows.next_row()? {
        check.add_row(row, bytes, itemsize);
    }
    Ok(check.is_symmetric())
}

/// Dense rows converted to cells, optionally verifying the symmetry the caller declared.
pub(crate) struct NpyRows<T> {
    raw: RawRows,
    check: Option<SymmetryCheck>,
    finished: bool,
    cell: PhantomData<fn() -> T>,
}

impl<T: CellValue> NpyRows<T> {
    pub(crate) fn new(raw: RawRows, verify_symmetry: bool) -> Self {
        let check = verify_symmetry.then(SymmetryCheck::default);
        NpyRows { raw, check, finished: false, cell: PhantomData }
    }

    fn next_cells(&mut self) -> Result<Option<Vec<T>>, SourceError> {
        let dtype = self.raw.dtype();
        let Some((row, bytes)) = self.raw.next_row()? else {
            return match &self.check {
                Some(check) if !check.is_symmetric() => {
                    Err(SourceError::NotSymmetric { path: self.raw.path().clone() })
                }
                _ => Ok(None),
            };
        };
        if let Some(check) = &mut self.check {
            check.add_row(row, bytes, dtype.itemsize());
        }
        let cells = bytes
            .chunks_exact(dtype.itemsize())
            .enumerate()
            .map(|(col, item)| convert::<T>(dtype, item).map_err(|fault| (col, fault)))
            .collect::<Result<Vec<T>, _>>();
        cells.map(Some).map_err(|(col, fault)| SourceError::Cell {
            path: self.raw.path().clone(),
            row: row.into(),
            col: col as u64,
            fault,
        })
    }
}

impl<T: CellValue> Iterator for NpyRows<T> {
    type Item = Result<Vec<T>, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let next = self.next_cells().transpose();
        self.finished = !matches!(next, Some(Ok(_)));
        next
    }
}
