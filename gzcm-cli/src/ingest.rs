//! Feeding any `gzcm-io` source into the container writer, with a progress bar.

use std::path::Path;
use std::sync::Arc;

use gzcm::{Dtype, EncodeOptions, Registry};
use gzcm_container::{Metadata, WriteSummary, Writer, WriterBuilder};
use gzcm_io::{CellStream, CellValue, MatrixSource, Order, SourceInfo};
use indicatif::ProgressBar;

use crate::codec_plan::CodecPlan;
use crate::progress;

/// How to write: everything but the input and the output path.
#[derive(Clone, Debug)]
pub(crate) struct WriteOptions {
    /// The codecs, resolved before the input is read.
    pub(crate) codecs: CodecPlan,
    pub(crate) version: u32,
    pub(crate) tile_size: u32,
    pub(crate) dtype: Dtype,
    pub(crate) level: Option<i32>,
    pub(crate) overwrite: bool,
    /// Store the v3/v4 tile index packed (`--packed-index`).
    pub(crate) packed_index: bool,
    pub(crate) progress: bool,
    /// Chromosomes, bins and weights to store with the matrix (`--bins`, Hi-C inputs).
    pub(crate) genome: Option<gzcm_container::Genome>,
}

/// The process-wide registry (built-ins included), as the container wants it.
pub(crate) fn registry() -> Arc<Registry> {
    Arc::new(gzcm::with_registry(Registry::clone))
}

/// Streams `source` into a new `.gzcm` file at `out`.
pub(crate) fn write_source(
    source: &MatrixSource,
    out: &Path,
    options: &WriteOptions,
) -> anyhow::Result<WriteSummary> {
    match options.dtype {
        Dtype::U32 => write_stream(source.info(), source.cells::<u32>()?, out, options),
        Dtype::F32 => write_stream(source.info(), source.cells::<f32>()?, out, options),
        other => anyhow::bail!("dtype {other} is not supported by the writer"),
    }
}

fn builder(info: &SourceInfo, out: &Path, options: &WriteOptions) -> WriterBuilder {
    let mut metadata = Metadata::default();
    metadata.symmetric = info.symmetric;
    metadata.source_file = Some(info.description.clone());
    metadata.writer = Some(format!("gzcm {}", env!("CARGO_PKG_VERSION")));
    let builder = Writer::builder(out, info.shape.rows.into(), info.shape.cols.into())
        .version(options.version)
        .tile_size(options.tile_size)
        .dtype(options.dtype)
        .symmetric(info.symmetric)
        .metadata(metadata)
        .packed_index(options.packed_index)
        .overwrite(options.overwrite);
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
            let builder = levelled_codecs(options.level)
                .into_iter()
                .fold(builder.registry(registry()), |b, (name, encode)| b.codec_options(name, encode));
            builder
                .codec_picker(move |stats| chooser.codec_for(stats.tile_row, stats.tile_col).to_owned())
                .regions(decision.regions_json())
                .codec_picker_record(decision.record_json())
        }
    }
}

/// Writes the cells of a matrix described by `info` into a new `.gzcm` file at `out`: dense
/// rows and row-major triples stream through the writer, unsorted triples are spilled and merged.
pub(crate) fn write_stream<T: CellValue>(
    info: &SourceInfo,
    cells: CellStream<T>,
    out: &Path,
    options: &WriteOptions,
) -> anyhow::Result<WriteSummary> {
    let builder = builder(info, out, options);
    let rows = u64::from(info.shape.rows);
    let bar = if options.progress { progress::bar(rows, "writing", "rows") } else { ProgressBar::hidden() };
    let summary = match cells {
        CellStream::Rows(stream) => {
            let mut writer = builder.create()?;
            for (row, values) in (0u64..).zip(stream) {
                writer.push_row(row, &values?)?;
                bar.set_position(row + 1);
            }
            bar.finish_and_clear();
            writer.finish()?
        }
        CellStream::Triples(stream) if info.order == Order::RowMajor => {
            let mut writer = builder.create()?;
            for triple in stream {
                let triple = triple?;
                writer.push(triple.row.into(), triple.col.into(), triple.value)?;
                bar.set_position(triple.row.into());
            }
            bar.finish_and_clear();
            writer.finish()?
        }
        CellStream::Triples(stream) => {
            bar.set_length(info.nnz.unwrap_or(0));
            bar.set_message("reading (unsorted input)");
            let mut writer = builder.create_unsorted()?;
            for triple in stream {
                let triple = triple?;
                writer.push(triple.row.into(), triple.col.into(), triple.value)?;
                bar.inc(1);
            }
            bar.finish_and_clear();
            let spinner = if options.progress {
                progress::spinner("merging and encoding")
            } else {
                ProgressBar::hidden()
            };
            let summary = writer.finish();
            spinner.finish_and_clear();
            summary?
        }
    };
    Ok(summary)
}

/// The registered codecs that accept compression level `level`, with that level; none when no
/// level is given.
pub(crate) fn levelled_codecs(level: Option<i32>) -> Vec<(String, EncodeOptions)> {
    let Some(level) = level else { return Vec::new() };
    let encode = EncodeOptions::with_level(level);
    gzcm::with_registry(|r| {
        r.descriptors()
            .filter(|d| d.encoder(&encode).is_ok())
            .map(|d| (d.name().to_owned(), encode.clone()))
            .collect()
    })
}

/// Opens the input with a message that names it.
pub(crate) fn open_source(input: &str, options: gzcm_io::OpenOptions) -> anyhow::Result<MatrixSource> {
    MatrixSource::open(input, options).map_err(|error| {
        // Most source errors name the file already: do not repeat it.
        if error.to_string().contains(input) {
            anyhow::Error::new(error)
        } else {
            anyhow::Error::new(error).context(format!("cannot open input `{input}`"))
        }
    })
}
