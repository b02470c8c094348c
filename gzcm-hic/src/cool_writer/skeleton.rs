//! Everything of a cooler file but its pixels and `indexes/bin1_offset`: root attributes,
//! `chroms`, `bins` (with weight columns), `indexes/chrom_offset`, and the empty, resizable
//! `pixels` columns that [`super::CoolWriter`] then grows.

use std::path::Path;

use gzcm_genome::{Bins, Genome};
use hdf5_pure::{AttrValue, FileBuilder, MaxExtent, make_f64_type, make_i32_type, make_i64_type};

use super::CoolMeta;
use super::error::CoolWriteError;
use crate::source::CountType;

/// Elements per chunk of the pixel columns (256 KiB of int64). Kept below 2^16: hdf5-pure
/// 0.47 encodes a chunk dimension of 65,536 or more in 4 bytes where libhdf5 expects 3, and
/// h5py then refuses the dataset ("stored chunk dimension encoding length does not match").
pub(crate) const PIXEL_CHUNK: u64 = 1 << 15;
/// zlib level of every compressed column (cooler's default, with shuffle).
const DEFLATE_LEVEL: u32 = 6;
/// The cooler schema version written.
const FORMAT_VERSION: i64 = 3;

/// Writes the skeleton to `path` (replacing its contents).
pub(crate) fn write(path: &Path, meta: &CoolMeta<'_>) -> Result<(), CoolWriteError> {
    let genome = meta.genome;
    let columns = BinColumns::new(genome)?;
    let mut builder = FileBuilder::new();
    root_attributes(&mut builder, meta);

    let mut chroms = builder.create_group("chroms");
    let names: Vec<&str> = genome.chroms().iter().map(|c| c.name.as_str()).collect();
    if let Some(bad) = names.iter().find(|n| !n.is_ascii() || n.is_empty()) {
        return Err(CoolWriteError::Genome(format!("chromosome name `{bad}` is empty or not ASCII")));
    }
    chroms.create_dataset("name").with_ascii_strings(&names).map_err(|e| hdf5("write chroms/name", e))?;
    let lengths = genome
        .chroms()
        .iter()
        .map(|c| int32("a chromosome length", c.length))
        .collect::<Result<Vec<_>, _>>()?;
    compressed(chroms.create_dataset("length").with_i32_data(&lengths), lengths.len());
    builder.add_group(chroms.finish());

    let mut bins = builder.create_group("bins");
    compressed(bins.create_dataset("chrom").with_i32_data(&columns.chrom), columns.chrom.len());
    compressed(bins.create_dataset("start").with_i32_data(&columns.start), columns.start.len());
    compressed(bins.create_dataset("end").with_i32_data(&columns.end), columns.end.len());
    for weight in genome.weights() {
        if ["chrom", "start", "end"].contains(&weight.name.as_str()) || weight.name.contains('/') {
            return Err(CoolWriteError::Genome(format!(
                "weight vector name `{}` cannot be a bins column",
                weight.name
            )));
        }
        // Stored as cooler reads it: `1 / w` for the names cooler treats as divisive.
        let values = weight.cooler_column();
        compressed(bins.create_dataset(&weight.name).with_f64_data(&values), values.len());
    }
    builder.add_group(bins.finish());

    let mut pixels = builder.create_group("pixels");
    for (name, dtype) in [
        ("bin1_id", make_i64_type()),
        ("bin2_id", make_i64_type()),
        ("count", if meta.count_type == CountType::Int { make_i32_type() } else { make_f64_type() }),
    ] {
        pixels
            .create_dataset(name)
            .with_dtype(dtype)
            .with_shape(&[0])
            .with_maxshape(&[MaxExtent::Unlimited])
            .with_chunks(&[PIXEL_CHUNK])
            .with_shuffle()
            .with_deflate(DEFLATE_LEVEL);
    }
    builder.add_group(pixels.finish());

    let mut indexes = builder.create_group("indexes");
    let chrom_offset: Vec<i64> = genome.chrom_offsets().into_iter().map(|o| o as i64).collect();
    compressed(indexes.create_dataset("chrom_offset").with_i64_data(&chrom_offset), chrom_offset.len());
    builder.add_group(indexes.finish());

    builder.write(path).map_err(CoolWriteError::hdf5("write the file skeleton"))
}

/// The root attributes cooler writes (`nnz` is rewritten once the pixels are in).
fn root_attributes(builder: &mut FileBuilder, meta: &CoolMeta<'_>) {
    let genome = meta.genome;
    let text = |s: &str| AttrValue::VarLenString(s.to_owned());
    builder.set_attr("format", text("HDF5::Cooler"));
    builder.set_attr("format-version", AttrValue::I64(FORMAT_VERSION));
    match genome.bins() {
        Bins::Fixed { bin_size } => {
            builder.set_attr("bin-type", text("fixed"));
            builder.set_attr("bin-size", AttrValue::I64(*bin_size as i64));
        }
        Bins::Variable { .. } => builder.set_attr("bin-type", text("variable")),
    }
    builder.set_attr("storage-mode", text(if meta.symmetric { "symmetric-upper" } else { "square" }));
    builder.set_attr("nbins", AttrValue::I64(genome.n_bins() as i64));
    builder.set_attr("nchroms", AttrValue::I64(genome.chroms().len() as i64));
    builder.set_attr("nnz", AttrValue::I64(0));
    if let Some(assembly) = genome.assembly() {
        builder.set_attr("assembly", text(assembly));
    }
    builder.set_attr("generated-by", text(&meta.generated_by));
    builder.set_attr("creation-date", text(&meta.creation_date));
}

/// Chunked, shuffled and deflated, as cooler stores its columns (an empty column stays
/// contiguous: there is nothing to chunk).
fn compressed(dataset: &mut hdf5_pure::DatasetBuilder, len: usize) {
    if len > 0 {
        dataset.with_chunks(&[(len as u64).min(PIXEL_CHUNK)]).with_shuffle().with_deflate(DEFLATE_LEVEL);
    }
}

/// The error for a bin count the columns cannot be allocated for.
pub(crate) fn too_many_bins(n_bins: u64) -> CoolWriteError {
    CoolWriteError::Genome(format!("{n_bins} bins: too many to hold one value per bin in memory"))
}

fn hdf5(action: &'static str, error: hdf5_pure::FormatError) -> CoolWriteError {
    CoolWriteError::Hdf5 { action, source: hdf5_pure::Error::from(error) }
}

fn int32(what: &str, value: u64) -> Result<i32, CoolWriteError> {
    i32::try_from(value)
        .map_err(|_| CoolWriteError::Genome(format!("{what} {value} does not fit cooler's int32")))
}

/// `bins/chrom`, `bins/start`, `bins/end` as cooler stores them (int32).
struct BinColumns {
    chrom: Vec<i32>,
    start: Vec<i32>,
    end: Vec<i32>,
}

impl BinColumns {
    /// The columns of a (validated) genome's bins.
    fn new(genome: &Genome) -> Result<BinColumns, CoolWriteError> {
        if let Some(long) = genome.chroms().iter().find(|c| i32::try_from(c.length).is_err()) {
            return Err(CoolWriteError::Genome(format!(
                "chromosome `{}` is {} bp, beyond cooler's int32 coordinates",
                long.name, long.length
            )));
        }
        let n_bins = usize::try_from(genome.n_bins()).map_err(|_| too_many_bins(genome.n_bins()))?;
        // One value per bin is the unit of this file; a claimed count the allocator refuses is
        // an error, not an abort.
        let mut columns = BinColumns { chrom: Vec::new(), start: Vec::new(), end: Vec::new() };
        for column in [&mut columns.chrom, &mut columns.start, &mut columns.end] {
            column.try_reserve_exact(n_bins).map_err(|_| too_many_bins(genome.n_bins()))?;
        }
        for bin in 0..genome.n_bins() {
            let Some((c, span)) = genome.bin(bin) else { break };
            columns.chrom.push(int32("a chromosome id", c as u64)?);
            columns.start.push(int32("a bin start", span.start)?);
            columns.end.push(int32("a bin end", span.end)?);
        }
        Ok(columns)
    }
}
