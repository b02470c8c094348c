//! The fixed preamble (SPEC §2): magic, `header_len`, the JSON header and the padding up to
//! `data_offset` — reading it off a file's first bytes, and laying it out for a writer.

use crate::error::ContainerError;
use crate::format::error::FormatError;

/// The four magic bytes every file starts with (SPEC §2).
pub const MAGIC: [u8; 4] = *b"GZCM";
/// Bytes before the JSON: magic and `header_len`.
pub const PREAMBLE_LEN: u64 = 8;
/// `data_offset` is a multiple of this (SPEC §2).
pub const DATA_ALIGN: u64 = 4096;
/// Largest `header_len` a reader accepts: far above any real header (a genome-wide `chroms`
/// list is a few hundred KiB), small enough that a lying length cannot exhaust memory.
pub const MAX_HEADER_LEN: u64 = 64 << 20;

/// `data_offset` for a header of `json_len` bytes: the preamble and JSON rounded up to 4096.
#[must_use]
pub fn data_offset(json_len: u64) -> u64 {
    (PREAMBLE_LEN + json_len).div_ceil(DATA_ALIGN) * DATA_ALIGN
}

/// The bytes from offset 0 to `data_offset`: magic, `header_len`, JSON, 0x20 padding.
///
/// # Panics
/// Never for headers below 4 GiB; the writer's headers are kilobytes.
#[must_use]
pub fn encode_preamble(json: &[u8]) -> Vec<u8> {
    let len = u32::try_from(json.len()).expect("header JSON below 4 GiB");
    let total = data_offset(u64::from(len));
    let mut out = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(json);
    out.resize(usize::try_from(total).unwrap_or(0), b' ');
    out
}

/// Lays out a header whose JSON mentions the payload start (`make` receives it and returns
/// the header's JSON): returns the bytes from offset 0 up to that start (magic, length, JSON,
/// 0x20 padding) and the start.
///
/// The start is a multiple of 4096 at or after `data_offset`; a larger number can lengthen the
/// JSON, so this iterates until the JSON fits (at most a few rounds: lengths grow by digits).
pub(crate) fn place(
    make: impl Fn(u64) -> Result<Vec<u8>, ContainerError>,
) -> Result<(Vec<u8>, u64), ContainerError> {
    let mut start = DATA_ALIGN;
    loop {
        let json = make(start)?;
        let needed = data_offset(json.len() as u64);
        if needed <= start {
            let mut bytes = encode_preamble(&json);
            bytes.resize(usize::try_from(start).unwrap_or(0), b' ');
            return Ok((bytes, start));
        }
        start = needed;
    }
}

/// As [`place`] without padding: the payload start is right after the JSON (packed-index-1).
pub(crate) fn place_unpadded(
    make: impl Fn(u64) -> Result<Vec<u8>, ContainerError>,
) -> Result<(Vec<u8>, u64), ContainerError> {
    let mut start = PREAMBLE_LEN;
    loop {
        let json = make(start)?;
        let needed = PREAMBLE_LEN + json.len() as u64;
        if needed <= start {
            let mut bytes = Vec::with_capacity(usize::try_from(start).unwrap_or(0));
            bytes.extend_from_slice(&MAGIC);
            bytes.extend_from_slice(&u32::try_from(json.len()).unwrap_or(u32::MAX).to_le_bytes());
            bytes.extend_from_slice(&json);
            bytes.resize(usize::try_from(start).unwrap_or(0), b' ');
            return Ok((bytes, start));
        }
        start = needed;
    }
}

/// Reads magic and `header_len` from the start of a file and returns the JSON bytes.
///
/// # Errors
/// [`FormatError::BadMagic`], [`FormatError::Truncated`], [`FormatError::HeaderTooLarge`].
pub fn split_preamble(file: &[u8]) -> Result<&[u8], FormatError> {
    let file_len = file.len() as u64;
    if file.len() < MAGIC.len() || file[..4] != MAGIC {
        return Err(FormatError::BadMagic { found: file.iter().take(4).copied().collect() });
    }
    let Some(len_bytes) = file.get(4..8) else {
        return Err(FormatError::Truncated { what: "header length", needed: PREAMBLE_LEN, file_len });
    };
    let header_len = u64::from(u32::from_le_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]));
    if header_len > MAX_HEADER_LEN {
        return Err(FormatError::HeaderTooLarge { header_len, max: MAX_HEADER_LEN });
    }
    // Padding (when the file has any) is checked once the header says which layout it uses.
    let needed = PREAMBLE_LEN + header_len;
    if needed > file_len {
        return Err(FormatError::Truncated { what: "header", needed, file_len });
    }
    // header_len ≤ 64 MiB and PREAMBLE_LEN + header_len ≤ file_len: the slice is in bounds.
    let end = usize::try_from(PREAMBLE_LEN + header_len).unwrap_or(usize::MAX);
    file.get(8..end).ok_or(FormatError::Truncated { what: "header", needed, file_len })
}

/// The JSON length recorded in a preamble's bytes 4..8.
pub(crate) fn json_len(preamble: &[u8]) -> usize {
    let bytes = [preamble[4], preamble[5], preamble[6], preamble[7]];
    u32::from_le_bytes(bytes) as usize
}

/// Where the header's padding ends, from a file's first bytes (`None` when they are not a
/// plausible preamble): what a reader of a remote file must fetch to hold the whole header.
pub(crate) fn header_end(head: &[u8]) -> Option<u64> {
    let len = head.get(4..8)?;
    let header_len = u64::from(u32::from_le_bytes([len[0], len[1], len[2], len[3]]));
    (header_len <= MAX_HEADER_LEN).then(|| data_offset(header_len))
}
