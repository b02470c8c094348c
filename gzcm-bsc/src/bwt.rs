//! Burrows–Wheeler transform: forward through `libsais`, inverse in safe Rust.
//!
//! Convention (libsais'): the text is sorted as if a unique smallest sentinel
//! `$` followed it. The output has the text's length because the sentinel is
//! left out; the *primary index* `p` (1..=n for n > 0) is where it would sit in
//! the full (n + 1)-row BWT. The decoder rebuilds the text from the two alone.

use crate::error::BscError;
use libsais::{BwtConstruction, LibsaisError};

/// Forward BWT of `text`: returns the transformed bytes and the primary index.
pub(crate) fn forward(text: &[u8]) -> Result<(Vec<u8>, u32), BscError> {
    if text.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let res = BwtConstruction::for_text(text)
        .with_owned_temporary_array_buffer32()
        .single_threaded()
        .run()
        .map_err(|e| BscError::SuffixSort {
        reason: match e {
            LibsaisError::InvalidInput => "invalid input",
            LibsaisError::OutOfMemory => "out of memory",
            LibsaisError::UnknownError => "unknown libsais error",
        },
    })?;
    let primary = res.primary_index();
    let primary =
        u32::try_from(primary).map_err(|_| BscError::SuffixSort { reason: "primary index out of range" })?;
    Ok((res.into_vec(), primary))
}

/// Inverse BWT into `out` (appended). `primary` must be in 1..=bwt.len().
///
/// Works for any byte content: with a valid primary index the successor table
/// is a permutation of 0..=n, so the walk stays in bounds and ends after n steps.
pub(crate) fn inverse(bwt: &[u8], primary: u32, out: &mut Vec<u8>) -> Result<(), BscError> {
    let n = bwt.len();
    if n == 0 {
        return if primary == 0 {
            Ok(())
        } else {
            Err(BscError::Corrupt { reason: "primary index set for an empty block" })
        };
    }
    let p = primary as usize;
    if p == 0 || p > n {
        return Err(BscError::Corrupt { reason: "primary index out of range" });
    }
    // Packing the symbol next to its successor in one u32 halves the cache
    // misses of the walk; it fits while n < 2^24 (every typical tile).
    if n < (1 << 24) {
        inverse_packed(bwt, p, out);
    } else {
        inverse_wide(bwt, p, out);
    }
    Ok(())
}

/// First row of each symbol's bucket in the full (sentinel-including) sort.
fn bucket_starts(bwt: &[u8]) -> [usize; 256] {
    let mut counts = [0usize; 256];
    for &b in bwt {
        counts[b as usize] += 1;
    }
    let mut starts = [0usize; 256];
    let mut sum = 1; // row 0 is the sentinel's
    for (s, c) in starts.iter_mut().zip(counts) {
        *s = sum;
        sum += c;
    }
    starts
}

/// Walks the successor table `next[row] = (row_of_next_char << 8) | char`.
fn inverse_packed(bwt: &[u8], p: usize, out: &mut Vec<u8>) {
    let n = bwt.len();
    let mut starts = bucket_starts(bwt);
    let mut next = vec![0u32; n + 1];
    for (i, &c) in bwt.iter().enumerate() {
        let row = if i < p { i } else { i + 1 };
        let slot = &mut starts[c as usize];
        next[*slot] = ((row as u32) << 8) | u32::from(c);
        *slot += 1;
    }
    out.reserve(n);
    let mut cur = next[p];
    for _ in 0..n {
        out.push(cur as u8);
        cur = next[(cur >> 8) as usize];
    }
}

/// Same walk for blocks of 2^24 bytes and more, with 64-bit entries.
fn inverse_wide(bwt: &[u8], p: usize, out: &mut Vec<u8>) {
    let n = bwt.len();
    let mut starts = bucket_starts(bwt);
    let mut next = vec![0u64; n + 1];
    for (i, &c) in bwt.iter().enumerate() {
        let row = if i < p { i } else { i + 1 };
        let slot = &mut starts[c as usize];
        next[*slot] = ((row as u64) << 8) | u64::from(c);
        *slot += 1;
    }
    out.reserve(n);
    let mut cur = next[p];
    for _ in 0..n {
        out.push(cur as u8);
        cur = next[(cur >> 8) as usize];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &[u8]) {
        let (b, p) = forward(text).unwrap();
        assert_eq!(b.len(), text.len());
        let mut out = Vec::new();
        inverse(&b, p, &mut out).unwrap();
        assert_eq!(out, text);
    }

    #[test]
    fn round_trips_small_texts() {
        for t in [&b""[..], b"a", b"ab", b"banana", b"aaaaaaaa", b"abracadabra\0\0\xff"] {
            round_trip(t);
        }
    }

    #[test]
    fn wide_path_matches_packed_path() {
        let text: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 13) as u8).collect();
        let (b, p) = forward(&text).unwrap();
        let (mut a, mut w) = (Vec::new(), Vec::new());
        inverse_packed(&b, p as usize, &mut a);
        inverse_wide(&b, p as usize, &mut w);
        assert_eq!(a, text);
        assert_eq!(w, text);
    }

    #[test]
    fn any_bytes_with_valid_index_do_not_panic() {
        let junk: Vec<u8> = (0..300u32).map(|i| (i * 31 % 251) as u8).collect();
        for p in 1..=junk.len() as u32 {
            let mut out = Vec::new();
            inverse(&junk, p, &mut out).unwrap();
            assert_eq!(out.len(), junk.len());
        }
        assert!(inverse(&junk, 0, &mut Vec::new()).is_err());
        assert!(inverse(&junk, 301, &mut Vec::new()).is_err());
    }
}
