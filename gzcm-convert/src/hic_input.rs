//! The files Hi-C users have: `.cool`, `.mcool` and `.hic` (through `gzcm-hic`), stored with
//! their chromosomes, bins and weight vectors.

use std::path::Path;
use std::sync::Arc;

use gzcm::Dtype;
use gzcm_container::{ContainerError, Metadata, WriteSummary};
use gzcm_genome::Genome;
use gzcm_hic::{CountType, HicError, HicSource, WeightSelection};
use gzcm_io::CellValue;

use gzcm_picker::Decision;

use crate::adaptive::{CellSink, PickerArgs, decide_with};
use crate::error::ConvertError;
use crate::ingest::{WriteOptions, builder};
use crate::progress::{Phase, Progress};

/// How to open a Hi-C input.
#[derive(Clone, Debug, Default)]
pub struct HicOptions {
    /// The one resolution in bp to keep (`--resolution R`); without it (and without
    /// `::/resolutions/R`) an `.mcool` or `.hic` input keeps every resolution it has.
    pub resolution: Option<u64>,
    /// The resolutions to keep (`--resolutions a,b,c`), a subset of the file's; `None`: all.
    pub resolutions: Option<Vec<u64>>,
    /// Only this chromosome's intra-chromosomal matrix (`--chrom NAME`).
    pub chrom: Option<String>,
    /// The weight vectors to store (`--weights all|none|a,b`).
    pub weights: WeightSelection,
}

impl HicOptions {
    /// Whether any option is set (they apply to Hi-C inputs only).
    pub fn is_set(&self) -> bool {
        self.resolution.is_some()
            || self.resolutions.is_some()
            || self.chrom.is_some()
            || self.weights != WeightSelection::All
    }
}

/// Whether `spec` (a path, or `file.mcool::/resolutions/R`) names a `.cool`, `.mcool` or `.hic`
/// file, by its content. Files of other kinds (COO text, `.npy`, `synthetic:`) give `Ok(false)`;
/// a Hi-C file that cannot be read gives the reader's error.
pub fn is_hic(spec: &str) -> Result<bool, ConvertError> {
    let (path, group) = match spec.split_once("::") {
        Some((path, group)) => (Path::new(path), Some(group)),
        None => (Path::new(spec), None),
    };
    if group.is_none() && !path.is_file() {
        return Ok(false);
    }
    match gzcm_hic::detect(path) {
        Ok(_) => Ok(true),
        Err(HicError::UnknownFormat { .. }) if group.is_none() => Ok(false),
        Err(source) => Err(ConvertError::OpenHic { input: spec.to_owned(), source }),
    }
}

/// The `--weights` argument (`all`, `none`, or comma-separated names) as a selection.
pub fn selection(weights: Option<&str>) -> WeightSelection {
    match weights {
        None | Some("all") => WeightSelection::All,
        Some("none") => WeightSelection::None,
        Some(names) => WeightSelection::Named(names.split(',').map(|n| n.trim().to_owned()).collect()),
    }
}

/// Opens a Hi-C input.
pub fn open(spec: &str, options: &HicOptions) -> Result<Box<dyn HicSource>, ConvertError> {
    let open = gzcm_hic::OpenOptions {
        resolution: options.resolution,
        chrom: options.chrom.clone(),
        weights: options.weights.clone(),
    };
    gzcm_hic::open(spec, &open).map_err(|source| ConvertError::OpenHic { input: spec.to_owned(), source })
}

/// The cell type a source's counts need: integers → `u32`, floats → `f32`.
pub fn natural_dtype(source: &dyn HicSource) -> Dtype {
    match source.count_type() {
        CountType::Int => Dtype::U32,
        CountType::Float => Dtype::F32,
    }
}

/// Streams every pixel of `source` into a new `.gzcm` file with `options.genome` (the
/// source's own, [`HicSource::genome`]).
pub fn write(
    source: &mut dyn HicSource,
    out: &Path,
    options: &WriteOptions,
) -> Result<WriteSummary, ConvertError> {
    match options.dtype {
        Dtype::U32 => write_as::<u32>(source, out, options),
        Dtype::F32 => write_as::<f32>(source, out, options),
        dtype => Err(ConvertError::UnsupportedDtype { dtype, stage: "writer" }),
    }
}

/// A pixel's count as `T`, or an error naming the pixel when it does not fit.
fn pixel_value<T: CellValue>(input: &str, pixel: &gzcm_hic::Pixel) -> Result<T, ConvertError> {
    T::from_f64(pixel.count).map_err(|fault| ConvertError::Count {
        input: input.to_owned(),
        bin1: pixel.bin1,
        bin2: pixel.bin2,
        count: pixel.count,
        dtype: T::DTYPE,
        fault,
    })
}

/// Runs the v4 codec picker on `source` (read twice: tile counts, then sample tiles), as
/// [`crate::adaptive::decide`] does for other inputs.
pub fn decide(
    source: &mut dyn HicSource,
    tile_size: u32,
    dtype: Dtype,
    registry: &gzcm::Registry,
    args: &PickerArgs,
    progress: &dyn Progress,
) -> Result<Arc<Decision>, ConvertError> {
    match dtype {
        Dtype::U32 => decide_as::<u32>(source, tile_size, registry, args, progress),
        Dtype::F32 => decide_as::<f32>(source, tile_size, registry, args, progress),
        dtype => Err(ConvertError::UnsupportedDtype { dtype, stage: "picker" }),
    }
}

fn decide_as<T: CellValue>(
    source: &mut dyn HicSource,
    tile_size: u32,
    registry: &gzcm::Registry,
    args: &PickerArgs,
    progress: &dyn Progress,
) -> Result<Arc<Decision>, ConvertError> {
    let n = source.genome().n_bins();
    let symmetric = source.symmetric();
    let describe = source.describe();
    let visit = |cell: &mut CellSink<'_, T>| {
        for pixel in source.pixels()? {
            let pixel = pixel?;
            cell(pixel.bin1, pixel.bin2, pixel_value(&describe, &pixel)?)?;
        }
        Ok(())
    };
    decide_with((n, n), symmetric, tile_size, registry, args, progress, visit)
}

fn write_as<T: CellValue>(
    source: &mut dyn HicSource,
    out: &Path,
    options: &WriteOptions,
) -> Result<WriteSummary, ConvertError> {
    let n = options.genome.as_ref().map_or(0, Genome::n_bins);
    let mut metadata = Metadata::default();
    metadata.source_file = Some(source.describe());
    metadata.region = source
        .genome()
        .chroms()
        .first()
        .filter(|_| source.genome().chroms().len() == 1)
        .map(|c| c.name.clone());
    let builder = builder(out, (n, n), source.symmetric(), metadata, options);
    let describe = source.describe();
    let value = |pixel: &gzcm_hic::Pixel| pixel_value::<T>(&describe, pixel);
    let sorted = source.rows_sorted();
    let progress = options.progress.as_ref();
    let bar = Phase::begin(progress, "converting", "pixels", source.pixel_count_hint());
    let mut feed = |push: &mut dyn FnMut(u64, u64, T) -> Result<(), ContainerError>| {
        for (n, pixel) in (1u64..).zip(source.pixels()?) {
            let pixel = pixel?;
            push(pixel.bin1, pixel.bin2, value(&pixel)?)?;
            bar.set_position(n);
        }
        Ok::<_, ConvertError>(())
    };
    let summary = if sorted {
        let mut writer = builder.create()?;
        feed(&mut |row, col, value| writer.push(row, col, value))?;
        drop(bar);
        writer.record_duplicates_summed(source.duplicates_summed())?;
        writer.finish()?
    } else {
        let mut writer = builder.create_unsorted()?;
        feed(&mut |row, col, value| writer.push(row, col, value))?;
        drop(bar);
        writer.record_duplicates_summed(source.duplicates_summed())?;
        let _spinner = Phase::begin(progress, "merging and encoding", "", None);
        writer.finish()?
    };
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gzcm_genome::WeightVector;
    use gzcm_hic::{Pixel, PixelIter};

    /// A source in memory: two chromosomes of 25 and 15 bp in 10 bp bins (3 + 2 bins).
    struct Fake {
        genome: Genome,
        pixels: Vec<Pixel>,
        count_type: CountType,
        sorted: bool,
        duplicates: u64,
    }

    impl HicSource for Fake {
        fn describe(&self) -> String {
            "fake.cool".to_owned()
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
            self.sorted
        }
        fn pixel_count_hint(&self) -> Option<u64> {
            Some(self.pixels.len() as u64)
        }
        fn pixels(&mut self) -> Result<PixelIter<'_>, HicError> {
            Ok(Box::new(self.pixels.clone().into_iter().map(Ok)))
        }
        fn duplicates_summed(&self) -> u64 {
            self.duplicates
        }
    }

    pub(crate) fn fake(
        counts: &[(u64, u64, f64)],
        count_type: CountType,
        sorted: bool,
    ) -> Box<dyn HicSource> {
        let weights = vec![WeightVector::new("weight", vec![0.5, f64::NAN, 2.0, 1.0, 0.25])];
        let genome = Genome::fixed(&[("c1".into(), 25), ("c2".into(), 15)], 10)
            .unwrap()
            .with_assembly(Some("toy".into()))
            .with_weights(weights)
            .unwrap();
        let pixels = counts.iter().map(|&(bin1, bin2, count)| Pixel { bin1, bin2, count }).collect();
        Box::new(Fake { genome, pixels, count_type, sorted, duplicates: 0 })
    }

    fn options(dtype: Dtype, genome: Genome) -> WriteOptions {
        let zstd = crate::codec_plan::fixed_codec("zstd", &gzcm::EncodeOptions::default()).unwrap();
        WriteOptions {
            codecs: crate::CodecPlan::Fixed(zstd),
            version: 3,
            tile_size: 16,
            dtype,
            level: None,
            overwrite: false,
            packed_index: false,
            group_tiles: false,
            genome: Some(genome),
            writer: "test".to_owned(),
            progress: std::sync::Arc::new(crate::NoProgress),
        }
    }

    #[test]
    fn sorted_and_unsorted_sources_give_the_same_matrix_and_genome() {
        let cells = [(0, 0, 4.0), (0, 3, 1.0), (1, 2, 7.0), (4, 4, 2.0)];
        let mut reversed = cells;
        reversed.reverse();
        let dir = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        for (name, cells, sorted) in [("a.gzcm", &cells, true), ("b.gzcm", &reversed, false)] {
            let mut source = fake(cells, CountType::Int, sorted);
            let genome = source.genome().clone();
            let path = dir.path().join(name);
            let dtype = natural_dtype(source.as_ref());
            write(source.as_mut(), &path, &options(dtype, genome)).unwrap();
            files.push(std::fs::read(&path).unwrap());
            let reader = gzcm_container::Reader::open(&path).unwrap();
            let g = reader.genome().unwrap();
            assert_eq!(g.n_bins(), 5);
            assert_eq!(g.assembly(), Some("toy"));
            assert_eq!(reader.weight_names(), ["weight"]);
            assert!(reader.weights("weight").unwrap()[1].is_nan());
            let gzcm::TileData::U32(m) = reader.window(0..5, 0..5).unwrap() else { panic!("u32 file") };
            assert_eq!((m[[0, 0]], m[[3, 0]], m[[2, 1]], m[[4, 4]]), (4, 1, 7, 2));
        }
        assert!(files[0] == files[1], "sorted and unsorted sources must give one file");
    }

    #[test]
    fn the_picker_runs_on_a_hic_source_and_its_choice_is_written() {
        let cells: Vec<(u64, u64, f64)> =
            (0..5u64).flat_map(|i| (i..5).map(move |j| (i, j, (10 * (i + 1) + j) as f64))).collect();
        let mut source = fake(&cells, CountType::Int, true);
        let g = source.genome().clone();
        let args = PickerArgs { candidates: vec!["zstd".into(), "lz4".into()], ..PickerArgs::default() };
        let registry = gzcm::with_registry(gzcm::Registry::clone);
        let decision = decide(source.as_mut(), 16, Dtype::U32, &registry, &args, &crate::NoProgress).unwrap();
        assert_eq!(decision.record().candidates, ["zstd", "lz4"]);
        let mut opts = options(Dtype::U32, g);
        opts.codecs = crate::CodecPlan::PerRegion(decision);
        opts.version = 4;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.gzcm");
        write(source.as_mut(), &path, &opts).unwrap();
        let reader = gzcm_container::Reader::open(&path).unwrap();
        assert_eq!(reader.version(), 4);
        assert!(reader.header().codec_picker.is_some(), "the picker's record is stored");
        assert_eq!(reader.weight_names(), ["weight"]);
        let gzcm::TileData::U32(m) = reader.window(0..5, 0..5).unwrap() else { panic!("u32 file") };
        for &(i, j, v) in &cells {
            assert_eq!((m[[i as usize, j as usize]], m[[j as usize, i as usize]]), (v as u32, v as u32));
        }
    }

    #[test]
    fn counts_that_do_not_fit_are_errors_naming_the_pixel() {
        let dir = tempfile::tempdir().unwrap();
        let mut source = fake(&[(0, 1, 1.5)], CountType::Int, true);
        let g = source.genome().clone();
        let err = write(source.as_mut(), &dir.path().join("x.gzcm"), &options(Dtype::U32, g)).unwrap_err();
        assert!(err.to_string().contains("pixel (0, 1) has count 1.5"), "{err:#}");
        let mut source = fake(&[(0, 1, 1.5)], CountType::Float, true);
        let g = source.genome().clone();
        let path = dir.path().join("y.gzcm");
        let dtype = natural_dtype(source.as_ref());
        write(source.as_mut(), &path, &options(dtype, g)).unwrap();
        assert!(!dir.path().join("x.gzcm").exists());
        let reader = gzcm_container::Reader::open(&path).unwrap();
        let gzcm::TileData::F32(m) = reader.window(0..2, 0..2).unwrap() else { panic!("f32 file") };
        assert_eq!(m[[0, 1]], 1.5);
        // A float count that float32 would round to 0 (and the writer then drop) is refused.
        let mut source = fake(&[(0, 1, 1e-50)], CountType::Float, true);
        let g = source.genome().clone();
        let err = write(source.as_mut(), &dir.path().join("z.gzcm"), &options(Dtype::F32, g)).unwrap_err();
        assert!(
            matches!(
                err,
                ConvertError::Count {
                    bin1: 0,
                    bin2: 1,
                    fault: gzcm_io::ValueFault::Underflow(Dtype::F32),
                    ..
                }
            ),
            "{err:#}"
        );
    }

    #[test]
    fn summed_duplicates_are_recorded_in_the_header_of_either_writer_path() {
        let dir = tempfile::tempdir().unwrap();
        for sorted in [true, false] {
            let genome = fake(&[], CountType::Int, sorted).genome().clone();
            let cells = [(0, 1, 3.0)];
            let pixels = cells.iter().map(|&(bin1, bin2, count)| Pixel { bin1, bin2, count }).collect();
            let mut source =
                Fake { genome: genome.clone(), pixels, count_type: CountType::Int, sorted, duplicates: 2 };
            let path = dir.path().join(format!("d{sorted}.gzcm"));
            write(&mut source, &path, &options(Dtype::U32, genome)).unwrap();
            let reader = gzcm_container::Reader::open(&path).unwrap();
            assert_eq!(reader.header().metadata.duplicates_summed, Some(2));
        }
        let mut clean = fake(&[(0, 1, 3.0)], CountType::Int, true);
        let genome = clean.genome().clone();
        let path = dir.path().join("clean.gzcm");
        write(clean.as_mut(), &path, &options(Dtype::U32, genome)).unwrap();
        assert_eq!(gzcm_container::Reader::open(&path).unwrap().header().metadata.duplicates_summed, None);
    }

    #[test]
    fn weights_argument_selects_vectors() {
        assert_eq!(selection(None), WeightSelection::All);
        assert_eq!(selection(Some("none")), WeightSelection::None);
        assert_eq!(selection(Some("weight,KR")), WeightSelection::Named(vec!["weight".into(), "KR".into()]));
    }
}
