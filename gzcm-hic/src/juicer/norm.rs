//! Normalisation vectors as gzcm weight vectors.
//!
//! Juicer's vectors are divisors: a normalised value is `count / (n[i] · n[j])`. gzcm's weights
//! multiply (`count · w[i] · w[j]`, cooler's convention), so each value is stored as `w = 1 / n`.
//! A bin whose divisor is NaN, zero, infinite or negative is masked: its weight is NaN. A
//! chromosome the file has no vector of that type for (Juicer leaves out chromosomes a
//! normalisation failed on) is masked as a whole, if it is no longer than the longest vector of
//! that type in the file: its length comes from the header alone, and a masked chromosome longer
//! than every normalised one is a damaged length, not a failed normalisation.

use std::io::{Read, Seek};

use gzcm_genome::WeightVector;

use super::footer::NormEntry;
use super::input::Input;
use crate::error::HicError;
use crate::open::WeightSelection;

/// The normalisation types the file has at `resolution` (base-pair units), in file order.
pub(crate) fn available(norms: &[NormEntry], resolution: u64) -> Vec<String> {
    let mut kinds: Vec<String> = Vec::new();
    for entry in norms.iter().filter(|e| at_resolution(e, resolution)) {
        if !kinds.contains(&entry.kind) {
            kinds.push(entry.kind.clone());
        }
    }
    kinds
}

fn at_resolution(entry: &NormEntry, resolution: u64) -> bool {
    entry.unit == "BP" && u64::try_from(entry.bin_size).ok() == Some(resolution)
}

/// The names `selection` picks among `available`.
pub(crate) fn select(
    selection: &WeightSelection,
    available: &[String],
    path: &std::path::Path,
) -> Result<Vec<String>, HicError> {
    match selection {
        WeightSelection::All => Ok(available.to_vec()),
        WeightSelection::None => Ok(Vec::new()),
        WeightSelection::Named(names) => names
            .iter()
            .map(|name| {
                if available.contains(name) {
                    Ok(name.clone())
                } else {
                    Err(HicError::UnknownWeights {
                        path: path.to_owned(),
                        name: name.clone(),
                        available: available.to_vec(),
                    })
                }
            })
            .collect(),
    }
}

/// One chromosome of the matrix being read: its header index and its bins.
pub(crate) struct ChromBins {
    /// Header index (`All` counted).
    pub(crate) header_index: usize,
    /// Its number of bins at the resolution.
    pub(crate) n_bins: u64,
}

/// Reads vector `kind` for every chromosome in `chroms` (concatenated in that order) as weights.
pub(crate) fn read_weights<R: Read + Seek>(
    input: &mut Input<R>,
    version: i32,
    norms: &[NormEntry],
    resolution: u64,
    kind: &str,
    chroms: &[ChromBins],
) -> Result<WeightVector, HicError> {
    // The genome's bins were checked against gzcm's limit; reserve no more than the file could
    // hold in values (masked chromosomes, which have none, grow the vector as they are filled).
    let total: u64 = chroms.iter().map(|c| c.n_bins).sum();
    let value_bytes = if version >= 9 { 4 } else { 8 };
    let reserve = total.min(input.len() / value_bytes);
    let mut values = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
    // Read from the file once, at the first masked chromosome.
    let mut longest_read = None;
    for chrom in chroms {
        let entry = norms
            .iter()
            .find(|e| e.kind == kind && e.chrom == chrom.header_index && at_resolution(e, resolution));
        match entry {
            Some(entry) => read_chrom(input, version, entry, chrom.n_bins, &mut values)?,
            None => {
                // The length comes from the header: check it against the file's vectors before
                // sizing anything by it, and reserve fallibly.
                let longest = match longest_read {
                    Some(n) => n,
                    None => *longest_read.insert(longest_vector(input, version, norms, resolution, kind)?),
                };
                if chrom.n_bins > longest {
                    return Err(input.error(format!(
                        "chromosome {} claims {} bins but has no {kind} vector, and the longest \
                         {kind} vector in the file has {longest} values",
                        chrom.header_index, chrom.n_bins
                    )));
                }
                let n = usize::try_from(chrom.n_bins).unwrap_or(usize::MAX);
                values.try_reserve(n).map_err(|_| {
                    input.error(format!("cannot hold {} masked bins of the {kind} vector", chrom.n_bins))
                })?;
                values.extend((0..n).map(|_| f64::NAN));
            }
        }
    }
    Ok(WeightVector::new(kind, values))
}

/// The most values any vector of `kind` at `resolution` holds (each count checked against the
/// file's bytes).
fn longest_vector<R: Read + Seek>(
    input: &mut Input<R>,
    version: i32,
    norms: &[NormEntry],
    resolution: u64,
    kind: &str,
) -> Result<u64, HicError> {
    let mut longest = 0;
    for entry in norms.iter().filter(|e| e.kind == kind && at_resolution(e, resolution)) {
        longest = longest.max(value_count(input, version, entry)? as u64);
    }
    Ok(longest)
}

/// Moves to `entry`'s value array and reads its value count (checked against the bytes left).
fn value_count<R: Read + Seek>(
    input: &mut Input<R>,
    version: i32,
    entry: &NormEntry,
) -> Result<usize, HicError> {
    input.set_region(format!("{} vector of chromosome {} at {} bp", entry.kind, entry.chrom, entry.bin_size));
    input.seek_to(entry.position, "vector position")?;
    if version >= 9 { input.count_i64(4, "value count") } else { input.count_i32(8, "value count") }
}

fn read_chrom<R: Read + Seek>(
    input: &mut Input<R>,
    version: i32,
    entry: &NormEntry,
    n_bins: u64,
    values: &mut Vec<f64>,
) -> Result<(), HicError> {
    let v9 = version >= 9;
    let n_values = value_count(input, version, entry)?;
    if (n_values as u64) < n_bins {
        return Err(
            input.error(format!("the vector has {n_values} values for a chromosome of {n_bins} bins"))
        );
    }
    for _ in 0..n_bins {
        let divisor = if v9 { f64::from(input.f32("value")?) } else { input.f64("value")? };
        values.push(WeightVector::juicer_weight(divisor));
    }
    Ok(())
}
