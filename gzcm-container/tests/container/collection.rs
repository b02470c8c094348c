//! Format revision collection-1: multi-resolution files. Every resolution reads back cell for
//! cell and weight for weight as the single-resolution file it came from; the golden file is
//! rewritten byte for byte; the writer refuses members that do not fit; lying tables and
//! members are typed errors; every bit flip is caught; a collection is never opened at a
//! silently chosen resolution; opening over ranged reads costs one request per step.

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use gzcm_container::{
    ByteSource, Collection, CollectionError, CollectionWriter, ContainerError, FormatError, Genome, GzcmFile,
    MemberInputError, Metadata, Reader, ReaderOptions, TileData, WeightVector, Writer, open_resolution,
};
use gzcm_core::{Dtype, EncodeOptions};
use ndarray::Array2;
use serde_json::Value;

use crate::integrity::missed_flips;
use crate::support::{Ranged, builder, entries, matrix, registry, scratch, write_coo};

/// Chromosomes of the toy genome: 250 bp and 145 bp (40 bins at 10 bp, 21 at 20 bp).
const TOY: [(&str, u64); 2] = [("chrA", 250), ("chrB", 145)];
/// A smaller one for exhaustive bit flips: 20 bins at 10 bp, 10 at 20 bp.
const TINY: [(&str, u64); 2] = [("chrA", 120), ("chrB", 75)];

fn options() -> ReaderOptions {
    ReaderOptions::new().registry(registry()).cache_bytes(0)
}

/// The genome of `chroms` at `bin_size`, with a weight vector (NaN on every seventh bin).
fn genome(chroms: &[(&str, u64)], bin_size: u64) -> Genome {
    let chroms: Vec<(String, u64)> = chroms.iter().map(|&(n, l)| (n.to_owned(), l)).collect();
    let genome = Genome::fixed(&chroms, bin_size).unwrap().with_assembly(Some("toy1".to_owned()));
    let n = genome.n_bins();
    let weight = (0..n).map(|i| if i % 7 == 3 { f64::NAN } else { 1.0 / (i as f64 + 2.0) }).collect();
    genome.with_weights(vec![WeightVector::new("weight", weight)]).unwrap()
}

/// `fine` (binned as `from`) summed into the bins of `to`, chromosome by chromosome: the same
/// contacts at a coarser resolution.
fn coarsen(fine: &Array2<u32>, from: &Genome, to: &Genome) -> Array2<u32> {
    let factor = to.resolution().unwrap() / from.resolution().unwrap();
    let coarse_bin = |bin: u64| {
        let (chrom, _) = from.bin(bin).unwrap();
        let local = bin - from.chroms()[chrom].bin_start;
        (to.chroms()[chrom].bin_start + local / factor) as usize
    };
    let n = to.n_bins() as usize;
    let mut out = Array2::<u32>::zeros((n, n));
    for ((r, c), &v) in fine.indexed_iter() {
        out[[coarse_bin(r as u64), coarse_bin(c as u64)]] += v;
    }
    out
}

/// The writer name of every member written here (fixed: the golden file must not depend on
/// the crate version).
const WRITER: &str = "gzcm golden";

/// A single-resolution member file: packed, T = 16, `codec`, fixed writer name.
fn write_member(path: &Path, truth: &Array2<u32>, genome: Genome, version: u32, codec: &str) {
    write_named_member(path, truth, genome, version, codec, WRITER);
}

fn write_named_member(
    path: &Path,
    truth: &Array2<u32>,
    genome: Genome,
    version: u32,
    codec: &str,
    writer: &str,
) {
    let truth = TileData::U32(truth.clone());
    let mut metadata = Metadata::default();
    metadata.writer = Some(writer.to_owned());
    let options = builder(path, &truth, true)
        .version(version)
        .tile_size(16)
        .codec(codec)
        .packed_index(true)
        .genome(genome)
        .metadata(metadata);
    write_coo(options, &truth, true);
}

/// The matrices of `chroms` at 10 and 20 bp (and 50 bp when `three`), written as members into
/// `dir`: `(resolution, file, truth)`, in the order they are added (not ascending).
fn members(dir: &Path, chroms: &[(&str, u64)], three: bool) -> Vec<(u64, PathBuf, Array2<u32>)> {
    named_members(dir, chroms, three, WRITER)
}

fn named_members(
    dir: &Path,
    chroms: &[(&str, u64)],
    three: bool,
    writer: &str,
) -> Vec<(u64, PathBuf, Array2<u32>)> {
    let fine = genome(chroms, 10);
    let n = fine.n_bins() as usize;
    let TileData::U32(base) = matrix(Dtype::U32, n, n, true, 77) else { unreachable!() };
    let mut out = Vec::new();
    let resolutions: &[(u64, u32, &str)] = if three {
        &[(20, 4, "zstd"), (10, 3, "lz4"), (50, 3, "zstd")]
    } else {
        &[(20, 3, "lz4"), (10, 3, "lz4")]
    };
    for &(resolution, version, codec) in resolutions {
        let genome = genome(chroms, resolution);
        let truth = if resolution == 10 { base.clone() } else { coarsen(&base, &fine, &genome) };
        let path = dir.join(format!("single-{resolution}.gzcm"));
        write_named_member(&path, &truth, genome, version, codec, writer);
        out.push((resolution, path, truth));
    }
    out
}

fn collect(path: &Path, members: &[(u64, PathBuf, Array2<u32>)]) -> gzcm_container::CollectionSummary {
    let mut writer = CollectionWriter::create(path, false).unwrap().writer_name("gzcm golden");
    for (resolution, file, _) in members {
        writer.add(*resolution, file).unwrap();
    }
    writer.finish().unwrap()
}

fn bits(values: &[f64]) -> Vec<u64> {
    values.iter().map(|v| v.to_bits()).collect()
}

#[test]
fn every_resolution_reads_back_as_the_single_file_it_came_from() {
    let (dir, path) = scratch("multi.gzcm");
    let members = members(dir.path(), &TOY, true);
    let summary = collect(&path, &members);
    assert_eq!(summary.resolutions(), [10, 20, 50]);
    assert_eq!(summary.bytes, std::fs::metadata(&path).unwrap().len());
    let collection = Collection::open_with(&path, options()).unwrap();
    assert_eq!(collection.resolutions(), [10, 20, 50]);
    assert_eq!(collection.assembly(), Some("toy1"));
    assert_eq!(collection.chroms().iter().map(|c| (c.name.as_str(), c.length)).collect::<Vec<_>>(), TOY);
    for (resolution, file, truth) in &members {
        let single = Reader::open_with(file, options()).unwrap();
        let member = collection.reader(*resolution).unwrap();
        let n = truth.nrows() as u64;
        assert_eq!(member.window(0..n, 0..n).unwrap(), TileData::U32(truth.clone()), "{resolution}");
        assert_eq!(member.window(3..n - 1, 1..n / 2).unwrap(), single.window(3..n - 1, 1..n / 2).unwrap());
        assert_eq!(member.resolution(), Some(*resolution));
        assert_eq!(member.version(), single.version());
        assert_eq!(member.header().metadata.chroms, single.header().metadata.chroms);
        let (found, expected) = (member.genome().unwrap(), single.genome().unwrap());
        assert_eq!(
            (found.chroms(), found.bins(), found.assembly()),
            (expected.chroms(), expected.bins(), expected.assembly())
        );
        assert_eq!(bits(member.weights("weight").unwrap()), bits(single.weights("weight").unwrap()));
        assert_eq!(collection.genome_at(*resolution).unwrap().chroms(), expected.chroms());
        let report = member.verify();
        assert!(report.is_ok() && report.checksums, "{resolution}: {report:?}");
        assert!(
            member.path().display().to_string().ends_with(&format!("multi.gzcm::/resolutions/{resolution}"))
        );
    }
    let report = collection.verify();
    assert!(report.is_ok(), "{report:?}");
    assert_eq!(report.members.len(), 3);
    assert!(report.tiles_checked() > 0);
    // Through the front ends' rule, and as either kind of file.
    let reader = open_resolution(&path, Some(20), options()).unwrap();
    assert_eq!(reader.resolution(), Some(20));
    assert!(matches!(GzcmFile::open_with(&path, options()).unwrap(), GzcmFile::Multi(_)));
    assert_eq!(GzcmFile::open_with(&path, options()).unwrap().resolutions(), [10, 20, 50]);
}

fn golden() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/sym40-t16-lz4-v3-collection.gzcm")
}

#[test]
fn golden_collection_reads_back_and_is_rewritten_byte_for_byte() {
    let (dir, path) = scratch("golden.gzcm");
    let members = members(dir.path(), &TOY, false);
    collect(&path, &members);
    let written = std::fs::read(&path).unwrap();
    if std::env::var_os("GZCM_BLESS").is_some() {
        std::fs::write(golden(), &written).unwrap();
    }
    let collection = Collection::open_with(golden(), options()).unwrap();
    assert_eq!(collection.resolutions(), [10, 20]);
    for (resolution, _, truth) in &members {
        let n = truth.nrows() as u64;
        let member = collection.reader(*resolution).unwrap();
        assert_eq!(member.window(0..n, 0..n).unwrap(), TileData::U32(truth.clone()));
    }
    assert!(collection.verify().is_ok());
    assert!(
        std::fs::read(golden()).unwrap() == written,
        "written bytes differ from {}; if the format change is intended, record it in docs/format.md \
         and re-bless with GZCM_BLESS=1",
        golden().display()
    );
}

#[test]
fn a_collection_is_never_opened_at_a_silently_chosen_resolution() {
    let (dir, path) = scratch("multi.gzcm");
    let members = members(dir.path(), &TOY, true);
    collect(&path, &members);
    let required = open_resolution(&path, None, options()).unwrap_err();
    let ContainerError::ResolutionRequired { available, .. } = &required else { panic!("{required:?}") };
    assert_eq!(available, &[10, 20, 50]);
    let message = required.to_string();
    assert!(
        message
            .contains("holds resolutions 10, 20, 50: choose one with --resolution R or FILE::/resolutions/R"),
        "{message}"
    );
    // The single-file reader gives the same answer instead of misreading the collection.
    assert!(matches!(Reader::open_with(&path, options()), Err(ContainerError::ResolutionRequired { .. })));
    let missing = open_resolution(&path, Some(30), options()).unwrap_err();
    assert!(
        matches!(&missing, ContainerError::ResolutionNotFound { asked: 30, available, .. } if available == &[10, 20, 50])
    );
    assert!(missing.to_string().contains("holds 10, 20, 50"), "{missing}");
    // A single file holds its bin size; a file without a genome holds none.
    let single = &members[0].1;
    assert_eq!(GzcmFile::open_with(single, options()).unwrap().resolutions(), [20]);
    assert_eq!(open_resolution(single, Some(20), options()).unwrap().resolution(), Some(20));
    assert!(open_resolution(single, None, options()).is_ok());
    assert!(matches!(
        open_resolution(single, Some(10), options()),
        Err(ContainerError::ResolutionNotFound { asked: 10, available, .. }) if available == [20]
    ));
    let plain = dir.path().join("plain.gzcm");
    write_coo(
        builder(&plain, &matrix(Dtype::U32, 20, 20, true, 1), true),
        &matrix(Dtype::U32, 20, 20, true, 1),
        true,
    );
    assert!(GzcmFile::open_with(&plain, options()).unwrap().resolutions().is_empty());
    assert_eq!(Reader::open_with(&plain, options()).unwrap().resolution(), None);
    let none = open_resolution(&plain, Some(10), options()).unwrap_err();
    assert!(matches!(&none, ContainerError::ResolutionNotFound { available, .. } if available.is_empty()));
    assert!(none.to_string().contains("no genome"), "{none}");
    assert!(matches!(Collection::open_with(&plain, options()), Err(ContainerError::NotACollection { .. })));
}

fn refusal(result: Result<(), ContainerError>) -> MemberInputError {
    match result {
        Err(ContainerError::MemberInput { source, .. }) => *source,
        other => panic!("expected a member refusal, got {other:?}"),
    }
}

#[test]
fn the_writer_refuses_files_that_are_not_members_of_one_genome() {
    let (dir, path) = scratch("multi.gzcm");
    let members = members(dir.path(), &TOY, false);
    let (r20, r10) = (&members[0].1, &members[1].1);
    let mut writer = CollectionWriter::create(&path, false).unwrap();
    assert!(matches!(refusal(writer.add(0, r20)), MemberInputError::ZeroResolution));
    assert!(matches!(refusal(writer.add(10, r20)), MemberInputError::BinSize { bin_size: 20 }));
    writer.add(20, r20).unwrap();
    assert!(matches!(refusal(writer.add(20, r20)), MemberInputError::Duplicate));
    // Other chromosomes, another assembly.
    let other = dir.path().join("other.gzcm");
    let shifted = [("chrA", 250), ("chrC", 145)];
    write_member(&other, &members[1].2, genome(&shifted, 10), 3, "lz4");
    let error = writer.add(10, &other).unwrap_err();
    assert!(
        error.to_string().contains("chromosome 2 is `chrB` of 145 bp there, `chrC` of 145 bp here"),
        "{error}"
    );
    let anonymous = dir.path().join("anonymous.gzcm");
    write_member(&anonymous, &members[1].2, genome(&TOY, 10).with_assembly(None), 3, "lz4");
    assert!(matches!(refusal(writer.add(10, &anonymous)), MemberInputError::AssemblyDiffers { .. }));
    // No genome, a 32-byte index, an uncompressed version.
    let truth = TileData::U32(members[1].2.clone());
    let plain = dir.path().join("plain.gzcm");
    write_coo(builder(&plain, &truth, true).packed_index(true), &truth, true);
    assert!(matches!(refusal(writer.add(10, &plain)), MemberInputError::NoGenome));
    let padded = dir.path().join("padded.gzcm");
    write_coo(builder(&padded, &truth, true).genome(genome(&TOY, 10)), &truth, true);
    assert!(matches!(refusal(writer.add(10, &padded)), MemberInputError::IndexNotPacked));
    let dense = dir.path().join("dense.gzcm");
    write_coo(builder(&dense, &truth, true).version(1), &truth, true);
    assert!(matches!(refusal(writer.add(10, &dense)), MemberInputError::Version { version: 1 }));
    writer.add(10, r10).unwrap();
    assert_eq!(writer.resolutions(), [10, 20]);
    // The output is never an input.
    let mut again = CollectionWriter::create(r10, true).unwrap();
    assert!(matches!(refusal(again.add(10, r10)), MemberInputError::InputIsOutput));
    drop(again);
    assert!(matches!(
        CollectionWriter::create(&path, false).unwrap().finish(),
        Err(ContainerError::InvalidOption { .. })
    ));
    writer.finish().unwrap();
    assert!(matches!(CollectionWriter::create(&path, false), Err(ContainerError::OutputExists { .. })));
}

#[test]
fn scratch_files_go_with_the_writer_and_the_output_appears_whole() {
    let (dir, path) = scratch("multi.gzcm");
    let chroms: Vec<(String, u64)> = TOY.iter().map(|&(n, l)| (n.to_owned(), l)).collect();
    let before = entries(dir.path());
    {
        let writer = CollectionWriter::create(&path, false).unwrap();
        let member = writer.scratch_path(10);
        assert!(member.starts_with(dir.path()) && !member.exists());
        let truth = matrix(Dtype::U32, 40, 40, true, 3);
        let genome = Genome::fixed(&chroms, 10).unwrap();
        write_coo(builder(&member, &truth, true).packed_index(true).genome(genome), &truth, true);
        assert!(member.exists());
        // Dropped without finishing: nothing is left, the scratch directory included.
    }
    assert_eq!(entries(dir.path()), before);
    let mut writer = CollectionWriter::create(&path, false).unwrap();
    let member = writer.scratch_path(10);
    let truth = matrix(Dtype::U32, 40, 40, true, 3);
    write_coo(
        builder(&member, &truth, true).packed_index(true).genome(Genome::fixed(&chroms, 10).unwrap()),
        &truth,
        true,
    );
    writer.add(10, &member).unwrap();
    assert!(!path.exists(), "the output appears only at finish");
    writer.finish().unwrap();
    assert_eq!(entries(dir.path()), ["multi.gzcm"]);
    // One resolution is a valid collection.
    let collection = Collection::open_with(&path, options()).unwrap();
    assert_eq!(collection.reader(10).unwrap().window(0..40, 0..40).unwrap(), truth);
}

/// The resolutions of a shared `.mcool` (gzcm-hic lists them when none is chosen).
fn mcool_resolutions(path: &Path) -> Vec<u64> {
    match gzcm_hic::open(&path.display().to_string(), &gzcm_hic::OpenOptions::default()) {
        Err(gzcm_hic::HicError::Resolution { available, .. }) => available,
        Ok(_) => panic!("{} holds one resolution", path.display()),
        Err(other) => panic!("{}: {other}", path.display()),
    }
}

/// One resolution of a `.mcool` written as a packed single-resolution file with its genome and
/// weights (integer counts; the shared files store them).
fn write_mcool_resolution(mcool: &Path, resolution: u64, out: &Path) {
    let spec = format!("{}::/resolutions/{resolution}", mcool.display());
    let mut source = gzcm_hic::open(&spec, &gzcm_hic::OpenOptions::default()).unwrap();
    assert_eq!(source.count_type(), gzcm_hic::CountType::Int, "{spec}");
    let genome = source.genome().clone();
    let n = genome.n_bins();
    let options = Writer::builder(out, n, n)
        .symmetric(true)
        .tile_size(64)
        .packed_index(true)
        .registry(registry())
        .codec_options("zstd", EncodeOptions::with_level(3))
        .genome(genome);
    let mut writer = options.create_unsorted().unwrap();
    for pixel in source.pixels().unwrap() {
        let pixel = pixel.unwrap();
        writer.push(pixel.bin1, pixel.bin2, pixel.count as u32).unwrap();
    }
    writer.finish().unwrap();
}

#[test]
fn the_resolutions_of_a_shared_mcool_gather_into_one_collection() {
    let Some(mcool) = gzcm_test_support::data_path("yeast_10kb.mcool") else { return };
    let resolutions = mcool_resolutions(&mcool);
    assert!(resolutions.len() >= 2, "{resolutions:?}");
    let (dir, path) = scratch("yeast.gzcm");
    let mut writer = CollectionWriter::create(&path, false).unwrap();
    // Descending: the file lists them ascending whatever order they come in.
    for &resolution in resolutions.iter().rev() {
        let member = writer.scratch_path(resolution);
        write_mcool_resolution(&mcool, resolution, &member);
        writer.add(resolution, &member).unwrap();
    }
    // Kept outside the writer's scratch directory to compare with afterwards.
    let singles: Vec<PathBuf> = resolutions
        .iter()
        .map(|&r| {
            let single = dir.path().join(format!("single-{r}.gzcm"));
            write_mcool_resolution(&mcool, r, &single);
            single
        })
        .collect();
    assert_eq!(writer.finish().unwrap().resolutions(), resolutions);
    let collection = Collection::open_with(&path, options()).unwrap();
    assert_eq!(collection.resolutions(), resolutions);
    for (&resolution, single) in resolutions.iter().zip(&singles) {
        let single = Reader::open_with(single, options()).unwrap();
        let member = collection.reader(resolution).unwrap();
        let (n, _) = single.shape();
        assert_eq!(member.shape(), (n, n));
        assert_eq!(member.window(0..n, 0..n).unwrap(), single.window(0..n, 0..n).unwrap(), "{resolution}");
        assert_eq!(member.weight_names(), single.weight_names());
        for name in single.weight_names() {
            assert_eq!(bits(member.weights(name).unwrap()), bits(single.weights(name).unwrap()), "{name}");
        }
        assert_eq!(member.genome().unwrap().chroms(), single.genome().unwrap().chroms());
    }
    assert!(collection.verify().is_ok());
}

// ---------------------------------------------------------------------------------------------
// Hostile collections.

/// The JSON of a collection and where it ends.
fn table(bytes: &[u8]) -> (Value, usize) {
    let len = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    (serde_json::from_slice(&bytes[8..8 + len]).unwrap(), 8 + len)
}

/// `bytes` with the collection header edited in place (padded with spaces to its old length)
/// and resealed.
fn edit_table(bytes: &[u8], change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let (mut value, end) = table(bytes);
    change(&mut value);
    let mut json = serde_json::to_vec(&value).unwrap();
    assert!(json.len() <= end - 8, "the edited header must not grow");
    json.resize(end - 8, b' ');
    let mut out = bytes.to_vec();
    out[8..end].copy_from_slice(&json);
    let seal = crc32c::crc32c(&out[..end]);
    out[end..end + 4].copy_from_slice(&seal.to_le_bytes());
    out
}

/// The entry of the member at `position` (its resolution, offset, length).
fn entry(bytes: &[u8], position: usize) -> (u64, usize, usize) {
    let (value, _) = table(bytes);
    let e = &value["resolutions"][position];
    let number = |key: &str| e[key].as_u64().unwrap();
    (number("resolution"), number("offset") as usize, number("length") as usize)
}

/// A collection of two tiny members, in memory.
fn tiny_collection() -> Vec<u8> {
    tiny_collection_by(WRITER)
}

fn tiny_collection_by(writer: &str) -> Vec<u8> {
    let (dir, path) = scratch("tiny.gzcm");
    let members = named_members(dir.path(), &TINY, false, writer);
    collect(&path, &members);
    std::fs::read(&path).unwrap()
}

/// A file held in memory, served like a memory map.
#[derive(Debug)]
struct Memory(Bytes);

impl ByteSource for Memory {
    fn name(&self) -> &Path {
        Path::new("memory.gzcm")
    }

    fn len(&self) -> u64 {
        self.0.len() as u64
    }

    fn read_ranges(&self, ranges: &[Range<u64>]) -> io::Result<Vec<Bytes>> {
        Ok(ranges.iter().map(|r| self.0.slice(r.start as usize..r.end as usize)).collect())
    }

    fn whole(&self) -> Option<&Bytes> {
        Some(&self.0)
    }
}

fn open_memory(bytes: &[u8]) -> Result<Collection, ContainerError> {
    Collection::open_source(Arc::new(Memory(Bytes::copy_from_slice(bytes))), options())
}

fn collection_error(result: Result<Reader, ContainerError>) -> CollectionError {
    match result {
        Err(ContainerError::Format { source: FormatError::Collection(e), .. }) => *e,
        other => panic!("expected a collection error, got {other:?}"),
    }
}

fn open_error(bytes: &[u8]) -> CollectionError {
    collection_error(open_memory(bytes).map(|_| unreachable!()))
}

/// Whether opening, reading every resolution whole, or verifying reports an error.
fn detected(bytes: &[u8]) -> bool {
    let source = Arc::new(Memory(Bytes::copy_from_slice(bytes)));
    let Ok(GzcmFile::Multi(collection)) = GzcmFile::open_source(source, options()) else {
        return true;
    };
    let read = |&resolution: &u64| {
        collection.reader(resolution).and_then(|reader| {
            let (rows, cols) = reader.shape();
            reader.window(0..rows, 0..cols)
        })
    };
    collection.resolutions().iter().any(|r| read(r).is_err()) || !collection.verify().is_ok()
}

#[test]
fn damaged_headers_and_lying_tables_are_typed_errors() {
    let bytes = tiny_collection();
    assert!(!detected(&bytes));
    let (_, end) = table(&bytes);
    let mut sealed = bytes.clone();
    sealed[end + 1] ^= 4;
    assert!(matches!(open_error(&sealed), CollectionError::SealMismatch { .. }));
    let mut json = bytes.clone();
    json[end / 2] ^= 1;
    assert!(matches!(open_error(&json), CollectionError::SealMismatch { .. }));
    assert!(matches!(open_error(&bytes[..bytes.len() - 1]), CollectionError::MemberPlacement { .. }));
    let mut appended = bytes.clone();
    appended.push(0);
    assert!(matches!(open_error(&appended), CollectionError::MemberEnd { .. }));
    let swapped = edit_table(&bytes, |v| v["resolutions"][1]["resolution"] = 5.into());
    assert!(matches!(open_error(&swapped), CollectionError::Order { resolution: 5, previous: 10 }));
    // Lies the table alone cannot reveal are caught when the member is opened.
    let collection = |bytes: &[u8]| open_memory(bytes).unwrap();
    let lying = edit_table(&bytes, |v| v["resolutions"][1]["resolution"] = 25.into());
    let error = collection_error(collection(&lying).reader(25));
    assert!(
        matches!(&error, CollectionError::MemberGenome { resolution: 25, problem } if problem.contains("20 bp")),
        "{error}"
    );
    let structure = edit_table(&bytes, |v| {
        let s = v["resolutions"][0]["structure_bytes"].as_u64().unwrap();
        v["resolutions"][0]["structure_bytes"] = (s - 1).into();
    });
    assert!(matches!(
        collection_error(collection(&structure).reader(10)),
        CollectionError::MemberLayout { .. }
    ));
    let header_crc = edit_table(&bytes, |v| v["resolutions"][0]["header_crc"] = 1.into());
    assert!(matches!(
        collection_error(collection(&header_crc).reader(10)),
        CollectionError::EntryChecksum { what: "header", .. }
    ));
    let data_crc = edit_table(&bytes, |v| v["resolutions"][1]["data_crc"] = 1.into());
    assert!(matches!(
        collection_error(collection(&data_crc).reader(20)),
        CollectionError::EntryChecksum { what: "tile index", .. }
    ));
}

#[test]
fn a_member_that_disagrees_with_its_entry_or_smuggles_chromosomes_is_caught() {
    let bytes = tiny_collection();
    // The member's own trailer rewritten (with its own crc) to disagree with the table: opening
    // uses the table's values, verify compares.
    let (_, offset, length) = entry(&bytes, 0);
    let mut trailer = bytes.clone();
    let at = offset + length - 20;
    trailer[at + 12] ^= 1;
    let own = crc32c::crc32c(&trailer[at..at + 16]);
    trailer[at + 16..at + 20].copy_from_slice(&own.to_le_bytes());
    let collection = open_memory(&trailer).unwrap();
    let report = collection.reader(10).unwrap().verify();
    assert!(
        report.file_failures.iter().any(|e| matches!(
            e,
            ContainerError::Format { source: FormatError::Collection(e), .. }
                if matches!(**e, CollectionError::MemberTrailer { what: "data", .. })
        )),
        "{report:?}"
    );
    assert!(!collection.verify().is_ok());
    // Chromosomes smuggled into a member's header, whose crc is then fixed in the table: the
    // member's JSON keeps its length (a long writer name gives way).
    let long = "x".repeat(100);
    let bytes = tiny_collection_by(&long);
    let (_, offset, _) = entry(&bytes, 1);
    let json_len = u32::from_le_bytes(bytes[offset + 4..offset + 8].try_into().unwrap()) as usize;
    let json = std::str::from_utf8(&bytes[offset + 8..offset + 8 + json_len]).unwrap();
    let smuggled = json.replace(
        &format!(r#""writer":"{long}""#),
        r#""chroms":[{"name":"chrA","length":9,"bin_start":0,"bin_end":1}],"w":"x""#,
    );
    let smuggled = format!("{smuggled:width$}", width = json_len);
    assert_eq!(smuggled.len(), json_len, "the test needs a member header with room to spare");
    let mut edited = bytes.clone();
    edited[offset + 8..offset + 8 + json_len].copy_from_slice(smuggled.as_bytes());
    let header_crc = crc32c::crc32c(&edited[offset..offset + 8 + json_len]);
    let edited = edit_table(&edited, |v| v["resolutions"][1]["header_crc"] = header_crc.into());
    let error = collection_error(open_memory(&edited).unwrap().reader(20));
    assert!(matches!(error, CollectionError::MemberChroms { resolution: 20 }), "{error}");
}

#[test]
fn readers_predating_collections_refuse_them() {
    let bytes = tiny_collection();
    let (value, end) = table(&bytes);
    assert_eq!(value["version"], 5);
    // A reader of versions 1–4 finds the last member's trailer at the end of the file; the
    // header checksum it records is the member's, not the collection header's, so such a
    // reader reports a corrupt header (`HeaderChecksum`) before it parses any JSON…
    let tail = &bytes[bytes.len() - 20..];
    assert_eq!(&tail[..8], b"GZCMSUM1");
    let recorded = u32::from_le_bytes(tail[8..12].try_into().unwrap());
    assert_ne!(recorded, crc32c::crc32c(&bytes[..end]));
    // …and could not have read it as a single file anyway: the JSON has no `metadata`/`arrays`.
    assert!(matches!(gzcm_container::Header::from_json(&bytes[8..end]), Err(FormatError::HeaderJson { .. })));
}

#[test]
fn every_bit_flip_of_a_collection_is_detected() {
    let bytes = tiny_collection();
    assert!(!detected(&bytes), "the pristine collection must pass");
    let missed = missed_flips(&bytes, 0..bytes.len(), detected);
    assert!(missed.is_empty(), "{} of {} flips undetected: {missed:?}", missed.len(), bytes.len() * 8);
    assert!(bytes.len() > 1000, "only {} bytes", bytes.len());
}

// ---------------------------------------------------------------------------------------------
// Ranged reads.

#[test]
fn opening_costs_one_request_and_each_resolution_at_most_one_more() {
    let (dir, path) = scratch("multi.gzcm");
    let members = members(dir.path(), &TOY, true);
    collect(&path, &members);
    let bytes = Bytes::from(std::fs::read(&path).unwrap());
    let (_, header_end) = table(&bytes);
    // A first read that holds the collection header (and the first member's structure) only.
    let first_read = header_end as u64 + 600;
    let source = Arc::new(Ranged { bytes, first_read, requests: AtomicU64::new(0) });
    let requests = || source.requests.load(Ordering::Relaxed);
    let collection = Collection::open_source(Arc::clone(&source) as Arc<dyn ByteSource>, options()).unwrap();
    assert_eq!(requests(), 1, "open reads the first bytes once");
    for (resolution, _, truth) in &members {
        let before = requests();
        let entry = collection.entries().iter().find(|e| e.resolution == *resolution).unwrap();
        let held = entry.offset + entry.structure_bytes <= first_read;
        let reader = collection.reader(*resolution).unwrap();
        assert_eq!(requests() - before, u64::from(!held), "resolution {resolution}");
        let n = truth.nrows() as u64;
        assert_eq!(reader.window(0..n, 0..n).unwrap(), TileData::U32(truth.clone()));
    }
    assert!(collection.entries().iter().any(|e| e.offset + e.structure_bytes > first_read));
    // Opening one resolution straight away: the first read and at most one more.
    let source = Arc::new(Ranged { bytes: source.bytes.clone(), first_read, requests: AtomicU64::new(0) });
    let reader = gzcm_container::open_source_resolution(
        Arc::clone(&source) as Arc<dyn ByteSource>,
        Some(50),
        options(),
    )
    .unwrap();
    assert_eq!(reader.resolution(), Some(50));
    assert!(source.requests.load(Ordering::Relaxed) <= 2);
}

/// A sparse member of 22.4 Mb: more tiles than a writer holds index entries for in memory
/// (65,536) at 10 and 20 bp: one cell per diagonal tile and one off the diagonal every 13th.
fn write_sparse_member(path: &Path, resolution: u64, version: u32) -> Genome {
    let genome = Genome::fixed(&[("chrA".to_owned(), 22_400_000)], resolution)
        .unwrap()
        .with_assembly(Some("toy1".to_owned()));
    let n = genome.n_bins();
    let tiles = n / 16;
    let mut metadata = Metadata::default();
    metadata.writer = Some(WRITER.to_owned());
    let mut writer = Writer::builder(path, n, n)
        .version(version)
        .tile_size(16)
        .symmetric(true)
        .codec("lz4")
        .packed_index(true)
        .genome(genome.clone())
        .metadata(metadata)
        .registry(registry())
        .create()
        .unwrap();
    for k in 0..tiles {
        let row = 16 * k;
        writer.push(row, row + 1, 1 + (k % 5) as u32).unwrap();
        if k % 13 == 0 && k + 2 < tiles {
            writer.push(row, row + 40, 7u32).unwrap();
        }
    }
    writer.finish().unwrap();
    genome
}

#[test]
fn members_with_more_tiles_than_memory_holds_are_streamed_through_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    // v4 sorts its entries at `finish` (anti-diagonal order); v3 streams them from its spill.
    let fine = dir.path().join("fine.gzcm");
    let coarse = dir.path().join("coarse.gzcm");
    write_sparse_member(&fine, 10, 4);
    write_sparse_member(&coarse, 20, 3);
    let out = dir.path().join("both.gzcm");
    let mut writer = CollectionWriter::create(&out, false).unwrap();
    writer.add(10, &fine).unwrap();
    writer.add(20, &coarse).unwrap();
    writer.finish().unwrap();
    let collection = Collection::open_with(&out, options()).unwrap();
    for (resolution, single) in [(10, &fine), (20, &coarse)] {
        let single = Reader::open_with(single, options()).unwrap();
        let member = collection.reader(resolution).unwrap();
        let expected: Vec<_> =
            single.stored_tiles().map(|e| (e.tile_row, e.tile_col, e.record.unwrap().nnz)).collect();
        let found: Vec<_> =
            member.stored_tiles().map(|e| (e.tile_row, e.tile_col, e.record.unwrap().nnz)).collect();
        assert!(expected.len() > 75_000, "{} tiles", expected.len());
        assert_eq!(found, expected, "resolution {resolution}");
        for entry in single.stored_tiles().step_by(97) {
            let (i, j) = (entry.tile_row, entry.tile_col);
            assert_eq!(
                member.tile(i, j).unwrap(),
                single.tile(i, j).unwrap(),
                "tile ({i}, {j}) at {resolution}"
            );
        }
        assert!(member.verify().is_ok());
    }
    // Nothing of the writers' spills is left next to the output.
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_payload_changed_between_add_and_finish_is_refused_not_copied() {
    let dir = tempfile::tempdir().unwrap();
    let members = members(dir.path(), &TOY, false);
    let (_, fine, _) = members.iter().find(|(r, _, _)| *r == 10).unwrap();
    let offset = {
        let reader = Reader::open_with(fine, options()).unwrap();
        reader.stored_tiles().find_map(|e| e.record).unwrap().offset
    };
    let out = dir.path().join("both.gzcm");
    let mut writer = CollectionWriter::create(&out, false).unwrap();
    for (resolution, file, _) in &members {
        writer.add(*resolution, file).unwrap();
    }
    let mut bytes = std::fs::read(fine).unwrap();
    bytes[usize::try_from(offset).unwrap()] ^= 0x01;
    std::fs::write(fine, &bytes).unwrap();
    let err = writer.finish().unwrap_err();
    assert!(matches!(err, ContainerError::CrcMismatch { .. }), "{err}");
    assert!(!out.exists());
}
