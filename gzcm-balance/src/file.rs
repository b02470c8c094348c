//! Balancing a file and storing the vector in it: [`balance_file`] opens each resolution
//! asked for, refuses an existing name without `force` before computing anything, computes
//! the vector ([`balance`](crate::balance())), and stores every vector with one atomic re-lay
//! of the file ([`gzcm_container::store_weights`]).

use std::path::{Path, PathBuf};

use gzcm_container::{
    ContainerError, GzcmFile, Reader, ReaderOptions, StoredWeight, WeightVector, WeightsAt, store_weights,
};

use crate::balance::{BalanceOutcome, Progress, balance};
use crate::bed::read_bed;
use crate::error::BalanceError;
use crate::options::BalanceOptions;
use crate::pixels::bin_budget;

/// Which resolutions of a file to balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolutions {
    /// One: `None` for a single-resolution file, `Some(R)` for a collection's member (or a
    /// single file whose bin size is R).
    One(Option<u64>),
    /// Every resolution of a collection (the one of a single file).
    All,
}

/// What [`balance_file`] should do.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct BalanceRequest {
    /// The resolutions.
    pub resolutions: Resolutions,
    /// The vector's name (default: the method's, e.g. `weight` for ICE).
    pub name: Option<String>,
    /// Replace a vector of that name.
    pub force: bool,
    /// The computation's options.
    pub options: BalanceOptions,
    /// A BED file of regions to mask (bins overlapping them), read at each resolution.
    pub blacklist: Option<PathBuf>,
}

impl BalanceRequest {
    /// A request with `options` for the resolution(s) `resolutions`, default name, no force,
    /// no blacklist.
    #[must_use]
    pub fn new(resolutions: Resolutions, options: BalanceOptions) -> Self {
        BalanceRequest { resolutions, name: None, force: false, options, blacklist: None }
    }

    /// The vector's name: the one given, else the method's default.
    #[must_use]
    pub fn name(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.options.method.default_name().to_owned())
    }
}

/// A vector computed and stored by [`balance_file`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct StoredVector {
    /// The member's resolution (`None`: a single-resolution file).
    pub resolution: Option<u64>,
    /// The name it is stored under.
    pub name: String,
    /// How it was computed.
    pub outcome: BalanceOutcome,
}

/// Balances the resolution(s) of the `.gzcm` file at `path` that `request` names and stores
/// each vector under its name with how it was computed, atomically (the file is replaced
/// whole, or left as it was). `progress(resolution, step)` reports each step.
///
/// # Errors
/// [`ContainerError::WeightExists`] (as [`BalanceError::Container`]) when the name exists and
/// `force` is off, before anything is computed; every error of [`balance`](crate::balance())
/// and of [`store_weights`]; [`BalanceError::Bed`] for an unusable blacklist.
pub fn balance_file(
    path: &Path,
    request: &BalanceRequest,
    progress: &mut dyn FnMut(Option<u64>, Progress),
) -> Result<Vec<StoredVector>, BalanceError> {
    let name = request.name();
    let options = ReaderOptions::new().cache_bytes(0);
    let file = GzcmFile::open_with(path, options)?;
    let collection = matches!(file, GzcmFile::Multi(_));
    let readers: Vec<(Option<u64>, Reader)> = match (file, request.resolutions) {
        (GzcmFile::Multi(c), Resolutions::All) => c
            .resolutions()
            .iter()
            .map(|&r| c.reader(r).map(|reader| (Some(r), reader)))
            .collect::<Result<_, _>>()?,
        (file, Resolutions::All) => vec![(None, file.into_reader(None)?)],
        (file, Resolutions::One(r)) => vec![(r, file.into_reader(r)?)],
    };
    for (resolution, reader) in &readers {
        if reader.weights(&name).is_some() && !request.force {
            let resolution = resolution.filter(|_| collection);
            let path = path.to_owned();
            return Err(ContainerError::WeightExists { path, resolution, name: name.clone() }.into());
        }
    }
    let mut stored = Vec::new();
    for (resolution, reader) in &readers {
        let mut options = request.options.clone();
        if let Some(bed) = &request.blacklist {
            let genome = reader.genome().ok_or_else(|| BalanceError::NoGenome { path: path.to_owned() })?;
            // A mask of the bins, within the budget, then their ids: overlapping lines are
            // not expanded one bin id at a time.
            bin_budget(reader, options.memory)?;
            let mut masked = vec![false; usize::try_from(genome.n_bins()).unwrap_or(usize::MAX)];
            for region in read_bed(bed, genome)? {
                let bins = usize::try_from(region.bins.start).unwrap_or(usize::MAX)
                    ..usize::try_from(region.bins.end).unwrap_or(usize::MAX);
                masked.get_mut(bins).into_iter().flatten().for_each(|m| *m = true);
            }
            options.blacklist.extend(masked.iter().zip(0u64..).filter(|&(&m, _)| m).map(|(_, bin)| bin));
            options.blacklist.sort_unstable();
            options.blacklist.dedup();
        }
        let outcome = balance(reader, &options, &mut |step| progress(*resolution, step))?;
        stored.push(StoredVector { resolution: *resolution, name: name.clone(), outcome });
    }
    drop(readers);
    let edits: Vec<WeightsAt> = stored
        .iter()
        .map(|s| {
            let vector = WeightVector::new(s.name.clone(), s.outcome.weights.clone());
            let weight = StoredWeight { vector, balance: Some(s.outcome.record()) };
            WeightsAt { resolution: s.resolution.filter(|_| collection), weights: vec![weight] }
        })
        .collect();
    store_weights(path, &edits, request.force)?;
    Ok(stored)
}
