//! Whole-file checksums (format revision "integrity-1", docs/format.md §Integrity).
//!
//! A file written since the revision carries two independent indicators that it has checksums:
//! the header key `integrity` and a fixed 20-byte trailer as the file's last bytes. The trailer
//! holds the crc32c of the preamble and the whole header JSON, the crc32c of the index (v3/v4)
//! or of the block-checksum table (v1/v2), and its own crc32c. A reader treats any disagreement
//! between the two indicators as corruption, so a flipped bit that erases one of them cannot
//! make a new file pass for an old one. Files without both indicators predate the revision and
//! are read as before.
//!
//! v1/v2 keep their memory-mappable array; after it comes a table of one crc32c per
//! `block_bytes` block of the array (the last block may be shorter), checked by `verify`.

use serde::{Deserialize, Serialize};

use crate::format::error::FormatError;

/// The trailer's first eight bytes.
pub const TRAILER_MAGIC: [u8; 8] = *b"GZCMSUM1";
/// Bytes in the trailer: magic, header crc, data crc, trailer crc.
pub const TRAILER_BYTES: u64 = 20;
/// The `integrity.checksum` value this reader knows.
pub const CHECKSUM_CRC32C: &str = "crc32c";
/// Bytes of the v1/v2 array covered by one crc32c of the block table.
pub const DEFAULT_BLOCK_BYTES: u64 = 1 << 20;
/// Smallest `block_bytes` a reader accepts (a lying value must not size a huge table).
pub const MIN_BLOCK_BYTES: u64 = 4096;

/// The header's `integrity` object: present exactly when the file ends with a trailer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Integrity {
    /// Always `crc32c`.
    pub checksum: String,
    /// Bytes of the trailer at the end of the file (always 20).
    pub trailer_bytes: u64,
    /// v1/v2: bytes of the array per entry of the block-checksum table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_bytes: Option<u64>,
}

impl Integrity {
    /// The record a writer of `version` puts in the header.
    #[must_use]
    pub fn for_version(version: u32) -> Self {
        Integrity {
            checksum: CHECKSUM_CRC32C.to_owned(),
            trailer_bytes: TRAILER_BYTES,
            block_bytes: (version <= 2).then_some(DEFAULT_BLOCK_BYTES),
        }
    }

    /// Checks the fields against what this reader knows.
    pub(crate) fn validate(&self, version: u32) -> Result<(), FormatError> {
        if self.checksum != CHECKSUM_CRC32C || self.trailer_bytes != TRAILER_BYTES {
            return Err(FormatError::InvalidField {
                key: "integrity",
                reason: format!(
                    "checksum `{}` with a {}-byte trailer; this reader knows `{CHECKSUM_CRC32C}` with {TRAILER_BYTES}",
                    self.checksum, self.trailer_bytes
                ),
            });
        }
        match (version <= 2, self.block_bytes) {
            (true, Some(b)) if b >= MIN_BLOCK_BYTES => Ok(()),
            (false, None) => Ok(()),
            (_, found) => Err(FormatError::InvalidField {
                key: "integrity.block_bytes",
                reason: format!(
                    "{found:?} for version {version}; versions 1 and 2 need at least {MIN_BLOCK_BYTES}, \
                     versions 3 and 4 none"
                ),
            }),
        }
    }
}

/// The 20 bytes at the end of a checksummed file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Trailer {
    /// crc32c of bytes `0..8 + header_len` (magic, `header_len`, JSON).
    pub(crate) header_crc: u32,
    /// crc32c of the index (v3/v4) or of the block-checksum table (v1/v2).
    pub(crate) data_crc: u32,
}

impl Trailer {
    /// The trailer's bytes, ending with the crc32c of the 16 before it.
    pub(crate) fn to_bytes(self) -> [u8; 20] {
        let mut out = [0u8; 20];
        out[..8].copy_from_slice(&TRAILER_MAGIC);
        out[8..12].copy_from_slice(&self.header_crc.to_le_bytes());
        out[12..16].copy_from_slice(&self.data_crc.to_le_bytes());
        let own = crc32c::crc32c(&out[..16]);
        out[16..].copy_from_slice(&own.to_le_bytes());
        out
    }

    /// What the last bytes of `file` say: `None` when they are not a trailer (no magic);
    /// an error when the magic is there but the trailer's own crc32c disagrees.
    #[cfg(test)]
    pub(crate) fn find(file: &[u8], data_offset: u64) -> Result<Option<Trailer>, FormatError> {
        let at = file.len().saturating_sub(TRAILER_BYTES as usize);
        Trailer::from_tail(file.get(at..).unwrap_or_default(), file.len() as u64, data_offset)
    }

    /// As [`Trailer::find`], given only the file's last 20 bytes (`tail`) and its length.
    pub(crate) fn from_tail(tail: &[u8], len: u64, data_offset: u64) -> Result<Option<Trailer>, FormatError> {
        if len < data_offset + TRAILER_BYTES || tail.len() as u64 != TRAILER_BYTES {
            return Ok(None);
        }
        let bytes = tail;
        if bytes[..8] != TRAILER_MAGIC {
            return Ok(None);
        }
        let word = |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        let computed = crc32c::crc32c(&bytes[..16]);
        if computed != word(16) {
            return Err(FormatError::TrailerChecksum { stored: word(16), computed });
        }
        Ok(Some(Trailer { header_crc: word(8), data_crc: word(12) }))
    }
}

/// crc32c of the preamble and JSON: the first `8 + json_len` bytes.
pub(crate) fn header_crc(file: &[u8], json_len: usize) -> u32 {
    crc32c::crc32c(file.get(..8 + json_len).unwrap_or(file))
}

/// Checks the crc32c of a span of bytes (index, block table) against the trailer's `data_crc`.
pub(crate) fn check_data(what: &'static str, bytes: &[u8], trailer: Trailer) -> Result<(), FormatError> {
    let computed = crc32c::crc32c(bytes);
    if computed == trailer.data_crc {
        Ok(())
    } else {
        Err(FormatError::DataChecksum { what, stored: trailer.data_crc, computed })
    }
}

/// The checks a file's integrity indicators allow, decided at open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Checks {
    /// The file predates the revision: no header key, no trailer.
    None,
    /// Header key and trailer agree; the header crc has been checked.
    Trailer(Trailer),
}

impl Checks {
    /// Whether the file carries the integrity-1 checksums (header crc, data crc, trailer).
    pub(crate) fn has_trailer(self) -> bool {
        matches!(self, Checks::Trailer(_))
    }

    /// Where the data (index and payloads, or array and table) must end.
    pub(crate) fn data_end(self, file_len: u64) -> u64 {
        match self {
            Checks::None => file_len,
            Checks::Trailer(_) => file_len.saturating_sub(TRAILER_BYTES),
        }
    }
}

/// Reconciles the header's declaration with the trailer (a disagreement is corruption).
pub(crate) fn reconcile(declared: bool, trailer: Option<Trailer>) -> Result<Checks, FormatError> {
    match (declared, trailer) {
        (true, Some(trailer)) => Ok(Checks::Trailer(trailer)),
        (false, None) => Ok(Checks::None),
        (true, None) => Err(FormatError::TrailerMissing),
        (false, Some(_)) => Err(FormatError::UndeclaredTrailer),
    }
}

/// Number of entries in a v1/v2 block table for an array of `array_bytes`.
pub(crate) fn block_count(array_bytes: u64, block_bytes: u64) -> u64 {
    array_bytes.div_ceil(block_bytes.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailer_round_trips_and_detects_its_own_damage() {
        let trailer = Trailer { header_crc: 0xdead_beef, data_crc: 7 };
        let mut file = vec![b' '; 4096];
        file.extend_from_slice(&trailer.to_bytes());
        assert_eq!(Trailer::find(&file, 4096).unwrap(), Some(trailer));
        file[4096 + 9] ^= 1;
        assert!(matches!(Trailer::find(&file, 4096), Err(FormatError::TrailerChecksum { .. })));
        file[4096] ^= 1;
        assert_eq!(Trailer::find(&file, 4096).unwrap(), None);
        assert_eq!(Trailer::find(&file[..4100], 4096).unwrap(), None);
    }

    #[test]
    fn indicators_must_agree() {
        let trailer = Trailer { header_crc: 1, data_crc: 2 };
        assert_eq!(reconcile(false, None).unwrap(), Checks::None);
        assert_eq!(reconcile(true, Some(trailer)).unwrap(), Checks::Trailer(trailer));
        assert!(matches!(reconcile(true, None), Err(FormatError::TrailerMissing)));
        assert!(matches!(reconcile(false, Some(trailer)), Err(FormatError::UndeclaredTrailer)));
    }

    #[test]
    fn integrity_records_are_checked_per_version() {
        assert!(Integrity::for_version(1).validate(1).is_ok());
        assert!(Integrity::for_version(3).validate(3).is_ok());
        assert!(Integrity::for_version(1).validate(3).is_err());
        assert!(Integrity::for_version(3).validate(2).is_err());
        let tiny = Integrity { block_bytes: Some(1), ..Integrity::for_version(1) };
        assert!(tiny.validate(1).is_err());
        assert_eq!(block_count(0, 4096), 0);
        assert_eq!(block_count(4097, 4096), 2);
    }
}
