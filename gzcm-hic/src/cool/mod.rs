//! cooler `.cool` / `.mcool` files (HDF5, cooler schema versions 1–3).
//!
//! A `.cool` holds one matrix at its root (or at a group named by the URI); a `.mcool` holds
//! one per `/resolutions/<R>` group. Each matrix group has `chroms/{name,length}`,
//! `bins/{chrom,start,end,<weights>…}`, `pixels/{bin1_id,bin2_id,count}` and
//! `indexes/bin1_offset`; pixels are read in bounded chunks through `bin1_offset`.
//!
//! Decisions:
//! - HDF5 is read by the pure-Rust, read-only `hdf5-reader` crate (no libhdf5), with read
//!   limits derived from the file's size so a lying header cannot size an allocation.
//! - No root `format`/`format-version` attribute is needed. No `storage-mode` (schema 1–2)
//!   means `symmetric-upper`, as cooler itself assumes.
//! - Every pixel's `bin1_id` must be the row `bin1_offset` puts it in (so rows are sorted);
//!   `bin2_id` may be in any order within a row. Pixels repeating a cell are summed, as
//!   cooler's readers sum them, and counted ([`HicSource::duplicates_summed`]); each row comes
//!   out sorted by `bin2_id`. A cell below the diagonal of a
//!   `symmetric-upper` file is an error, not mirrored: cooler never writes one.
//! - Fixed bins (`bin-size`) are checked against `chroms`; `bin-type` `variable` keeps the
//!   bins' starts and ends.
//! - Weight columns named `KR`, `VC`, `VC_SQRT` are divisive, as cooler reads them by default
//!   (hic2cool and 4DN store them so); they are kept as `1 / w`, so gzcm's `count · w_i · w_j`
//!   equals `cooler.Cooler.matrix(balance=NAME)`.

mod genome;
mod h5;
mod pixels;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use gzcm_genome::Genome;

use crate::error::HicError;
use crate::open::{FileKind, OpenOptions, WeightSelection};
use crate::source::{CountType, HicSource, PixelIter};

use h5::H5;

/// `.cool` or `.mcool`: a root `resolutions` group marks a multi-resolution file.
pub(crate) fn kind(path: &Path) -> Result<FileKind, HicError> {
    let h5 = H5::open(path)?;
    Ok(if h5.has_group("/resolutions") { FileKind::Mcool } else { FileKind::Cool })
}

/// The resolutions of a cooler file: a `.mcool`'s `/resolutions/R` groups (ascending), or a
/// `.cool`'s bin size (none when its bins are of variable size).
pub(crate) fn file_resolutions(path: &Path) -> Result<Vec<u64>, HicError> {
    let h5 = H5::open(path)?;
    if h5.has_group("/resolutions") {
        return resolutions(&h5);
    }
    let loaded =
        genome::load(&h5, "/", &OpenOptions { weights: WeightSelection::None, ..OpenOptions::default() })?;
    Ok(loaded.genome.resolution().into_iter().collect())
}

/// Opens the matrix named by `group` (or `options.resolution`) in a cooler file.
pub(crate) fn open(
    path: &Path,
    group: Option<&str>,
    options: &OpenOptions,
) -> Result<Box<dyn HicSource>, HicError> {
    let h5 = H5::open(path)?;
    let group = matrix_group(&h5, group, options.resolution)?;
    let loaded = genome::load(&h5, &group, options)?;
    if let (Some(wanted), Some(bin_size)) = (options.resolution, loaded.genome.resolution())
        && wanted != bin_size
    {
        return Err(HicError::Resolution {
            path: path.to_owned(),
            requested: Some(wanted),
            available: vec![bin_size],
        });
    }
    let describe =
        if group == "/" { path.display().to_string() } else { format!("{}::{group}", path.display()) };
    Ok(Box::new(CoolSource { h5, group, describe, loaded, duplicates: AtomicU64::new(0) }))
}

/// The HDF5 group holding the matrix to read.
fn matrix_group(h5: &H5, group: Option<&str>, resolution: Option<u64>) -> Result<String, HicError> {
    let group = group.map(normalise_group).filter(|g| g != "/");
    let multi = h5.has_group("/resolutions");
    if let Some(group) = group {
        if h5.has_group(&group) && h5.has_dataset(&format!("{group}/pixels/bin1_id")) {
            return Ok(group);
        }
        if multi && let Some(r) = group.strip_prefix("/resolutions/") {
            return Err(HicError::Resolution {
                path: h5.path().to_owned(),
                requested: r.parse().ok(),
                available: resolutions(h5)?,
            });
        }
        return Err(h5.error(format!("no cooler matrix at group {group}")));
    }
    if !multi {
        return Ok("/".to_owned());
    }
    let available = resolutions(h5)?;
    let chosen = match (resolution, available.as_slice()) {
        (Some(r), _) if available.contains(&r) => r,
        (None, [only]) => *only,
        (requested, _) => {
            return Err(HicError::Resolution { path: h5.path().to_owned(), requested, available });
        }
    };
    Ok(format!("/resolutions/{chosen}"))
}

/// `resolutions/20000/` → `/resolutions/20000`.
fn normalise_group(group: &str) -> String {
    let trimmed = group.trim_matches('/');
    format!("/{trimmed}")
}

/// The resolutions of a `.mcool`, ascending (groups whose names are not numbers are skipped).
fn resolutions(h5: &H5) -> Result<Vec<u64>, HicError> {
    let (groups, _) = h5.members("/resolutions")?;
    let mut values: Vec<u64> = groups.iter().filter_map(|g| g.parse().ok()).collect();
    values.sort_unstable();
    Ok(values)
}

/// One opened cooler matrix.
struct CoolSource {
    h5: H5,
    group: String,
    describe: String,
    loaded: genome::Loaded,
    /// Duplicate pixels summed by the last pixel pass.
    duplicates: AtomicU64,
}

impl HicSource for CoolSource {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn genome(&self) -> &Genome {
        &self.loaded.genome
    }

    fn count_type(&self) -> CountType {
        self.loaded.count_type
    }

    fn symmetric(&self) -> bool {
        self.loaded.symmetric
    }

    fn rows_sorted(&self) -> bool {
        true
    }

    fn pixel_count_hint(&self) -> Option<u64> {
        Some(self.loaded.pixel_range.end - self.loaded.pixel_range.start)
    }

    fn pixels(&mut self) -> Result<PixelIter<'_>, HicError> {
        self.duplicates.store(0, Ordering::Relaxed);
        Ok(Box::new(pixels::Pixels::new(&self.h5, &self.group, &self.loaded, &self.duplicates)?))
    }

    fn duplicates_summed(&self) -> u64 {
        self.duplicates.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_normalised_to_one_leading_slash() {
        assert_eq!(normalise_group("resolutions/20000/"), "/resolutions/20000");
        assert_eq!(normalise_group("/resolutions/20000"), "/resolutions/20000");
        assert_eq!(normalise_group("/"), "/");
        assert_eq!(normalise_group(""), "/");
    }
}
