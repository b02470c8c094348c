//! Format revision balance-1: storing weight vectors in an existing file. The file is re-laid
//! (payloads copied verbatim) into the bytes the writer would write with the new genome; an
//! existing name needs `replace`; any failure leaves the file byte-identical and no temporary
//! behind; collections are re-assembled with every member's cells and weights.

use std::path::Path;

use gzcm_container::{
    BalanceRecord, Collection, CollectionWriter, ContainerError, Genome, GenomeError, Reader, ReaderOptions,
    StoredWeight, WeightVector, WeightsAt, store_weights,
};
use gzcm_core::{Dtype, TileData};

use crate::support::{builder, entries, matrix, registry, scratch, write_coo};

/// Two chromosomes, 250 bp and 145 bp, in 10 bp bins (40 bins), with two vectors.
fn genome() -> Genome {
    let chroms = [("chrA".to_owned(), 250), ("chrB".to_owned(), 145)];
    let weight = (0..40).map(|i| if i % 9 == 4 { f64::NAN } else { 1.0 / f64::from(i + 1) }).collect();
    let kr = (0..40).map(|i| 0.5 + f64::from(i) * 1e-3).collect();
    Genome::fixed(&chroms, 10)
        .unwrap()
        .with_weights(vec![WeightVector::new("weight", weight), WeightVector::new("KR", kr)])
        .unwrap()
}

fn new_vector(name: &str, seed: f64) -> WeightVector {
    WeightVector::new(name, (0..40).map(|i| if i == 7 { f64::NAN } else { seed + f64::from(i) }).collect())
}

fn write(path: &Path, genome: Genome, version: u32, packed: bool) {
    let truth = matrix(Dtype::U32, 40, 40, true, 11);
    let options =
        builder(path, &truth, true).version(version).tile_size(16).codec("zstd").packed_index(packed);
    write_coo(options.genome(genome), &truth, true);
}

fn open(path: &Path) -> Reader {
    Reader::open_with(path, ReaderOptions::new().registry(registry()).cache_bytes(0)).unwrap()
}

fn cells(reader: &Reader) -> TileData {
    let (rows, cols) = reader.shape();
    reader.window(0..rows, 0..cols).unwrap()
}

fn bits(values: &[f64]) -> Vec<u64> {
    values.iter().map(|v| v.to_bits()).collect()
}

fn one(resolution: Option<u64>, vector: WeightVector, balance: Option<BalanceRecord>) -> Vec<WeightsAt> {
    vec![WeightsAt { resolution, weights: vec![StoredWeight { vector, balance }] }]
}

#[test]
fn a_stored_vector_gives_the_bytes_the_writer_would_write() {
    for (version, packed) in [(3, false), (3, true), (4, true)] {
        let (dir, path) = scratch("m.gzcm");
        write(&path, genome(), version, packed);
        let before = open(&path);
        let summary = store_weights(&path, &one(None, new_vector("ice", 2.0), None), false).unwrap();
        assert!(summary.replaced.is_empty());
        let after = open(&path);
        assert_eq!(cells(&after), cells(&before), "v{version} packed={packed}: the cells");
        assert_eq!(after.weight_names(), ["weight", "KR", "ice"]);
        for name in ["weight", "KR"] {
            assert_eq!(bits(after.weights(name).unwrap()), bits(before.weights(name).unwrap()));
        }
        assert_eq!(bits(after.weights("ice").unwrap()), bits(&new_vector("ice", 2.0).values));
        assert!(after.verify().is_ok(), "v{version} packed={packed}: verify");
        // Canonical: the writer given the same genome writes the same bytes.
        let direct = dir.path().join("direct.gzcm");
        let mut weights = genome().weights().to_vec();
        weights.push(new_vector("ice", 2.0));
        write(&direct, genome().with_weights(weights).unwrap(), version, packed);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            std::fs::read(&direct).unwrap(),
            "v{version} packed={packed}"
        );
        assert_eq!(entries(dir.path()), ["direct.gzcm", "m.gzcm"], "no temporary is left");
    }
}

#[test]
fn the_balance_record_is_stored_with_the_vector() {
    let (_dir, path) = scratch("m.gzcm");
    write(&path, genome(), 3, true);
    let mut record = BalanceRecord::default();
    record.method = "ice".to_owned();
    record.mode = "cis".to_owned();
    record.iterations = 17;
    record.scale = vec![Some(2.5), None];
    store_weights(&path, &one(None, new_vector("ice", 1.0), Some(record.clone())), false).unwrap();
    let reader = open(&path);
    let stored = &reader.header().genome.as_ref().unwrap().weights;
    assert_eq!(stored[2].balance.as_ref(), Some(&record));
    assert!(stored[0].balance.is_none(), "vectors from elsewhere carry no record");
}

#[test]
fn an_existing_name_needs_replace_and_keeps_its_place() {
    let (_dir, path) = scratch("m.gzcm");
    write(&path, genome(), 4, true);
    let original = std::fs::read(&path).unwrap();
    let error = store_weights(&path, &one(None, new_vector("weight", 3.0), None), false).unwrap_err();
    assert!(
        matches!(&error, ContainerError::WeightExists { name, resolution: None, .. } if name == "weight")
    );
    assert!(error.to_string().contains("--force"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), original);
    let summary = store_weights(&path, &one(None, new_vector("weight", 3.0), None), true).unwrap();
    assert_eq!(summary.replaced, ["weight"]);
    let reader = open(&path);
    assert_eq!(reader.weight_names(), ["weight", "KR"]);
    assert_eq!(bits(reader.weights("weight").unwrap()), bits(&new_vector("weight", 3.0).values));
    assert_eq!(bits(reader.weights("KR").unwrap()), bits(&genome().weight("KR").unwrap().values));
}

#[test]
fn a_failed_store_leaves_the_file_byte_identical_and_nothing_behind() {
    let (dir, path) = scratch("m.gzcm");
    write(&path, genome(), 3, true);
    let original = std::fs::read(&path).unwrap();
    let short = WeightVector::new("short", vec![1.0; 39]);
    let error = store_weights(&path, &one(None, short, None), false).unwrap_err();
    let ContainerError::WeightsInvalid { source, .. } = error else { panic!("{error:?}") };
    assert!(matches!(*source, GenomeError::WeightLength { found: 39, .. }));
    let unnamed = WeightVector::new("", vec![1.0; 40]);
    let error = store_weights(&path, &one(None, unnamed, None), false).unwrap_err();
    let ContainerError::WeightsInvalid { source, .. } = error else { panic!("{error:?}") };
    assert!(matches!(*source, GenomeError::WeightName { .. }));
    assert!(matches!(
        store_weights(&path, &one(Some(20), new_vector("x", 1.0), None), false),
        Err(ContainerError::ResolutionNotFound { asked: 20, .. })
    ));
    assert_eq!(std::fs::read(&path).unwrap(), original);
    // A payload damaged after the index was written: caught while copying, mid-write.
    let mut damaged = original.clone();
    let record = open(&path).stored_tiles().last().unwrap().record.unwrap();
    damaged[record.offset as usize] ^= 0x01;
    std::fs::write(&path, &damaged).unwrap();
    assert!(matches!(
        store_weights(&path, &one(None, new_vector("x", 1.0), None), false),
        Err(ContainerError::CrcMismatch { .. })
    ));
    assert_eq!(std::fs::read(&path).unwrap(), damaged, "the damaged file is left as it was");
    assert_eq!(entries(dir.path()), ["m.gzcm"], "no temporary is left");
}

#[test]
fn files_without_a_genome_cannot_hold_weights() {
    let (_dir, path) = scratch("plain.gzcm");
    let truth = matrix(Dtype::U32, 40, 40, true, 3);
    write_coo(builder(&path, &truth, true).version(3), &truth, true);
    let original = std::fs::read(&path).unwrap();
    let error = store_weights(&path, &one(None, new_vector("w", 1.0), None), false).unwrap_err();
    assert!(matches!(&error, ContainerError::WeightsNotStorable { .. }), "{error}");
    assert!(error.to_string().contains("no genome"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), original);
}

#[test]
fn a_collection_is_re_assembled_with_every_members_cells_and_weights() {
    let (dir, path) = scratch("multi.gzcm");
    let chroms = [("chrA".to_owned(), 250), ("chrB".to_owned(), 145)];
    let mut writer = CollectionWriter::create(&path, false).unwrap().writer_name("toy writer");
    for (resolution, seed) in [(10u64, 5u64), (20, 6)] {
        let g = Genome::fixed(&chroms, resolution).unwrap();
        let n = g.n_bins();
        let g = g.with_weights(vec![WeightVector::new("weight", vec![0.5; n as usize])]).unwrap();
        let truth = matrix(Dtype::U32, n as usize, n as usize, true, seed);
        let member = dir.path().join(format!("{resolution}.gzcm"));
        let options = builder(&member, &truth, true).version(3).tile_size(16).packed_index(true).genome(g);
        write_coo(options, &truth, true);
        writer.add(resolution, &member).unwrap();
    }
    writer.finish().unwrap();
    let before = Collection::open_with(&path, ReaderOptions::new().registry(registry())).unwrap();
    let original = std::fs::read(&path).unwrap();
    assert!(matches!(
        store_weights(&path, &one(None, new_vector("x", 1.0), None), false),
        Err(ContainerError::ResolutionRequired { .. })
    ));
    let coarse = WeightVector::new("ice", (0..21).map(f64::from).collect());
    assert!(matches!(
        store_weights(&path, &one(Some(20), WeightVector::new("weight", vec![1.0; 21]), None), false),
        Err(ContainerError::WeightExists { resolution: Some(20), .. })
    ));
    assert_eq!(std::fs::read(&path).unwrap(), original);
    store_weights(&path, &one(Some(20), coarse.clone(), None), false).unwrap();
    let after = Collection::open_with(&path, ReaderOptions::new().registry(registry())).unwrap();
    assert_eq!(after.resolutions(), [10, 20]);
    assert_eq!(after.header().metadata.writer.as_deref(), Some("toy writer"));
    assert!(after.verify().is_ok());
    for resolution in [10, 20] {
        let (old, new) = (before.reader(resolution).unwrap(), after.reader(resolution).unwrap());
        assert_eq!(cells(&new), cells(&old), "cells at {resolution}");
        assert_eq!(bits(new.weights("weight").unwrap()), bits(old.weights("weight").unwrap()));
    }
    assert_eq!(after.reader(10).unwrap().weight_names(), ["weight"]);
    assert_eq!(bits(after.reader(20).unwrap().weights("ice").unwrap()), bits(&coarse.values));
    let names = entries(dir.path());
    assert_eq!(names, ["10.gzcm", "20.gzcm", "multi.gzcm"], "no scratch directory is left");
}
