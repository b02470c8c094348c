//! The genome extension: chromosomes, bins and weight vectors stored next to the tiles. They
//! round-trip (fixed and variable bins, several vectors, NaNs), damaged blocks give typed errors,
//! files without them read as before, and golden files pin the bytes.

use std::path::{Path, PathBuf};

use gzcm_container::format::genome::{BinsRecord, GenomeRecord};
use gzcm_container::{
    Bins, Chrom, ContainerError, FormatError, Genome, GenomeBlockError, GenomeError, Reader, ReaderOptions,
    WeightMeaning, WeightVector,
};
use gzcm_core::Dtype;
use serde_json::Value;

use crate::support::{builder, matrix, open, registry, scratch, write_coo};

/// Two chromosomes, 250 bp and 145 bp, in 10 bp bins: 25 + 15 = 40 bins.
pub(crate) fn fixed_genome() -> Genome {
    let chroms = [("chrA".to_owned(), 250), ("chrB".to_owned(), 145)];
    let mut weight: Vec<f64> = (0..40).map(|i| 1.0 / f64::from(i + 1)).collect();
    weight[3] = f64::NAN;
    weight[39] = f64::NAN;
    let kr: Vec<f64> =
        (0..40).map(|i| if i % 7 == 0 { f64::NAN } else { 0.5 + f64::from(i) * 1e-3 }).collect();
    Genome::fixed(&chroms, 10)
        .unwrap()
        .with_assembly(Some("toy1".to_owned()))
        .with_weights(vec![WeightVector::new("weight", weight), WeightVector::new("KR", kr)])
        .unwrap()
}

/// Three chromosomes with bins of uneven sizes: 20 + 15 + 5 = 40 bins.
fn variable_genome() -> Genome {
    let chroms = vec![Chrom::new("I", 400, 0, 20), Chrom::new("II", 300, 20, 35), Chrom::new("M", 7, 35, 40)];
    let (mut starts, mut ends) = (Vec::new(), Vec::new());
    for (length, n) in [(400u64, 20u64), (300, 15)] {
        for b in 0..n {
            starts.push(b * length / n);
            ends.push((b + 1) * length / n);
        }
    }
    starts.extend([0, 1, 2, 4, 6]);
    ends.extend([1, 2, 4, 6, 7]);
    Genome::new(chroms, Bins::Variable { starts, ends })
        .unwrap()
        .with_weights(vec![WeightVector::new("VC", (0..40).map(f64::from).collect())])
        .unwrap()
}

/// Genomes compared with NaNs equal to NaNs.
fn assert_same(found: &Genome, expected: &Genome) {
    assert_eq!(found.chroms(), expected.chroms());
    assert_eq!(found.bins(), expected.bins());
    assert_eq!(found.assembly(), expected.assembly());
    assert_eq!(found.resolution(), expected.resolution());
    let names = |g: &Genome| g.weights().iter().map(|w| w.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(found), names(expected));
    for (a, b) in found.weights().iter().zip(expected.weights()) {
        let bits = |w: &WeightVector| w.values.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(a), bits(b), "vector {}", a.name);
    }
}

fn write(path: &Path, genome: &Genome, version: u32) {
    let truth = matrix(Dtype::U32, 40, 40, true, 5);
    write_coo(builder(path, &truth, true).version(version).genome(genome.clone()), &truth, true);
}

fn try_open(path: &Path) -> Result<Reader, ContainerError> {
    Reader::open_with(path, ReaderOptions::new().registry(registry()))
}

fn genome_error(path: &Path) -> GenomeBlockError {
    match try_open(path) {
        Err(ContainerError::Format { source: FormatError::Genome(e), .. }) => e,
        other => panic!("expected a genome format error, got {other:?}"),
    }
}

#[test]
fn fixed_and_variable_genomes_round_trip_in_v3_and_v4() {
    for genome in [fixed_genome(), variable_genome()] {
        for version in [3, 4] {
            let (_d, path) = scratch("g.gzcm");
            write(&path, &genome, version);
            let reader = open(&path, 0);
            assert_same(reader.genome().unwrap(), &genome);
            assert_eq!(reader.window(0..40, 0..40).unwrap(), matrix(Dtype::U32, 40, 40, true, 5));
            assert!(reader.verify().is_ok());
            let meta = &reader.header().metadata;
            assert_eq!(meta.chroms.as_deref(), Some(genome.chroms()));
            assert_eq!(meta.resolution, genome.resolution());
            let names = genome.weights().iter().map(|w| w.name.as_str()).collect::<Vec<_>>();
            assert_eq!(reader.weight_names(), names);
            let first = &genome.weights()[0];
            assert_eq!(reader.weights(&first.name).unwrap().len(), 40);
            assert!(reader.weights("absent").is_none());
        }
    }
}

#[test]
fn balanced_windows_multiply_counts_by_both_weights() {
    let (_d, path) = scratch("g.gzcm");
    write(&path, &fixed_genome(), 3);
    let reader = open(&path, 0);
    let gzcm_core::TileData::U32(counts) = reader.window(0..40, 0..40).unwrap() else { unreachable!() };
    let w = reader.weights("weight").unwrap();
    let balanced =
        reader.balanced_window(2..9, 30..40, "weight", WeightMeaning::Multiplicative).unwrap().unwrap();
    assert_eq!(balanced.dim(), (7, 10));
    for ((r, c), &value) in balanced.indexed_iter() {
        let (row, col) = (r + 2, c + 30);
        let expected = f64::from(counts[[row, col]]) * w[row] * w[col];
        assert_eq!(value.to_bits(), expected.to_bits(), "({row}, {col})");
    }
    // Bin 3 is masked: its row is NaN even where nothing is stored.
    assert!(balanced.row(1).iter().all(|v| v.is_nan()));
    assert!(reader.balanced_window(0..1, 0..1, "absent", WeightMeaning::Multiplicative).unwrap().is_none());
    assert!(matches!(
        reader.balanced_window(0..41, 0..1, "weight", WeightMeaning::Multiplicative),
        Err(ContainerError::WindowOutOfBounds { .. })
    ));
}

#[test]
fn a_genome_without_weights_stores_no_blocks_for_fixed_bins() {
    let genome = Genome::fixed(&[("c".to_owned(), 400)], 10).unwrap();
    let (_d, path) = scratch("g.gzcm");
    write(&path, &genome, 3);
    let reader = open(&path, 0);
    assert_same(reader.genome().unwrap(), &genome);
    let record = reader.header().genome.clone().unwrap();
    assert_eq!(record.bins, BinsRecord::Fixed { bin_size: 10 });
    assert!(record.weights.is_empty());
}

#[test]
fn files_without_genome_data_have_none() {
    let truth = matrix(Dtype::U32, 40, 40, true, 5);
    let (_d, path) = scratch("plain.gzcm");
    write_coo(builder(&path, &truth, true), &truth, true);
    let reader = open(&path, 0);
    assert!(reader.genome().is_none());
    assert!(reader.weight_names().is_empty());
    assert!(reader.header().genome.is_none());
}

#[test]
fn the_writer_refuses_a_genome_that_does_not_fit() {
    let truth = matrix(Dtype::U32, 41, 41, true, 5);
    let (_d, path) = scratch("g.gzcm");
    let err = builder(&path, &truth, true).genome(fixed_genome()).create().unwrap_err();
    assert!(matches!(err, ContainerError::InvalidOption { .. }), "{err}");
    assert!(err.to_string().contains("40 bins"), "{err}");
    let truth = matrix(Dtype::U32, 40, 40, true, 5);
    let err = builder(&path, &truth, true).version(2).genome(fixed_genome()).create().unwrap_err();
    assert!(err.to_string().contains("version 3 or 4"), "{err}");
    assert!(!path.exists());
}

/// The header record of a written file.
fn record(path: &Path) -> GenomeRecord {
    open(path, 0).header().genome.clone().unwrap()
}

#[test]
fn flipped_block_bytes_fail_the_crc() {
    for genome in [fixed_genome(), variable_genome()] {
        let (_d, path) = scratch("g.gzcm");
        write(&path, &genome, 3);
        let block = record(&path).weights[0].block.clone();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[usize::try_from(block.offset + block.length / 2).unwrap()] ^= 0x10;
        std::fs::write(&path, &bytes).unwrap();
        assert!(matches!(genome_error(&path), GenomeBlockError::BlockCrc { .. }));
    }
}

#[test]
fn truncated_files_cut_into_the_genome_blocks_are_refused() {
    let (_d, path) = scratch("g.gzcm");
    write(&path, &variable_genome(), 3);
    let bins = match record(&path).bins {
        BinsRecord::Variable { block } => block,
        BinsRecord::Fixed { .. } => unreachable!("a variable genome"),
    };
    let bytes = std::fs::read(&path).unwrap();
    // Every cut inside the blocks (which the integrity trailer follows) is refused at open: the
    // trailer is gone (docs/format.md, entry 24).
    for cut in [bins.offset + 1, bins.offset + bins.length, bytes.len() as u64 - 1] {
        std::fs::write(&path, &bytes[..usize::try_from(cut).unwrap()]).unwrap();
        assert!(
            matches!(
                try_open(&path),
                Err(ContainerError::Format { source: FormatError::TrailerMissing, .. })
            ),
            "cut at {cut}"
        );
    }
}

/// Rewrites the header JSON in place (the data offset must not move).
pub(crate) fn edit_header(path: &Path, edit: impl FnOnce(&mut Value)) {
    let mut bytes = std::fs::read(path).unwrap();
    let len = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    let mut json: Value = serde_json::from_slice(&bytes[8..8 + len]).unwrap();
    edit(&mut json);
    let new = serde_json::to_vec(&json).unwrap();
    let data_offset = (8 + len).div_ceil(4096) * 4096;
    assert!(8 + new.len() <= data_offset, "the edited header must fit the old padding");
    bytes[4..8].copy_from_slice(&u32::try_from(new.len()).unwrap().to_le_bytes());
    bytes[8..8 + new.len()].copy_from_slice(&new);
    bytes[8 + new.len()..data_offset].fill(b' ');
    // Re-seal the integrity trailer so the edit reaches the genome checks behind it.
    crate::hostile::reseal(&mut bytes);
    std::fs::write(path, bytes).unwrap();
}

fn written(genome: &Genome) -> (tempfile::TempDir, PathBuf) {
    let (dir, path) = scratch("g.gzcm");
    write(&path, genome, 3);
    (dir, path)
}

#[test]
fn lying_genome_records_give_typed_errors() {
    // A weight block pointed at the bins block: right crc, twice the length once decompressed.
    let (_d, path) = written(&variable_genome());
    edit_header(&path, |h| h["genome"]["weights"][0]["block"] = h["genome"]["bins"]["block"].clone());
    assert!(matches!(genome_error(&path), GenomeBlockError::BlockLength { expected: 320, found: 321, .. }));

    // A block pointed into the header.
    let (_d, path) = written(&fixed_genome());
    edit_header(&path, |h| h["genome"]["weights"][1]["block"]["offset"] = Value::from(10));
    assert!(matches!(genome_error(&path), GenomeBlockError::BlockOutOfFile { offset: 10, .. }));

    // An unknown block codec.
    let (_d, path) = written(&fixed_genome());
    edit_header(&path, |h| h["genome"]["weights"][0]["block"]["codec"] = Value::from("lz4"));
    assert!(matches!(genome_error(&path), GenomeBlockError::BlockCodec { .. }));

    // n_bins that contradicts the chromosomes, and chromosomes that contradict the bin size.
    let (_d, path) = written(&fixed_genome());
    edit_header(&path, |h| h["genome"]["n_bins"] = Value::from(1u64 << 40));
    assert!(matches!(genome_error(&path), GenomeBlockError::BinTotal { .. }));
    let (_d, path) = written(&fixed_genome());
    edit_header(&path, |h| {
        h["genome"]["bins"]["bin_size"] = Value::from(20);
        h["metadata"]["resolution"] = Value::from(20);
    });
    assert!(matches!(genome_error(&path), GenomeBlockError::Invalid(GenomeError::FixedBinCount { .. })));
    let (_d, path) = written(&fixed_genome());
    edit_header(&path, |h| h["metadata"]["resolution"] = Value::from(11));
    assert!(matches!(genome_error(&path), GenomeBlockError::Record { .. }));

    // Genome data without chromosomes.
    let (_d, path) = written(&fixed_genome());
    edit_header(&path, |h| drop(h["metadata"].as_object_mut().unwrap().remove("chroms")));
    assert!(matches!(genome_error(&path), GenomeBlockError::MissingChroms));
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{name}"))
}

#[test]
fn golden_genome_files_read_back_and_are_rewritten_byte_for_byte() {
    for (name, genome) in [
        ("genome-fixed-sym40-t16-lz4-v3.gzcm", fixed_genome()),
        ("genome-variable-sym40-t16-lz4-v3.gzcm", variable_genome()),
    ] {
        let truth = matrix(Dtype::U32, 40, 40, true, 77);
        let (_d, path) = scratch("golden.gzcm");
        let mut metadata = gzcm_container::Metadata::default();
        metadata.writer = Some("gzcm golden".to_owned());
        let options =
            builder(&path, &truth, true).tile_size(16).codec("lz4").metadata(metadata).genome(genome.clone());
        write_coo(options, &truth, true);
        let written = std::fs::read(&path).unwrap();
        let golden = golden(name);
        if std::env::var_os("GZCM_BLESS").is_some() {
            std::fs::write(&golden, &written).unwrap();
        }
        let reader = open(&golden, 0);
        assert_eq!(reader.window(0..40, 0..40).unwrap(), truth, "{name}");
        assert_same(reader.genome().unwrap(), &genome);
        assert!(
            std::fs::read(&golden).unwrap() == written,
            "{name}: written bytes differ; if the format change is intended, record it in \
             docs/format.md and re-bless with GZCM_BLESS=1"
        );
    }
}

#[test]
fn any_flipped_byte_or_prefix_of_a_genome_file_is_an_error_or_a_read_never_a_panic() {
    let (_d, path) = scratch("g.gzcm");
    write(&path, &variable_genome(), 3);
    let bytes = std::fs::read(&path).unwrap();
    let (_d2, damaged) = scratch("d.gzcm");
    // Flips are checked byte by byte from the index on (the header is covered by `hostile`).
    let json_len = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    let data_offset = (8 + json_len).div_ceil(4096) * 4096;
    let blocks_start = match record(&path).bins {
        BinsRecord::Variable { block } => block.offset as usize,
        BinsRecord::Fixed { .. } => unreachable!("a variable genome"),
    };
    for at in data_offset..bytes.len() {
        let mut copy = bytes.clone();
        copy[at] ^= 0x5a;
        std::fs::write(&damaged, &copy).unwrap();
        let opened = try_open(&damaged);
        if at >= bytes.len() - 20 {
            assert!(opened.is_err(), "flip in the integrity trailer at {at}");
        } else if at >= blocks_start {
            assert!(
                matches!(opened, Err(ContainerError::Format { source: FormatError::Genome(_), .. })),
                "flip at {at}"
            );
        }
        if let Ok(reader) = opened {
            // Only tile bytes can be damaged without open noticing; verify catches those.
            assert!(reader.genome().is_some());
            let _ = reader.verify();
        }
    }
    for cut in (0..bytes.len()).step_by(97) {
        std::fs::write(&damaged, &bytes[..cut]).unwrap();
        assert!(try_open(&damaged).is_err(), "a {cut}-byte prefix opened");
    }
}
