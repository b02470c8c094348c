//! The layout of one cooler matrix group, everything but its pixels and
//! `indexes/bin1_offset`: the group's attributes, `chroms`, `bins` (with weight columns),
//! `indexes/chrom_offset`, and the empty, resizable `pixels` columns that
//! [`super::group::MatrixGroup`] then grows. The same layout goes at the root of a `.cool` and
//! at each `/resolutions/R` of a `.mcool`.
//!
//! Building it is two steps: [`Layout::new`] checks the genome and computes every column (the
//! only step that can refuse the input), then [`Layout::stage`] stages it into an open file's
//! group, so a refused genome never leaves a half-staged group behind.

use gzcm_genome::{Bins, Genome};
use hdf5_pure::{AttrValue, DatasetBuilder, Group, MaxExtent, make_f64_type, make_i32_type, make_i64_type};

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

/// A matrix group's attributes and columns, checked and ready to stage.
pub(crate) struct Layout {
    attributes: Vec<(&'static str, AttrValue)>,
    chrom_names: Vec<String>,
    chrom_lengths: Vec<i32>,
    bins: BinColumns,
    /// `(name, values as cooler reads them)` per weight vector.
    weights: Vec<(String, Vec<f64>)>,
    chrom_offset: Vec<i64>,
    count_type: CountType,
}

impl Layout {
    /// Checks that `meta`'s genome can be cooler columns and computes them.
    pub(crate) fn new(meta: &CoolMeta<'_>) -> Result<Layout, CoolWriteError> {
        let genome = meta.genome;
        let bins = BinColumns::new(genome)?;
        let chrom_names: Vec<String> = genome.chroms().iter().map(|c| c.name.clone()).collect();
        if let Some(bad) = chrom_names.iter().find(|n| !n.is_ascii() || n.is_empty()) {
            return Err(CoolWriteError::Genome(format!("chromosome name `{bad}` is empty or not ASCII")));
        }
        let chrom_lengths = genome
            .chroms()
            .iter()
            .map(|c| int32("a chromosome length", c.length))
            .collect::<Result<Vec<_>, _>>()?;
        let mut weights = Vec::with_capacity(genome.weights().len());
        for weight in genome.weights() {
            if ["chrom", "start", "end"].contains(&weight.name.as_str()) || weight.name.contains('/') {
                return Err(CoolWriteError::Genome(format!(
                    "weight vector name `{}` cannot be a bins column",
                    weight.name
                )));
            }
            // Stored as cooler reads it: `1 / w` for the names cooler treats as divisive.
            weights.push((weight.name.clone(), weight.cooler_column()));
        }
        Ok(Layout {
            attributes: attributes(meta),
            chrom_names,
            chrom_lengths,
            bins,
            weights,
            chrom_offset: genome.chrom_offsets().into_iter().map(|o| o as i64).collect(),
            count_type: meta.count_type,
        })
    }

    /// Stages the attributes and columns into `group` (the file's root or a new group);
    /// nothing is written before the file's next commit.
    pub(crate) fn stage(self, group: &Group) -> Result<(), CoolWriteError> {
        for (name, value) in &self.attributes {
            group.set_attr(name, value.clone()).map_err(CoolWriteError::hdf5("set the matrix attributes"))?;
        }
        self.stage_chroms(group)?;
        let Layout { bins, weights, chrom_offset, count_type, .. } = self;
        group
            .create_group_with("bins", |g| {
                g.create_dataset("chrom", |d| compressed(d.with_i32_data(&bins.chrom), bins.chrom.len()));
                g.create_dataset("start", |d| compressed(d.with_i32_data(&bins.start), bins.start.len()));
                g.create_dataset("end", |d| compressed(d.with_i32_data(&bins.end), bins.end.len()));
                for (name, values) in &weights {
                    g.create_dataset(name, |d| compressed(d.with_f64_data(values), values.len()));
                }
            })
            .map_err(CoolWriteError::hdf5("stage bins"))?;
        group
            .create_group_with("pixels", |g| {
                let count = if count_type == CountType::Int { make_i32_type() } else { make_f64_type() };
                for (name, dtype) in
                    [("bin1_id", make_i64_type()), ("bin2_id", make_i64_type()), ("count", count)]
                {
                    g.create_dataset(name, |d| {
                        d.with_dtype(dtype)
                            .with_shape(&[0])
                            .with_maxshape(&[MaxExtent::Unlimited])
                            .with_chunks(&[PIXEL_CHUNK])
                            .with_shuffle()
                            .with_deflate(DEFLATE_LEVEL);
                    });
                }
            })
            .map_err(CoolWriteError::hdf5("stage pixels"))?;
        group
            .create_group_with("indexes", |g| {
                g.create_dataset("chrom_offset", |d| {
                    compressed(d.with_i64_data(&chrom_offset), chrom_offset.len());
                });
            })
            .map_err(CoolWriteError::hdf5("stage indexes"))?;
        Ok(())
    }

    fn stage_chroms(&self, group: &Group) -> Result<(), CoolWriteError> {
        let names: Vec<&str> = self.chrom_names.iter().map(String::as_str).collect();
        let lengths = &self.chrom_lengths;
        let mut refused = None;
        group
            .create_group_with("chroms", |g| {
                g.create_dataset("name", |d| refused = d.with_ascii_strings(&names).err());
                g.create_dataset("length", |d| compressed(d.with_i32_data(lengths), lengths.len()));
            })
            .map_err(CoolWriteError::hdf5("stage chroms"))?;
        match refused {
            Some(error) => Err(CoolWriteError::Hdf5 { action: "write chroms/name", source: error.into() }),
            None => Ok(()),
        }
    }
}

/// Writes `indexes/bin1_offset` (`offsets`: one per bin, plus the total) into `group`.
pub(crate) fn stage_bin1_offset(group: &Group, offsets: &[i64]) -> Result<(), CoolWriteError> {
    group
        .group("indexes")
        .and_then(|indexes| {
            indexes.create_dataset("bin1_offset", |d| compressed(d.with_i64_data(offsets), offsets.len()))
        })
        .map(drop)
        .map_err(CoolWriteError::hdf5("write indexes/bin1_offset"))
}

/// The attributes cooler writes on a matrix group (`nnz` is rewritten once the pixels are in).
fn attributes(meta: &CoolMeta<'_>) -> Vec<(&'static str, AttrValue)> {
    let genome = meta.genome;
    let text = |s: &str| AttrValue::VarLenString(s.to_owned());
    let mut attributes =
        vec![("format", text("HDF5::Cooler")), ("format-version", AttrValue::I64(FORMAT_VERSION))];
    match genome.bins() {
        Bins::Fixed { bin_size } => {
            attributes.push(("bin-type", text("fixed")));
            attributes.push(("bin-size", AttrValue::I64(*bin_size as i64)));
        }
        Bins::Variable { .. } => attributes.push(("bin-type", text("variable"))),
    }
    attributes.extend([
        ("storage-mode", text(if meta.symmetric { "symmetric-upper" } else { "square" })),
        ("nbins", AttrValue::I64(genome.n_bins() as i64)),
        ("nchroms", AttrValue::I64(genome.chroms().len() as i64)),
        ("nnz", AttrValue::I64(0)),
    ]);
    if let Some(assembly) = genome.assembly() {
        attributes.push(("assembly", text(assembly)));
    }
    attributes.push(("generated-by", text(&meta.generated_by)));
    attributes.push(("creation-date", text(&meta.creation_date)));
    attributes
}

/// Chunked, shuffled and deflated, as cooler stores its columns (an empty column stays
/// contiguous: there is nothing to chunk).
fn compressed(dataset: &mut DatasetBuilder, len: usize) {
    if len > 0 {
        dataset.with_chunks(&[(len as u64).min(PIXEL_CHUNK)]).with_shuffle().with_deflate(DEFLATE_LEVEL);
    }
}

/// The error for a bin count the columns cannot be allocated for.
pub(crate) fn too_many_bins(n_bins: u64) -> CoolWriteError {
    CoolWriteError::Genome(format!("{n_bins} bins: too many to hold one value per bin in memory"))
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
