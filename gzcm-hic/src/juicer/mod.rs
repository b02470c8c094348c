//! Juicer `.hic` files, versions 8 and 9.
//!
//! The file is read in place: the header (chromosomes, base-pair resolutions), the footer's master
//! index and normalisation vector index, then, while pixels stream, each chromosome pair's block
//! index at the chosen resolution and its zlib blocks one at a time. Juicer's `All`
//! pseudo-chromosome (index 0) is left out; bins are `ceil(length / resolution)` per chromosome,
//! genome-wide ids chromosome after chromosome in header order. Every pixel has `bin1 <= bin2`.
//!
//! Counts: opening scans the chosen resolution's blocks once, which checks them and finds out
//! whether every value is integral ([`CountType::Int`]) or not ([`CountType::Float`]), and how
//! many pixels there are (the exact [`HicSource::pixel_count_hint`]).
//!
//! Weights: see [`norm`] (Juicer's divisors become multiplicative weights `1 / n`).

mod block;
mod budget;
mod footer;
mod header;
mod input;
mod matrix;
mod norm;
mod stream;

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use gzcm_genome::Genome;

use self::footer::Footer;
use self::header::Header;
use self::input::Input;
use self::norm::ChromBins;
use self::stream::{PairPlan, PixelStream};
use crate::error::HicError;
use crate::open::OpenOptions;
use crate::source::{CountType, HicSource, PixelIter};

/// The largest matrix edge gzcm stores (its tiles address bins with 32 bits).
const MAX_BINS: u64 = u32::MAX as u64;

/// The name of Juicer's whole-genome pseudo-chromosome.
const ALL_CHROM: &str = "All";

pub(crate) fn open(path: &Path, options: &OpenOptions) -> Result<Box<dyn HicSource>, HicError> {
    Ok(Box::new(JuicerSource::open(path, options)?))
}

/// The base-pair resolutions the header lists, ascending and distinct.
pub(crate) fn resolutions(path: &Path) -> Result<Vec<u64>, HicError> {
    let mut input = open_input(path)?;
    let mut resolutions = Header::read(&mut input)?.resolutions;
    resolutions.sort_unstable();
    resolutions.dedup();
    Ok(resolutions)
}

/// An opened `.hic` file at one resolution (optionally one chromosome).
struct JuicerSource {
    path: PathBuf,
    /// The chromosome asked for, if any.
    chrom: Option<String>,
    version: i32,
    genome: Genome,
    count_type: CountType,
    pixel_count: u64,
    pairs: Vec<PairPlan>,
}

pub(crate) fn open_input(path: &Path) -> Result<Input<BufReader<File>>, HicError> {
    let io = |source| HicError::Io { path: path.to_owned(), source };
    let file = File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    Ok(Input::new(BufReader::new(file), len, path, "header"))
}

impl JuicerSource {
    fn open(path: &Path, options: &OpenOptions) -> Result<Self, HicError> {
        let mut input = open_input(path)?;
        let header = Header::read(&mut input)?;
        let resolution = choose_resolution(path, &header.resolutions, options.resolution)?;
        let chroms = matrix_chroms(path, &header, options.chrom.as_deref())?;
        let genome = make_genome(path, &header, &chroms, resolution)?;
        let footer = Footer::read(&mut input, &header)?;

        let bins: Vec<ChromBins> = chroms
            .iter()
            .zip(genome.chroms())
            .map(|(&header_index, chrom)| ChromBins { header_index, n_bins: chrom.n_bins() })
            .collect();
        let available = norm::available(&footer.norms, resolution);
        let mut weights = Vec::new();
        for kind in norm::select(&options.weights, &available, path)? {
            weights.push(norm::read_weights(
                &mut input,
                header.version,
                &footer.norms,
                resolution,
                &kind,
                &bins,
            )?);
        }

        let genome = genome.with_weights(weights).map_err(|source| HicError::genome(path, source))?;
        let pairs = stream::plan(&footer.matrices, &chroms, &genome);
        let mut source = Self {
            path: path.to_owned(),
            chrom: options.chrom.clone(),
            version: header.version,
            genome,
            count_type: CountType::Int,
            pixel_count: 0,
            pairs,
        };
        source.scan()?;
        Ok(source)
    }

    fn stream(&self) -> Result<PixelStream<'_>, HicError> {
        let resolution = self.genome.resolution().unwrap_or(1);
        Ok(PixelStream::new(open_input(&self.path)?, self.version, resolution, &self.pairs))
    }

    /// Reads every block once: checks them, counts pixels, and tells integer from float counts.
    fn scan(&mut self) -> Result<(), HicError> {
        let mut count = 0u64;
        let mut integral = true;
        for pixel in self.stream()? {
            let pixel = pixel?;
            count += 1;
            integral &= pixel.count.fract() == 0.0;
        }
        self.pixel_count = count;
        self.count_type = if integral { CountType::Int } else { CountType::Float };
        Ok(())
    }
}

impl HicSource for JuicerSource {
    fn describe(&self) -> String {
        let resolution = self.genome.resolution().unwrap_or_default();
        match &self.chrom {
            Some(chrom) => format!("{} ({chrom} at {resolution} bp)", self.path.display()),
            None => format!("{} (at {resolution} bp)", self.path.display()),
        }
    }

    fn genome(&self) -> &Genome {
        &self.genome
    }

    fn count_type(&self) -> CountType {
        self.count_type
    }

    fn symmetric(&self) -> bool {
        true
    }

    fn rows_sorted(&self) -> bool {
        false
    }

    fn pixel_count_hint(&self) -> Option<u64> {
        Some(self.pixel_count)
    }

    fn pixels(&mut self) -> Result<PixelIter<'_>, HicError> {
        Ok(Box::new(self.stream()?))
    }
}

/// The requested resolution, or the only one; else [`HicError::Resolution`] listing them.
fn choose_resolution(path: &Path, resolutions: &[u64], requested: Option<u64>) -> Result<u64, HicError> {
    let chosen = match requested {
        Some(r) => resolutions.contains(&r).then_some(r),
        None if resolutions.len() == 1 => Some(resolutions[0]),
        None => None,
    };
    chosen.ok_or_else(|| {
        let mut available = resolutions.to_vec();
        available.sort_unstable();
        available.dedup();
        HicError::Resolution { path: path.to_owned(), requested, available }
    })
}

/// Header indices of the matrix's chromosomes: every one but `All`, or just `only`.
fn matrix_chroms(path: &Path, header: &Header, only: Option<&str>) -> Result<Vec<usize>, HicError> {
    let real: Vec<usize> = (0..header.chroms.len())
        .filter(|&i| !(i == 0 && header.chroms[i].name.eq_ignore_ascii_case(ALL_CHROM)))
        .collect();
    let Some(name) = only else { return Ok(real) };
    match real.iter().find(|&&i| header.chroms[i].name == name) {
        Some(&i) => Ok(vec![i]),
        None => Err(HicError::UnknownChrom {
            path: path.to_owned(),
            name: name.to_owned(),
            available: real.iter().map(|&i| header.chroms[i].name.clone()).collect(),
        }),
    }
}

fn make_genome(path: &Path, header: &Header, chroms: &[usize], resolution: u64) -> Result<Genome, HicError> {
    let chroms: Vec<(String, u64)> =
        chroms.iter().map(|&i| (header.chroms[i].name.clone(), header.chroms[i].length)).collect();
    let n_bins = chroms.iter().fold(0u64, |n, (_, length)| n.saturating_add(length.div_ceil(resolution)));
    if n_bins > MAX_BINS {
        return Err(HicError::Juicer {
            path: path.to_owned(),
            detail: format!(
                "header: {n_bins} bins at {resolution} bp exceed the {MAX_BINS} bins gzcm can address"
            ),
        });
    }
    let assembly = Some(header.genome_id.clone()).filter(|id| !id.is_empty());
    let genome = Genome::fixed(&chroms, resolution).map_err(|source| HicError::genome(path, source))?;
    Ok(genome.with_assembly(assembly))
}
