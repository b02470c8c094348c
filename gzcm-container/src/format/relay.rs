//! A single-resolution v3/v4 file laid out again with a different genome record (format
//! revision balance-1, docs/format.md entry 48): the header with the new record, the tile index
//! re-encoded for the new offsets, the payloads in the file's tile order (to be copied
//! verbatim), the genome blocks after them, a new integrity trailer. The layout is the
//! writer's canonical one (entry 4), so re-laying a file the writer wrote gives the bytes the
//! writer would write for the same matrix and genome. Pure: no I/O; the caller copies the
//! payloads.

use std::path::Path;

use crate::error::ContainerError;
use crate::format::genome::GenomeRecord;
use crate::format::geometry::TileOrder;
use crate::format::header::{Header, IndexArray, RECORD_BYTES};
use crate::format::index::TileRecord;
use crate::format::integrity::{self, Integrity, Trailer};
use crate::format::packed_index;
use crate::format::preamble::{json_len, place, place_unpadded};

/// A genome block to write after the payloads: its stored bytes (copied or newly encoded).
pub(crate) type BlockBytes<'a> = std::borrow::Cow<'a, [u8]>;

/// The new layout of a file: what to write before the payloads, which payloads to copy in
/// which order, and what to write after them.
#[derive(Debug)]
pub(crate) struct RelaidFile {
    /// Preamble, header JSON and (for 32-byte records) padding.
    pub(crate) head: Vec<u8>,
    /// The tile index (packed section or 32-byte records).
    pub(crate) index: Vec<u8>,
    /// The input's index records in the order their payloads follow the index (offsets in the
    /// input).
    pub(crate) sources: Vec<TileRecord>,
    /// The genome blocks, back to back, after the payloads.
    pub(crate) blocks: Vec<u8>,
    /// The new integrity trailer.
    pub(crate) trailer: Trailer,
}

/// Lays out a validated v3/v4 file: `header` (its genome record replaced by `genome`, whose
/// blocks' offsets are assigned here in [`GenomeRecord::blocks`] order), its index `records`
/// and its tile `order`; `blocks` are the stored bytes of `genome`'s blocks in that order.
pub(crate) fn relay_file(
    header: &Header,
    order: TileOrder,
    records: &[TileRecord],
    genome: GenomeRecord,
    blocks: &[BlockBytes<'_>],
    path: &Path,
) -> Result<RelaidFile, ContainerError> {
    let mut sources = records.to_vec();
    sources.sort_by(|a, b| order.compare(a.coord(), b.coord()));
    let payload_bytes: u64 = sources.iter().map(|r| u64::from(r.length)).sum();
    let mut template = header.clone();
    let version = u32::try_from(header.version).unwrap_or(u32::MAX);
    template.integrity = Some(Integrity::for_version(version));
    let index_array = header.arrays.tile_index.clone().ok_or_else(|| {
        ContainerError::option("version", format!("version {version} has no tile index to re-lay"))
    })?;
    let count = sources.len() as u64;
    let (head, index) = if index_array.is_packed() {
        // Offsets relative to the section's end: the packed stream stores only gaps (all 0).
        let relative = consecutive(&sources, 0);
        let (section, crc) = packed_index::encode(&relative, 0)
            .map_err(|e| ContainerError::io("compress the tile index of", path, e))?;
        let length = section.len() as u64;
        let (head, _) = place_unpadded(|offset| {
            let mut h = template.clone();
            h.arrays.tile_index =
                Some(IndexArray { offset, length: Some(length), crc32c: Some(crc), ..index_array.clone() });
            let mut placed = genome.clone();
            placed.place_blocks(offset + length + payload_bytes);
            h.genome = Some(placed);
            h.to_json()
        })?;
        (head, section)
    } else {
        let index_bytes = count * u64::from(RECORD_BYTES);
        let (head, index_offset) = place(|offset| {
            let mut h = template.clone();
            h.arrays.tile_index = Some(IndexArray { offset, ..index_array.clone() });
            let mut placed = genome.clone();
            placed.place_blocks(offset + index_bytes + payload_bytes);
            h.genome = Some(placed);
            h.to_json()
        })?;
        let absolute = consecutive(&sources, index_offset + index_bytes);
        (head, absolute.iter().flat_map(TileRecord::to_bytes).collect())
    };
    let trailer = Trailer {
        header_crc: integrity::header_crc(&head, json_len(&head)),
        data_crc: crc32c::crc32c(&index),
    };
    let blocks = blocks.iter().flat_map(|b| b.iter().copied()).collect();
    Ok(RelaidFile { head, index, sources, blocks, trailer })
}

/// The records with their payloads laid back to back from `at`, in the given order.
fn consecutive(records: &[TileRecord], mut at: u64) -> Vec<TileRecord> {
    records
        .iter()
        .map(|r| {
            let record = TileRecord { offset: at, ..*r };
            at += u64::from(r.length);
            record
        })
        .collect()
}
