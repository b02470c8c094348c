//! Format revision expected-1: cis expected tables stored in an existing file next to their
//! weight vector, atomically (payloads copied). They read back, are keyed by vector and
//! `ignore_diags`, need `replace` under an existing key, go stale when the vector changes, and
//! lying tables give typed errors. Files without them are unchanged (the golden genome files);
//! a golden file with one pins the bytes and stays readable by readers that predate it.

use std::path::{Path, PathBuf};

use gzcm_container::format::genome::GenomeRecord;
use gzcm_container::{
    Collection, CollectionWriter, ContainerError, ExpectedAt, ExpectedTableError, FormatError, Genome,
    GenomeBlockError, Reader, ReaderOptions, RowProblem, StoredExpected, StoredWeight, WeightVector,
    WeightsAt, store_expected, store_weights,
};
use gzcm_core::Dtype;
use serde_json::Value;

use crate::genome::{edit_header, fixed_genome};
use crate::support::{builder, entries, matrix, open, registry, scratch, write_coo};

/// A table that fits `genome` (one row per bin): every pixel valid, sums that grow with the
/// row, NaN on the first `ignore_diags` diagonals.
fn table(genome: &Genome, balance: &str, ignore_diags: u64) -> StoredExpected {
    let (mut n_valid, mut count, mut balanced) = (Vec::new(), Vec::new(), Vec::new());
    for chrom in genome.chroms() {
        for dist in 0..chrom.n_bins() {
            let k = (chrom.bin_start + dist) as f64;
            let ignored = dist < ignore_diags;
            n_valid.push(chrom.n_bins() - dist);
            count.push(if ignored { f64::NAN } else { 10.0 + k });
            balanced.push(if ignored { f64::NAN } else { 0.5 + k });
        }
    }
    let weights = &genome.weight(balance).unwrap().values;
    StoredExpected::new(balance, ignore_diags, weights, n_valid, count, balanced)
}

fn write(path: &Path) {
    write_packed(path, true);
}

fn write_packed(path: &Path, packed: bool) {
    let truth = matrix(Dtype::U32, 40, 40, true, 5);
    let options = builder(path, &truth, true).version(3).tile_size(16).packed_index(packed);
    write_coo(options.genome(fixed_genome()), &truth, true);
}

fn at(tables: Vec<StoredExpected>) -> Vec<ExpectedAt> {
    vec![ExpectedAt { resolution: None, tables }]
}

fn try_open(path: &Path) -> Result<Reader, ContainerError> {
    Reader::open_with(path, ReaderOptions::new().registry(registry()))
}

fn same(a: &StoredExpected, b: &StoredExpected) {
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(
        (&a.balance, a.ignore_diags, a.weights_crc32c),
        (&b.balance, b.ignore_diags, b.weights_crc32c)
    );
    assert_eq!(a.n_valid, b.n_valid);
    assert_eq!(bits(&a.count_sum), bits(&b.count_sum));
    assert_eq!(bits(&a.balanced_sum), bits(&b.balanced_sum));
}

#[test]
fn a_stored_table_reads_back_keyed_by_vector_and_ignore_diags() {
    let (dir, path) = scratch("m.gzcm");
    write(&path);
    let before = open(&path, 0);
    let genome = fixed_genome();
    let tables = vec![table(&genome, "weight", 2), table(&genome, "KR", 0)];
    let summary = store_expected(&path, &at(tables.clone()), false).unwrap();
    assert!(summary.replaced.is_empty());
    let after = open(&path, 0);
    assert_eq!(after.stored_expected().len(), 2);
    same(&after.stored_expected()[0], &tables[0]);
    same(&after.stored_expected()[1], &tables[1]);
    same(after.stored_expected_for("weight", 2).unwrap(), &tables[0]);
    assert!(after.stored_expected_for("weight", 1).is_none(), "another ignore_diags");
    assert!(after.stored_expected_for("KR", 2).is_none(), "another vector");
    let (rows, cols) = after.shape();
    assert_eq!(after.window(0..rows, 0..cols).unwrap(), before.window(0..rows, 0..cols).unwrap());
    assert_eq!(after.weight_names(), before.weight_names());
    assert!(after.verify().is_ok());
    assert_eq!(entries(dir.path()), ["m.gzcm"], "no temporary is left");
}

#[test]
fn an_existing_key_needs_replace_and_keeps_its_place() {
    let (_dir, path) = scratch("m.gzcm");
    write(&path);
    let genome = fixed_genome();
    store_expected(&path, &at(vec![table(&genome, "weight", 2), table(&genome, "KR", 2)]), false).unwrap();
    let original = std::fs::read(&path).unwrap();
    let mut newer = table(&genome, "weight", 2);
    newer.balanced_sum[30] = 99.0;
    let error = store_expected(&path, &at(vec![newer.clone()]), false).unwrap_err();
    assert!(
        matches!(&error, ContainerError::ExpectedExists { balance, ignore_diags: 2, .. } if balance == "weight"),
        "{error:?}"
    );
    assert!(error.to_string().contains("--force"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), original, "a refused store leaves the file as it was");
    let summary = store_expected(&path, &at(vec![newer.clone()]), true).unwrap();
    assert_eq!(summary.replaced, ["weight"]);
    let reader = open(&path, 0);
    let keys: Vec<_> = reader.stored_expected().iter().map(|t| t.balance.clone()).collect();
    assert_eq!(keys, ["weight", "KR"]);
    same(&reader.stored_expected()[0], &newer);
}

#[test]
fn replacing_a_vector_drops_its_tables() {
    let (_dir, path) = scratch("m.gzcm");
    write(&path);
    let genome = fixed_genome();
    store_expected(&path, &at(vec![table(&genome, "weight", 2), table(&genome, "KR", 2)]), false).unwrap();
    let vector = WeightVector::new("weight", vec![2.0; 40]);
    let edit = WeightsAt { resolution: None, weights: vec![StoredWeight { vector, balance: None }] };
    store_weights(&path, &[edit], true).unwrap();
    let reader = open(&path, 0);
    let keys: Vec<_> = reader.stored_expected().iter().map(|t| t.balance.clone()).collect();
    assert_eq!(keys, ["KR"], "the replaced vector's table no longer describes it");
    assert!(reader.verify().is_ok());
}

#[test]
fn tables_that_do_not_fit_are_refused_and_leave_the_file_as_it_was() {
    let (dir, path) = scratch("m.gzcm");
    write(&path);
    let original = std::fs::read(&path).unwrap();
    let genome = fixed_genome();
    let problem = |t: StoredExpected| match store_expected(&path, &at(vec![t]), false).unwrap_err() {
        ContainerError::ExpectedInvalid { source, .. } => *source,
        other => panic!("{other:?}"),
    };
    let mut short = table(&genome, "weight", 2);
    short.n_valid.pop();
    assert!(matches!(problem(short), ExpectedTableError::Rows { n_valid: 39, n_bins: 40, .. }));
    let mut lying = table(&genome, "weight", 2);
    lying.n_valid[30] = 1 << 40;
    let row = problem(lying);
    assert!(
        matches!(
            row,
            ExpectedTableError::Row { row: 30, dist: 5, problem: RowProblem::TooManyValid { .. }, .. }
        ),
        "{row:?}"
    );
    let mut not_ignored = table(&genome, "weight", 2);
    not_ignored.count_sum[1] = 3.0;
    assert!(matches!(
        problem(not_ignored),
        ExpectedTableError::Row { problem: RowProblem::IgnoredNotNan, .. }
    ));
    let mut infinite = table(&genome, "weight", 2);
    infinite.balanced_sum[12] = f64::INFINITY;
    assert!(matches!(problem(infinite), ExpectedTableError::Row { problem: RowProblem::NotFinite, .. }));
    let mut empty = table(&genome, "weight", 0);
    empty.n_valid[24] = 0;
    assert!(matches!(problem(empty), ExpectedTableError::Row { problem: RowProblem::EmptyNotZero, .. }));
    let mut other = table(&genome, "weight", 2);
    other.balance = "nope".to_owned();
    assert!(matches!(problem(other), ExpectedTableError::NoWeight { .. }));
    let mut stale = table(&genome, "weight", 2);
    stale.weights_crc32c ^= 1;
    assert!(matches!(problem(stale), ExpectedTableError::StaleWeights { .. }));
    assert_eq!(std::fs::read(&path).unwrap(), original);
    assert_eq!(entries(dir.path()), ["m.gzcm"], "no temporary is left");
}

/// A padded file (its header can be edited in place) with a table stored.
fn stored_file() -> (tempfile::TempDir, PathBuf) {
    let (dir, path) = scratch("m.gzcm");
    write_packed(&path, false);
    store_expected(&path, &at(vec![table(&fixed_genome(), "weight", 2)]), false).unwrap();
    (dir, path)
}

fn expected_error(path: &Path) -> GenomeBlockError {
    match try_open(path) {
        Err(ContainerError::Format { source: FormatError::Genome(e), .. }) => e,
        other => panic!("expected a genome format error, got {other:?}"),
    }
}

#[test]
fn lying_stored_tables_give_typed_errors_never_panics() {
    // A block pointed at a weight vector's: right crc, a third of the rows.
    let (_d, path) = stored_file();
    edit_header(&path, |h| h["genome"]["expected"][0]["block"] = h["genome"]["weights"][0]["block"].clone());
    assert!(matches!(expected_error(&path), GenomeBlockError::BlockLength { expected: 960, found: 320, .. }));
    // A length far past the file: no allocation of that size, a bounds error.
    let (_d, path) = stored_file();
    edit_header(&path, |h| h["genome"]["expected"][0]["block"]["length"] = Value::from(1u64 << 62));
    let error = expected_error(&path);
    assert!(matches!(error, GenomeBlockError::BlockOutOfFile { .. }), "{error:?}");
    // An ignore_diags that contradicts the NaN rows, either way.
    for (lie, problem) in [(0, RowProblem::NotFinite), (3, RowProblem::IgnoredNotNan)] {
        let (_d, path) = stored_file();
        edit_header(&path, |h| h["genome"]["expected"][0]["ignore_diags"] = Value::from(lie));
        let error = expected_error(&path);
        assert!(
            matches!(&error, GenomeBlockError::Expected { source, .. }
                if matches!(**source, ExpectedTableError::Row { problem: p, .. } if p == problem)),
            "{error:?}"
        );
    }
    // A vector the file does not have, and the same key twice.
    let (_d, path) = stored_file();
    edit_header(&path, |h| h["genome"]["expected"][0]["balance"] = Value::from("nope"));
    let error = expected_error(&path);
    assert!(
        matches!(&error, GenomeBlockError::Expected { source, .. } if matches!(**source, ExpectedTableError::NoWeight { .. })),
        "{error:?}"
    );
    let (_d, path) = stored_file();
    edit_header(&path, |h| {
        let first = h["genome"]["expected"][0].clone();
        h["genome"]["expected"].as_array_mut().unwrap().push(first);
    });
    let error = expected_error(&path);
    assert!(
        matches!(&error, GenomeBlockError::Expected { source, .. } if matches!(**source, ExpectedTableError::Duplicate)),
        "{error:?}"
    );
    // A table relabelled to another vector reads, but is not used for it: its crc is the
    // other vector's.
    let (_d, path) = stored_file();
    edit_header(&path, |h| h["genome"]["expected"][0]["balance"] = Value::from("KR"));
    let reader = try_open(&path).unwrap();
    assert_eq!(reader.stored_expected().len(), 1);
    assert!(reader.stored_expected_for("KR", 2).is_none());
}

#[test]
fn a_collection_member_stores_its_own_table() {
    let (dir, path) = scratch("multi.gzcm");
    let chroms = [("chrA".to_owned(), 250), ("chrB".to_owned(), 145)];
    let mut writer = CollectionWriter::create(&path, false).unwrap();
    let mut genomes = Vec::new();
    for (resolution, seed) in [(10u64, 5u64), (20, 6)] {
        let g = Genome::fixed(&chroms, resolution).unwrap();
        let n = g.n_bins();
        let g = g.with_weights(vec![WeightVector::new("weight", vec![0.5; n as usize])]).unwrap();
        let truth = matrix(Dtype::U32, n as usize, n as usize, true, seed);
        let member = dir.path().join(format!("{resolution}.gzcm"));
        let options =
            builder(&member, &truth, true).version(3).tile_size(16).packed_index(true).genome(g.clone());
        write_coo(options, &truth, true);
        writer.add(resolution, &member).unwrap();
        genomes.push(g);
    }
    writer.finish().unwrap();
    let coarse = table(&genomes[1], "weight", 2);
    let edit = vec![ExpectedAt { resolution: Some(20), tables: vec![coarse.clone()] }];
    store_expected(&path, &edit, false).unwrap();
    let collection = Collection::open_with(&path, ReaderOptions::new().registry(registry())).unwrap();
    assert!(collection.verify().is_ok());
    assert!(collection.reader(10).unwrap().stored_expected().is_empty());
    same(collection.reader(20).unwrap().stored_expected_for("weight", 2).unwrap(), &coarse);
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{name}"))
}

#[test]
fn the_golden_file_with_a_stored_table_is_rewritten_byte_for_byte_and_reads_as_before() {
    // The genome golden file (entry 32), which predates expected-1, with a table stored.
    let (_d, path) = scratch("golden.gzcm");
    std::fs::copy(golden("genome-fixed-sym40-t16-lz4-v3.gzcm"), &path).unwrap();
    let older = open(&path, 0);
    let genome = older.genome().unwrap().clone();
    assert!(older.stored_expected().is_empty(), "files before expected-1 hold none");
    store_expected(&path, &at(vec![table(&genome, "weight", 2)]), false).unwrap();
    let written = std::fs::read(&path).unwrap();
    let name = "genome-fixed-expected-sym40-t16-lz4-v3.gzcm";
    if std::env::var_os("GZCM_BLESS").is_some() {
        std::fs::write(golden(name), &written).unwrap();
    }
    let reader = open(&golden(name), 0);
    same(reader.stored_expected_for("weight", 2).unwrap(), &table(&genome, "weight", 2));
    let (rows, cols) = older.shape();
    assert_eq!(reader.window(0..rows, 0..cols).unwrap(), older.window(0..rows, 0..cols).unwrap());
    assert!(reader.verify().is_ok());
    assert!(
        std::fs::read(golden(name)).unwrap() == written,
        "{name}: written bytes differ; if the format change is intended, record it in \
         docs/format.md and re-bless with GZCM_BLESS=1"
    );
    // What a reader that predates expected-1 sees: the genome record without the key (unknown
    // keys are ignored, entry 5). Its blocks end where the file's do, so it finds no trailing
    // bytes (entry 29), and the table lies before the first weight block it reads.
    let record: GenomeRecord = reader.header().genome.clone().unwrap();
    let mut old_view: Value = serde_json::to_value(&record).unwrap();
    old_view.as_object_mut().unwrap().remove("expected");
    let old_view: GenomeRecord = serde_json::from_value(old_view).unwrap();
    assert!(old_view.expected.is_empty());
    assert_eq!(old_view.blocks_end(), record.blocks_end());
    let table_end = record.expected[0].block.offset + record.expected[0].block.length;
    assert!(table_end <= old_view.blocks_span().unwrap().start);
}

#[test]
fn any_flipped_byte_of_a_stored_table_is_a_typed_error_never_a_panic() {
    let (_d, path) = stored_file();
    let bytes = std::fs::read(&path).unwrap();
    let block = open(&path, 0).header().genome.clone().unwrap().expected[0].block.clone();
    let (_d2, damaged) = scratch("d.gzcm");
    for at in block.offset as usize..(block.offset + block.length) as usize {
        let mut copy = bytes.clone();
        copy[at] ^= 0x5a;
        std::fs::write(&damaged, &copy).unwrap();
        let error = match try_open(&damaged) {
            Err(ContainerError::Format { source: FormatError::Genome(e), .. }) => e,
            other => panic!("flip at {at}: {other:?}"),
        };
        assert!(
            matches!(error, GenomeBlockError::BlockCrc { ref what, .. } if what.starts_with("expected table")),
            "{error:?}"
        );
    }
}
