//! Shared by `hic_file` and `cool_file`: opens a scratch file through `gzcm_hic::open` the way
//! `gzcm convert` does, and reads everything a converter reads, with bounded work.
#![allow(dead_code, reason = "each target uses part of these helpers")]

use std::path::Path;

use gzcm_hic::{HicError, HicSource, OpenOptions};

/// At most this many pixels are streamed per opened source (keeps each run fast).
const MAX_PIXELS: usize = 200_000;

/// Opens `path` with default options (retrying with the first listed resolution when the file
/// holds several), reads it, then reopens it restricted to its first chromosome and reads that.
pub fn exercise(path: &Path) {
    let spec = path.to_str().expect("scratch paths are UTF-8");
    let mut options = OpenOptions::default();
    let mut source = match gzcm_hic::open(spec, &options) {
        Ok(source) => source,
        Err(HicError::Resolution { available, .. }) => {
            let Some(&first) = available.first() else {
                return;
            };
            options.resolution = Some(first);
            match gzcm_hic::open(spec, &options) {
                Ok(source) => source,
                Err(_) => return,
            }
        }
        Err(_) => return,
    };
    let first_chrom = source.genome().chroms().first().map(|chrom| chrom.name.clone());
    read_all(source.as_mut());
    drop(source);

    if let Some(chrom) = first_chrom {
        options.chrom = Some(chrom);
        if let Ok(mut source) = gzcm_hic::open(spec, &options) {
            read_all(source.as_mut());
        }
    }
}

/// Touches the genome, the weights and the metadata, and streams up to [`MAX_PIXELS`] pixels.
fn read_all(source: &mut dyn HicSource) {
    let _ = source.describe();
    let genome = source.genome();
    let n_bins = genome.n_bins();
    for chrom in genome.chroms().iter().take(10_000) {
        let bins = chrom.bins();
        assert!(bins.start <= bins.end && bins.end <= n_bins, "chromosome bins out of order");
    }
    for weights in genome.weights() {
        assert_eq!(weights.values.len() as u64, n_bins, "a weight vector is not one value per bin");
        let _ = weights.finite_count();
    }
    let _ = (source.count_type(), source.symmetric(), source.rows_sorted());
    let _ = source.pixel_count_hint();
    let Ok(pixels) = source.pixels() else {
        return;
    };
    for pixel in pixels.take(MAX_PIXELS) {
        if pixel.is_err() {
            break;
        }
    }
}
