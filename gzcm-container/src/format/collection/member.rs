//! A collection's member (format revision collection-1): a v3/v4 file with a packed index whose
//! chromosomes are the collection's and whose structure comes first. [`MemberContext`] is what
//! a reader knows of a member from the table before opening it, and the checks that tie the
//! member to the table; [`relay`] lays an ordinary single-resolution file's structure out as a
//! member's (the payloads are copied verbatim by the writer).

use std::path::Path;

use gzcm_genome::Genome;

use crate::error::ContainerError;
use crate::format::collection::error::CollectionError;
use crate::format::collection::table::{CollectionGenome, ResolutionEntry};
use crate::format::error::FormatError;
use crate::format::genome::{BinsRecord, GenomeRecord};
use crate::format::header::{Header, IndexArray, RECORD_BYTES};
use crate::format::index::TileRecord;
use crate::format::integrity::{self, Integrity, TRAILER_BYTES, Trailer};
use crate::format::packed_index;
use crate::format::preamble::{json_len, place_unpadded};

/// A member as the collection's table describes it.
#[derive(Clone, Debug)]
pub(crate) struct MemberContext {
    pub(crate) resolution: u64,
    pub(crate) structure_bytes: u64,
    /// The member trailer's values, copied into the table.
    pub(crate) trailer: Trailer,
    /// The collection's genome at this resolution (chromosome bin ranges, no weights).
    genome: Genome,
}

impl MemberContext {
    /// The member `entry` lists, binning `genome` (both validated with the table).
    pub(crate) fn new(entry: &ResolutionEntry, genome: &CollectionGenome) -> Result<Self, CollectionError> {
        let resolution = entry.resolution;
        let genome =
            genome.at(resolution).map_err(|source| CollectionError::Genome { resolution, source })?;
        Ok(MemberContext {
            resolution,
            structure_bytes: entry.structure_bytes,
            trailer: entry.trailer(),
            genome,
        })
    }

    /// The collection's genome at this resolution (no weights).
    pub(crate) fn genome(&self) -> &Genome {
        &self.genome
    }

    fn lie(&self, problem: String) -> CollectionError {
        CollectionError::MemberGenome { resolution: self.resolution, problem }
    }

    /// Checks the member's header against the table and the collection's genome, then gives it
    /// the collection's chromosomes at this resolution (the member stores none).
    pub(crate) fn adopt(&self, header: &mut Header) -> Result<(), CollectionError> {
        if header.metadata.chroms.is_some() {
            return Err(CollectionError::MemberChroms { resolution: self.resolution });
        }
        let record = header.genome.as_ref().ok_or_else(|| self.lie("has no genome".to_owned()))?;
        match record.bins {
            BinsRecord::Fixed { bin_size } if bin_size == self.resolution => {}
            BinsRecord::Fixed { bin_size } => return Err(self.lie(format!("has bins of {bin_size} bp"))),
            BinsRecord::Variable { .. } => return Err(self.lie("has variable bins".to_owned())),
        }
        let expected = self.genome.n_bins();
        if record.n_bins != expected {
            return Err(self.lie(format!(
                "has {} bins; the collection's chromosomes give {expected} at {} bp",
                record.n_bins, self.resolution
            )));
        }
        if let Some(found) = header.metadata.resolution.filter(|&r| r != self.resolution) {
            return Err(self.lie(format!("records metadata.resolution {found}")));
        }
        if record.assembly.as_deref() != self.genome.assembly() {
            return Err(self.lie(format!(
                "names assembly {:?}, the collection {:?}",
                record.assembly,
                self.genome.assembly()
            )));
        }
        header.metadata.chroms = Some(self.genome.chroms().to_vec());
        Ok(())
    }

    /// Checks that the member's packed index and genome blocks end exactly at `structure_bytes`,
    /// so one request for them fetches everything opening needs.
    pub(crate) fn check_structure(&self, header: &Header) -> Result<(), CollectionError> {
        let layout = |problem: String| CollectionError::MemberLayout { resolution: self.resolution, problem };
        let index = header.arrays.tile_index.as_ref().filter(|i| i.is_packed());
        let index = index.ok_or_else(|| layout("its tile index is not packed".to_owned()))?;
        let index_end = index.offset.saturating_add(index.stored_bytes());
        let end =
            header.genome.as_ref().and_then(GenomeRecord::blocks_end).map_or(index_end, |e| e.max(index_end));
        if end != self.structure_bytes {
            return Err(layout(format!(
                "its index and genome blocks end at byte {end}, the collection records {} bytes of structure",
                self.structure_bytes
            )));
        }
        Ok(())
    }

    /// Checks that no tile payload starts inside the structure (`first_payload`: the lowest
    /// payload offset, `None` without tiles).
    pub(crate) fn check_payloads(&self, first_payload: Option<u64>) -> Result<(), CollectionError> {
        match first_payload {
            Some(at) if at < self.structure_bytes => Err(CollectionError::MemberLayout {
                resolution: self.resolution,
                problem: format!(
                    "a tile payload starts at byte {at}, inside its {} bytes of structure",
                    self.structure_bytes
                ),
            }),
            _ => Ok(()),
        }
    }

    /// A checksum failure of the member's header or index, reported against the table that
    /// holds the expected values; other errors unchanged.
    pub(crate) fn blame_entry(&self, error: FormatError) -> FormatError {
        let resolution = self.resolution;
        match error {
            FormatError::HeaderChecksum { stored, computed } => {
                CollectionError::EntryChecksum { resolution, what: "header", stored, computed }.into()
            }
            FormatError::DataChecksum { stored, computed, .. } => {
                CollectionError::EntryChecksum { resolution, what: "tile index", stored, computed }.into()
            }
            other => other,
        }
    }

    /// Checks the member's own trailer (its last 20 bytes, `tail`, of a member of `len` bytes
    /// whose data starts at `data_offset`) against the values the table copied.
    pub(crate) fn check_trailer(&self, tail: &[u8], len: u64, data_offset: u64) -> Result<(), FormatError> {
        let found = Trailer::from_tail(tail, len, data_offset)?.ok_or(FormatError::TrailerMissing)?;
        let resolution = self.resolution;
        let pairs = [
            ("header", self.trailer.header_crc, found.header_crc),
            ("data", self.trailer.data_crc, found.data_crc),
        ];
        match pairs.into_iter().find(|(_, entry, member)| entry != member) {
            Some((what, entry, member)) => {
                Err(CollectionError::MemberTrailer { resolution, what, entry, member }.into())
            }
            None => Ok(()),
        }
    }
}

/// A single-resolution file's structure laid out as a member's: what the writer writes before
/// the payloads, and the trailer it writes after them.
#[derive(Debug)]
pub(crate) struct RelaidMember {
    /// Preamble, header JSON (no chromosomes), packed index, genome blocks.
    pub(crate) structure: Vec<u8>,
    /// The payloads' bytes, laid out back to back after the structure.
    pub(crate) payload_bytes: u64,
    /// The member's integrity trailer.
    pub(crate) trailer: Trailer,
}

impl RelaidMember {
    /// The member's bytes: structure, payloads, trailer.
    pub(crate) fn length(&self) -> u64 {
        self.structure.len() as u64 + self.payload_bytes + TRAILER_BYTES
    }
}

/// Lays out the structure of a member from a validated v3/v4 file with a packed index:
/// `header` (its chromosomes are dropped), its index records (made by `records`, in the file's
/// tile order, as often as the encoder asks: the payloads will follow the structure back to back
/// in that order), and the stored bytes of its genome `blocks` in [`GenomeRecord::blocks`]
/// order (moved before the payloads).
pub(crate) fn relay<I: Iterator<Item = TileRecord>>(
    header: &Header,
    records: impl Fn() -> I,
    blocks: &[&[u8]],
    path: &Path,
) -> Result<RelaidMember, ContainerError> {
    let genome_bytes: u64 = blocks.iter().map(|b| b.len() as u64).sum();
    let (count, payload_bytes) =
        records().fold((0u64, 0u64), |(n, bytes), r| (n + 1, bytes + u64::from(r.length)));
    // Offsets from the end of the index section: the first gap skips the genome blocks.
    let relative = || {
        let mut at = genome_bytes;
        records().map(move |r| {
            let record = TileRecord { offset: at, ..r };
            at += u64::from(r.length);
            record
        })
    };
    let (section, crc) = packed_index::encode_with(relative, 0)
        .map_err(|e| ContainerError::io("compress the tile index of", path, e))?;
    let version = u32::try_from(header.version).unwrap_or(u32::MAX);
    let dtype = header.arrays.tile_index.as_ref().map(|i| i.dtype.clone()).unwrap_or_default();
    let mut template = header.clone();
    template.metadata.chroms = None;
    template.integrity = Some(Integrity::for_version(version));
    let (preamble, _) = place_unpadded(|offset| {
        let mut member = template.clone();
        member.arrays.tile_index = Some(IndexArray {
            dtype: dtype.clone(),
            record_bytes: u64::from(RECORD_BYTES),
            shape: [count],
            offset,
            length: Some(section.len() as u64),
            crc32c: Some(crc),
        });
        if let Some(genome) = member.genome.as_mut() {
            genome.place_blocks(offset + section.len() as u64);
        }
        member.to_json()
    })?;
    let trailer = Trailer {
        header_crc: integrity::header_crc(&preamble, json_len(&preamble)),
        data_crc: crc32c::crc32c(&section),
    };
    let mut structure = preamble;
    structure.extend_from_slice(&section);
    blocks.iter().for_each(|b| structure.extend_from_slice(b));
    Ok(RelaidMember { structure, payload_bytes, trailer })
}
