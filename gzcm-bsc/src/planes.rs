//! Byte-plane split of 4-byte cells, dropping planes that are all zero.
//!
//! Tile cells are little-endian u32 counts (or f32). Their four bytes behave
//! very differently — the low byte is noisy, the high byte almost always
//! zero — so sorting them as one interleaved text mixes unrelated contexts.
//! Gathering each byte position into its own plane gives the BWT coherent
//! runs, and a plane of zeros (the top byte of every count below 2^24) is not
//! coded at all: it costs one bit in the plane mask.

/// Splits `cells` (length a multiple of 4) into its non-zero planes,
/// concatenated low byte first; returns the 4-bit mask of planes kept.
pub(crate) fn split(cells: &[u8]) -> (u8, Vec<u8>) {
    let m = cells.len() / 4;
    let mut mask = 0u8;
    for plane in 0..4 {
        if cells.iter().skip(plane).step_by(4).any(|&b| b != 0) {
            mask |= 1 << plane;
        }
    }
    let mut out = Vec::with_capacity(m * mask.count_ones() as usize);
    for plane in (0..4).filter(|p| mask & (1 << p) != 0) {
        out.extend(cells.iter().skip(plane).step_by(4));
    }
    (mask, out)
}

/// Interleaves `planes` (the kept planes, each `n / 4` bytes) back into `n`
/// bytes of cells appended to `out`. The caller has checked the sizes.
pub(crate) fn merge(mask: u8, planes: &[u8], n: usize, out: &mut Vec<u8>) {
    let m = n / 4;
    let start = out.len();
    out.resize(start + n, 0);
    let cells = &mut out[start..];
    let mut kept = planes.chunks_exact(m.max(1));
    for plane in 0..4 {
        if mask & (1 << plane) == 0 {
            continue;
        }
        if let Some(src) = kept.next() {
            for (dst, &b) in cells[plane..].iter_mut().step_by(4).zip(src) {
                *dst = b;
            }
        }
    }
}

/// Bytes the kept planes occupy for an `n`-byte input.
pub(crate) fn planes_len(mask: u8, n: usize) -> usize {
    n / 4 * (mask & 0x0F).count_ones() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_drops_zero_planes_and_merge_restores() {
        let cells: Vec<u8> = (0..64u32).flat_map(|i| (i * 300).to_le_bytes()).collect();
        let (mask, planes) = split(&cells);
        assert_eq!(mask, 0b0011);
        assert_eq!(planes.len(), planes_len(mask, cells.len()));
        let mut back = vec![7u8];
        merge(mask, &planes, cells.len(), &mut back);
        assert_eq!(&back[1..], &cells[..]);
    }

    #[test]
    fn all_zero_cells_keep_no_plane() {
        let (mask, planes) = split(&[0u8; 32]);
        assert_eq!((mask, planes.len()), (0, 0));
        let mut back = Vec::new();
        merge(0, &[], 32, &mut back);
        assert_eq!(back, vec![0u8; 32]);
    }
}
