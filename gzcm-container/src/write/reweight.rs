//! Storing weight vectors in an existing `.gzcm` file ([`store_weights`], format revision
//! balance-1, docs/format.md entry 48). The file is never edited in place: a new file is
//! written next to it and renamed over it. A single-resolution file is re-laid with the new
//! genome record ([`relay_file`]: header, index, payloads copied verbatim and checked against
//! their crc32c, genome blocks, new trailer); a collection's every member is re-laid the same
//! way into a scratch single-resolution file and the collection re-assembled from them by the
//! [`CollectionWriter`]. One implementation of "this file with other weights" serves both.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use gzcm_genome::{GenomeError, WeightVector};

use crate::error::{ContainerError, Result};
use crate::format::collection::{self, member::MemberContext};
use crate::format::genome::blocks::weight_block;
use crate::format::genome::{BalanceRecord, BinsRecord, WeightRecord};
use crate::format::preamble;
use crate::format::relay::{BlockBytes, relay_file};
use crate::format::storage::Storage;
use crate::format::structure::Structure;
use crate::write::collection::CollectionWriter;
use crate::write::copy::{copy_payloads, map, slice};
use gzcm_atomic::AtomicFile;

/// A weight vector to store, with how it was computed (`None` for a vector computed
/// elsewhere).
#[derive(Clone, Debug)]
pub struct StoredWeight {
    /// The vector (multiplicative, one value per bin, NaN for masked bins).
    pub vector: WeightVector,
    /// How it was computed, recorded next to it in the header.
    pub balance: Option<BalanceRecord>,
}

/// The weight vectors to store at one resolution.
#[derive(Clone, Debug)]
pub struct WeightsAt {
    /// The member of a collection; `None` (or the file's bin size) for a single-resolution
    /// file.
    pub resolution: Option<u64>,
    /// The vectors, stored in this order after the file's own (a replaced vector keeps its
    /// place).
    pub weights: Vec<StoredWeight>,
}

/// What [`store_weights`] wrote.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct StoreSummary {
    /// The file.
    pub path: PathBuf,
    /// Its new length in bytes.
    pub bytes: u64,
    /// Names of the vectors that replaced one of the same name.
    pub replaced: Vec<String>,
}

/// Stores weight vectors in the `.gzcm` file at `path`, atomically: the file is re-laid into
/// a hidden temporary next to it (tile payloads copied verbatim, each checked against its
/// crc32c; genome blocks copied, new ones compressed; header, index and integrity trailer
/// written anew) and renamed over it. On any error the file is left as it was.
///
/// A single-resolution file takes one [`WeightsAt`] (resolution `None` or its bin size); a
/// collection one per member to change, each naming its resolution, and every member is
/// re-laid. A name the file (or member) already has is replaced only with `replace`.
///
/// # Errors
/// [`ContainerError::WeightExists`] for a name already stored without `replace`;
/// [`ContainerError::WeightsNotStorable`] for a file without a genome or of version 1/2;
/// [`ContainerError::WeightsInvalid`] for a vector whose length is not the number of bins or
/// whose name is empty; [`ContainerError::ResolutionRequired`] /
/// [`ContainerError::ResolutionNotFound`] for weights that name no member;
/// [`ContainerError::CrcMismatch`] when a payload no longer matches its index;
/// [`ContainerError::Format`], [`ContainerError::Io`] when the file is damaged or cannot be
/// read or replaced.
pub fn store_weights(path: impl AsRef<Path>, edits: &[WeightsAt], replace: bool) -> Result<StoreSummary> {
    let path = path.as_ref();
    let bytes = map(path)?;
    let json = preamble::split_preamble(&bytes).map_err(|e| ContainerError::format(path, e))?;
    let replaced = if collection::is_collection(json) {
        store_in_collection(path, &bytes, edits, replace)?
    } else {
        store_in_single(path, &bytes, edits, replace)?
    };
    drop(bytes);
    let bytes = std::fs::metadata(path).map_err(|e| ContainerError::io("read the length of", path, e))?.len();
    Ok(StoreSummary { path: path.to_owned(), bytes, replaced })
}

fn store_in_single(path: &Path, bytes: &[u8], edits: &[WeightsAt], replace: bool) -> Result<Vec<String>> {
    let structure = Structure::parse(bytes, bytes, bytes.len() as u64, None)
        .map_err(|e| ContainerError::format(path, e))?;
    let bin_size = structure.genome.as_ref().and_then(gzcm_genome::Genome::resolution);
    let mut weights = Vec::new();
    for edit in edits {
        if let Some(asked) = edit.resolution
            && Some(asked) != bin_size
        {
            let available = bin_size.into_iter().collect();
            return Err(ContainerError::ResolutionNotFound { path: path.to_owned(), asked, available });
        }
        weights.extend(edit.weights.iter());
    }
    let mut out = AtomicFile::create(path, true)?;
    let mut writer = BufWriter::with_capacity(1 << 20, &mut out);
    let target = Target { path, resolution: None };
    let replaced = write_relaid(bytes, &structure, &weights, replace, target, &mut writer)?;
    writer.flush().map_err(|e| ContainerError::io("write", path, e))?;
    drop(writer);
    out.commit()?;
    Ok(replaced)
}

fn store_in_collection(path: &Path, bytes: &[u8], edits: &[WeightsAt], replace: bool) -> Result<Vec<String>> {
    let header = collection::parse(bytes, bytes.len() as u64).map_err(|e| ContainerError::format(path, e))?;
    let available = header.resolution_list();
    for edit in edits {
        match edit.resolution {
            None => {
                return Err(ContainerError::ResolutionRequired { path: path.to_owned(), available });
            }
            Some(asked) if !available.contains(&asked) => {
                return Err(ContainerError::ResolutionNotFound { path: path.to_owned(), asked, available });
            }
            Some(_) => {}
        }
    }
    let mut collection = CollectionWriter::create(path, true)?;
    if let Some(name) = &header.metadata.writer {
        collection = collection.writer_name(name.clone());
    }
    let mut replaced = Vec::new();
    for entry in &header.resolutions {
        let resolution = entry.resolution;
        let member = slice(bytes, entry.offset, entry.length);
        let context =
            MemberContext::new(entry, &header.genome).map_err(|e| ContainerError::format(path, e.into()))?;
        let structure = Structure::parse(member, member, entry.length, Some(&context))
            .map_err(|e| ContainerError::format(path, e))?;
        let weights: Vec<&StoredWeight> =
            edits.iter().filter(|e| e.resolution == Some(resolution)).flat_map(|e| &e.weights).collect();
        let scratch = collection.scratch_path(resolution);
        let file = File::create(&scratch).map_err(|e| ContainerError::io("create", &scratch, e))?;
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        let target = Target { path, resolution: Some(resolution) };
        replaced.extend(write_relaid(member, &structure, &weights, replace, target, &mut writer)?);
        writer.flush().map_err(|e| ContainerError::io("write", &scratch, e))?;
        drop(writer);
        collection.add(resolution, &scratch)?;
    }
    collection.finish()?;
    Ok(replaced)
}

/// The file (and member) being changed, for messages.
#[derive(Clone, Copy)]
struct Target<'a> {
    path: &'a Path,
    resolution: Option<u64>,
}

impl Target<'_> {
    fn not_storable(self, reason: &str) -> ContainerError {
        ContainerError::WeightsNotStorable {
            path: self.path.to_owned(),
            resolution: self.resolution,
            reason: reason.to_owned(),
        }
    }

    fn invalid(self, source: GenomeError) -> ContainerError {
        ContainerError::WeightsInvalid {
            path: self.path.to_owned(),
            resolution: self.resolution,
            source: Box::new(source),
        }
    }
}

/// Writes the single-resolution file `bytes` (parsed as `structure`) with `weights` added or
/// replacing vectors of the same name; returns the names replaced.
fn write_relaid(
    bytes: &[u8],
    structure: &Structure,
    weights: &[&StoredWeight],
    replace: bool,
    target: Target<'_>,
    writer: &mut impl Write,
) -> Result<Vec<String>> {
    let Storage::Tiles(index) = &structure.storage else {
        return Err(target.not_storable("versions 1 and 2 hold no genome; convert it to version 3 or 4"));
    };
    let mut record = structure.header.genome.clone().ok_or_else(|| {
        target.not_storable(
            "it has no genome (chromosomes and bins); convert it from .cool, .mcool, .hic, or COO with --bins",
        )
    })?;
    let mut blocks: Vec<BlockBytes<'_>> =
        record.blocks().map(|b| Cow::Borrowed(slice(bytes, b.offset, b.length))).collect();
    let first_weight = usize::from(matches!(record.bins, BinsRecord::Variable { .. }));
    let mut replaced = Vec::new();
    for weight in weights {
        let WeightVector { name, values } = &weight.vector;
        let n_bins = record.n_bins;
        if values.len() as u64 != n_bins {
            let found = values.len();
            return Err(target.invalid(GenomeError::WeightLength { name: name.clone(), found, n_bins }));
        }
        if name.is_empty() {
            return Err(target.invalid(GenomeError::WeightName { name: name.clone() }));
        }
        let (stored, block) = weight_block(values, 0)
            .map_err(|e| ContainerError::io("compress a weight vector for", target.path, e))?;
        let new = WeightRecord::new(name.clone(), block, weight.balance.clone());
        match record.weights.iter().position(|w| w.name == *name) {
            Some(_) if !replace => {
                let (path, resolution) = (target.path.to_owned(), target.resolution);
                return Err(ContainerError::WeightExists { path, resolution, name: name.clone() });
            }
            Some(i) => {
                record.weights[i] = new;
                blocks[first_weight + i] = Cow::Owned(stored);
                replaced.push(name.clone());
            }
            None => {
                record.weights.push(new);
                blocks.push(Cow::Owned(stored));
            }
        }
    }
    let order = structure.layout.order;
    let relaid = relay_file(&structure.header, order, index.records(), record, &blocks, target.path)?;
    let io = |e| ContainerError::io("write", target.path, e);
    writer.write_all(&relaid.head).map_err(io)?;
    writer.write_all(&relaid.index).map_err(io)?;
    copy_payloads(bytes, &relaid.sources, writer, target.path)?;
    writer.write_all(&relaid.blocks).map_err(io)?;
    writer.write_all(&relaid.trailer.to_bytes()).map_err(io)?;
    Ok(replaced)
}
