//! The writing half of `gzcm export`: open `.gzcm` readers in, a cooler file out. A `.cool`
//! takes one reader; a `.mcool` takes `(resolution, reader)` pairs, one `/resolutions/R` group
//! each, written one after the other (a reader is asked for only when its group is next).

use std::path::Path;

use anyhow::Context;
use gzcm::TileData;
use gzcm_atomic::{AtomicError, AtomicFile};
use gzcm_container::{Reader, TileEntry};
use gzcm_hic::cool_writer::{CoolMeta, CoolWriteError, CoolWriter, McoolWriter, iso8601_now};
use gzcm_hic::{CountType, Pixel};

/// What was written for one matrix, for the summary line.
#[derive(Debug)]
pub(crate) struct Written {
    /// `None` for a `.cool`, the group's resolution for a `.mcool`.
    pub(crate) resolution: Option<u64>,
    pub(crate) nnz: u64,
    pub(crate) bins: u64,
    pub(crate) chroms: usize,
    pub(crate) weights: Vec<String>,
}

/// Writes `reader`'s matrix as the `.cool` file `output` (atomically).
pub(crate) fn write_cool(reader: &Reader, output: &Path, force: bool) -> anyhow::Result<Written> {
    let meta = meta(reader)?;
    let out = AtomicFile::create(output, force).map_err(|e| exists_hint(e, output))?;
    let cannot = || format!("cannot write {}", output.display());
    let mut writer = CoolWriter::create(out.temp_path(), &meta).with_context(cannot)?;
    stream_pixels(reader, &mut |pixel| writer.push(pixel))?;
    let nnz = writer.finish().with_context(cannot)?;
    out.commit().map_err(|e| exists_hint(e, output))?;
    Ok(written(None, nnz, &meta))
}

/// Writes one `/resolutions/R` group per `(R, reader)` into the `.mcool` file `output`
/// (atomically), in the order given; each reader is taken from `matrices` only when its
/// group is written, and dropped after.
pub(crate) fn write_mcool(
    matrices: impl IntoIterator<Item = anyhow::Result<(u64, Reader)>>,
    output: &Path,
    force: bool,
) -> anyhow::Result<Vec<Written>> {
    let out = AtomicFile::create(output, force).map_err(|e| exists_hint(e, output))?;
    let cannot = || format!("cannot write {}", output.display());
    let mut mcool = McoolWriter::create(out.temp_path()).with_context(cannot)?;
    let mut summary = Vec::new();
    for matrix in matrices {
        let (resolution, reader) = matrix?;
        let meta = meta(&reader)?;
        let mut group = mcool.resolution(resolution, &meta).with_context(cannot)?;
        stream_pixels(&reader, &mut |pixel| group.push(pixel))?;
        let nnz = group.finish().with_context(cannot)?;
        summary.push(written(Some(resolution), nnz, &meta));
    }
    mcool.finish().with_context(cannot)?;
    out.commit().map_err(|e| exists_hint(e, output))?;
    Ok(summary)
}

/// The error for a matrix without a genome.
pub(crate) fn missing_genome(reader: &Reader) -> anyhow::Error {
    anyhow::anyhow!(
        "{} has no genomic coordinates (chromosomes and bins), which a cooler file needs; \
         convert it from .cool/.mcool/.hic, or from COO text with `gzcm convert --bins FILE.bins.tsv`",
        reader.path().display()
    )
}

/// The cooler description of `reader`'s matrix; it needs a genome.
fn meta(reader: &Reader) -> anyhow::Result<CoolMeta<'_>> {
    let genome = reader.genome().ok_or_else(|| missing_genome(reader))?;
    let count_type = match reader.dtype() {
        gzcm::Dtype::F32 => CountType::Float,
        _ => CountType::Int,
    };
    Ok(CoolMeta {
        genome,
        symmetric: reader.symmetric(),
        count_type,
        generated_by: format!("gzcm {}", env!("CARGO_PKG_VERSION")),
        creation_date: iso8601_now(),
    })
}

fn written(resolution: Option<u64>, nnz: u64, meta: &CoolMeta<'_>) -> Written {
    let genome = meta.genome;
    Written {
        resolution,
        nnz,
        bins: genome.n_bins(),
        chroms: genome.chroms().len(),
        weights: genome.weights().iter().map(|w| w.name.clone()).collect(),
    }
}

fn exists_hint(error: AtomicError, output: &Path) -> anyhow::Error {
    match error {
        AtomicError::Exists { .. } => {
            anyhow::anyhow!("{} already exists; pass --force to replace it", output.display())
        }
        error => anyhow::Error::new(error),
    }
}

/// Where pixels go: a `.cool` writer or one resolution of a `.mcool` writer.
type PixelSink<'a> = dyn FnMut(Pixel) -> Result<(), CoolWriteError> + 'a;

/// Feeds every stored non-zero cell to `sink`, one tile row at a time (only that row's
/// stored tiles are decoded at once), rows in order and columns ascending within a row; the
/// upper triangle only for symmetric files.
fn stream_pixels(reader: &Reader, sink: &mut PixelSink<'_>) -> anyhow::Result<()> {
    let tile_size = u64::from(reader.tile_size());
    let symmetric = reader.symmetric();
    let mut entries: Vec<TileEntry> = Vec::new();
    let mut stored = reader.stored_tiles().peekable();
    while let Some(first) = stored.next() {
        entries.clear();
        entries.push(first);
        while let Some(next) = stored.next_if(|e| e.tile_row == first.tile_row) {
            entries.push(next);
        }
        entries.sort_by_key(|e| e.tile_col);
        let mut tiles = Vec::with_capacity(entries.len());
        for entry in &entries {
            let tile = reader
                .tile(entry.tile_row, entry.tile_col)
                .with_context(|| format!("cannot read tile ({}, {})", entry.tile_row, entry.tile_col))?;
            tiles.push((u64::from(entry.tile_col) * tile_size, tile));
        }
        let row0 = u64::from(first.tile_row) * tile_size;
        let rows = u64::from(first.shape.rows);
        for r in 0..rows {
            let row = row0 + r;
            for (col0, tile) in &tiles {
                match tile {
                    TileData::U32(cells) => emit_row(sink, row, *col0, cells.row(r as usize), symmetric)?,
                    TileData::F32(cells) => emit_row(sink, row, *col0, cells.row(r as usize), symmetric)?,
                }
            }
        }
    }
    Ok(())
}

fn emit_row<T: Copy + Into<f64>>(
    sink: &mut PixelSink<'_>,
    row: u64,
    col0: u64,
    cells: ndarray::ArrayView1<'_, T>,
    symmetric: bool,
) -> anyhow::Result<()> {
    for (k, &value) in cells.iter().enumerate() {
        let count: f64 = value.into();
        let col = col0 + k as u64;
        if count == 0.0 || (symmetric && col < row) {
            continue;
        }
        sink(Pixel { bin1: row, bin2: col, count })?;
    }
    Ok(())
}
