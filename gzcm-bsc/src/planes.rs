//! The byte-plane method: 4-byte cells split into planes, each coded alone.
//!
//! Tile cells are little-endian u32 counts (or f32). Their four bytes behave
//! very differently — the low byte of a large count is close to noise, the
//! high byte almost always zero — so sorting them as one interleaved text
//! mixes unrelated contexts. Each byte position is gathered into its own
//! plane and handled by what suits it:
//!
//! * all zero (the top byte of every count below 2^24): not stored at all;
//! * noise (coding saves less than a set fraction, by default 1/32, see
//!   [`crate::Options`]): stored raw, which costs a little size and saves
//!   much of the decode time of a dense tile;
//! * otherwise: its own BWT block (`block.rs`).
//!
//! Body layout (after the method's length field):
//!
//! ```text
//! flags   1   bits 0-3: plane k is kept (not all zero)
//!             bits 4-7: kept plane k is stored raw
//! raw planes, in plane order, n/4 bytes each
//! coded planes, in plane order: LEB128 byte length, then the block body;
//!             the last coded plane has no length (it runs to the end)
//! ```

use crate::block;
use crate::error::BscError;
use crate::format::{read_varint, write_varint};

/// Bytes of plane `k` of `cells`.
fn plane(cells: &[u8], k: usize) -> Vec<u8> {
    cells.iter().skip(k).step_by(4).copied().collect()
}

/// Appends the plane-method body for `cells` (length a multiple of 4).
/// A plane is BWT-coded only if that saves at least `min_saving`/1024 of its size.
pub(crate) fn encode(cells: &[u8], min_saving: usize, out: &mut Vec<u8>) -> Result<(), BscError> {
    let flags_at = out.len();
    out.push(0);
    let mut flags = 0u8;
    let mut coded = Vec::new();
    for k in 0..4 {
        let bytes = plane(cells, k);
        if bytes.iter().all(|&b| b == 0) {
            continue;
        }
        flags |= 1 << k;
        let mut body = Vec::new();
        block::encode(&bytes, &mut body)?;
        if body.len() + bytes.len() * min_saving / 1024 < bytes.len() {
            coded.push(body);
        } else {
            flags |= 0x10 << k;
            out.extend_from_slice(&bytes);
        }
    }
    out[flags_at] = flags;
    let last = coded.len().saturating_sub(1);
    for (i, body) in coded.iter().enumerate() {
        if i != last {
            // A plane body is below 2^29 bytes: MAX_INPUT_LEN / 4 plus a few.
            write_varint(body.len() as u32, out);
        }
        out.extend_from_slice(body);
    }
    Ok(())
}

/// Decodes a plane-method body into exactly `n` bytes appended to `out`.
pub(crate) fn decode(body: &[u8], n: usize, out: &mut Vec<u8>) -> Result<(), BscError> {
    if !n.is_multiple_of(4) {
        return Err(BscError::Corrupt { reason: "plane method for a length that is not a multiple of 4" });
    }
    let [flags, rest @ ..] = body else {
        return Err(BscError::Truncated { needed: 1, available: 0 });
    };
    let (kept, raw) = (flags & 0x0F, flags >> 4);
    if raw & !kept != 0 {
        return Err(BscError::Corrupt { reason: "plane flags mark an all-zero plane as raw" });
    }
    let m = n / 4;
    let start = out.len();
    out.resize(start + n, 0);
    let cells = &mut out[start..];
    let rest = read_raw_planes(rest, raw, m, cells)?;
    let rest = decode_coded_planes(rest, kept & !raw, m, cells)?;
    if !rest.is_empty() {
        return Err(BscError::TrailingBytes { used: body.len() - rest.len(), extra: rest.len() });
    }
    Ok(())
}

/// Copies the raw planes named in `mask` (m bytes each) into `cells`; returns the rest.
fn read_raw_planes<'a>(
    mut buf: &'a [u8],
    mask: u8,
    m: usize,
    cells: &mut [u8],
) -> Result<&'a [u8], BscError> {
    for k in (0..4).filter(|k| mask & (1 << k) != 0) {
        let Some((bytes, tail)) = buf.split_at_checked(m) else {
            return Err(BscError::Truncated { needed: m, available: buf.len() });
        };
        scatter(cells, k, bytes);
        buf = tail;
    }
    Ok(buf)
}

/// Decodes the coded planes named in `mask` into `cells`; returns the rest.
fn decode_coded_planes<'a>(
    mut buf: &'a [u8],
    mask: u8,
    m: usize,
    cells: &mut [u8],
) -> Result<&'a [u8], BscError> {
    let mut left = mask.count_ones();
    let mut bytes = Vec::with_capacity(if left == 0 { 0 } else { m });
    for k in (0..4).filter(|k| mask & (1 << k) != 0) {
        left -= 1;
        let this;
        // The last coded plane carries no length: it runs to the end.
        (this, buf) = if left == 0 { (buf, &buf[buf.len()..]) } else { split_body(buf)? };
        bytes.clear();
        block::decode(this, m, &mut bytes)?;
        scatter(cells, k, &bytes);
    }
    Ok(buf)
}

/// Splits a length-prefixed plane body off the front of `buf`.
fn split_body(buf: &[u8]) -> Result<(&[u8], &[u8]), BscError> {
    let (len, rest) = read_varint(buf)?;
    rest.split_at_checked(len as usize)
        .ok_or(BscError::Truncated { needed: len as usize, available: rest.len() })
}

/// Writes `bytes` into byte position `k` of every 4-byte cell.
fn scatter(cells: &mut [u8], k: usize, bytes: &[u8]) {
    for (dst, &b) in cells[k..].iter_mut().step_by(4).zip(bytes) {
        *dst = b;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(cells: &[u8]) -> Vec<u8> {
        let mut body = Vec::new();
        encode(cells, 32, &mut body).unwrap();
        let mut back = vec![7u8];
        decode(&body, cells.len(), &mut back).unwrap();
        assert_eq!(&back[1..], cells);
        body
    }

    #[test]
    fn zero_planes_are_dropped() {
        let cells: Vec<u8> = (0..4096u32).flat_map(|i| (i % 50 * 300).to_le_bytes()).collect();
        let body = round_trip(&cells);
        assert_eq!(body[0], 0b0011);
    }

    #[test]
    fn noise_planes_are_raw() {
        let mut x = 1u32;
        let cells: Vec<u8> = (0..4096u32)
            .flat_map(|i| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                ((i % 7) << 8 | (x >> 24)).to_le_bytes()
            })
            .collect();
        let body = round_trip(&cells);
        assert_eq!(body[0], 0b0001_0011, "plane 0 raw, plane 1 coded");
    }

    #[test]
    fn all_zero_cells_have_an_empty_body() {
        assert_eq!(round_trip(&[0u8; 32]), vec![0]);
    }
}
