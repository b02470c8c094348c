//! `gzcm convert` from the files Hi-C users have: `.cool`, `.mcool` and `.hic` (through
//! `gzcm-hic`), stored with their chromosomes, bins and weight vectors.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use gzcm::Dtype;
use gzcm_container::{Bins, Chrom, Genome, Metadata, WeightVector, WriteSummary, Writer, WriterBuilder};
use gzcm_hic::{BinLayout, CountType, HicError, HicSource, WeightSelection};
use gzcm_io::CellValue;
use indicatif::ProgressBar;

use crate::codec_plan::CodecPlan;
use crate::ingest::WriteOptions;
use crate::progress;

/// How to open a Hi-C input.
#[derive(Clone, Debug, Default)]
pub(crate) struct HicOptions {
    /// `--resolution R`.
    pub(crate) resolution: Option<u64>,
    /// `--chrom NAME`.
    pub(crate) chrom: Option<String>,
    /// `--weights all|none|a,b`.
    pub(crate) weights: Option<String>,
}

/// Whether `spec` (a path, or `file.mcool::/resolutions/R`) names a `.cool`, `.mcool` or `.hic`
/// file, by its content. Files of other kinds (COO text, `.npy`, `synthetic:`) give `Ok(false)`;
/// a Hi-C file that cannot be read gives the reader's error.
pub(crate) fn is_hic(spec: &str) -> anyhow::Result<bool> {
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
        Err(e) => Err(e).with_context(|| format!("cannot open input `{spec}`")),
    }
}

/// The `--weights` argument as a selection.
fn selection(weights: Option<&str>) -> WeightSelection {
    match weights {
        None | Some("all") => WeightSelection::All,
        Some("none") => WeightSelection::None,
        Some(names) => WeightSelection::Named(names.split(',').map(|n| n.trim().to_owned()).collect()),
    }
}

/// Opens a Hi-C input.
pub(crate) fn open(spec: &str, options: &HicOptions) -> anyhow::Result<Box<dyn HicSource>> {
    let open = gzcm_hic::OpenOptions {
        resolution: options.resolution,
        chrom: options.chrom.clone(),
        weights: selection(options.weights.as_deref()),
    };
    gzcm_hic::open(spec, &open).with_context(|| format!("cannot open input `{spec}`"))
}

/// The container's genome for a source's chromosomes, bins and weights.
pub(crate) fn genome(source: &dyn HicSource) -> anyhow::Result<Genome> {
    let g = source.genome();
    if g.chrom_offsets.len() != g.chroms.len() + 1 {
        anyhow::bail!(
            "{}: {} chromosomes but {} chromosome offsets",
            source.describe(),
            g.chroms.len(),
            g.chrom_offsets.len()
        );
    }
    let chroms = g
        .chroms
        .iter()
        .zip(g.chrom_offsets.windows(2))
        .map(|(c, span)| Chrom::new(c.name.clone(), c.length, span[0], span[1]))
        .collect();
    let bins = match &g.bins {
        BinLayout::Fixed { bin_size } => Bins::Fixed { bin_size: *bin_size },
        BinLayout::Variable { start, end, .. } => Bins::Variable { starts: start.clone(), ends: end.clone() },
    };
    let weights =
        source.weights().iter().map(|w| WeightVector::new(w.name.clone(), w.values.clone())).collect();
    let genome = Genome::new(chroms, bins)
        .and_then(|genome| genome.with_assembly(g.assembly.clone()).with_weights(weights))
        .with_context(|| format!("{}: inconsistent chromosomes, bins or weights", source.describe()))?;
    Ok(genome)
}

/// The cell type a source's counts need: integers → `u32`, floats → `f32`.
pub(crate) fn natural_dtype(source: &dyn HicSource) -> Dtype {
    match source.count_type() {
        CountType::Int => Dtype::U32,
        CountType::Float => Dtype::F32,
    }
}

/// Streams every pixel of `source` into a new `.gzcm` file with its genome.
pub(crate) fn write(
    source: &mut dyn HicSource,
    genome: Genome,
    out: &Path,
    options: &WriteOptions,
) -> anyhow::Result<WriteSummary> {
    match options.dtype {
        Dtype::U32 => write_as::<u32>(source, genome, out, options),
        Dtype::F32 => write_as::<f32>(source, genome, out, options),
        other => anyhow::bail!("dtype {other} is not supported by the writer"),
    }
}

fn builder(source: &dyn HicSource, genome: Genome, out: &Path, options: &WriteOptions) -> WriterBuilder {
    let n = genome.n_bins();
    let mut metadata = Metadata::default();
    metadata.source_file = Some(source.describe());
    metadata.region =
        source.genome().chroms.first().filter(|_| source.genome().chroms.len() == 1).map(|c| c.name.clone());
    let builder = Writer::builder(out, n, n)
        .version(options.version)
        .tile_size(options.tile_size)
        .dtype(options.dtype)
        .symmetric(source.symmetric())
        .metadata(metadata)
        .genome(genome)
        .packed_index(options.packed_index)
        .overwrite(options.overwrite);
    match &options.codecs {
        // The level is already in the handle (a codec without levels refused it when resolved).
        CodecPlan::Fixed(handle) => builder.codec_handle(Arc::clone(handle)),
        CodecPlan::Uncompressed | CodecPlan::PerRegion(_) => builder,
    }
}

fn write_as<T: CellValue>(
    source: &mut dyn HicSource,
    genome: Genome,
    out: &Path,
    options: &WriteOptions,
) -> anyhow::Result<WriteSummary> {
    let builder = builder(source, genome, out, options);
    let describe = source.describe();
    let bar = match (options.progress, source.pixel_count_hint()) {
        (true, Some(total)) => progress::bar(total, "converting", "pixels"),
        (true, None) => progress::spinner("converting"),
        (false, _) => ProgressBar::hidden(),
    };
    let value = |pixel: &gzcm_hic::Pixel| {
        T::from_f64(pixel.count).with_context(|| {
            format!(
                "{describe}: pixel ({}, {}) has count {} that {} cannot hold",
                pixel.bin1,
                pixel.bin2,
                pixel.count,
                T::DTYPE
            )
        })
    };
    let summary = if source.rows_sorted() {
        let mut writer = builder.create()?;
        for pixel in source.pixels()? {
            let pixel = pixel?;
            writer.push(pixel.bin1, pixel.bin2, value(&pixel)?)?;
            bar.inc(1);
        }
        bar.finish_and_clear();
        writer.finish()?
    } else {
        let mut writer = builder.create_unsorted()?;
        for pixel in source.pixels()? {
            let pixel = pixel?;
            writer.push(pixel.bin1, pixel.bin2, value(&pixel)?)?;
            bar.inc(1);
        }
        bar.finish_and_clear();
        let spinner =
            if options.progress { progress::spinner("merging and encoding") } else { ProgressBar::hidden() };
        let summary = writer.finish();
        spinner.finish_and_clear();
        summary?
    };
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gzcm_hic::{ChromInfo, Pixel, PixelIter, WeightVector as HicWeights};

    /// A source in memory: two chromosomes of 25 and 15 bp in 10 bp bins (3 + 2 bins).
    struct Fake {
        genome: gzcm_hic::Genome,
        weights: Vec<HicWeights>,
        pixels: Vec<Pixel>,
        count_type: CountType,
        sorted: bool,
    }

    impl HicSource for Fake {
        fn describe(&self) -> String {
            "fake.cool".to_owned()
        }
        fn genome(&self) -> &gzcm_hic::Genome {
            &self.genome
        }
        fn weights(&self) -> &[HicWeights] {
            &self.weights
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
    }

    pub(crate) fn fake(
        counts: &[(u64, u64, f64)],
        count_type: CountType,
        sorted: bool,
    ) -> Box<dyn HicSource> {
        let chroms =
            vec![ChromInfo { name: "c1".into(), length: 25 }, ChromInfo { name: "c2".into(), length: 15 }];
        let chrom_offsets = gzcm_hic::Genome::fixed_offsets(&chroms, 10);
        let genome = gzcm_hic::Genome {
            assembly: Some("toy".into()),
            resolution: Some(10),
            chroms,
            bins: BinLayout::Fixed { bin_size: 10 },
            chrom_offsets,
        };
        let weights = vec![HicWeights { name: "weight".into(), values: vec![0.5, f64::NAN, 2.0, 1.0, 0.25] }];
        let pixels = counts.iter().map(|&(bin1, bin2, count)| Pixel { bin1, bin2, count }).collect();
        Box::new(Fake { genome, weights, pixels, count_type, sorted })
    }

    fn options(dtype: Dtype) -> WriteOptions {
        let zstd = crate::codec_plan::fixed_codec("zstd", &gzcm::EncodeOptions::default()).unwrap();
        WriteOptions {
            codecs: CodecPlan::Fixed(zstd),
            version: 3,
            tile_size: 16,
            dtype,
            level: None,
            overwrite: false,
            packed_index: false,
            progress: false,
            genome: None,
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
            let genome = genome(source.as_ref()).unwrap();
            let path = dir.path().join(name);
            let dtype = natural_dtype(source.as_ref());
            write(source.as_mut(), genome, &path, &options(dtype)).unwrap();
            files.push(std::fs::read(&path).unwrap());
            let reader = gzcm_container::Reader::open_with(
                &path,
                gzcm_container::ReaderOptions::new().registry(crate::ingest::registry()),
            )
            .unwrap();
            let g = reader.genome().unwrap();
            assert_eq!(g.n_bins(), 5);
            assert_eq!(g.assembly(), Some("toy"));
            assert_eq!(reader.weight_names(), ["weight"]);
            assert!(reader.weights("weight").unwrap()[1].is_nan());
            let gzcm::TileData::U32(m) = reader.region(0..5, 0..5).unwrap() else { panic!("u32 file") };
            assert_eq!((m[[0, 0]], m[[3, 0]], m[[2, 1]], m[[4, 4]]), (4, 1, 7, 2));
        }
        assert!(files[0] == files[1], "sorted and unsorted sources must give one file");
    }

    #[test]
    fn counts_that_do_not_fit_are_errors_naming_the_pixel() {
        let dir = tempfile::tempdir().unwrap();
        let mut source = fake(&[(0, 1, 1.5)], CountType::Int, true);
        let g = genome(source.as_ref()).unwrap();
        let err = write(source.as_mut(), g, &dir.path().join("x.gzcm"), &options(Dtype::U32)).unwrap_err();
        assert!(format!("{err:#}").contains("pixel (0, 1) has count 1.5"), "{err:#}");
        let mut source = fake(&[(0, 1, 1.5)], CountType::Float, true);
        let g = genome(source.as_ref()).unwrap();
        let path = dir.path().join("y.gzcm");
        let dtype = natural_dtype(source.as_ref());
        write(source.as_mut(), g, &path, &options(dtype)).unwrap();
        assert!(!dir.path().join("x.gzcm").exists());
        let reader = gzcm_container::Reader::open_with(
            &path,
            gzcm_container::ReaderOptions::new().registry(crate::ingest::registry()),
        )
        .unwrap();
        let gzcm::TileData::F32(m) = reader.region(0..2, 0..2).unwrap() else { panic!("f32 file") };
        assert_eq!(m[[0, 1]], 1.5);
    }

    #[test]
    fn weights_argument_selects_vectors() {
        assert_eq!(selection(None), WeightSelection::All);
        assert_eq!(selection(Some("none")), WeightSelection::None);
        assert_eq!(selection(Some("weight,KR")), WeightSelection::Named(vec!["weight".into(), "KR".into()]));
    }
}
