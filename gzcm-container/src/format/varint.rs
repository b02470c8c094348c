//! LEB128 varints and zigzag, as the packed index and tile groups store their columns.

use std::io::Write;

/// Writes `value` as an unsigned LEB128 varint.
pub(crate) fn put_varint(out: &mut impl Write, mut value: u64) -> std::io::Result<()> {
    let mut bytes = [0u8; 10];
    let mut n = 0;
    while value >= 0x80 {
        bytes[n] = (value as u8 & 0x7f) | 0x80;
        value >>= 7;
        n += 1;
    }
    bytes[n] = value as u8;
    out.write_all(&bytes[..=n])
}

/// Reads one varint off the front of `bytes`: `None` when they end first or it runs past 64 bits.
pub(crate) fn take_varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for (at, &byte) in bytes.iter().enumerate().take(10) {
        let bits = u64::from(byte & 0x7f);
        if at == 9 && bits > 1 {
            return None;
        }
        value |= bits << (7 * at);
        if byte & 0x80 == 0 {
            *bytes = &bytes[at + 1..];
            return Some(value);
        }
    }
    None
}

/// Maps a signed value to an unsigned one, small magnitudes to small values.
pub(crate) fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

/// The inverse of [`zigzag`].
pub(crate) fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_junk_is_refused() {
        for value in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut bytes = Vec::new();
            put_varint(&mut bytes, value).unwrap();
            bytes.push(0xAA);
            let mut rest = bytes.as_slice();
            assert_eq!(take_varint(&mut rest), Some(value));
            assert_eq!(rest, [0xAA]);
        }
        assert_eq!(take_varint(&mut [0x80u8, 0x80].as_slice()), None);
        assert_eq!(take_varint(&mut [0xFFu8; 10].as_slice()), None);
        assert_eq!(
            take_varint(&mut [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02].as_slice()),
            None
        );
        for value in [0i64, -1, 1, i64::MIN, i64::MAX] {
            assert_eq!(unzigzag(zigzag(value)), value);
        }
    }
}
