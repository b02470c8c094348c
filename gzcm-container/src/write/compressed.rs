//! The v3/v4 sink: tiles are encoded in parallel band by band, their stored bytes spooled to a
//! scratch file next to the output, and at `finish` the file is laid out in one pass:
//! preamble and header, the 32-byte index (SPEC §4), then the payloads in the file's tile order.
//!
//! Bands are pipelined: band `n` is encoded (a task on the rayon pool, its tiles in parallel)
//! while the caller accumulates band `n + 1`, so at most two bands are in memory and reading the
//! input overlaps encoding. An encoding error surfaces at the next band or at `finish`.
//!
//! Spooling makes the layout canonical — the same matrix gives the same bytes whatever order its
//! bands or triangles arrived in — at the price of writing the compressed bytes twice.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, sync_channel};

use rayon::prelude::*;
use tempfile::NamedTempFile;

use gzcm_core::{Dtype, ShapeSource, TileContext};

use crate::error::{ContainerError, Result};
use crate::format::geometry::{Grid, TileOrder};
use crate::format::group::{self, GroupBuilder};
use crate::format::header::{
    BARE_PACKED_INDEX_DTYPE, CodecEntry, CodecRecord, GROUPED_INDEX_DTYPE, Header, INDEX_DTYPE, IndexArray,
    RECORD_BYTES,
};
use crate::format::index::TileRecord;
use crate::format::integrity::{self, Trailer};
use crate::format::packed_index;
use crate::format::preamble::{json_len, place, place_unpadded};
use crate::write::band::{BuiltTile, SparseTile, writer_error};
use crate::write::encode::{CodecSet, TileStats, TileStorer};
use crate::write::pending::{Entries, Pending, PendingList};
use gzcm_atomic::{AtomicFile, temp_in};

/// What encoding a tile needs besides the tile.
pub(crate) struct EncodeContext {
    pub(crate) grid: Grid,
    pub(crate) symmetric: bool,
    pub(crate) dtype: Dtype,
    pub(crate) codecs: CodecSet,
    /// How opaque payloads are framed: bare when the index is packed (bare-payloads-1).
    pub(crate) shape_source: ShapeSource,
    /// Whether sparse tiles go into tile groups (groups-1).
    pub(crate) group_tiles: bool,
}

/// A batch being encoded on the rayon pool: its tiles (or the panic of a codec) arrive here.
type BandJob = Receiver<std::thread::Result<Vec<Result<EncodedTile>>>>;

/// One stored tile or tile group, ready to append.
struct EncodedTile {
    coord: (u32, u32),
    /// The tile's codec; `None` for a tile group.
    codec: Option<Arc<dyn TileStorer>>,
    /// The record's flags (a group's span; 0 for a tile).
    flags: u16,
    /// Tiles held: 1, or a group's.
    tiles: u32,
    bytes: Vec<u8>,
    crc: u32,
    nnz: u32,
}

/// Figures a finished sink reports.
#[derive(Debug, Default)]
pub(crate) struct SinkTotals {
    /// Non-empty tiles, grouped or not.
    pub(crate) tiles: u64,
    pub(crate) nnz: u64,
    pub(crate) payload_bytes: u64,
    pub(crate) codec_counts: BTreeMap<String, u64>,
    /// Tile groups.
    pub(crate) groups: u64,
}

/// Encodes bands and spools their tiles.
pub(crate) struct CompressedSink {
    scratch: NamedTempFile,
    spool: BufWriter<File>,
    spooled: u64,
    pending: PendingList,
    codecs: Vec<CodecEntry>,
    codec_ids: HashMap<String, u16>,
    context: Arc<EncodeContext>,
    in_flight: Option<BandJob>,
    /// Tiles of bands not yet started, and their non-zero cells.
    batch: Vec<SparseTile>,
    batch_cells: usize,
    /// Tiles spooled inside tile groups.
    grouped_tiles: u64,
}

/// A batch of bands is encoded at once when it holds this many tiles ...
const BATCH_TILES: usize = 64;
/// ... or this many non-zero cells (8 bytes each while they wait). A dense map's band alone
/// passes one of these; a sparse genome-wide map has thousands of bands of a tile or two, and
/// a thread and a parallel pass per band would cost more than their tiles.
const BATCH_CELLS: usize = 1 << 20;

impl CompressedSink {
    /// A sink spooling to a scratch file next to `target`.
    pub(crate) fn new(target: &Path, context: EncodeContext) -> Result<Self> {
        let scratch = temp_in(target, ".tiles")?;
        let spool =
            scratch.as_file().try_clone().map_err(|e| ContainerError::io("open", scratch.path(), e))?;
        Ok(CompressedSink {
            scratch,
            spool: BufWriter::with_capacity(1 << 20, spool),
            spooled: 0,
            pending: PendingList::new(target),
            codecs: Vec::new(),
            codec_ids: HashMap::new(),
            context: Arc::new(context),
            in_flight: None,
            batch: Vec::new(),
            batch_cells: 0,
            grouped_tiles: 0,
        })
    }

    /// Tiles spooled so far (a tile group's counted once per tile).
    pub(crate) fn tiles(&self) -> u64 {
        self.pending.len() + self.grouped_tiles
    }

    /// Adds one band's tiles; once the bands added hold a batch, starts encoding them in
    /// parallel, after spooling the batch before.
    pub(crate) fn add_band(&mut self, tiles: Vec<SparseTile>) -> Result<()> {
        self.batch_cells += tiles.iter().map(SparseTile::cells).sum::<usize>();
        self.batch.extend(tiles);
        if self.batch.len() >= BATCH_TILES || self.batch_cells >= BATCH_CELLS {
            self.start_batch()?;
        }
        Ok(())
    }

    /// Starts encoding the batch in parallel, after spooling the one before.
    fn start_batch(&mut self) -> Result<()> {
        self.drain()?;
        let tiles = std::mem::take(&mut self.batch);
        self.batch_cells = 0;
        if tiles.is_empty() {
            return Ok(());
        }
        let context = Arc::clone(&self.context);
        // A task on the pool, not a thread of its own: a sparse genome-wide map has hundreds of
        // thousands of batches, and a thread each cost more than most of their tiles.
        let (sender, job) = sync_channel(1);
        rayon::spawn(move || {
            let encoded = std::panic::catch_unwind(AssertUnwindSafe(|| encode_batch(tiles, &context)));
            // Nothing waits when the sink was dropped after an error.
            let _ = sender.send(encoded);
        });
        self.in_flight = Some(job);
        Ok(())
    }

    /// Waits for the band in flight and spools its tiles in coordinate order.
    fn drain(&mut self) -> Result<()> {
        let Some(job) = self.in_flight.take() else {
            return Ok(());
        };
        // A codec that panics panics here, on the caller's thread, as it would without the pipeline.
        let encoded = match job.recv() {
            Ok(Ok(encoded)) => encoded,
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => {
                let lost = std::io::Error::other("the encoding task ended without its tiles");
                return Err(ContainerError::io("encode the tiles of", self.scratch.path(), lost));
            }
        };
        for tile in encoded {
            self.spool_tile(tile?)?;
        }
        Ok(())
    }

    fn spool_tile(&mut self, tile: EncodedTile) -> Result<()> {
        let length = u32::try_from(tile.bytes.len()).map_err(|_| {
            ContainerError::option("codec", "a stored tile exceeds 4 GiB; use a smaller tile size")
        })?;
        // A group's codec id is 0 (groups-1): its payload's encoding is the format's.
        let codec = match &tile.codec {
            Some(codec) => self.codec_id(codec.as_ref())?,
            None => {
                self.grouped_tiles += u64::from(tile.tiles);
                0
            }
        };
        self.spool.write_all(&tile.bytes).map_err(|e| ContainerError::io("write", self.scratch.path(), e))?;
        self.pending.push(Pending {
            coord: tile.coord,
            at: self.spooled,
            length,
            codec,
            flags: tile.flags,
            crc: tile.crc,
            nnz: tile.nnz,
        })?;
        self.spooled += u64::from(length);
        Ok(())
    }

    fn codec_id(&mut self, codec: &dyn TileStorer) -> Result<u16> {
        if let Some(&id) = self.codec_ids.get(codec.name()) {
            return Ok(id);
        }
        let id = u16::try_from(self.codecs.len())
            .map_err(|_| ContainerError::option("codec", "more than 65536 codecs in one file"))?;
        self.codecs.push(CodecEntry::new(codec.name(), codec.wire()));
        self.codec_ids.insert(codec.name().to_owned(), id);
        Ok(id)
    }

    /// Lays the file out into `out`: header (built by `make_header` from the index array, the
    /// codec table and the offset of `trailer`), index in `order`, payloads in the same order,
    /// then `trailer` (the genome blocks; empty for most files).
    pub(crate) fn finish(
        mut self,
        out: &AtomicFile,
        order: TileOrder,
        packed: bool,
        trailer: &[u8],
        make_header: impl Fn(IndexArray, Vec<CodecRecord>, u64) -> Header,
    ) -> Result<SinkTotals> {
        self.start_batch()?;
        self.drain()?;
        self.spool.flush().map_err(|e| ContainerError::io("write", self.scratch.path(), e))?;
        let (table, remap) = sorted_codec_table(&self.codecs);
        let placeholder = PendingList::new(self.scratch.path());
        let entries = std::mem::replace(&mut self.pending, placeholder).seal()?;
        let pending = InFileOrder::new(entries, order, self.codecs.len())?;
        let failed = Cell::new(None);
        let count = pending.len();
        let (preamble, index) = if packed {
            // Offsets relative to the section's end: the packed stream stores only gaps (all 0).
            let (section, crc) =
                packed_index::encode_with(|| records(pending.iter(&failed), 0, &remap), 0)
                    .map_err(|e| ContainerError::io("compress the tile index of", out.target(), e))?;
            pending.check(&failed)?;
            let length = section.len() as u64;
            let (preamble, _) = place_unpadded(|offset| {
                let dtype =
                    if self.context.group_tiles { GROUPED_INDEX_DTYPE } else { BARE_PACKED_INDEX_DTYPE };
                let index = IndexArray {
                    dtype: dtype.to_owned(),
                    record_bytes: u64::from(RECORD_BYTES),
                    shape: [count],
                    offset,
                    length: Some(length),
                    crc32c: Some(crc),
                };
                make_header(index, table.clone(), offset + length + self.spooled).to_json()
            })?;
            (preamble, section)
        } else {
            let (preamble, index_offset) = place(|offset| {
                let index = IndexArray {
                    dtype: INDEX_DTYPE.to_owned(),
                    record_bytes: u64::from(RECORD_BYTES),
                    shape: [count],
                    offset,
                    length: None,
                    crc32c: None,
                };
                let trailer_at = offset + count * u64::from(RECORD_BYTES) + self.spooled;
                make_header(index, table.clone(), trailer_at).to_json()
            })?;
            let payloads_at = index_offset + count * u64::from(RECORD_BYTES);
            let bytes =
                records(pending.iter(&failed), payloads_at, &remap).flat_map(|r| r.to_bytes()).collect();
            pending.check(&failed)?;
            (preamble, bytes)
        };
        let mut writer = BufWriter::with_capacity(1 << 20, out.file());
        let io = |e| ContainerError::io("write", out.target(), e);
        writer.write_all(&preamble).map_err(io)?;
        let header_crc = integrity::header_crc(&preamble, json_len(&preamble));
        let index_crc = crc32c::crc32c(&index);
        writer.write_all(&index).map_err(io)?;
        self.copy_payloads(&pending, &mut writer, out)?;
        // Genome blocks (when any) follow the payloads; the integrity trailer ends the file.
        writer.write_all(trailer).map_err(io)?;
        let seal = Trailer { header_crc, data_crc: index_crc };
        writer.write_all(&seal.to_bytes()).map_err(io)?;
        writer.flush().map_err(io)?;
        Ok(self.totals(&pending))
    }

    /// Copies the spooled payloads into `writer` in the file's order: the spool whole when it
    /// already holds them in that order (a row-major file written band by band), else tile by
    /// tile through a map of it.
    fn copy_payloads(&self, pending: &InFileOrder, writer: &mut impl Write, out: &AtomicFile) -> Result<()> {
        if self.spooled == 0 {
            return Ok(());
        }
        let spool_order = pending.spool_order && pending.spooled == self.spooled;
        if spool_order {
            // Read, not mapped: a map of the whole spool would count against the process's
            // resident memory as it is copied.
            let spool =
                self.scratch.reopen().map_err(|e| ContainerError::io("open", self.scratch.path(), e))?;
            let copied = std::io::copy(&mut spool.take(self.spooled), writer)
                .map_err(|e| ContainerError::io("copy the tiles of", out.target(), e))?;
            if copied != self.spooled {
                let short = std::io::ErrorKind::UnexpectedEof.into();
                return Err(ContainerError::io("read back", self.scratch.path(), short));
            }
            return Ok(());
        }
        // SAFETY: the scratch file is private to this writer (a fresh temporary file) and
        // nothing else writes to it while it is mapped.
        let map = unsafe { memmap2::Mmap::map(self.scratch.as_file()) }
            .map_err(|e| ContainerError::io("map", self.scratch.path(), e))?;
        let failed = Cell::new(None);
        for p in pending.iter(&failed) {
            let start = usize::try_from(p.at).unwrap_or(usize::MAX);
            let bytes = map.get(start..start.saturating_add(p.length as usize)).ok_or_else(|| {
                ContainerError::io("read back", self.scratch.path(), std::io::ErrorKind::UnexpectedEof.into())
            })?;
            writer.write_all(bytes).map_err(|e| ContainerError::io("write", out.target(), e))?;
        }
        pending.check(&failed)
    }

    fn totals(&self, pending: &InFileOrder) -> SinkTotals {
        let mut totals = SinkTotals {
            tiles: pending.len() - pending.groups + self.grouped_tiles,
            nnz: pending.nnz,
            payload_bytes: self.spooled,
            groups: pending.groups,
            ..SinkTotals::default()
        };
        for (entry, &n) in self.codecs.iter().zip(&pending.codec_counts) {
            if n > 0 {
                *totals.codec_counts.entry(entry.name.clone()).or_default() += n;
            }
        }
        totals
    }
}

/// A writer's index entries in the file's tile order, and what one pass over them tells.
struct InFileOrder {
    entries: Ordered,
    /// Whether the spool holds the payloads back to back in this order from its start ...
    spool_order: bool,
    /// ... and how many bytes they take then.
    spooled: u64,
    nnz: u64,
    /// Tiles per spool codec id.
    codec_counts: Vec<u64>,
    /// Tile groups.
    groups: u64,
}

/// The entries: read back from the spill when they were added in the file's order (a
/// row-major file written band by band: nothing is held), else sorted in memory.
enum Ordered {
    Added(Entries),
    Sorted(Vec<Pending>),
}

impl InFileOrder {
    fn new(entries: Entries, order: TileOrder, codecs: usize) -> Result<Self> {
        let failed = Cell::new(None);
        let (mut previous, mut in_order, mut spooled, mut spool_order, mut nnz, mut groups) =
            (None, true, 0u64, true, 0u64, 0u64);
        let mut codec_counts = vec![0u64; codecs];
        for p in entries.iter(&failed) {
            in_order &= previous.is_none_or(|before| order.compare(before, p.coord).is_lt());
            previous = Some(p.coord);
            spool_order &= p.at == spooled;
            spooled += u64::from(p.length);
            nnz += u64::from(p.nnz);
            if group::span_of(p.flags).is_some() {
                groups += 1;
            } else if let Some(n) = codec_counts.get_mut(usize::from(p.codec)) {
                *n += 1;
            }
        }
        if let Some(e) = failed.take() {
            return Err(entries.read_error(e));
        }
        if in_order {
            return Ok(InFileOrder {
                entries: Ordered::Added(entries),
                spool_order,
                spooled,
                nnz,
                codec_counts,
                groups,
            });
        }
        let mut all = entries.into_vec()?;
        all.sort_unstable_by(|a, b| order.compare(a.coord, b.coord));
        let mut at = 0u64;
        let spool_order = all.iter().all(|p| {
            let next = p.at == at;
            at += u64::from(p.length);
            next
        });
        Ok(InFileOrder { entries: Ordered::Sorted(all), spool_order, spooled, nnz, codec_counts, groups })
    }

    fn len(&self) -> u64 {
        match &self.entries {
            Ordered::Added(entries) => entries.len(),
            Ordered::Sorted(all) => all.len() as u64,
        }
    }

    fn iter<'a>(
        &'a self,
        failed: &'a Cell<Option<std::io::Error>>,
    ) -> Box<dyn Iterator<Item = Pending> + 'a> {
        match &self.entries {
            Ordered::Added(entries) => Box::new(entries.iter(failed)),
            Ordered::Sorted(all) => Box::new(all.iter().copied()),
        }
    }

    /// The error a pass of [`iter`](Self::iter) met reading the spill back, if any (a pass over
    /// sorted entries in memory meets none).
    fn check(&self, failed: &Cell<Option<std::io::Error>>) -> Result<()> {
        match (failed.take(), &self.entries) {
            (Some(e), Ordered::Added(entries)) => Err(entries.read_error(e)),
            _ => Ok(()),
        }
    }
}

/// The index records in file order, payloads laid out consecutively from `payloads_at` (made
/// as they are read: a sparse map's records would double the memory its entries take).
fn records<'a>(
    pending: impl Iterator<Item = Pending> + 'a,
    payloads_at: u64,
    remap: &'a [u16],
) -> impl Iterator<Item = TileRecord> + 'a {
    let mut at = payloads_at;
    pending.map(move |p| {
        let record = TileRecord {
            tile_row: p.coord.0,
            tile_col: p.coord.1,
            offset: at,
            length: p.length,
            codec_id: if group::span_of(p.flags).is_some() { 0 } else { remap[usize::from(p.codec)] },
            flags: p.flags,
            crc32c: p.crc,
            nnz: p.nnz,
        };
        at += u64::from(p.length);
        record
    })
}

/// The codec table sorted by name (so ids do not depend on which tile finished first) and the
/// map from spool ids to table ids.
fn sorted_codec_table(codecs: &[CodecEntry]) -> (Vec<CodecRecord>, Vec<u16>) {
    let mut order: Vec<usize> = (0..codecs.len()).collect();
    order.sort_by(|&a, &b| codecs[a].name.cmp(&codecs[b].name));
    let mut remap = vec![0u16; codecs.len()];
    let table = order
        .iter()
        .enumerate()
        .map(|(id, &old)| {
            // Fewer than 65536 codecs: checked when ids were handed out.
            remap[old] = u16::try_from(id).unwrap_or(u16::MAX);
            CodecRecord::of(id as u64, &codecs[old])
        })
        .collect();
    (table, remap)
}

/// A tile joins a tile group when at most one of its cells in this many is non-zero: the
/// density below which `rans` codes a tile as a list too (docs/format.md entry 53).
const GROUP_DENSITY: u64 = 64;

/// The most non-zero cells a writer puts in one group: a window read decodes a whole group
/// (about half a millisecond at this size).
const WRITER_GROUP_NNZ: u32 = 1 << 16;

/// zstd level of tile groups' payloads.
const GROUP_LEVEL: i32 = 3;

/// What a batch's tiles become: a tile under its own record, or a run of sparse tiles of one
/// row under a group's.
enum Stored {
    Tile((u32, u32), BuiltTile),
    Group(Vec<((u32, u32), BuiltTile)>),
}

/// Encodes a batch of tiles in parallel: with tile groups, the sparse tiles of each row run
/// (consecutive in row-major order, no tile of their own between them) go into groups.
fn encode_batch(tiles: Vec<SparseTile>, ctx: &EncodeContext) -> Vec<Result<EncodedTile>> {
    if !ctx.group_tiles {
        return tiles.into_par_iter().map(|tile| encode(tile, ctx)).collect();
    }
    let built: Vec<Result<((u32, u32), BuiltTile)>> = tiles
        .into_par_iter()
        .map(|tile| {
            let coord = tile.coord;
            tile.build(&ctx.grid, ctx.symmetric, ctx.dtype).map(|built| (coord, built))
        })
        .collect();
    let mut failed = Vec::new();
    let mut built: Vec<((u32, u32), BuiltTile)> =
        built.into_iter().filter_map(|b| b.map_err(|e| failed.push(Err(e))).ok()).collect();
    if !failed.is_empty() {
        return failed;
    }
    built.sort_unstable_by_key(|(coord, _)| *coord);
    let mut jobs: Vec<Stored> = Vec::new();
    // The non-zeros of the group being gathered (the last job, when it is a group).
    let mut run_nnz = 0u32;
    for (coord, tile) in built {
        let sparse = u64::from(tile.nnz()) * GROUP_DENSITY <= tile.shape().cells() as u64;
        if !sparse {
            jobs.push(Stored::Tile(coord, tile));
            continue;
        }
        if let Some(Stored::Group(run)) = jobs.last_mut()
            && let Some((first, _)) = run.first()
            && first.0 == coord.0
            && coord.1 - first.1 < group::MAX_SPAN
            && run_nnz.saturating_add(tile.nnz()) <= WRITER_GROUP_NNZ
        {
            run_nnz += tile.nnz();
            run.push((coord, tile));
            continue;
        }
        run_nnz = tile.nnz();
        jobs.push(Stored::Group(vec![(coord, tile)]));
    }
    jobs.into_par_iter()
        .map(|job| match job {
            Stored::Tile(coord, tile) => encode_built(coord, &tile, ctx),
            Stored::Group(run) => encode_group(&run, ctx),
        })
        .collect()
}

/// Encodes a run of sparse tiles of one row (ascending columns) as one tile group.
fn encode_group(run: &[((u32, u32), BuiltTile)], ctx: &EncodeContext) -> Result<EncodedTile> {
    let first = run[0].0;
    let mut builder = GroupBuilder::new(&ctx.grid, ctx.symmetric, first);
    for ((_, col), tile) in run {
        builder.add(&ctx.grid, *col, tile.shape().cols, tile.cell_list());
    }
    let (coord, flags) = builder.coord_and_flags();
    let bytes = builder.encode(GROUP_LEVEL).map_err(|e| {
        let group = format!("tile group ({}, {})", coord.0, coord.1);
        ContainerError::io("compress", std::path::Path::new(&group), e)
    })?;
    Ok(EncodedTile {
        coord,
        codec: None,
        flags,
        tiles: u32::try_from(run.len()).unwrap_or(u32::MAX),
        crc: crc32c::crc32c(&bytes),
        bytes,
        nnz: builder.nnz(),
    })
}

fn encode(tile: SparseTile, ctx: &EncodeContext) -> Result<EncodedTile> {
    let coord = tile.coord;
    let built = tile.build(&ctx.grid, ctx.symmetric, ctx.dtype)?;
    encode_built(coord, &built, ctx)
}

fn encode_built(coord: (u32, u32), built: &BuiltTile, ctx: &EncodeContext) -> Result<EncodedTile> {
    let nnz = built.nnz();
    let stats = TileStats {
        tile_row: coord.0,
        tile_col: coord.1,
        shape: built.shape(),
        nnz,
        symmetric: ctx.symmetric,
        dtype: ctx.dtype,
    };
    let codec = ctx.codecs.for_tile(&stats)?;
    let context = TileContext::new(coord.0, coord.1, ctx.symmetric);
    let cells = built.cells().map_err(|source| ContainerError::tile(coord, writer_error(source)))?;
    let mut bytes = Vec::new();
    codec
        .store(ctx.shape_source, cells, &context, &mut bytes)
        .map_err(|source| ContainerError::tile(coord, source))?;
    Ok(EncodedTile { coord, crc: crc32c::crc32c(&bytes), codec: Some(codec), flags: 0, tiles: 1, bytes, nnz })
}

#[cfg(test)]
mod tests {
    use super::*;
    use gzcm_core::WireFormat;

    #[test]
    fn codec_ids_follow_names_not_arrival() {
        let arrived =
            [CodecEntry::new("zstd", WireFormat::Opaque), CodecEntry::new("lz4", WireFormat::SelfDescribing)];
        let (table, remap) = sorted_codec_table(&arrived);
        assert_eq!(table[0], CodecRecord::new(0, "lz4", WireFormat::SelfDescribing));
        assert_eq!(table[1], CodecRecord::new(1, "zstd", WireFormat::Opaque));
        assert_eq!(remap, [1, 0]);
    }
}
