//! Feeding any `gzcm-io` source into the container writer, with a progress bar.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use gzcm::{Dtype, EncodeOptions, Registry};
use gzcm_container::{Metadata, WriteSummary, Writer, WriterBuilder};
use gzcm_io::{CellStream, CellValue, MatrixSource, Order, SourceInfo};
use gzcm_picker::Decision;
use indicatif::ProgressBar;

use crate::progress;

/// How to write: everything but the input and the output path.
#[derive(Clone, Debug)]
pub(crate) struct WriteOptions {
    pub(crate) codec: String,
    pub(crate) version: u32,
    pub(crate) tile_size: u32,
    pub(crate) dtype: Dtype,
    pub(crate) level: Option<i32>,
    pub(crate) overwrite: bool,
    pub(crate) progress: bool,
    /// A per-region codec choice (v4 adaptive); replaces `codec` when present.
    pub(crate) picker: Option<Arc<Decision>>,
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
    // With one codec the level goes to it (and a codec without levels refuses, as asked); with
    // a per-region choice it goes to every codec that accepts it.
    let encode = match options.picker {
        None => options.level.map(EncodeOptions::with_level).unwrap_or_default(),
        Some(_) => EncodeOptions::default(),
    };
    let builder = Writer::builder(out, info.shape.rows.into(), info.shape.cols.into())
        .version(options.version)
        .tile_size(options.tile_size)
        .dtype(options.dtype)
        .symmetric(info.symmetric)
        .codec(options.codec.clone())
        .encode_options(encode)
        .metadata(metadata)
        .overwrite(options.overwrite)
        .registry(registry());
    let builder = match &options.genome {
        Some(genome) => builder.genome(genome.clone()),
        None => builder,
    };
    match &options.picker {
        None => builder,
        Some(decision) => {
            let chooser = Arc::clone(decision);
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

/// Checks up front that `codec` exists and stores `dtype`, so a typo fails before any work.
pub(crate) fn check_codec(codec: &str, dtype: Dtype) -> anyhow::Result<()> {
    let descriptor = gzcm::get_codec(codec)?;
    if !descriptor.supports(dtype) {
        anyhow::bail!("codec `{codec}` cannot store {dtype} tiles; see `gzcm codecs`");
    }
    Ok(())
}

/// Opens the input with a message that names it.
pub(crate) fn open_source(input: &str, options: gzcm_io::OpenOptions) -> anyhow::Result<MatrixSource> {
    MatrixSource::open(input, options).with_context(|| format!("cannot open input `{input}`"))
}
