//! Feeding any cell source into the container writer, reporting progress.

use std::path::Path;
use std::sync::Arc;

use gzcm::{Dtype, EncodeOptions};
use gzcm_container::{Metadata, WriteSummary, Writer, WriterBuilder};
use gzcm_io::{CellStream, CellValue, MatrixSource, Order, SourceInfo, TripleStream};

use crate::codec_plan::CodecPlan;
use crate::error::ConvertError;
use crate::progress::{Phase, Progress};

/// How to write: everything but the input and the output path.
#[derive(Clone)]
pub struct WriteOptions {
    /// The codecs, resolved before the input is read.
    pub codecs: CodecPlan,
    /// Format version, 1..=4.
    pub version: u32,
    /// Tile edge.
    pub tile_size: u32,
    /// Stored cell type.
    pub dtype: Dtype,
    /// Compression level for the codecs that have one.
    pub level: Option<i32>,
    /// Replace an existing output.
    pub overwrite: bool,
    /// Store the v3/v4 tile index packed (`--packed-index`).
    pub packed_index: bool,
    /// Store sparse tiles in tile groups (format revision groups-1; `u32`, packed, v3/v4).
    pub group_tiles: bool,
    /// Chromosomes, bins and weights to store with the matrix (`--bins`, Hi-C inputs).
    pub genome: Option<gzcm_container::Genome>,
    /// The `writer` field of the file's metadata, e.g. `gzcm 0.1.0`.
    pub writer: String,
    /// Where progress goes.
    pub progress: Arc<dyn Progress>,
}

/// A matrix whose cells can be streamed, more than once (the adaptive picker reads them twice
/// before the write).
pub trait CellInput {
    /// Shape, symmetry, order and natural cell type.
    fn info(&self) -> &SourceInfo;

    /// A fresh stream of the cells as `T`.
    fn cells<T: CellValue>(&self) -> Result<CellStream<T>, ConvertError>;

    /// A fresh stream of the non-zero cells as triples (upper triangle when symmetric).
    fn triples<T: CellValue>(&self) -> Result<TripleStream<T>, ConvertError> {
        Ok(self.cells::<T>()?.into_triples(self.info().symmetric))
    }
}

impl CellInput for MatrixSource {
    fn info(&self) -> &SourceInfo {
        MatrixSource::info(self)
    }

    fn cells<T: CellValue>(&self) -> Result<CellStream<T>, ConvertError> {
        Ok(MatrixSource::cells(self)?)
    }
}

/// Streams `input` into a new `.gzcm` file at `out`.
pub fn write_source(
    input: &impl CellInput,
    out: &Path,
    options: &WriteOptions,
) -> Result<WriteSummary, ConvertError> {
    match options.dtype {
        Dtype::U32 => write_stream(input.info(), input.cells::<u32>()?, out, options),
        Dtype::F32 => write_stream(input.info(), input.cells::<f32>()?, out, options),
        dtype => Err(ConvertError::UnsupportedDtype { dtype, stage: "writer" }),
    }
}

/// The writer for a matrix of `rows × cols`, with every option but the genome-specific
/// metadata applied: version, tile size, dtype, symmetry, overwrite, genome, codecs, the band
/// progress callback.
pub(crate) fn builder(
    out: &Path,
    (rows, cols): (u64, u64),
    symmetric: bool,
    metadata: Metadata,
    options: &WriteOptions,
) -> WriterBuilder {
    let mut metadata = metadata;
    metadata.writer = Some(options.writer.clone());
    let progress = Arc::clone(&options.progress);
    let builder = Writer::builder(out, rows, cols)
        .version(options.version)
        .tile_size(options.tile_size)
        .dtype(options.dtype)
        .symmetric(symmetric)
        .metadata(metadata)
        .packed_index(options.packed_index)
        .group_tiles(options.group_tiles)
        .overwrite(options.overwrite)
        .progress(move |p| progress.bands(p.bands_done, p.bands_total));
    let builder = match &options.genome {
        Some(genome) => builder.genome(genome.clone()),
        None => builder,
    };
    match &options.codecs {
        CodecPlan::Uncompressed => builder,
        // The level is already in the handle (a codec without levels refused it when resolved).
        CodecPlan::Fixed(handle) => builder.codec_handle(Arc::clone(handle)),
        // With a per-region choice the level goes to every codec that accepts it.
        CodecPlan::PerRegion(decision) => {
            let chooser = Arc::clone(decision);
            // The writer's default registry is the process-wide one the picker measured.
            let builder = levelled_codecs(options.level)
                .into_iter()
                .fold(builder, |b, (name, encode)| b.codec_options(name, encode));
            builder
                .codec_picker(move |stats| chooser.codec_for(stats.tile_row, stats.tile_col).to_owned())
                .regions(decision.regions_json())
                .codec_picker_record(decision.record_json())
        }
    }
}

/// Writes the cells of a matrix described by `info` into a new `.gzcm` file at `out`: dense
/// rows and row-major triples stream through the writer, unsorted triples are spilled and merged.
pub fn write_stream<T: CellValue>(
    info: &SourceInfo,
    cells: CellStream<T>,
    out: &Path,
    options: &WriteOptions,
) -> Result<WriteSummary, ConvertError> {
    let mut metadata = Metadata::default();
    metadata.symmetric = info.symmetric;
    metadata.source_file = Some(info.description.clone());
    let shape = (info.shape.rows.into(), info.shape.cols.into());
    let builder = builder(out, shape, info.symmetric, metadata, options);
    let progress = options.progress.as_ref();
    let rows = u64::from(info.shape.rows);
    let summary = match cells {
        CellStream::Rows(stream) => {
            let bar = Phase::begin(progress, "writing", "rows", Some(rows));
            let mut writer = builder.create()?;
            for (row, values) in (0u64..).zip(stream) {
                writer.push_row(row, &values?)?;
                bar.set_position(row + 1);
            }
            drop(bar);
            writer.finish()?
        }
        CellStream::Triples(stream) if info.order == Order::RowMajor => {
            let bar = Phase::begin(progress, "writing", "rows", Some(rows));
            let mut writer = builder.create()?;
            for triple in stream {
                let triple = triple?;
                writer.push(triple.row.into(), triple.col.into(), triple.value)?;
                bar.set_position(triple.row.into());
            }
            drop(bar);
            writer.finish()?
        }
        CellStream::Triples(stream) => {
            let bar =
                Phase::begin(progress, "reading (unsorted input)", "cells", Some(info.nnz.unwrap_or(0)));
            let mut writer = builder.create_unsorted()?;
            for (n, triple) in (1u64..).zip(stream) {
                let triple = triple?;
                writer.push(triple.row.into(), triple.col.into(), triple.value)?;
                bar.set_position(n);
            }
            drop(bar);
            let _spinner = Phase::begin(progress, "merging and encoding", "", None);
            writer.finish()?
        }
    };
    Ok(summary)
}

/// The registered codecs that accept compression level `level`, with that level; none when no
/// level is given.
pub fn levelled_codecs(level: Option<i32>) -> Vec<(String, EncodeOptions)> {
    let Some(level) = level else { return Vec::new() };
    let encode = EncodeOptions::with_level(level);
    gzcm::with_registry(|r| {
        r.descriptors()
            .filter(|d| d.encoder(&encode).is_ok())
            .map(|d| (d.name().to_owned(), encode.clone()))
            .collect()
    })
}

/// Opens a COO text, `.npy` or `synthetic:` input, with an error that names it.
pub fn open_source(input: &str, options: gzcm_io::OpenOptions) -> Result<MatrixSource, ConvertError> {
    MatrixSource::open(input, options).map_err(|source| {
        // Most source errors name the file already: do not repeat it.
        if source.to_string().contains(input) {
            ConvertError::Source(source)
        } else {
            ConvertError::OpenSource { input: input.to_owned(), source }
        }
    })
}
