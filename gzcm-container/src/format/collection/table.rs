//! The collection header (format revision collection-1): its JSON types, reading it off a
//! file's first bytes with the seal checked and the table of resolutions validated against the
//! file's length, and laying it out for a writer.
//!
//! ```text
//! [b"GZCM"][header_len: u32 LE][header JSON][seal: crc32c of the bytes before it, u32 LE]
//! [member of the smallest resolution][member of the next] … (no trailer: the last member ends the file)
//! ```

use serde::{Deserialize, Serialize};

use gzcm_genome::{Genome, GenomeError};

use crate::error::ContainerError;
use crate::format::collection::error::CollectionError;
use crate::format::error::FormatError;
use crate::format::integrity::{TRAILER_BYTES, Trailer};
use crate::format::preamble::{MAGIC, PREAMBLE_LEN, split_preamble};

/// `version` of a collection: readers of versions 1..=4 refuse it.
pub const COLLECTION_VERSION: u64 = 5;
/// `collection` of a multi-resolution file.
pub const COLLECTION_KIND: &str = "resolutions";
/// Bytes of the seal after the collection header's JSON.
pub const SEAL_BYTES: u64 = 4;
/// The fewest bytes a member can take (a preamble and an integrity trailer): bounds how many
/// entries a table may list for the bytes present.
pub const MIN_MEMBER_BYTES: u64 = PREAMBLE_LEN + TRAILER_BYTES;

/// The collection header's JSON. Unknown keys are ignored when reading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CollectionHeader {
    /// Always `gzcm`.
    pub format: String,
    /// Always 5 ([`COLLECTION_VERSION`]).
    pub version: u64,
    /// Always `resolutions` ([`COLLECTION_KIND`]).
    pub collection: String,
    /// The genome every member bins: stored once, here.
    pub genome: CollectionGenome,
    /// One entry per member, ascending by resolution, in file order.
    pub resolutions: Vec<ResolutionEntry>,
    /// Descriptive metadata.
    #[serde(default)]
    pub metadata: CollectionMetadata,
}

/// `genome` of a collection header: the chromosomes every member bins at its resolution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CollectionGenome {
    /// The genome assembly (`hg19`, `sacCer3`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assembly: Option<String>,
    /// The chromosomes in bin order.
    pub chroms: Vec<ChromSize>,
}

/// A chromosome of a collection: its name and length (its bins depend on the resolution).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChromSize {
    /// Chromosome name (`chr1`, `I`, …).
    pub name: String,
    /// Length in base pairs.
    pub length: u64,
}

/// One entry of `resolutions`: where a member is and the checksums copied from its trailer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResolutionEntry {
    /// Bin size in bp.
    pub resolution: u64,
    /// Absolute offset of the member's first byte.
    pub offset: u64,
    /// The member's bytes, its integrity trailer included.
    pub length: u64,
    /// Bytes from the member's start to the end of its genome blocks: preamble, header, packed
    /// index and genome blocks, fetched with one request when the member is opened.
    pub structure_bytes: u64,
    /// A copy of the member trailer's `header_crc`.
    pub header_crc: u32,
    /// A copy of the member trailer's `data_crc`.
    pub data_crc: u32,
}

/// `metadata` of a collection header.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CollectionMetadata {
    /// The program that wrote the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writer: Option<String>,
}

impl CollectionGenome {
    /// A genome record of `chroms` given as `(name, length)`.
    #[must_use]
    pub fn new(assembly: Option<String>, chroms: impl IntoIterator<Item = (String, u64)>) -> Self {
        let chroms = chroms.into_iter().map(|(name, length)| ChromSize { name, length }).collect();
        CollectionGenome { assembly, chroms }
    }

    /// The genome at `resolution`: fixed bins, chromosome bin ranges derived from the lengths,
    /// no weights.
    ///
    /// # Errors
    /// [`GenomeError`] when the chromosomes do not give a genome at that bin size.
    pub fn at(&self, resolution: u64) -> Result<Genome, GenomeError> {
        let chroms: Vec<(String, u64)> = self.chroms.iter().map(|c| (c.name.clone(), c.length)).collect();
        Ok(Genome::fixed(&chroms, resolution)?.with_assembly(self.assembly.clone()))
    }
}

impl ResolutionEntry {
    /// The member trailer the entry copies.
    pub(crate) fn trailer(&self) -> Trailer {
        Trailer { header_crc: self.header_crc, data_crc: self.data_crc }
    }
}

impl CollectionHeader {
    /// The resolutions, ascending.
    #[must_use]
    pub fn resolution_list(&self) -> Vec<u64> {
        self.resolutions.iter().map(|e| e.resolution).collect()
    }

    /// The entry of `resolution`, if the collection holds it.
    #[must_use]
    pub fn entry(&self, resolution: u64) -> Option<&ResolutionEntry> {
        self.resolutions.iter().find(|e| e.resolution == resolution)
    }

    /// Checks the header against the format and the table against a file of `file_len` bytes
    /// whose members start at `members_start`.
    fn validate(&self, members_start: u64, file_len: u64) -> Result<(), FormatError> {
        if self.format != "gzcm" {
            return Err(FormatError::WrongFormatName { found: self.format.clone() });
        }
        if self.version != COLLECTION_VERSION {
            return Err(FormatError::UnsupportedVersion { version: self.version });
        }
        if self.collection != COLLECTION_KIND {
            return Err(CollectionError::UnknownKind { found: self.collection.clone() }.into());
        }
        let bytes = file_len.saturating_sub(members_start);
        let count = self.resolutions.len() as u64;
        if count > bytes / MIN_MEMBER_BYTES {
            return Err(
                CollectionError::TooManyEntries { count, bytes, most: bytes / MIN_MEMBER_BYTES }.into()
            );
        }
        self.check_entries(members_start, file_len)?;
        for entry in &self.resolutions {
            self.genome
                .at(entry.resolution)
                .map_err(|source| CollectionError::Genome { resolution: entry.resolution, source })?;
        }
        Ok(())
    }

    /// Entries ascending and distinct; members contiguous from `members_start` to the end of
    /// the file, each long enough for its structure and a trailer.
    fn check_entries(&self, members_start: u64, file_len: u64) -> Result<(), CollectionError> {
        let first = self.resolutions.first().ok_or(CollectionError::Empty)?;
        if first.resolution == 0 {
            return Err(CollectionError::ZeroResolution);
        }
        let mut expected = members_start;
        let mut previous: Option<u64> = None;
        for entry in &self.resolutions {
            if let Some(previous) = previous.filter(|&p| p >= entry.resolution) {
                return Err(CollectionError::Order { resolution: entry.resolution, previous });
            }
            previous = Some(entry.resolution);
            let end = entry.offset.checked_add(entry.length).filter(|&end| end <= file_len);
            let Some(end) = end.filter(|_| entry.offset == expected && entry.length >= MIN_MEMBER_BYTES)
            else {
                return Err(CollectionError::MemberPlacement {
                    resolution: entry.resolution,
                    offset: entry.offset,
                    length: entry.length,
                    expected,
                    file_len,
                });
            };
            if entry.structure_bytes < PREAMBLE_LEN || entry.structure_bytes > entry.length - TRAILER_BYTES {
                return Err(CollectionError::StructureBytes {
                    resolution: entry.resolution,
                    structure_bytes: entry.structure_bytes,
                    length: entry.length,
                });
            }
            expected = end;
        }
        if expected != file_len {
            return Err(CollectionError::MemberEnd { end: expected, file_len });
        }
        Ok(())
    }
}

/// Whether a header's JSON is a collection's: it has a `collection` key or version 5. Readers
/// ask this before anything else, so a collection never reaches the single-file checks.
#[must_use]
pub fn is_collection(json: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        version: Option<serde_json::Value>,
        #[serde(default)]
        collection: Option<serde::de::IgnoredAny>,
    }
    serde_json::from_slice::<Probe>(json).is_ok_and(|p| {
        p.collection.is_some() || p.version.and_then(|v| v.as_u64()) == Some(COLLECTION_VERSION)
    })
}

/// How many bytes from the start hold the collection header and its seal, from a file's first
/// bytes (`None` when they are not a plausible preamble).
pub(crate) fn head_end(head: &[u8]) -> Option<u64> {
    let json = head.get(4..8)?;
    let json_len = u64::from(u32::from_le_bytes([json[0], json[1], json[2], json[3]]));
    Some(PREAMBLE_LEN + json_len + SEAL_BYTES)
}

/// Reads and validates the collection header at the start of `head` (a file of `file_len`
/// bytes): the preamble, the seal (checked before the JSON is parsed), the JSON, and the table
/// of resolutions.
///
/// # Errors
/// The preamble's [`FormatError`]s, [`FormatError::Truncated`] without the seal,
/// [`CollectionError::SealMismatch`], [`FormatError::HeaderJson`], and the table's
/// [`CollectionError`]s.
pub fn parse(head: &[u8], file_len: u64) -> Result<CollectionHeader, FormatError> {
    let json = split_preamble(head)?;
    let sealed = PREAMBLE_LEN as usize + json.len();
    let members_start = sealed as u64 + SEAL_BYTES;
    let Some(seal) = head.get(sealed..sealed + SEAL_BYTES as usize) else {
        return Err(FormatError::Truncated { what: "collection seal", needed: members_start, file_len });
    };
    let stored = u32::from_le_bytes([seal[0], seal[1], seal[2], seal[3]]);
    let computed = crc32c::crc32c(&head[..sealed]);
    if stored != computed {
        return Err(CollectionError::SealMismatch { stored, computed }.into());
    }
    let header: CollectionHeader =
        serde_json::from_slice(json).map_err(|source| FormatError::HeaderJson { source })?;
    header.validate(members_start, file_len)?;
    Ok(header)
}

/// What a writer knows of a member before the collection header is laid out.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MemberFigures {
    pub(crate) resolution: u64,
    pub(crate) length: u64,
    pub(crate) structure_bytes: u64,
    pub(crate) trailer: Trailer,
}

/// The collection header's bytes (preamble, JSON, seal) for `members` (ascending, laid out in
/// that order right after the seal), and the header they hold. The JSON ends with spaces when
/// the offsets it records need fewer digits than a first estimate (JSON allows trailing
/// whitespace; the seal covers it), so the first member starts right after the seal.
pub(crate) fn lay_out(
    genome: &CollectionGenome,
    metadata: &CollectionMetadata,
    members: &[MemberFigures],
) -> Result<(Vec<u8>, CollectionHeader), ContainerError> {
    let header_at = |start: u64| {
        let mut offset = start;
        let resolutions = members
            .iter()
            .map(|m| {
                let entry = ResolutionEntry {
                    resolution: m.resolution,
                    offset,
                    length: m.length,
                    structure_bytes: m.structure_bytes,
                    header_crc: m.trailer.header_crc,
                    data_crc: m.trailer.data_crc,
                };
                offset += m.length;
                entry
            })
            .collect();
        CollectionHeader {
            format: "gzcm".to_owned(),
            version: COLLECTION_VERSION,
            collection: COLLECTION_KIND.to_owned(),
            genome: genome.clone(),
            resolutions,
            metadata: metadata.clone(),
        }
    };
    // Offsets only grow with `start`, so the JSON's length does too: this reaches a fixed point.
    let mut start = PREAMBLE_LEN + SEAL_BYTES;
    loop {
        let header = header_at(start);
        let mut json =
            serde_json::to_vec(&header).map_err(|source| ContainerError::HeaderEncode { source })?;
        let needed = PREAMBLE_LEN + json.len() as u64 + SEAL_BYTES;
        if needed <= start {
            json.resize(usize::try_from(start - PREAMBLE_LEN - SEAL_BYTES).unwrap_or(0), b' ');
            let json_len = u32::try_from(json.len())
                .map_err(|_| ContainerError::option("resolutions", "the collection header exceeds 4 GiB"))?;
            let mut bytes = Vec::with_capacity(json.len() + 12);
            bytes.extend_from_slice(&MAGIC);
            bytes.extend_from_slice(&json_len.to_le_bytes());
            bytes.extend_from_slice(&json);
            let seal = crc32c::crc32c(&bytes);
            bytes.extend_from_slice(&seal.to_le_bytes());
            return Ok((bytes, header));
        }
        start = needed;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn genome() -> CollectionGenome {
        CollectionGenome::new(Some("toy1".into()), [("chrA".to_owned(), 250), ("chrB".to_owned(), 145)])
    }

    fn figures(resolution: u64, length: u64) -> MemberFigures {
        let trailer = Trailer { header_crc: 1, data_crc: 2 };
        MemberFigures { resolution, length, structure_bytes: 30, trailer }
    }

    /// A header for members of 100 and 60 bytes, and the file length it describes.
    fn laid_out() -> (Vec<u8>, u64) {
        let (bytes, _) =
            lay_out(&genome(), &CollectionMetadata::default(), &[figures(10, 100), figures(20, 60)]).unwrap();
        let len = bytes.len() as u64 + 160;
        (bytes, len)
    }

    /// The header of `bytes` changed by `change`, resealed, its members placed back to back
    /// from the (possibly moved) end of the header, unless `change` placed them itself.
    fn edit(bytes: &[u8], change: impl Fn(&mut serde_json::Value), replace: bool) -> Vec<u8> {
        let json = split_preamble(bytes).unwrap();
        let mut value: serde_json::Value = serde_json::from_slice(json).unwrap();
        change(&mut value);
        for _ in 0..3 {
            let start = 12 + serde_json::to_vec(&value).unwrap().len() as u64;
            let entries = value["resolutions"].as_array_mut().unwrap();
            let mut at = start;
            for e in entries.iter_mut().filter(|_| replace) {
                e["offset"] = at.into();
                at = at.saturating_add(e["length"].as_u64().unwrap_or(0));
            }
        }
        let json = serde_json::to_vec(&value).unwrap();
        let mut out = Vec::from(MAGIC);
        out.extend_from_slice(&(json.len() as u32).to_le_bytes());
        out.extend_from_slice(&json);
        let seal = crc32c::crc32c(&out);
        out.extend_from_slice(&seal.to_le_bytes());
        out
    }

    #[test]
    fn a_laid_out_header_parses_back_with_contiguous_members() {
        let (bytes, len) = laid_out();
        assert!(is_collection(split_preamble(&bytes).unwrap()));
        let header = parse(&bytes, len).unwrap();
        assert_eq!(header.resolution_list(), [10, 20]);
        let start = bytes.len() as u64;
        assert_eq!((header.resolutions[0].offset, header.resolutions[1].offset), (start, start + 100));
        assert_eq!(head_end(&bytes), Some(start));
        assert_eq!(header.genome.at(20).unwrap().n_bins(), 13 + 8);
    }

    #[test]
    fn the_seal_is_checked_before_the_json() {
        let (mut bytes, len) = laid_out();
        bytes[20] ^= 1;
        assert!(matches!(
            parse(&bytes, len),
            Err(FormatError::Collection(e)) if matches!(*e, CollectionError::SealMismatch { .. })
        ));
        let (bytes, len) = laid_out();
        assert!(matches!(parse(&bytes[..bytes.len() - 2], len), Err(FormatError::Truncated { .. })));
    }

    #[test]
    fn lying_tables_are_typed_errors() {
        let (bytes, len) = laid_out();
        let error = |change: &dyn Fn(&mut serde_json::Value), replace: bool, len: u64| match parse(
            &edit(&bytes, change, replace),
            len,
        ) {
            Err(FormatError::Collection(e)) => *e,
            other => panic!("expected a collection error, got {other:?}"),
        };
        let same = |_: &mut serde_json::Value| {};
        assert!(parse(&edit(&bytes, same, true), len).is_ok());
        assert!(matches!(error(&same, true, len + 1), CollectionError::MemberEnd { .. }));
        assert!(matches!(error(&same, true, len - 1), CollectionError::MemberPlacement { .. }));
        let swapped = |v: &mut serde_json::Value| v["resolutions"][1]["resolution"] = 5.into();
        assert!(matches!(error(&swapped, true, len), CollectionError::Order { resolution: 5, previous: 10 }));
        let repeated = |v: &mut serde_json::Value| v["resolutions"][1]["resolution"] = 10.into();
        assert!(matches!(error(&repeated, true, len), CollectionError::Order { .. }));
        let zero = |v: &mut serde_json::Value| v["resolutions"][0]["resolution"] = 0.into();
        assert!(matches!(error(&zero, true, len), CollectionError::ZeroResolution));
        let overlapping = |v: &mut serde_json::Value| {
            let at = v["resolutions"][1]["offset"].as_u64().unwrap();
            v["resolutions"][1]["offset"] = (at - 1).into();
        };
        assert!(matches!(error(&overlapping, false, len), CollectionError::MemberPlacement { .. }));
        let outside = |v: &mut serde_json::Value| v["resolutions"][1]["length"] = u64::MAX.into();
        assert!(matches!(error(&outside, true, len), CollectionError::MemberPlacement { .. }));
        let structure = |v: &mut serde_json::Value| v["resolutions"][0]["structure_bytes"] = 99.into();
        assert!(matches!(error(&structure, true, len), CollectionError::StructureBytes { .. }));
        let empty = |v: &mut serde_json::Value| v["resolutions"] = serde_json::json!([]);
        assert!(matches!(error(&empty, true, len), CollectionError::Empty));
        let many = |v: &mut serde_json::Value| {
            let entry = v["resolutions"][0].clone();
            v["resolutions"] = serde_json::Value::Array(vec![entry; 40]);
        };
        assert!(matches!(error(&many, true, len), CollectionError::TooManyEntries { count: 40, .. }));
        let kind = |v: &mut serde_json::Value| v["collection"] = "samples".into();
        assert!(matches!(error(&kind, true, len), CollectionError::UnknownKind { .. }));
        let version = |v: &mut serde_json::Value| v["version"] = 6.into();
        assert!(matches!(
            parse(&edit(&bytes, version, true), len),
            Err(FormatError::UnsupportedVersion { version: 6 })
        ));
    }
}
