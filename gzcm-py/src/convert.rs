//! `convert_to_gzcm`: any source (a path `gzcm convert` reads, a numpy array, scipy.sparse
//! triples) streamed into a new `.gzcm` file, optionally with the v4 adaptive codec choice.
//!
//! This mirrors `gzcm-cli`'s private `ingest::write_stream` and `adaptive::decide_typed` (the
//! CLI keeps them crate-private, with its progress bars); both drive only public APIs of
//! `gzcm-container`, `gzcm-io` and `gzcm-picker`.

use std::path::PathBuf;
use std::sync::Arc;

use gzcm::{Dtype, Registry};
use gzcm_container::{Metadata, Progress, WriteSummary, Writer, WriterBuilder};
use gzcm_io::{CellStream, CellValue, MatrixSource, Order, SourceInfo};
use gzcm_picker::{DEFAULT_SAMPLE_TILES, Decision, Grid, PickOptions, Survey, Weights};

use crate::errors::{AnyError, BindingError};
use crate::memory::MemoryMatrix;

/// Where the cells come from.
pub(crate) enum Input {
    /// Anything `gzcm convert` reads.
    File(MatrixSource),
    /// A matrix handed over from Python.
    Memory(MemoryMatrix),
}

impl Input {
    fn info(&self) -> &SourceInfo {
        match self {
            Input::File(source) => source.info(),
            Input::Memory(matrix) => matrix.info(),
        }
    }

    fn cells<T: CellValue>(&self) -> Result<CellStream<T>, AnyError> {
        match self {
            Input::File(source) => Ok(source.cells()?),
            Input::Memory(matrix) => Ok(matrix.cells()),
        }
    }

    fn triples<T: CellValue>(&self) -> Result<gzcm_io::TripleStream<T>, AnyError> {
        Ok(self.cells::<T>()?.into_triples(self.info().symmetric))
    }
}

/// How to write.
pub(crate) struct ConvertOptions {
    /// Output path.
    pub(crate) dst: PathBuf,
    /// Format version.
    pub(crate) version: u32,
    /// The codec (or the fallback when adaptive); `None` leaves the writer's default (zstd for
    /// versions 3 and 4, none for the uncompressed 1 and 2).
    pub(crate) codec: Option<String>,
    /// Pick a codec per region (v4).
    pub(crate) adaptive: bool,
    /// Tile edge.
    pub(crate) tile_size: u32,
    /// Stored cell type; `None` keeps the source's.
    pub(crate) dtype: Option<Dtype>,
    /// Picker criterion weights (decode, size, encode).
    pub(crate) weights: (f64, f64, f64),
    /// Replace an existing output.
    pub(crate) overwrite: bool,
    /// Called after every band with `(bands_done, bands_total)`.
    pub(crate) progress: Option<Arc<dyn Fn(u32, u32) + Send + Sync>>,
}

/// What was written, plus the codec choice when adaptive.
pub(crate) struct Converted {
    /// The writer's summary.
    pub(crate) summary: WriteSummary,
    /// Picker winners, when adaptive.
    pub(crate) picked: Option<Vec<String>>,
}

/// Writes `input` as described by `options`.
pub(crate) fn convert(input: &Input, options: &ConvertOptions) -> Result<Converted, AnyError> {
    let dtype = options.dtype.unwrap_or(input.info().dtype);
    match dtype {
        Dtype::U32 => convert_typed::<u32>(input, options),
        Dtype::F32 => convert_typed::<f32>(input, options),
        other => {
            Err(BindingError::InvalidArgument(format!("dtype {other} is not supported by the writer")).into())
        }
    }
}

fn convert_typed<T: CellValue>(input: &Input, options: &ConvertOptions) -> Result<Converted, AnyError> {
    if options.adaptive && options.version != 4 {
        return Err(BindingError::InvalidArgument(format!(
            "adaptive_codec=True needs version=4 (the per-region choice is recorded in v4 files), got version={}",
            options.version
        ))
        .into());
    }
    let registry = crate::reader::registry();
    let decision = if options.adaptive { Some(decide::<T>(input, options, &registry)?) } else { None };
    let builder = builder(input.info(), options, T::DTYPE, registry, decision.as_ref());
    let summary = write(input.info(), input.cells::<T>()?, builder)?;
    Ok(Converted { summary, picked: decision.map(|d| d.winners().to_vec()) })
}

fn builder(
    info: &SourceInfo,
    options: &ConvertOptions,
    dtype: Dtype,
    registry: Arc<Registry>,
    decision: Option<&Arc<Decision>>,
) -> WriterBuilder {
    let mut metadata = Metadata::default();
    metadata.symmetric = info.symmetric;
    metadata.source_file = Some(info.description.clone());
    metadata.writer = Some(format!("gzcm-py {}", env!("CARGO_PKG_VERSION")));
    let mut builder = Writer::builder(&options.dst, info.shape.rows.into(), info.shape.cols.into())
        .version(options.version)
        .tile_size(options.tile_size)
        .dtype(dtype)
        .symmetric(info.symmetric)
        .metadata(metadata)
        .overwrite(options.overwrite)
        .registry(registry);
    if let Some(codec) = &options.codec {
        builder = builder.codec(codec.clone());
    }
    if let Some(progress) = &options.progress {
        let progress = Arc::clone(progress);
        builder = builder.progress(move |p: Progress| progress(p.bands_done, p.bands_total));
    }
    match decision {
        None => builder,
        Some(decision) => {
            let chooser = Arc::clone(decision);
            builder
                .codec_picker(move |stats| chooser.codec_for(stats.tile_row, stats.tile_col).to_owned())
                .regions(decision.regions_json())
                .codec_picker_record(decision.record_json())
        }
    }
}

fn write<T: CellValue>(
    info: &SourceInfo,
    cells: CellStream<T>,
    builder: WriterBuilder,
) -> Result<WriteSummary, AnyError> {
    let summary = match cells {
        CellStream::Rows(stream) => {
            let mut writer = builder.create()?;
            for (row, values) in (0u64..).zip(stream) {
                writer.push_row(row, &values?)?;
            }
            writer.finish()?
        }
        CellStream::Triples(stream) if info.order == Order::RowMajor => {
            let mut writer = builder.create()?;
            for triple in stream {
                let triple = triple?;
                writer.push(triple.row.into(), triple.col.into(), triple.value)?;
            }
            writer.finish()?
        }
        CellStream::Triples(stream) => {
            let mut writer = builder.create_unsorted()?;
            for triple in stream {
                let triple = triple?;
                writer.push(triple.row.into(), triple.col.into(), triple.value)?;
            }
            writer.finish()?
        }
    };
    Ok(summary)
}

/// The v4 adaptive choice: survey the tiles, sample each region, measure the candidates.
fn decide<T: CellValue>(
    input: &Input,
    options: &ConvertOptions,
    registry: &Registry,
) -> Result<Arc<Decision>, AnyError> {
    let info = input.info();
    let grid = Grid::new(info.shape.rows.into(), info.shape.cols.into(), options.tile_size, info.symmetric)?;
    let mut survey = Survey::new(grid);
    for triple in input.triples::<T>()? {
        let triple = triple?;
        survey.observe(triple.row.into(), triple.col.into())?;
    }
    let plan = survey.into_plan();
    let mut collector = plan.sample_tiles(DEFAULT_SAMPLE_TILES).collector(T::DTYPE);
    for triple in input.triples::<T>()? {
        let triple = triple?;
        collector.push(triple.row.into(), triple.col.into(), triple.value)?;
    }
    let (decode, size, encode) = options.weights;
    let pick = PickOptions::default().weights(Weights::new(decode, size, encode)?);
    Ok(Arc::new(plan.pick(registry, &collector.finish(), &pick)?))
}
