//! Per-row bit-plane binarisation.
//!
//! Each row of the reordered tile (one diagonal) is split into as many bit-planes as its largest
//! value needs. Genie marks a row's last plane with a sentinel column; here the plane count is
//! written once per row instead, which carries the same information in one byte and lets a
//! decoder check it (at most 32) before reading anything.

use crate::error::CmcError;

/// Bits needed to write `v` (0 for 0, 32 for values from 2^31 up).
#[inline]
pub(crate) fn nbits(v: u32) -> u32 {
    u32::BITS - v.leading_zeros()
}

/// Appends `values` as `planes` bit-planes, most significant first, each packed eight cells to a
/// byte (first cell in the highest bit) so a plane's zero runs become zero bytes.
pub(crate) fn write_planes(values: &[u32], planes: u32, out: &mut Vec<u8>) {
    for plane in (0..planes).rev() {
        for chunk in values.chunks(8) {
            let byte = chunk
                .iter()
                .enumerate()
                .fold(0u8, |acc, (c, &v)| acc | (((v >> plane) & 1) as u8) << (7 - c));
            out.push(byte);
        }
    }
}

/// Bytes that [`write_planes`] produces for `cells` values and `planes` planes.
pub(crate) fn planes_len(cells: usize, planes: u32) -> usize {
    cells.div_ceil(8) * planes as usize
}

/// Reads `planes` bit-planes of `values.len()` cells back; returns the unread rest of `bytes`.
pub(crate) fn read_planes<'a>(
    bytes: &'a [u8],
    planes: u32,
    values: &mut [u32],
) -> Result<&'a [u8], CmcError> {
    let needed = planes_len(values.len(), planes);
    let (body, rest) =
        bytes.split_at_checked(needed).ok_or(CmcError::Truncated { needed, available: bytes.len() })?;
    values.fill(0);
    let per_plane = values.len().div_ceil(8);
    if per_plane == 0 {
        return Ok(rest);
    }
    for (plane_bytes, plane) in body.chunks_exact(per_plane).zip((0..planes).rev()) {
        for (c, v) in values.iter_mut().enumerate() {
            *v |= u32::from(plane_bytes[c / 8] >> (7 - c % 8) & 1) << plane;
        }
    }
    Ok(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nbits_of_edges() {
        assert_eq!(nbits(0), 0);
        assert_eq!(nbits(1), 1);
        assert_eq!(nbits(255), 8);
        assert_eq!(nbits(256), 9);
        assert_eq!(nbits(u32::MAX), 32);
    }

    #[test]
    fn planes_round_trip() {
        let values = [0, 1, 7, u32::MAX, 5, 0, 0, 9, 1 << 31, 3];
        let planes = nbits(*values.iter().max().unwrap());
        let mut bytes = Vec::new();
        write_planes(&values, planes, &mut bytes);
        assert_eq!(bytes.len(), planes_len(values.len(), planes));
        bytes.push(42);
        let mut back = [0; 10];
        let rest = read_planes(&bytes, planes, &mut back).unwrap();
        assert_eq!(back, values);
        assert_eq!(rest, [42]);
    }

    #[test]
    fn short_planes_are_truncated() {
        let mut back = [0; 9];
        assert!(matches!(
            read_planes(&[0; 3], 2, &mut back),
            Err(CmcError::Truncated { needed: 4, available: 3 })
        ));
    }
}
