//! `gzcm export FILE.gzcm OUT.cool`: write a cooler file holding the same pixels, genome and
//! weight vectors, so users can always go back to cooler's tools.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use gzcm::TileData;
use gzcm_atomic::{AtomicError, AtomicFile};
use gzcm_container::{Reader, TileEntry};
use gzcm_hic::cool_writer::{CoolMeta, CoolWriter, iso8601_now};
use gzcm_hic::{CountType, Pixel};

use crate::cmd::info::open_reader;
use crate::out::outln;

/// Write a .gzcm file as a cooler file (.cool, schema version 3) that `cooler` opens: the same
/// chromosomes, bins, pixels (upper triangle for symmetric maps) and weight vectors (float64
/// `bins/<name>` columns). The file needs genomic coordinates (converted from .cool/.mcool/.hic,
/// or with --bins).
#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// The .gzcm file.
    input: PathBuf,
    /// The cooler file to write.
    output: PathBuf,
    /// Replace OUTPUT if it exists.
    #[arg(long, alias = "overwrite")]
    force: bool,
}

pub(crate) fn run(args: &ExportArgs) -> anyhow::Result<()> {
    gzcm_convert::refuse_same_file([args.input.as_path()], &args.output)?;
    crate::safety::clean_up_on_signals()?;
    let reader = open_reader(&args.input, false)?;
    let genome = reader.genome().ok_or_else(|| {
        anyhow::anyhow!(
            "{} has no genomic coordinates (chromosomes and bins), which a cooler file needs; \
             convert it from .cool/.mcool/.hic, or from COO text with `gzcm convert --bins FILE.bins.tsv`",
            args.input.display()
        )
    })?;
    let count_type = match reader.dtype() {
        gzcm::Dtype::F32 => CountType::Float,
        _ => CountType::Int,
    };
    let meta = CoolMeta {
        genome,
        symmetric: reader.symmetric(),
        count_type,
        generated_by: format!("gzcm {}", env!("CARGO_PKG_VERSION")),
        creation_date: iso8601_now(),
    };
    let out = AtomicFile::create(&args.output, args.force).map_err(|e| exists_hint(e, &args.output))?;
    let mut writer = CoolWriter::create(out.temp_path(), &meta)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    stream_pixels(&reader, &mut writer)?;
    let nnz = writer.finish().with_context(|| format!("cannot write {}", args.output.display()))?;
    out.commit().map_err(|e| exists_hint(e, &args.output))?;
    let names: Vec<&str> = genome.weights().iter().map(|w| w.name.as_str()).collect();
    outln!(
        "{}: {} pixels, {} bins, {} chromosomes, weights: {}",
        args.output.display(),
        nnz,
        genome.n_bins(),
        genome.chroms().len(),
        if names.is_empty() { "none".to_owned() } else { names.join(", ") }
    )?;
    Ok(())
}

fn exists_hint(error: AtomicError, output: &Path) -> anyhow::Error {
    match error {
        AtomicError::Exists { .. } => {
            anyhow::anyhow!("{} already exists; pass --force to replace it", output.display())
        }
        error => anyhow::Error::new(error),
    }
}

/// Feeds every stored non-zero cell to `writer`, one tile row at a time (only that row's
/// stored tiles are decoded at once), rows in order and columns ascending within a row; the
/// upper triangle only for symmetric files.
fn stream_pixels(reader: &Reader, writer: &mut CoolWriter) -> anyhow::Result<()> {
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
                    TileData::U32(cells) => emit_row(writer, row, *col0, cells.row(r as usize), symmetric)?,
                    TileData::F32(cells) => emit_row(writer, row, *col0, cells.row(r as usize), symmetric)?,
                }
            }
        }
    }
    Ok(())
}

fn emit_row<T: Copy + Into<f64>>(
    writer: &mut CoolWriter,
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
        writer.push(Pixel { bin1: row, bin2: col, count })?;
    }
    Ok(())
}
