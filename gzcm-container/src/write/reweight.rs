//! Storing weight vectors ([`store_weights`], format revision balance-1, docs/format.md entry
//! 48) and cis expected tables ([`store_expected`], format revision expected-1, entry 49) in an
//! existing `.gzcm` file. The file is never edited in place: a new file is
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
use crate::format::genome::blocks::{expected_block, weight_block};
use crate::format::genome::{
    BalanceRecord, ExpectedRecord, ExpectedTableError, StoredExpected, WeightRecord,
};
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

/// The cis expected tables to store at one resolution.
#[derive(Clone, Debug)]
pub struct ExpectedAt {
    /// The member of a collection; `None` (or the file's bin size) for a single-resolution
    /// file.
    pub resolution: Option<u64>,
    /// The tables, each keyed by its weight vector and `ignore_diags` (a replaced table keeps
    /// its place, a new one is appended).
    pub tables: Vec<StoredExpected>,
}

/// What to change at one resolution.
struct GenomeEdit<'a> {
    resolution: Option<u64>,
    weights: Vec<&'a StoredWeight>,
    expected: Vec<&'a StoredExpected>,
}

impl<'a> GenomeEdit<'a> {
    fn weights(edits: &'a [WeightsAt]) -> Vec<Self> {
        let edit = |e: &'a WeightsAt| GenomeEdit {
            resolution: e.resolution,
            weights: e.weights.iter().collect(),
            expected: Vec::new(),
        };
        edits.iter().map(edit).collect()
    }

    fn expected(edits: &'a [ExpectedAt]) -> Vec<Self> {
        let edit = |e: &'a ExpectedAt| GenomeEdit {
            resolution: e.resolution,
            weights: Vec::new(),
            expected: e.tables.iter().collect(),
        };
        edits.iter().map(edit).collect()
    }
}

/// What [`store_weights`] and [`store_expected`] wrote.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct StoreSummary {
    /// The file.
    pub path: PathBuf,
    /// Its new length in bytes.
    pub bytes: u64,
    /// Names of the vectors that replaced one of the same name (for [`store_expected`], the
    /// weight vectors of the tables that replaced one under the same key).
    pub replaced: Vec<String>,
}

/// Stores weight vectors in the `.gzcm` file at `path`, atomically: the file is re-laid into
/// a hidden temporary next to it (tile payloads copied verbatim, each checked against its
/// crc32c; genome blocks copied, new ones compressed; header, index and integrity trailer
/// written anew) and renamed over it. On any error the file is left as it was.
///
/// A single-resolution file takes one [`WeightsAt`] (resolution `None` or its bin size); a
/// collection one per member to change, each naming its resolution, and every member is
/// re-laid. A name the file (or member) already has is replaced only with `replace`. The
/// stored expected tables of a replaced vector are dropped: they no longer describe it.
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
    store(path.as_ref(), &GenomeEdit::weights(edits), replace)
}

/// Stores cis expected tables in the `.gzcm` file at `path`, atomically, exactly as
/// [`store_weights`] stores vectors (tile payloads copied verbatim; the file is replaced whole
/// or left as it was). Each table must have been computed with the file's current values of
/// its weight vector ([`StoredExpected::weights_crc32c`]) and fit its genome
/// ([`StoredExpected::check`]). A table under a key (vector, `ignore_diags`) the file (or
/// member) already stores is replaced only with `replace`.
///
/// # Errors
/// [`ContainerError::ExpectedExists`] for a key already stored without `replace`;
/// [`ContainerError::ExpectedInvalid`] for a table that does not fit the file (or whose
/// vector changed); otherwise those of [`store_weights`].
pub fn store_expected(path: impl AsRef<Path>, edits: &[ExpectedAt], replace: bool) -> Result<StoreSummary> {
    store(path.as_ref(), &GenomeEdit::expected(edits), replace)
}

fn store(path: &Path, edits: &[GenomeEdit<'_>], replace: bool) -> Result<StoreSummary> {
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

fn store_in_single(
    path: &Path,
    bytes: &[u8],
    edits: &[GenomeEdit<'_>],
    replace: bool,
) -> Result<Vec<String>> {
    let structure = Structure::parse(bytes, bytes, bytes.len() as u64, None)
        .map_err(|e| ContainerError::format(path, e))?;
    let bin_size = structure.genome.as_ref().and_then(gzcm_genome::Genome::resolution);
    let mut edit = GenomeEdit { resolution: None, weights: Vec::new(), expected: Vec::new() };
    for one in edits {
        if let Some(asked) = one.resolution
            && Some(asked) != bin_size
        {
            let available = bin_size.into_iter().collect();
            return Err(ContainerError::ResolutionNotFound { path: path.to_owned(), asked, available });
        }
        edit.weights.extend(&one.weights);
        edit.expected.extend(&one.expected);
    }
    let mut out = AtomicFile::create(path, true)?;
    let mut writer = BufWriter::with_capacity(1 << 20, &mut out);
    let target = Target { path, resolution: None };
    let replaced = write_relaid(bytes, &structure, &edit, replace, target, &mut writer)?;
    writer.flush().map_err(|e| ContainerError::io("write", path, e))?;
    drop(writer);
    out.commit()?;
    Ok(replaced)
}

fn store_in_collection(
    path: &Path,
    bytes: &[u8],
    edits: &[GenomeEdit<'_>],
    replace: bool,
) -> Result<Vec<String>> {
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
        let here = edits.iter().filter(|e| e.resolution == Some(resolution));
        let edit = GenomeEdit {
            resolution: Some(resolution),
            weights: here.clone().flat_map(|e| e.weights.iter().copied()).collect(),
            expected: here.flat_map(|e| e.expected.iter().copied()).collect(),
        };
        let scratch = collection.scratch_path(resolution);
        let file = File::create(&scratch).map_err(|e| ContainerError::io("create", &scratch, e))?;
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        let target = Target { path, resolution: Some(resolution) };
        replaced.extend(write_relaid(member, &structure, &edit, replace, target, &mut writer)?);
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

    fn invalid_expected(self, table: &StoredExpected, source: ExpectedTableError) -> ContainerError {
        ContainerError::ExpectedInvalid {
            path: self.path.to_owned(),
            resolution: self.resolution,
            balance: table.balance.clone(),
            ignore_diags: table.ignore_diags,
            source: Box::new(source),
        }
    }
}

/// Writes the single-resolution file `bytes` (parsed as `structure`) with `edit`'s weights
/// added or replacing vectors of the same name (dropping the expected tables of a replaced
/// vector) and its expected tables added or replacing tables of the same key; returns the
/// names replaced.
fn write_relaid(
    bytes: &[u8],
    structure: &Structure,
    edit: &GenomeEdit<'_>,
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
    let first_weight = record.first_weight_block();
    let mut weight_blocks = blocks.split_off(first_weight);
    let mut expected_blocks = blocks.split_off(first_weight - record.expected.len());
    let mut replaced = Vec::new();
    for weight in &edit.weights {
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
                weight_blocks[i] = Cow::Owned(stored);
                replaced.push(name.clone());
                // Tables computed with the old values no longer describe the vector.
                for stale in (0..record.expected.len()).rev() {
                    if record.expected[stale].balance == *name {
                        record.expected.remove(stale);
                        expected_blocks.remove(stale);
                    }
                }
            }
            None => {
                record.weights.push(new);
                weight_blocks.push(Cow::Owned(stored));
            }
        }
    }
    for table in &edit.expected {
        let invalid = |source| target.invalid_expected(table, source);
        let genome = structure.genome.as_ref().ok_or_else(|| {
            target.not_storable("it has no genome (chromosomes and bins) to hold an expected table")
        })?;
        table.check(genome).map_err(invalid)?;
        let weights = genome.weight(&table.balance).map(|w| w.values.as_slice()).unwrap_or_default();
        if !table.computed_with(weights) {
            return Err(invalid(ExpectedTableError::StaleWeights { name: table.balance.clone() }));
        }
        let (stored, new) = expected_block(table)
            .map_err(|e| ContainerError::io("compress an expected table for", target.path, e))?;
        let same_key =
            |e: &ExpectedRecord| e.balance == table.balance && e.ignore_diags == table.ignore_diags;
        match record.expected.iter().position(same_key) {
            Some(_) if !replace => {
                return Err(ContainerError::ExpectedExists {
                    path: target.path.to_owned(),
                    resolution: target.resolution,
                    balance: table.balance.clone(),
                    ignore_diags: table.ignore_diags,
                });
            }
            Some(i) => {
                record.expected[i] = new;
                expected_blocks[i] = Cow::Owned(stored);
                replaced.push(table.balance.clone());
            }
            None => {
                record.expected.push(new);
                expected_blocks.push(Cow::Owned(stored));
            }
        }
    }
    blocks.append(&mut expected_blocks);
    blocks.append(&mut weight_blocks);
    let order = structure.layout.order;
    let relaid = relay_file(&structure.header, order, index.records(), record, &blocks, target.path)?;
    let io = |e| ContainerError::io("write", target.path, e);
    writer.write_all(&relaid.head).map_err(io)?;
    writer.write_all(&relaid.index).map_err(io)?;
    copy_payloads(&mut { bytes }, relaid.sources.iter().copied(), writer, target.path)?;
    writer.write_all(&relaid.blocks).map_err(io)?;
    writer.write_all(&relaid.trailer.to_bytes()).map_err(io)?;
    Ok(replaced)
}
