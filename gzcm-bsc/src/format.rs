//! Payload header: version byte, method byte, and method parameters.

use crate::error::BscError;

/// The payload format version this build writes and reads.
pub(crate) const VERSION: u8 = 1;

/// How the payload body is coded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    /// Body is the input verbatim.
    Stored = 0,
    /// Body is the decoded length, then one BWT block (`block.rs`).
    Bwt = 1,
    /// Body is the decoded length, then the byte planes of 4-byte cells,
    /// each dropped, raw or one BWT block (`planes.rs`).
    BwtPlanes = 2,
}

impl Method {
    fn from_byte(b: u8) -> Result<Self, BscError> {
        match b {
            0 => Ok(Self::Stored),
            1 => Ok(Self::Bwt),
            2 => Ok(Self::BwtPlanes),
            found => Err(BscError::UnknownMethod { found }),
        }
    }
}

/// Appends the two header bytes.
pub(crate) fn write_header(method: Method, out: &mut Vec<u8>) {
    out.push(VERSION);
    out.push(method as u8);
}

/// Splits a payload into its method and body.
pub(crate) fn read_header(payload: &[u8]) -> Result<(Method, &[u8]), BscError> {
    let [version, method, body @ ..] = payload else {
        return Err(BscError::Truncated { needed: 2, available: payload.len() });
    };
    if *version != VERSION {
        return Err(BscError::UnsupportedVersion { found: *version, supported: VERSION });
    }
    Ok((Method::from_byte(*method)?, body))
}

/// Appends the decoded length (coded methods only: stored bodies are their length).
pub(crate) fn write_len(n: usize, out: &mut Vec<u8>) {
    // The caller has capped n at MAX_INPUT_LEN, below 2^31.
    write_varint(n as u32, out);
}

/// Reads the decoded length and checks it against the caller's; returns the rest.
pub(crate) fn check_len(body: &[u8], expected: usize) -> Result<&[u8], BscError> {
    let (found, rest) = read_varint(body)?;
    if found as usize != expected {
        return Err(BscError::LengthMismatch { expected, found: found as usize });
    }
    Ok(rest)
}

/// Appends `v` as LEB128 (7 bits per byte, low first).
pub(crate) fn write_varint(mut v: u32, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a LEB128 `u32` from the front of `buf`; returns it and the rest.
pub(crate) fn read_varint(buf: &[u8]) -> Result<(u32, &[u8]), BscError> {
    let mut v: u64 = 0;
    for (i, &b) in buf.iter().enumerate().take(5) {
        v |= u64::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            let v = u32::try_from(v).map_err(|_| BscError::Corrupt { reason: "varint exceeds 32 bits" })?;
            return Ok((v, &buf[i + 1..]));
        }
    }
    if buf.len() >= 5 {
        Err(BscError::Corrupt { reason: "varint longer than 5 bytes" })
    } else {
        Err(BscError::Truncated { needed: buf.len() + 1, available: buf.len() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_reject_junk() {
        for v in [0, 1, 127, 128, 300, 1 << 21, u32::MAX] {
            let mut b = Vec::new();
            write_varint(v, &mut b);
            b.push(0xAA);
            assert_eq!(read_varint(&b).unwrap(), (v, &[0xAA][..]));
        }
        assert!(read_varint(&[0x80, 0x80]).is_err());
        assert!(read_varint(&[0xFF; 6]).is_err());
        assert!(read_varint(&[0xFF, 0xFF, 0xFF, 0xFF, 0x7F]).is_err());
    }

    #[test]
    fn header_rejects_unknown_version_and_method() {
        assert!(matches!(read_header(&[]), Err(BscError::Truncated { .. })));
        assert!(matches!(read_header(&[9, 0]), Err(BscError::UnsupportedVersion { .. })));
        assert!(matches!(read_header(&[VERSION, 77]), Err(BscError::UnknownMethod { .. })));
        assert_eq!(read_header(&[VERSION, 0, 5]).unwrap(), (Method::Stored, &[5][..]));
    }
}
