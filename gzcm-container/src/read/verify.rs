//! Whole-file checks and summaries of an open file ([`FileCheck`]): `verify` decodes every
//! stored tile and checks its crc32c, non-zero count and (symmetric files) its mirror, then the
//! v1/v2 block checksums and unreferenced bytes; `info` summarises header, codecs and sizes.

use rayon::prelude::*;

use gzcm_core::{TileData, WireFormat};

use crate::error::{ContainerError, Result};
use crate::format::FileBytes;
use crate::format::dense::DenseLayout;
use crate::format::group;
use crate::format::header::{CodecEntry, Header, Layout};
use crate::format::integrity::Checks;
use crate::format::storage::Storage;
use crate::read::fetch::{TileEntry, TileFetcher};
use crate::read::source::Pieces;

/// Stored bytes `verify` fetches at once from a remote source.
const VERIFY_BATCH_BYTES: u64 = 64 << 20;

/// One tile that failed verification.
#[derive(Debug)]
#[non_exhaustive]
pub struct TileFailure {
    /// Tile row.
    pub tile_row: u32,
    /// Tile column.
    pub tile_col: u32,
    /// What is wrong.
    pub error: ContainerError,
}

/// The result of [`Reader::verify`](crate::Reader::verify).
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct VerifyReport {
    /// Tiles checked under records of their own (for v1/v2: every tile).
    pub tiles_checked: u64,
    /// Tile groups checked (groups-1), each with every tile it holds.
    pub tile_groups_checked: u64,
    /// Tiles that failed, in row-major order.
    pub failures: Vec<TileFailure>,
    /// Problems of the file as a whole: v1/v2 array blocks that fail their crc32c
    /// ([`ContainerError::BlockCrcMismatch`]) and bytes nothing references
    /// ([`ContainerError::TrailingBytes`]).
    pub file_failures: Vec<ContainerError>,
    /// Whether the file carries the header and index (or block) checksums of format revision
    /// integrity-1; `false` for files written before it.
    pub checksums: bool,
}

impl VerifyReport {
    /// Whether every tile and the file as a whole passed.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.failures.is_empty() && self.file_failures.is_empty()
    }
}

/// Use of one codec in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CodecUsage {
    /// Id in the header's `codecs`.
    pub id: u16,
    /// Codec name.
    pub name: String,
    /// Wire format recorded in the file.
    pub wire: WireFormat,
    /// Whether this program has the codec.
    pub available: bool,
    /// Tiles stored with it.
    pub tiles: u64,
    /// Stored bytes of those tiles.
    pub bytes: u64,
}

/// A summary of a file, for `gzcm info`.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Info {
    /// Format version.
    pub version: u32,
    /// `(rows, cols)`.
    pub shape: (u64, u64),
    /// Tile edge.
    pub tile_size: u32,
    /// `(n_tile_rows, n_tile_cols)`.
    pub tile_grid: (u32, u32),
    /// Whether only the upper triangle is stored.
    pub symmetric: bool,
    /// Tiles stored under records of their own (v1/v2: every tile of the stored triangle).
    pub tiles_stored: u64,
    /// Tile groups (groups-1): records that each hold many sparse tiles of one row.
    pub tile_groups: u64,
    /// Stored bytes of the tile groups.
    pub group_bytes: u64,
    /// Tiles the file could hold (the upper triangle for symmetric matrices).
    pub tiles_total: u64,
    /// Non-zero cells recorded in the index (v3/v4 only).
    pub nnz: Option<u64>,
    /// Codecs in the header with their use.
    pub codecs: Vec<CodecUsage>,
    /// File size.
    pub file_bytes: u64,
    /// Bytes of stored tiles (v3/v4) or of the matrix array (v1/v2).
    pub payload_bytes: u64,
    /// Bytes of the matrix stored densely with 4-byte cells.
    pub dense_bytes: u64,
    /// `dense_bytes / file_bytes`.
    pub ratio: f64,
    /// The whole header (metadata, regions, codec picker).
    pub header: Header,
    /// Whether the file carries the header and index (or block) checksums of format revision
    /// integrity-1; `false` for files written before it (their tiles still carry crc32c in v3/v4).
    pub checksums: bool,
}

/// The parts of an open file that whole-file checks and summaries look at.
pub(crate) struct FileCheck<'r> {
    tiles: &'r TileFetcher,
    header: &'r Header,
    layout: &'r Layout,
    checks: Checks,
    data_offset: u64,
}

impl<'r> FileCheck<'r> {
    /// Checks of the file whose tiles `tiles` serves, described by `header` (validated into
    /// `layout`), with integrity `checks` and payloads from `data_offset` on.
    pub(crate) fn new(
        tiles: &'r TileFetcher,
        header: &'r Header,
        layout: &'r Layout,
        checks: Checks,
        data_offset: u64,
    ) -> Self {
        FileCheck { tiles, header, layout, checks, data_offset }
    }

    /// Decodes every stored tile (in parallel, bypassing the cache) and checks its crc32c (even
    /// when read-time checks are off), its non-zero count, and for symmetric files its mirror;
    /// then the file as a whole. A remote file is read in batches of about 64 MiB of stored
    /// bytes (tiles in file order, neighbouring ranges in one request).
    pub(crate) fn verify(&self) -> VerifyReport {
        let mut entries: Vec<TileEntry> = self.tiles.stored_records().collect();
        // File order: neighbouring tiles share requests.
        entries.sort_by_key(|e| e.record.map_or(0, |r| r.offset));
        let mut failures: Vec<TileFailure> = Vec::new();
        for batch in self.verify_batches(&entries) {
            let coords: Vec<(u32, u32)> = batch.iter().map(|e| (e.tile_row, e.tile_col)).collect();
            let checked = self.tiles.with_bytes(&coords, |pieces| {
                batch
                    .par_iter()
                    .filter_map(|entry| {
                        self.verify_tile(entry, pieces).err().map(|error| TileFailure {
                            tile_row: entry.tile_row,
                            tile_col: entry.tile_col,
                            error,
                        })
                    })
                    .collect::<Vec<_>>()
            });
            match checked {
                Ok(batch_failures) => failures.extend(batch_failures),
                // The source failed: every tile of the batch is unchecked.
                Err(error) => {
                    let message = error.to_string();
                    failures.extend(batch.iter().map(|e| TileFailure {
                        tile_row: e.tile_row,
                        tile_col: e.tile_col,
                        error: ContainerError::io(
                            "read tiles of",
                            self.tiles.path(),
                            std::io::Error::other(message.clone()),
                        ),
                    }));
                }
            }
        }
        failures.sort_by_key(|f| (f.tile_row, f.tile_col));
        let mut file_failures = self.check_blocks();
        file_failures.extend(self.trailing_bytes());
        let tile_groups_checked =
            entries.iter().filter(|e| e.record.is_some_and(|r| group::span_of(r.flags).is_some())).count()
                as u64;
        VerifyReport {
            tiles_checked: entries.len() as u64 - tile_groups_checked,
            tile_groups_checked,
            failures,
            file_failures,
            checksums: self.checks.has_trailer(),
        }
    }

    /// `entries` cut into runs of about [`VERIFY_BATCH_BYTES`] stored bytes (the whole list
    /// at once for a memory-mapped file).
    fn verify_batches<'e>(&self, entries: &'e [TileEntry]) -> Vec<&'e [TileEntry]> {
        if self.tiles.is_mapped() {
            return vec![entries];
        }
        let mut batches = Vec::new();
        let (mut start, mut bytes) = (0, 0u64);
        for (at, entry) in entries.iter().enumerate() {
            bytes += entry.record.map_or_else(
                || u64::from(entry.shape.rows) * u64::from(entry.shape.cols) * 4,
                |r| u64::from(r.length),
            );
            if bytes >= VERIFY_BATCH_BYTES {
                batches.push(&entries[start..=at]);
                (start, bytes) = (at + 1, 0);
            }
        }
        if start < entries.len() {
            batches.push(&entries[start..]);
        }
        batches
    }

    /// v1/v2: each block of the array against the block-checksum table.
    fn check_blocks(&self) -> Vec<ContainerError> {
        let Storage::Dense(layout) = self.tiles.storage() else {
            return Vec::new();
        };
        let (Some((table_at, table_len)), Some(block_bytes)) =
            (layout.block_table(self.header), self.header.integrity.as_ref().and_then(|i| i.block_bytes))
        else {
            return Vec::new();
        };
        let array_len = table_at - layout.offset;
        // The table was read at open.
        let table = self.tiles.view().span(table_at, table_len);
        let block = usize::try_from(block_bytes).unwrap_or(usize::MAX);
        // Batches of blocks (the whole array at once when mapped).
        let per_batch =
            if self.tiles.is_mapped() { u64::MAX } else { (VERIFY_BATCH_BYTES / block_bytes).max(1) };
        let mut failures = Vec::new();
        let mut first = 0u64;
        while first.saturating_mul(block_bytes) < array_len {
            let start = layout.offset + first * block_bytes;
            let end =
                layout.offset + first.saturating_add(per_batch).saturating_mul(block_bytes).min(array_len);
            let fetched = if self.tiles.is_mapped() {
                Ok(Pieces::default())
            } else {
                Pieces::fetch(self.tiles.source(), std::slice::from_ref(&(start..end)), 0)
            };
            let pieces = match &fetched {
                Ok(_) if self.tiles.is_mapped() => self.tiles.view(),
                Ok(pieces) => pieces,
                Err(e) => {
                    failures.push(ContainerError::io(
                        "read",
                        self.tiles.path(),
                        std::io::Error::new(e.kind(), e.to_string()),
                    ));
                    return failures;
                }
            };
            let array = pieces.span(start, end - start);
            let skip = usize::try_from(first).unwrap_or(usize::MAX).saturating_mul(4);
            failures.extend(
                array
                    .par_chunks(block)
                    .zip(table.get(skip..).unwrap_or_default().par_chunks_exact(4))
                    .enumerate()
                    .filter_map(|(number, (bytes, stored))| {
                        let number = first + number as u64;
                        let stored = u32::from_le_bytes([stored[0], stored[1], stored[2], stored[3]]);
                        let computed = crc32c::crc32c(bytes);
                        (stored != computed).then(|| ContainerError::BlockCrcMismatch {
                            block: number,
                            offset: layout.offset + number * block_bytes,
                            length: bytes.len() as u64,
                            stored,
                            computed,
                        })
                    })
                    .collect::<Vec<_>>(),
            );
            first = first.saturating_add(per_batch);
        }
        failures
    }

    /// Bytes between the end of everything referenced and the end of the data (the trailer,
    /// when present, is referenced by definition).
    fn trailing_bytes(&self) -> Option<ContainerError> {
        let referenced = match self.tiles.storage() {
            Storage::Tiles(index) => {
                let index_end = self
                    .header
                    .arrays
                    .tile_index
                    .as_ref()
                    .map_or(self.data_offset, |array| array.offset + array.stored_bytes());
                index.records().iter().map(|r| r.offset + u64::from(r.length)).fold(index_end, u64::max)
            }
            Storage::Dense(layout) => match layout.block_table(self.header) {
                Some((at, len)) if self.checks.has_trailer() => at + len,
                _ => layout.offset + DenseLayout::array_bytes(layout.version, &layout.grid).unwrap_or(0),
            },
        };
        // Genome blocks (docs/format.md, "Genome extension") follow the payloads.
        let genome_end = self.header.genome.as_ref().and_then(|g| g.blocks_end()).unwrap_or(0);
        let referenced = referenced.max(genome_end);
        let end = self.checks.data_end(self.tiles.source().len());
        (end > referenced).then(|| ContainerError::TrailingBytes { at: referenced, bytes: end - referenced })
    }

    fn verify_tile(&self, entry: &TileEntry, pieces: &Pieces) -> Result<()> {
        let (row, col) = (entry.tile_row, entry.tile_col);
        let tile = match &entry.record {
            // A group's decode checks its cells (in its span, on or above a symmetric map's
            // diagonal) and their count against the record.
            Some(record) if group::span_of(record.flags).is_some() => {
                let stored = pieces.span(record.offset, u64::from(record.length));
                return self.tiles.decode_group(record, stored, true).map(drop);
            }
            Some(record) => {
                let tile = self.tiles.decode_bytes(
                    record,
                    pieces.span(record.offset, u64::from(record.length)),
                    true,
                )?;
                let counted = u32::try_from(tile.nnz()).unwrap_or(u32::MAX);
                if counted != record.nnz {
                    return Err(ContainerError::NnzMismatch {
                        tile_row: row,
                        tile_col: col,
                        stored: record.nnz,
                        counted,
                    });
                }
                tile
            }
            None => self.raw_dense(row, col)?,
        };
        self.check_mirror(row, col, &tile)
    }

    fn raw_dense(&self, row: u32, col: u32) -> Result<TileData> {
        match self.tiles.storage() {
            Storage::Dense(_) => self
                .tiles
                .with_bytes(&[(row, col)], |pieces| self.tiles.decode_stored((row, col), pieces, false))?
                .map(|tile| {
                    tile.unwrap_or_else(|| {
                        TileData::zeros(self.tiles.dtype(), self.layout.grid.tile_shape(row, col))
                    })
                }),
            Storage::Tiles(_) => self.tiles.tile(row, col),
        }
    }

    /// Diagonal tiles of symmetric files equal their transpose; in v1/v2 the stored lower
    /// tile equals the upper one transposed.
    fn check_mirror(&self, row: u32, col: u32, tile: &TileData) -> Result<()> {
        if !self.layout.symmetric {
            return Ok(());
        }
        let mirror_ok = if row == col {
            tile.transposed() == *tile
        } else if matches!(self.tiles.storage(), Storage::Dense(_)) {
            self.raw_dense(col, row)? == tile.transposed()
        } else {
            true
        };
        if mirror_ok { Ok(()) } else { Err(ContainerError::AsymmetricTile { tile_row: row, tile_col: col }) }
    }

    /// A summary of the file (no tile is decoded).
    pub(crate) fn info(&self) -> Info {
        let grid = self.layout.grid;
        let symmetric = self.layout.symmetric;
        let file_bytes = self.tiles.source().len();
        let mut codecs: Vec<CodecUsage> = self
            .layout
            .codecs
            .iter()
            .enumerate()
            .map(|(id, CodecEntry { name, wire })| CodecUsage {
                id: u16::try_from(id).unwrap_or(u16::MAX),
                name: name.clone(),
                wire: *wire,
                available: self.tiles.has_codec(id),
                tiles: 0,
                bytes: 0,
            })
            .collect();
        let (mut tile_groups, mut group_bytes) = (0, 0);
        let (tiles_stored, nnz, payload_bytes) = match self.tiles.storage() {
            Storage::Tiles(index) => {
                let mut nnz = 0;
                let mut bytes = 0;
                for record in index.records() {
                    nnz += u64::from(record.nnz);
                    bytes += u64::from(record.length);
                    if group::span_of(record.flags).is_some() {
                        tile_groups += 1;
                        group_bytes += u64::from(record.length);
                    } else if let Some(usage) = codecs.get_mut(usize::from(record.codec_id)) {
                        usage.tiles += 1;
                        usage.bytes += u64::from(record.length);
                    }
                }
                (index.records().len() as u64 - tile_groups, Some(nnz), bytes)
            }
            Storage::Dense(layout) => (
                grid.storable_tiles(symmetric),
                None,
                DenseLayout::array_bytes(layout.version, &grid).unwrap_or(0),
            ),
        };
        let dense_bytes = u64::try_from(grid.dense_bytes()).unwrap_or(u64::MAX);
        #[expect(clippy::cast_precision_loss, reason = "a ratio needs no more precision")]
        let ratio = dense_bytes as f64 / file_bytes.max(1) as f64;
        Info {
            version: self.layout.version,
            shape: (grid.rows(), grid.cols()),
            tile_size: grid.tile_size(),
            tile_grid: grid.dims(),
            symmetric,
            tiles_stored,
            tile_groups,
            group_bytes,
            tiles_total: grid.storable_tiles(symmetric),
            nnz,
            codecs,
            file_bytes,
            payload_bytes,
            dense_bytes,
            ratio,
            header: self.header.clone(),
            checksums: self.checks.has_trailer(),
        }
    }
}
