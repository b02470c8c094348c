//! Dense `.npy` sources (NumPy format 1.0, 2.0 and 3.0), optionally zstd-compressed.
//!
//! The header is parsed by hand and validated before anything is allocated from it: a 2-D,
//! C-order array of `<f4`, `<f8`, `<i4`, `<i8`, `<u4` or `<u8`, whose `rows × cols × itemsize`
//! equals the bytes that follow (checked against the file size for plain files, and while
//! streaming for `.npy.zst`, whose claim must also stay within [`MAX_NPY_EXPANSION`] times its
//! compressed size). Rows stream through a buffer of one row.
//!
//! Symmetry: a square matrix is symmetric when it equals its transpose. Left open, this is
//! decided by one extra pass over the data (an order-independent fingerprint of the two
//! triangles, two integers of memory); declared by the caller, it is verified on the fly and a
//! mismatch ends the stream with [`SourceError::NotSymmetric`].

mod header;
mod pylit;
mod rows;

use std::fs;
use std::path::{Path, PathBuf};

use gzcm_core::Dtype;

use crate::error::{NpyFault, SourceError};
use crate::input::{is_compressed, open_input};
use crate::source::{CellStream, Layout, Order, Shape, SourceInfo};
use crate::value::CellValue;
pub use header::{NpyDtype, NpyHeader};

use header::{HeaderError, read_header};
use rows::{NpyRows, RawRows, scan_symmetry};

/// A `.npy` or `.npy.zst` file, ready to stream.
#[derive(Clone, Debug)]
pub struct NpySource {
    path: PathBuf,
    header: NpyHeader,
    info: SourceInfo,
    verify_symmetry: bool,
}

impl NpySource {
    /// Opens `path` and validates its header; `symmetric: None` infers the symmetry of a
    /// square matrix with one pass over the data.
    ///
    /// # Errors
    /// [`SourceError::Io`] for unreadable files, [`SourceError::Npy`] for bad or unsupported
    /// headers and size mismatches, [`SourceError::BadShape`] for a symmetric declaration on a
    /// non-square or empty matrix.
    pub fn open(path: &Path, symmetric: Option<bool>) -> Result<Self, SourceError> {
        let (header, _) = open_data(path)?;
        let shape = Shape::new(header.rows, header.cols).non_empty()?;
        if is_compressed(path)? {
            check_expansion(path, &header)?;
        } else {
            check_file_size(path, &header)?;
        }
        if symmetric == Some(true) && !shape.is_square() {
            return Err(SourceError::BadShape {
                rows: shape.rows.into(),
                cols: shape.cols.into(),
                reason: "a symmetric matrix must be square",
            });
        }
        let symmetric_now = match symmetric {
            Some(declared) => declared,
            None => shape.is_square() && scan_symmetry(raw_rows(path)?)?,
        };
        let info = SourceInfo {
            shape,
            dtype: if header.dtype.is_float() { Dtype::F32 } else { Dtype::U32 },
            symmetric: symmetric_now,
            order: Order::RowMajor,
            layout: Layout::DenseRows,
            nnz: None,
            description: path.display().to_string(),
        };
        Ok(NpySource { path: path.to_owned(), header, info, verify_symmetry: symmetric == Some(true) })
    }

    /// What the file holds.
    #[must_use]
    pub fn info(&self) -> &SourceInfo {
        &self.info
    }

    /// The validated header.
    #[must_use]
    pub fn header(&self) -> &NpyHeader {
        &self.header
    }

    /// Streams the rows (reopening the file: each call reads it anew).
    ///
    /// # Errors
    /// [`SourceError::Io`] when the file cannot be opened; later errors arrive in the stream
    /// ([`SourceError::Cell`] for values the target type cannot hold).
    pub fn cells<T: CellValue>(&self) -> Result<CellStream<T>, SourceError> {
        let rows = NpyRows::<T>::new(raw_rows(&self.path)?, self.verify_symmetry);
        Ok(CellStream::Rows(Box::new(rows)))
    }
}

fn open_data(path: &Path) -> Result<(NpyHeader, crate::input::Input), SourceError> {
    let mut input = open_input(path)?;
    let header = read_header(&mut input).map_err(|e| match e {
        HeaderError::Io(source) => SourceError::Io { path: path.to_owned(), source },
        HeaderError::Fault(fault) => SourceError::Npy { path: path.to_owned(), fault },
    })?;
    Ok((header, input))
}

fn raw_rows(path: &Path) -> Result<RawRows, SourceError> {
    let (header, input) = open_data(path)?;
    Ok(RawRows::new(path.to_owned(), input, header))
}

fn check_file_size(path: &Path, header: &NpyHeader) -> Result<(), SourceError> {
    let metadata = fs::metadata(path).map_err(|source| SourceError::Io { path: path.to_owned(), source })?;
    let found = metadata.len().saturating_sub(header.data_offset);
    let expected = header.data_bytes();
    if found != expected {
        let fault = NpyFault::SizeMismatch { expected, found };
        return Err(SourceError::Npy { path: path.to_owned(), fault });
    }
    Ok(())
}

/// The most data a compressed `.npy` may claim per compressed byte. zstd's own ceiling is about
/// 32,000× (all zeros); real contact matrices stay far below (the shared 9,760² mouse map, 99 %
/// zeros: 200×), so a file above this is a bomb that would stream for as long as its header says.
pub const MAX_NPY_EXPANSION: u64 = 4096;

fn check_expansion(path: &Path, header: &NpyHeader) -> Result<(), SourceError> {
    let metadata = fs::metadata(path).map_err(|source| SourceError::Io { path: path.to_owned(), source })?;
    let compressed = metadata.len().max(1);
    let claimed = header.data_bytes();
    if claimed / compressed > MAX_NPY_EXPANSION {
        let fault =
            NpyFault::Expansion { claimed, compressed, ratio: claimed / compressed, max: MAX_NPY_EXPANSION };
        return Err(SourceError::Npy { path: path.to_owned(), fault });
    }
    Ok(())
}

/// Whether the file's decompressed content starts with the `.npy` magic string.
pub(crate) fn has_npy_magic(path: &Path) -> Result<bool, SourceError> {
    use std::io::Read;
    let mut head = [0u8; 6];
    let mut input = open_input(path)?;
    let read = input.read(&mut head).map_err(|source| SourceError::Io { path: path.to_owned(), source })?;
    Ok(read == 6 && &head == b"\x93NUMPY")
}
