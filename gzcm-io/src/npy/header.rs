//! The `.npy` preamble: magic, version, header length and the header dictionary, validated.

use std::io::{self, Read};

use crate::error::NpyFault;
use crate::npy::pylit::{PyValue, parse_dict};

const MAGIC: &[u8; 6] = b"\x93NUMPY";
/// Longest header dictionary accepted; numpy's own limit for version 1.0 headers is 64 KiB,
/// and nothing a 2-D array needs comes close.
const MAX_HEADER_BYTES: u64 = 1 << 20;

/// Element types gzcm reads from `.npy` data (all little-endian).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NpyDtype {
    /// `<f4`
    F4,
    /// `<f8`
    F8,
    /// `<i4`
    I4,
    /// `<i8`
    I8,
    /// `<u4`
    U4,
    /// `<u8`
    U8,
}

impl NpyDtype {
    fn from_descr(descr: &str) -> Option<Self> {
        Some(match descr {
            "<f4" => NpyDtype::F4,
            "<f8" => NpyDtype::F8,
            "<i4" => NpyDtype::I4,
            "<i8" => NpyDtype::I8,
            "<u4" => NpyDtype::U4,
            "<u8" => NpyDtype::U8,
            _ => return None,
        })
    }

    /// Bytes per element.
    #[must_use]
    pub const fn itemsize(self) -> usize {
        match self {
            NpyDtype::F4 | NpyDtype::I4 | NpyDtype::U4 => 4,
            NpyDtype::F8 | NpyDtype::I8 | NpyDtype::U8 => 8,
        }
    }

    /// Whether the elements are floating point.
    #[must_use]
    pub const fn is_float(self) -> bool {
        matches!(self, NpyDtype::F4 | NpyDtype::F8)
    }

    /// The numpy descriptor string (`<f4`, …).
    #[must_use]
    pub const fn descr(self) -> &'static str {
        match self {
            NpyDtype::F4 => "<f4",
            NpyDtype::F8 => "<f8",
            NpyDtype::I4 => "<i4",
            NpyDtype::I8 => "<i8",
            NpyDtype::U4 => "<u4",
            NpyDtype::U8 => "<u8",
        }
    }
}

/// A validated `.npy` header of a 2-D, C-order array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NpyHeader {
    /// Element type.
    pub dtype: NpyDtype,
    /// Rows.
    pub rows: u32,
    /// Columns.
    pub cols: u32,
    /// Byte offset of the data (magic + version + length field + dictionary).
    pub data_offset: u64,
}

impl NpyHeader {
    /// Bytes of data the header promises (`rows × cols × itemsize`; checked to fit `u64` when
    /// the header was read).
    #[must_use]
    pub fn data_bytes(&self) -> u64 {
        (u64::from(self.rows) * u64::from(self.cols)).saturating_mul(self.dtype.itemsize() as u64)
    }
}

/// Why a header could not be read: the stream failed, or its content is wrong.
#[derive(Debug)]
pub(crate) enum HeaderError {
    Io(io::Error),
    Fault(NpyFault),
}

impl From<NpyFault> for HeaderError {
    fn from(fault: NpyFault) -> Self {
        HeaderError::Fault(fault)
    }
}

/// Reads and validates the preamble, leaving `input` at the first data byte.
pub(crate) fn read_header(input: &mut impl Read) -> Result<NpyHeader, HeaderError> {
    let mut preamble = Vec::with_capacity(8);
    // A decompressor reports a cut stream as an error after the bytes it could produce.
    let read = input.by_ref().take(8).read_to_end(&mut preamble);
    if preamble.is_empty() {
        read.map_err(HeaderError::Io)?;
        return Err(NpyFault::BadMagic.into());
    }
    let magic_len = preamble.len().min(MAGIC.len());
    if preamble[..magic_len] != MAGIC[..magic_len] {
        return Err(NpyFault::BadMagic.into());
    }
    if preamble.len() < 8 {
        // The start is right but the data stops: a cut file or compressed stream.
        return Err(NpyFault::Truncated("its first 8 bytes (magic and version)").into());
    }
    read.map_err(HeaderError::Io)?;
    let (major, minor) = (preamble[6], preamble[7]);
    let length_bytes = match (major, minor) {
        (1, 0) => 2,
        (2 | 3, 0) => 4,
        _ => return Err(NpyFault::UnsupportedVersion { major, minor }.into()),
    };
    let mut length = [0u8; 4];
    let truncated = NpyFault::BadHeader { reason: "the file ends inside the header" };
    read_or_fault(input, &mut length[..length_bytes], truncated.clone())?;
    let header_len = u64::from(u32::from_le_bytes(length));
    if header_len > MAX_HEADER_BYTES {
        return Err(NpyFault::HeaderTooLong { len: header_len, max: MAX_HEADER_BYTES }.into());
    }
    // Bounded by MAX_HEADER_BYTES just above.
    let mut dict = vec![0u8; header_len as usize];
    read_or_fault(input, &mut dict, truncated)?;
    let text = std::str::from_utf8(&dict)
        .map_err(|_| NpyFault::BadHeader { reason: "the header is not UTF-8 text" })?;
    let mut header = parse_fields(text)?;
    header.data_offset = 8 + length_bytes as u64 + header_len;
    Ok(header)
}

fn read_or_fault(input: &mut impl Read, buf: &mut [u8], fault: NpyFault) -> Result<(), HeaderError> {
    input.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => HeaderError::Fault(fault),
        _ => HeaderError::Io(e),
    })
}

fn parse_fields(text: &str) -> Result<NpyHeader, NpyFault> {
    let entries = parse_dict(text)?;
    let get = |key: &'static str| {
        entries.iter().find(|(k, _)| k == key).map(|(_, v)| v).ok_or(NpyFault::MissingKey(key))
    };
    let dtype = match get("descr")? {
        PyValue::Str(descr) => {
            NpyDtype::from_descr(descr).ok_or_else(|| NpyFault::UnsupportedDtype(descr.clone()))?
        }
        _ => return Err(NpyFault::UnsupportedDtype("a structured dtype".to_owned())),
    };
    match get("fortran_order")? {
        PyValue::Bool(false) => {}
        PyValue::Bool(true) => return Err(NpyFault::FortranOrder),
        _ => {
            return Err(NpyFault::BadHeader { reason: "fortran_order is not a boolean" });
        }
    }
    let (rows, cols) = shape(get("shape")?)?;
    let fits = u64::from(rows)
        .checked_mul(u64::from(cols))
        .and_then(|cells| cells.checked_mul(dtype.itemsize() as u64))
        .is_some();
    if !fits {
        return Err(NpyFault::DataTooLarge {
            rows: rows.into(),
            cols: cols.into(),
            itemsize: dtype.itemsize(),
        });
    }
    Ok(NpyHeader { dtype, rows, cols, data_offset: 0 })
}

fn shape(value: &PyValue) -> Result<(u32, u32), NpyFault> {
    let PyValue::Seq(dims) = value else {
        return Err(NpyFault::BadHeader { reason: "shape is not a tuple" });
    };
    let dims: Vec<u64> = dims
        .iter()
        .map(|d| match d {
            PyValue::Int(n) => Ok(*n),
            _ => Err(NpyFault::BadHeader { reason: "shape holds a non-integer" }),
        })
        .collect::<Result<_, _>>()?;
    let &[rows, cols] = dims.as_slice() else {
        return Err(NpyFault::NotTwoDimensional(dims.len()));
    };
    match (u32::try_from(rows), u32::try_from(cols)) {
        (Ok(r), Ok(c)) => Ok((r, c)),
        _ => Err(NpyFault::ShapeTooLarge { rows, cols }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(version: u8, dict: &str) -> Vec<u8> {
        let mut bytes = MAGIC.to_vec();
        bytes.extend([version, 0]);
        if version == 1 {
            bytes.extend(u16::try_from(dict.len()).unwrap().to_le_bytes());
        } else {
            bytes.extend(u32::try_from(dict.len()).unwrap().to_le_bytes());
        }
        bytes.extend(dict.as_bytes());
        bytes
    }

    fn fault(bytes: &[u8]) -> NpyFault {
        match read_header(&mut &bytes[..]) {
            Err(HeaderError::Fault(f)) => f,
            other => panic!("expected a fault, got {other:?}"),
        }
    }

    #[test]
    fn versions_one_two_three_read() {
        let dict = "{'descr': '<u4', 'fortran_order': False, 'shape': (3, 4), }\n";
        for version in 1..=3 {
            let header = read_header(&mut &file(version, dict)[..]).unwrap();
            assert_eq!((header.dtype, header.rows, header.cols), (NpyDtype::U4, 3, 4));
            let extra = if version == 1 { 10 } else { 12 };
            assert_eq!(header.data_offset, (extra + dict.len()) as u64);
        }
    }

    #[test]
    fn bad_headers_give_typed_faults() {
        let ok = |descr: &str, fortran: &str, shape: &str| {
            file(1, &format!("{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape}}}"))
        };
        assert_eq!(fault(b"PK\x03\x04 not npy"), NpyFault::BadMagic);
        assert!(matches!(fault(b"\x93NUM"), NpyFault::Truncated(_)));
        assert_eq!(fault(b"\x93NUMPY\x04\x00"), NpyFault::UnsupportedVersion { major: 4, minor: 0 });
        assert_eq!(fault(&ok(">f4", "False", "(2, 2)")), NpyFault::UnsupportedDtype(">f4".into()));
        assert_eq!(fault(&ok("<f4", "True", "(2, 2)")), NpyFault::FortranOrder);
        assert_eq!(fault(&ok("<f4", "False", "(2, 2, 2)")), NpyFault::NotTwoDimensional(3));
        assert_eq!(
            fault(&ok("<f4", "False", "(4294967296, 1)")),
            NpyFault::ShapeTooLarge { rows: 1 << 32, cols: 1 }
        );
        assert_eq!(
            fault(&file(1, "{'descr': '<f4', 'shape': (1, 1)}")),
            NpyFault::MissingKey("fortran_order")
        );
        let mut huge = MAGIC.to_vec();
        huge.extend([2, 0, 0xff, 0xff, 0xff, 0xff]);
        assert!(matches!(fault(&huge), NpyFault::HeaderTooLong { .. }));
        let mut short = file(1, "{'descr': '<f4'}");
        short.truncate(14);
        assert!(matches!(fault(&short), NpyFault::BadHeader { .. }));
    }
}
