//! The few HDF5 reads a cooler file needs, over the pure-Rust `hdf5-reader` crate: typed
//! errors with the file's path, integer/float columns of any width, strings, ranged reads.

use std::ops::Range;
use std::path::{Path, PathBuf};

use hdf5_reader::{ByteOrder, Dataset, Datatype, Hdf5File, SliceInfo, SliceInfoElem};

use crate::error::HicError;

/// Decompressed bytes one read may produce at most, per byte of file: deflate cannot expand
/// more than ~1032:1, so a larger claim is a lying header.
const MAX_EXPANSION: u64 = 1100;
/// Headroom for tiny files whose datasets are mostly fill values.
const MIN_READ_BUDGET: u64 = 64 << 20;
/// No single read above this, whatever the file's size.
const MAX_READ_BUDGET: u64 = 8 << 30;

/// An open HDF5 file and its path (for messages).
pub(crate) struct H5 {
    file: Hdf5File,
    path: PathBuf,
    budget: u64,
}

impl H5 {
    /// Opens `path`, with read limits derived from its size.
    pub(crate) fn open(path: &Path) -> Result<Self, HicError> {
        let len =
            std::fs::metadata(path).map_err(|source| HicError::Io { path: path.to_owned(), source })?.len();
        let budget = len.saturating_mul(MAX_EXPANSION).clamp(MIN_READ_BUDGET, MAX_READ_BUDGET);
        let limit = usize::try_from(budget).unwrap_or(usize::MAX);
        let options = hdf5_reader::OpenOptions::default()
            .with_max_read_bytes(limit)
            .with_max_chunk_bytes(limit.min(256 << 20))
            .with_max_object_header_bytes(16 << 20)
            .with_chunk_cache_bytes(8 << 20);
        let file = Hdf5File::open_with_options(path, options)
            .map_err(|e| cool_error(path, format!("not a readable HDF5 file: {e}")))?;
        Ok(Self { file, path: path.to_owned(), budget })
    }

    /// The file's path.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// A [`HicError::Cool`] for this file.
    pub(crate) fn error(&self, detail: impl Into<String>) -> HicError {
        cool_error(&self.path, detail.into())
    }

    /// Whether a group exists at `path`.
    pub(crate) fn has_group(&self, path: &str) -> bool {
        self.file.group(path).is_ok()
    }

    /// The names of the groups and datasets directly under `path`.
    pub(crate) fn members(&self, path: &str) -> Result<(Vec<String>, Vec<String>), HicError> {
        self.file
            .group(path)
            .and_then(|g| g.member_names())
            .map_err(|e| self.error(format!("group {path}: {e}")))
    }

    /// A group attribute as text (`None` when absent or not a string).
    pub(crate) fn attr_string(&self, group: &str, name: &str) -> Option<String> {
        let attr = self.file.group(group).ok()?.attribute(name).ok()?;
        attr.read_string().ok().map(|s| s.trim_end_matches('\0').to_owned())
    }

    /// A group attribute as an integer (`None` when absent or not numeric).
    pub(crate) fn attr_int(&self, group: &str, name: &str) -> Option<i64> {
        let attr = self.file.group(group).ok()?.attribute(name).ok()?;
        let value = attr.read_as_f64().ok()?;
        (value.fract() == 0.0 && value.abs() < 9.0e15).then_some(value as i64)
    }

    /// The dataset at `path`.
    pub(crate) fn dataset(&self, path: &str) -> Result<Column<'_>, HicError> {
        let dataset = self.file.dataset(path).map_err(|e| self.error(format!("{path}: {e}")))?;
        let shape = dataset.shape();
        if shape.len() != 1 {
            return Err(self.error(format!("{path}: expected a 1-D dataset, found shape {shape:?}")));
        }
        let len = shape[0];
        let element = element_size(dataset.dtype());
        if len.saturating_mul(element.max(1)) > self.budget {
            return Err(self.error(format!(
                "{path}: {len} elements is more than this {}-byte file can hold",
                std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0)
            )));
        }
        Ok(Column { h5: self, dataset, path: path.to_owned(), len })
    }

    /// Whether a dataset exists at `path`.
    pub(crate) fn has_dataset(&self, path: &str) -> bool {
        self.file.dataset(path).is_ok()
    }
}

fn cool_error(path: &Path, detail: String) -> HicError {
    HicError::Cool { path: path.to_owned(), detail }
}

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ColumnKind {
    /// Integers (also enums over integers).
    Int,
    /// Floating-point numbers.
    Float,
    /// Text.
    Text,
    /// Anything else.
    Other,
}

/// A 1-D dataset.
pub(crate) struct Column<'f> {
    h5: &'f H5,
    dataset: Dataset,
    path: String,
    len: u64,
}

impl Column<'_> {
    /// Its number of elements.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// What it holds.
    pub(crate) fn kind(&self) -> ColumnKind {
        match self.dataset.dtype() {
            Datatype::FixedPoint { .. } | Datatype::Enum { .. } => ColumnKind::Int,
            Datatype::FloatingPoint { .. } => ColumnKind::Float,
            Datatype::String { .. } | Datatype::VarLen { .. } => ColumnKind::Text,
            _ => ColumnKind::Other,
        }
    }

    /// The enum's member names by value, when the column is an enum (cooler's `bins/chrom`).
    pub(crate) fn enum_names(&self) -> Option<Vec<(i64, String)>> {
        let Datatype::Enum { members, base } = self.dataset.dtype() else { return None };
        let order = match base.as_ref() {
            Datatype::FixedPoint { byte_order, .. } => *byte_order,
            _ => return None,
        };
        members.iter().map(|m| Some((decode_int(&m.value, order, true)?, m.name.clone()))).collect()
    }

    fn error(&self, detail: impl std::fmt::Display) -> HicError {
        self.h5.error(format!("{}: {detail}", self.path))
    }

    /// Every element as text.
    pub(crate) fn strings(&self) -> Result<Vec<String>, HicError> {
        self.dataset
            .read_strings()
            .map(|v| v.into_iter().map(|s| s.trim_end_matches('\0').to_owned()).collect())
            .map_err(|e| self.error(e))
    }

    /// Every element as an integer.
    pub(crate) fn ints(&self) -> Result<Vec<i64>, HicError> {
        self.int_range(0..self.len)
    }

    /// Elements `range` as integers (any signed/unsigned width, enums by value).
    pub(crate) fn int_range(&self, range: Range<u64>) -> Result<Vec<i64>, HicError> {
        self.check_range(&range)?;
        if range.is_empty() {
            return Ok(Vec::new());
        }
        let selection = slice(&range);
        macro_rules! read {
            ($ty:ty) => {
                self.dataset
                    .read_slice::<$ty>(&selection)
                    .map_err(|e| self.error(e))?
                    .iter()
                    .map(|&v| {
                        i64::try_from(v).map_err(|_| self.error("an unsigned value above 2^63 does not fit"))
                    })
                    .collect::<Result<Vec<i64>, HicError>>()
            };
        }
        let values = match self.dataset.dtype() {
            Datatype::FixedPoint { size, signed, .. } => match (size, signed) {
                (1, true) => read!(i8),
                (2, true) => read!(i16),
                (4, true) => read!(i32),
                (8, true) => read!(i64),
                (1, false) => read!(u8),
                (2, false) => read!(u16),
                (4, false) => read!(u32),
                (8, false) => read!(u64),
                _ => return Err(self.error(format!("{size}-byte integers are not supported"))),
            }?,
            Datatype::Enum { base, .. } => self.enum_values(base, &range)?,
            other => return Err(self.error(format!("expected integers, found {other:?}"))),
        };
        self.check_count(values.len(), &range)?;
        Ok(values)
    }

    /// Enum values by their integer base (the whole column is read: enums are `bins/chrom`).
    fn enum_values(&self, base: &Datatype, range: &Range<u64>) -> Result<Vec<i64>, HicError> {
        let Datatype::FixedPoint { size, signed, byte_order } = base else {
            return Err(self.error(format!("enum over {base:?} is not integer")));
        };
        let width = usize::from(*size);
        if width == 0 || width > 8 {
            return Err(self.error(format!("{size}-byte enum values are not supported")));
        }
        let raw = self.dataset.read_raw_bytes().map_err(|e| self.error(e))?;
        let (start, end) = (range.start as usize * width, range.end as usize * width);
        let bytes = raw.get(start..end).ok_or_else(|| self.error("enum data is short"))?;
        bytes
            .chunks_exact(width)
            .map(|b| {
                decode_int(b, *byte_order, *signed)
                    .ok_or_else(|| self.error("an enum value above 2^63 does not fit"))
            })
            .collect()
    }

    /// Elements `range` as `f64` (float32/float64; integers converted).
    pub(crate) fn float_range(&self, range: Range<u64>) -> Result<Vec<f64>, HicError> {
        let Datatype::FloatingPoint { size, .. } = self.dataset.dtype() else {
            return Ok(self.int_range(range)?.into_iter().map(|v| v as f64).collect());
        };
        self.check_range(&range)?;
        if range.is_empty() {
            return Ok(Vec::new());
        }
        let selection = slice(&range);
        let values: Vec<f64> = match size {
            4 => {
                self.dataset.read_slice::<f32>(&selection).map(|a| a.iter().map(|&v| f64::from(v)).collect())
            }
            8 => self.dataset.read_slice::<f64>(&selection).map(|a| a.iter().copied().collect()),
            other => return Err(self.error(format!("{other}-byte floats are not supported"))),
        }
        .map_err(|e| self.error(e))?;
        self.check_count(values.len(), &range)?;
        Ok(values)
    }

    fn check_range(&self, range: &Range<u64>) -> Result<(), HicError> {
        if range.end > self.len || range.start > range.end {
            return Err(self.error(format!("range {range:?} outside 0..{}", self.len)));
        }
        Ok(())
    }

    fn check_count(&self, got: usize, range: &Range<u64>) -> Result<(), HicError> {
        if got as u64 != range.end - range.start {
            return Err(self.error(format!("read {got} elements for range {range:?}")));
        }
        Ok(())
    }
}

fn slice(range: &Range<u64>) -> SliceInfo {
    SliceInfo { selections: vec![SliceInfoElem::Slice { start: range.start, end: range.end, step: 1 }] }
}

/// Bytes per element, for the allocation check (strings and other types count as 8).
fn element_size(dtype: &Datatype) -> u64 {
    match dtype {
        Datatype::FixedPoint { size, .. } | Datatype::FloatingPoint { size, .. } => u64::from(*size),
        Datatype::Enum { base, .. } => element_size(base),
        _ => 8,
    }
}

/// Decodes one integer of 1–8 bytes; `None` for an unsigned value above `i64::MAX`.
fn decode_int(bytes: &[u8], order: ByteOrder, signed: bool) -> Option<i64> {
    let width = bytes.len();
    if width == 0 || width > 8 {
        return None;
    }
    let mut le = [0u8; 8];
    for (i, &b) in bytes.iter().enumerate() {
        let at = if matches!(order, ByteOrder::BigEndian) { width - 1 - i } else { i };
        le[at] = b;
    }
    if signed && le[width - 1] & 0x80 != 0 {
        for b in &mut le[width..] {
            *b = 0xff;
        }
        return Some(i64::from_le_bytes(le));
    }
    i64::try_from(u64::from_le_bytes(le)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_decode_in_either_byte_order_and_sign() {
        assert_eq!(decode_int(&[0xfe, 0xff], ByteOrder::LittleEndian, true), Some(-2));
        assert_eq!(decode_int(&[0xfe, 0xff], ByteOrder::LittleEndian, false), Some(65534));
        assert_eq!(decode_int(&[0x01, 0x02], ByteOrder::BigEndian, false), Some(258));
        assert_eq!(decode_int(&[0xff; 8], ByteOrder::BigEndian, true), Some(-1));
        assert_eq!(decode_int(&[0xff; 8], ByteOrder::LittleEndian, false), None);
        assert_eq!(decode_int(&[], ByteOrder::LittleEndian, false), None);
        assert_eq!(decode_int(&[0; 9], ByteOrder::LittleEndian, false), None);
    }
}
