//! The final step of a zoomify: the base and every coarser level, each an ordinary
//! single-resolution file, into one multi-resolution `.gzcm` file (format revision
//! collection-1) through the container's [`CollectionWriter`].
//!
//! The coarse levels are written into the collection writer's scratch directory, next to the
//! output, and copied in at `finish`. The base goes in as it is (its weights with it) when it
//! is a file a collection can take whole (version 3 or 4, packed index); otherwise, or when it
//! is one resolution of a collection, it is re-encoded into the scratch directory first, as
//! `convert` would re-encode it.

use std::path::{Path, PathBuf};

use gzcm_container::resolution_uri::split_resolution;
use gzcm_container::{CollectionWriter, ReaderOptions, open_resolution};

use crate::error::ConvertError;
use crate::gzcm_input::GzcmInput;
use crate::pipeline::convert_gzcm;
use crate::policy::Settings;
use crate::progress::Phase;
use crate::same_file::refuse_same_file;
use crate::zoomify::error::ZoomifyError;
use crate::zoomify::plan::Resolutions;
use crate::zoomify::{Base, Level, coarsen_into};

/// What a zoomify wrote.
#[derive(Debug)]
pub struct Zoomified {
    /// The multi-resolution file.
    pub path: PathBuf,
    /// Its length in bytes.
    pub file_bytes: u64,
    /// The base resolution in bp (stored as it was, with its weights).
    pub base: u64,
    /// Every coarser level, increasing (empty when the map already fits the top tile).
    pub levels: Vec<Level>,
}

/// Builds the coarser resolutions `resolutions` asks for from `input` (a single-resolution
/// `.gzcm` file with fixed genomic bins, or `FILE::/resolutions/R` of a multi-resolution one)
/// and writes them, with the base, into the multi-resolution file `output` (atomically;
/// `settings.overwrite` replaces an existing one). The coarse levels are written as `convert`
/// writes a file with `settings`.
///
/// # Errors
/// [`ConvertError::OutputIsInput`] when `output` is the input file, whatever the overwrite
/// setting; [`ZoomifyError::NoGenome`] and [`ZoomifyError::VariableBins`] for a base without
/// fixed genomic bins; the errors of the resolution plan ([`crate::zoomify::plan::check`]) and
/// of [`coarsen_into`]; the container's errors for a bad `FILE::/resolutions/R`, an absent
/// resolution, or writing the collection.
pub fn zoomify(
    input: &str,
    output: &Path,
    resolutions: &Resolutions,
    settings: &Settings,
) -> Result<Zoomified, ZoomifyError> {
    let (file, member) = split_resolution(input)?;
    let file = Path::new(file);
    refuse_same_file([file], output)?;
    let reader =
        open_resolution(file, member, ReaderOptions::new().cache_bytes(0)).map_err(ConvertError::from)?;
    let base = Base::from_reader(reader)?;
    let base_resolution = base.resolution();
    let plan = base.plan(resolutions)?;
    let collection = CollectionWriter::create(output, settings.overwrite).map_err(ConvertError::from)?;
    let mut collection = collection.writer_name(settings.writer.clone());
    // The scratch directory is fresh: its files never need overwriting, whatever the output.
    let scratch = Settings { overwrite: false, ..settings.without_default_choice() };
    let outputs: Vec<(u64, PathBuf)> = plan.iter().map(|&r| (r, collection.scratch_path(r))).collect();
    // cooler builds nothing above a map that already fits the top tile; neither does this.
    let levels = if outputs.is_empty() { Vec::new() } else { coarsen_into(&base, &outputs, &scratch)? };
    let _phase = Phase::begin(settings.progress.as_ref(), "assembling resolutions", "", None);
    let base_file = if member.is_none() && takes_whole(&base) {
        file.to_path_buf()
    } else {
        let path = collection.scratch_path(base_resolution);
        let input = GzcmInput::from_reader(base.into_reader());
        convert_gzcm(&input, &path, &scratch, &scratch.check()?)?;
        path
    };
    collection.add(base_resolution, &base_file).map_err(ConvertError::from)?;
    for (resolution, path) in &outputs {
        collection.add(*resolution, path).map_err(ConvertError::from)?;
    }
    let summary = collection.finish().map_err(ConvertError::from)?;
    Ok(Zoomified { path: summary.path, file_bytes: summary.bytes, base: base_resolution, levels })
}

/// Whether a collection can take the base file whole: version 3 or 4 with a packed index.
fn takes_whole(base: &Base) -> bool {
    let reader = base.reader();
    reader.version() >= 3 && reader.header().arrays.tile_index.as_ref().is_some_and(|i| i.is_packed())
}
