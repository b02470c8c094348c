//! Small `.hic` files written here byte by byte from the format description (versions 8 and 9),
//! to cover what the shared files do not: version 8, normalisation vectors, dense blocks,
//! short and int positions, lower-triangle records, fragment zoom levels, the `All` matrix and
//! the expected-value sections that precede the normalisation vector index.

use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use gzcm_hic::{CountType, HicError, HicSource, OpenOptions, Pixel, WeightSelection, open};

/// How the version 9 file finds its normalisation vector index.
#[derive(Clone, Copy, PartialEq)]
enum Layout {
    V8,
    /// Through the header's position.
    V9Indexed,
    /// Position 0 in the header: after the expected-value sections.
    V9Sequential,
}

/// Little-endian writer of the format's types; `long`/`int` and `float`/`double` by version.
struct Out {
    bytes: Vec<u8>,
    v9: bool,
}

impl Out {
    fn i8(&mut self, v: u8) {
        self.bytes.push(v);
    }
    fn i16(&mut self, v: i16) {
        self.bytes.extend(v.to_le_bytes());
    }
    fn i32(&mut self, v: i32) {
        self.bytes.extend(v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.bytes.extend(v.to_le_bytes());
    }
    fn f32(&mut self, v: f32) {
        self.bytes.extend(v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.bytes.extend(s.as_bytes());
        self.bytes.push(0);
    }
    /// `long` in version 9, `int` in version 8.
    fn long_v9(&mut self, v: i64) {
        if self.v9 { self.i64(v) } else { self.i32(i32::try_from(v).expect("small")) }
    }
    /// `float` in version 9, `double` in version 8.
    fn float_v9(&mut self, v: f64) {
        if self.v9 { self.f32(v as f32) } else { self.bytes.extend(v.to_le_bytes()) }
    }
    fn pos(&self) -> i64 {
        self.bytes.len() as i64
    }
    fn patch_i64(&mut self, at: usize, v: i64) {
        self.bytes[at..at + 8].copy_from_slice(&v.to_le_bytes());
    }
    /// Patches a `long` in version 9, an `int` in version 8.
    fn patch_long_v9(&mut self, at: usize, v: i64) {
        if self.v9 {
            self.patch_i64(at, v);
        } else {
            let v = i32::try_from(v).expect("small");
            self.bytes[at..at + 4].copy_from_slice(&v.to_le_bytes());
        }
    }
}

/// A block's uncompressed bytes.
struct Block {
    x_offset: i32,
    y_offset: i32,
    float_values: bool,
    int_positions: bool,
    body: BlockBody,
}

enum BlockBody {
    /// `(row, [(column, value)])`.
    Rows(Vec<(i32, Vec<(i32, f32)>)>),
    /// Width and row-major values.
    Dense(i16, Vec<f32>),
}

impl Block {
    fn bytes(&self, v9: bool) -> Vec<u8> {
        let mut out = Out { bytes: Vec::new(), v9 };
        let n_records = match &self.body {
            BlockBody::Rows(rows) => rows.iter().map(|r| r.1.len()).sum::<usize>(),
            BlockBody::Dense(_, values) => values.len(),
        };
        out.i32(n_records as i32);
        out.i32(self.x_offset);
        out.i32(self.y_offset);
        out.i8(u8::from(self.float_values));
        if v9 {
            out.i8(u8::from(self.int_positions));
            out.i8(u8::from(self.int_positions));
        }
        let position = |out: &mut Out, v: i32| {
            if v9 && self.int_positions { out.i32(v) } else { out.i16(v as i16) }
        };
        let value = |out: &mut Out, v: f32| {
            if self.float_values { out.f32(v) } else { out.i16(if v.is_nan() { i16::MIN } else { v as i16 }) }
        };
        match &self.body {
            BlockBody::Rows(rows) => {
                out.i8(1);
                position(&mut out, rows.len() as i32);
                for (row, cells) in rows {
                    position(&mut out, *row);
                    position(&mut out, cells.len() as i32);
                    for &(column, v) in cells {
                        position(&mut out, column);
                        value(&mut out, v);
                    }
                }
            }
            BlockBody::Dense(width, values) => {
                out.i8(2);
                out.i32(values.len() as i32);
                out.i16(*width);
                for &v in values {
                    value(&mut out, v);
                }
            }
        }
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(&out.bytes).expect("compress");
        encoder.finish().expect("compress")
    }
}

/// Chromosomes `All`, `chrA` (95 bp: 10 bins of 10 bp) and `chrB` (40 bp: 4 bins).
fn write_file(layout: Layout, chr_a_block: Block) -> Vec<u8> {
    write_file_with(layout, chr_a_block, |_| {})
}

/// [`write_file`], with `edit` applied to chrA's 10 bp block index (position and size of each
/// block) before it is written.
fn write_file_with(layout: Layout, chr_a_block: Block, edit: impl FnOnce(&mut Vec<(i64, i32)>)) -> Vec<u8> {
    let v9 = layout != Layout::V8;
    let mut out = Out { bytes: Vec::new(), v9 };
    out.str("HIC");
    out.i32(if v9 { 9 } else { 8 });
    let footer_at = out.bytes.len();
    out.i64(0);
    out.str("synth1");
    let norm_index_at = out.bytes.len();
    if v9 {
        out.i64(0);
        out.i64(0);
    }
    out.i32(1);
    out.str("software");
    out.str("gzcm test");
    out.i32(3);
    for (name, length) in [("All", 13), ("chrA", 95), ("chrB", 40)] {
        out.str(name);
        out.long_v9(length);
    }
    out.i32(2); // base-pair resolutions 10 and 20
    out.i32(10);
    out.i32(20);
    out.i32(1); // one fragment resolution, with its sites
    out.i32(1);
    for n_sites in [0, 2, 1] {
        out.i32(n_sites);
        for site in 0..n_sites {
            out.i32(site * 7);
        }
    }

    // Blocks.
    let mut blocks = Vec::new();
    let add_block = |out: &mut Out, block: &Block| {
        let bytes = block.bytes(v9);
        let at = (out.pos(), bytes.len() as i32);
        out.bytes.extend(bytes);
        at
    };
    // chrA × chrA: a lower-triangle list of rows (row ≥ column) with short values …
    let intra_rows = Block {
        x_offset: 0,
        y_offset: 0,
        float_values: false,
        int_positions: false,
        body: BlockBody::Rows(vec![(0, vec![(0, 5.0)]), (3, vec![(1, 2.0)]), (9, vec![(2, 7.0)])]),
    };
    blocks.push(add_block(&mut out, &intra_rows));
    // … and the block under test (dense by default).
    blocks.push(add_block(&mut out, &chr_a_block));
    edit(&mut blocks);
    // chrA × chrB: x on chrA, y on chrB, float values, int positions in version 9.
    let inter = Block {
        x_offset: 0,
        y_offset: 0,
        float_values: true,
        int_positions: true,
        body: BlockBody::Rows(vec![(3, vec![(9, 4.0)]), (0, vec![(0, 1.0), (5, f32::NAN)])]),
    };
    let inter_at = add_block(&mut out, &inter);
    // A block that must never be read: fragment level, 20 bp level and the `All` matrix use it.
    let decoy = Block {
        x_offset: 0,
        y_offset: 0,
        float_values: false,
        int_positions: false,
        body: BlockBody::Rows(vec![(0, vec![(0, 999.0)])]),
    };
    let decoy_at = add_block(&mut out, &decoy);

    // Matrix records.
    let level = |out: &mut Out, unit: &str, bin_size: i32, blocks: &[(i64, i32)]| {
        out.str(unit);
        out.i32(0);
        out.f32(0.0);
        out.i32(0);
        out.f32(0.0);
        out.f32(0.0);
        out.i32(bin_size);
        out.i32(16);
        out.i32(1);
        out.i32(blocks.len() as i32);
        for (number, &(position, size)) in blocks.iter().enumerate() {
            out.i32(number as i32);
            out.i64(position);
            out.i32(size);
        }
    };
    let record_all = out.pos();
    out.i32(0);
    out.i32(0);
    out.i32(1);
    level(&mut out, "BP", 10, &[decoy_at]);
    let record_aa = out.pos();
    out.i32(1);
    out.i32(1);
    out.i32(3);
    level(&mut out, "FRAG", 10, &[decoy_at]);
    level(&mut out, "BP", 10, &blocks);
    level(&mut out, "BP", 20, &[decoy_at]);
    let record_ab = out.pos();
    out.i32(1);
    out.i32(2);
    out.i32(2);
    level(&mut out, "BP", 10, &[inter_at]);
    // Juicer writes every resolution for every pair it lists; this one has no blocks there.
    level(&mut out, "BP", 20, &[]);

    // Footer.
    let footer = out.pos();
    out.patch_i64(footer_at, footer);
    // The footer size (`nBytesV5`): the master index and the expected values, patched below.
    let footer_size_at = out.bytes.len();
    out.long_v9(0);
    out.i32(3);
    for (key, position) in [("0_0", record_all), ("1_1", record_aa), ("1_2", record_ab)] {
        out.str(key);
        out.i64(position);
        out.i32(0);
    }
    // Expected values, then normalised expected values.
    out.i32(1);
    out.str("BP");
    out.i32(10);
    out.long_v9(3);
    for v in [3.0, 2.0, 1.0] {
        out.float_v9(v);
    }
    out.i32(1);
    out.i32(1);
    out.float_v9(1.0);
    let size_field_end = footer_size_at + if v9 { 8 } else { 4 };
    out.patch_long_v9(footer_size_at, out.bytes.len() as i64 - size_field_end as i64);
    out.i32(1);
    out.str("KR");
    out.str("BP");
    out.i32(10);
    out.long_v9(2);
    out.float_v9(1.0);
    out.float_v9(0.5);
    out.i32(0);
    // The normalisation vector index, then the vectors.
    let index = out.pos();
    if layout == Layout::V9Indexed {
        out.patch_i64(norm_index_at, index);
    }
    let vectors: [(&str, i32, i32, Vec<f64>); 4] = [
        ("KR", 1, 10, vec![1.0, 2.0, 0.0, f64::NAN, 4.0, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0]),
        ("KR", 2, 10, vec![2.0; 4]),
        ("VC", 1, 10, vec![2.0; 10]),
        ("SCALE", 1, 20, vec![1.0; 5]),
    ];
    out.i32(vectors.len() as i32);
    let mut entry_positions = Vec::new();
    for (kind, chrom, bin_size, values) in &vectors {
        out.str(kind);
        out.i32(*chrom);
        out.str("BP");
        out.i32(*bin_size);
        entry_positions.push(out.bytes.len());
        out.i64(0);
        out.long_v9(4 + values.len() as i64 * 8);
    }
    for ((_, _, _, values), at) in vectors.iter().zip(entry_positions) {
        let position = out.pos();
        out.patch_i64(at, position);
        out.long_v9(values.len() as i64);
        for &v in values {
            out.float_v9(v);
        }
    }
    out.bytes
}

/// The dense chrA block: offsets (4, 4), width 3; zeros and "no value" cells are not pixels.
fn dense_block(float_values: bool) -> Block {
    let empty = f32::NAN;
    Block {
        x_offset: 4,
        y_offset: 4,
        float_values,
        int_positions: false,
        body: BlockBody::Dense(3, vec![6.0, 0.0, empty, 0.0, 2.0, 0.0, 0.0, 3.0, 0.0]),
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("writes");
    path.to_str().expect("utf-8").to_owned()
}

fn at_10(weights: WeightSelection) -> OpenOptions {
    OpenOptions { resolution: Some(10), weights, ..OpenOptions::default() }
}

fn pixels(source: &mut dyn HicSource) -> Vec<(u64, u64, f64)> {
    let mut all: Vec<_> = source
        .pixels()
        .expect("pixels")
        .map(|p| p.map(|Pixel { bin1, bin2, count }| (bin1, bin2, count)))
        .collect::<Result<_, _>>()
        .expect("pixel");
    all.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    all
}

/// chrA has 10 bins (0–9), chrB 4 (10–13).
const EXPECTED: [(u64, u64, f64); 8] = [
    (0, 0, 5.0),
    (0, 10, 1.0),
    (1, 3, 2.0),
    (2, 9, 7.0),
    (4, 4, 6.0),
    (5, 5, 2.0),
    (5, 6, 3.0),
    (9, 13, 4.0),
];

fn same_weights(actual: &[f64], expected: &[f64]) -> bool {
    actual.len() == expected.len()
        && actual.iter().zip(expected).all(|(a, e)| (a.is_nan() && e.is_nan()) || a == e)
}

#[test]
fn versions_8_and_9_read_the_same_matrix_and_weights() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (layout, name) in
        [(Layout::V8, "v8.hic"), (Layout::V9Indexed, "v9.hic"), (Layout::V9Sequential, "v9seq.hic")]
    {
        for float_dense in [false, true] {
            let path = write(tmp.path(), name, &write_file(layout, dense_block(float_dense)));
            let mut source = open(&path, &at_10(WeightSelection::All)).expect("opens");
            let genome = source.genome().clone();
            assert_eq!(genome.assembly(), Some("synth1"));
            let names: Vec<_> = genome.chroms().iter().map(|c| c.name.as_str()).collect();
            assert_eq!(names, ["chrA", "chrB"], "{name}");
            assert_eq!(genome.chrom_offsets(), [0, 10, 14], "{name}");
            assert_eq!(pixels(source.as_mut()), EXPECTED, "{name}, float dense {float_dense}");
            assert_eq!(source.pixel_count_hint(), Some(EXPECTED.len() as u64));
            assert_eq!(source.count_type(), CountType::Int, "{name}");

            // Juicer divides by its vectors; gzcm multiplies by 1/n, NaN where n is 0 or NaN,
            // and masks chromosomes a vector type is missing for.
            let names: Vec<_> = source.genome().weights().iter().map(|w| w.name.as_str()).collect();
            assert_eq!(names, ["KR", "VC"], "{name}: vectors at 10 bp, in file order");
            let nan = f64::NAN;
            let kr = [1.0, 0.5, nan, nan, 0.25, 2.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5];
            assert!(
                same_weights(&source.genome().weights()[0].values, &kr),
                "{name}: {:?}",
                source.genome().weights()[0]
            );
            let vc = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, nan, nan, nan, nan];
            assert!(
                same_weights(&source.genome().weights()[1].values, &vc),
                "{name}: {:?}",
                source.genome().weights()[1]
            );
        }
    }
}

#[test]
fn one_chromosome_weights_and_selection() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = write(tmp.path(), "x.hic", &write_file(Layout::V8, dense_block(false)));
    let options =
        OpenOptions { chrom: Some("chrB".into()), ..at_10(WeightSelection::Named(vec!["KR".into()])) };
    let mut source = open(&path, &options).expect("opens");
    assert_eq!(source.genome().chrom_offsets(), [0, 4]);
    assert!(pixels(source.as_mut()).is_empty(), "chrB has no intra-chromosomal contacts");
    assert_eq!(source.genome().weights().len(), 1);
    assert_eq!(source.genome().weights()[0].values, [0.5; 4]);

    let options = OpenOptions { chrom: Some("chrA".into()), ..at_10(WeightSelection::None) };
    let mut source = open(&path, &options).expect("opens");
    assert!(source.genome().weights().is_empty());
    let intra: Vec<_> = EXPECTED.iter().copied().filter(|&(a, b, _)| a < 10 && b < 10).collect();
    assert_eq!(pixels(source.as_mut()), intra);

    let err = open(&path, &at_10(WeightSelection::Named(vec!["SCALE".into()]))).err().expect("not at 10 bp");
    assert!(
        matches!(&err, HicError::UnknownWeights { available, .. } if available == &["KR", "VC"]),
        "{err}"
    );
    let at_20 = OpenOptions { resolution: Some(20), ..OpenOptions::default() };
    let mut source = open(&path, &at_20).expect("opens at 20 bp");
    assert_eq!(source.genome().weights()[0].name, "SCALE");
    assert_eq!(source.genome().chrom_offsets(), [0, 5, 7]);
    assert_eq!(pixels(source.as_mut()), [(0, 0, 999.0)], "the 20 bp level has the decoy block");
}

#[test]
fn fractional_values_make_float_counts() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut block = dense_block(true);
    block.body = BlockBody::Dense(3, vec![6.5]);
    let path = write(tmp.path(), "f.hic", &write_file(Layout::V9Indexed, block));
    let mut source = open(&path, &at_10(WeightSelection::None)).expect("opens");
    assert_eq!(source.count_type(), CountType::Float);
    assert!(pixels(source.as_mut()).contains(&(4, 4, 6.5)));
}

#[test]
fn cells_outside_the_chromosomes_are_errors() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for layout in [Layout::V8, Layout::V9Indexed] {
        let mut block = dense_block(false);
        block.body = BlockBody::Rows(vec![(10, vec![(0, 1.0)])]); // row 10 of a 10-bin chrA
        let path = write(tmp.path(), "bad.hic", &write_file(layout, block));
        let err = open(&path, &at_10(WeightSelection::None)).err().expect("refused");
        assert!(matches!(err, HicError::Juicer { .. }), "{err}");
        assert!(err.to_string().contains("outside"), "{err}");
    }
}

#[test]
fn every_prefix_and_every_flipped_byte_is_handled() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for layout in [Layout::V8, Layout::V9Indexed, Layout::V9Sequential] {
        let bytes = write_file(layout, dense_block(true));
        // A prefix either fails with a typed error or, when it only loses bytes this read
        // never needs (the tail of an unused vector), reads exactly what the whole file holds.
        let full = summary(&write(tmp.path(), "full.hic", &bytes)).expect("whole file reads");
        let mut cut_errors = 0;
        for len in 0..bytes.len() {
            match summary(&write(tmp.path(), "cut.hic", &bytes[..len])) {
                Ok(read) => assert_eq!(read, full, "prefix of {len}"),
                Err(HicError::Juicer { .. } | HicError::UnknownFormat { .. }) => cut_errors += 1,
                Err(e) => panic!("prefix of {len}: {e}"),
            }
        }
        assert!(cut_errors > bytes.len() * 9 / 10, "{cut_errors} of {} prefixes refused", bytes.len());
        let (mut errors, mut complete) = (0, 0);
        for position in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[position] ^= 0xff;
            let path = write(tmp.path(), "flip.hic", &flipped);
            let read = open(&path, &at_10(WeightSelection::All)).and_then(|mut source| {
                let n_bins = source.genome().n_bins();
                for pixel in source.pixels()? {
                    let pixel = pixel?;
                    assert!(pixel.bin1 <= pixel.bin2 && pixel.bin2 < n_bins);
                }
                Ok(())
            });
            match read {
                Ok(()) => complete += 1,
                Err(HicError::Io { source, .. }) => panic!("byte {position}: {source}"),
                Err(_) => errors += 1,
            }
        }
        assert!(errors > bytes.len() / 4 && complete > 0, "{errors} errors, {complete} complete");
    }
}

/// Pixels and weights (as bits, so NaN compares).
type Summary = (Vec<(u64, u64, f64)>, Vec<Vec<u64>>);

/// The [`Summary`] of a file at 10 bp with every vector.
fn summary(path: &str) -> Result<Summary, HicError> {
    let mut source = open(path, &at_10(WeightSelection::All))?;
    let weights =
        source.genome().weights().iter().map(|w| w.values.iter().map(|v| v.to_bits()).collect()).collect();
    let mut all = Vec::new();
    for pixel in source.pixels()? {
        let pixel = pixel?;
        all.push((pixel.bin1, pixel.bin2, pixel.count));
    }
    Ok((all, weights))
}

/// The committed `.hic` fuzz seeds (`fuzz/seeds/hic_file`, for `scripts/fuzz`) are exactly these
/// synthetic files, so each seed is small, valid and reproducible. Re-bless with `GZCM_BLESS=1`
/// after changing the writer above.
#[test]
fn fuzz_seeds_are_the_synthetic_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/hic_file");
    let seeds = [
        ("v8-int.hic", Layout::V8, false),
        ("v9-float.hic", Layout::V9Indexed, true),
        ("v9-sequential.hic", Layout::V9Sequential, false),
    ];
    for (name, layout, float_dense) in seeds {
        let bytes = write_file(layout, dense_block(float_dense));
        let path = dir.join(name);
        if std::env::var_os("GZCM_BLESS").is_some() {
            std::fs::create_dir_all(&dir).expect("seed dir");
            std::fs::write(&path, &bytes).expect("writes seed");
        }
        let committed = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(committed == bytes, "{name} differs from the writer; re-bless with GZCM_BLESS=1");
        assert!(bytes.len() < 64 * 1024, "{name}: seeds stay small");
    }
}

/// Item 2 of issue 22: a block index that lists one block twice (each entry would inflate it
/// again, and its pixels would count twice) or blocks that overlap is refused.
#[test]
fn repeated_or_overlapping_blocks_are_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repeated = write_file_with(Layout::V9Indexed, dense_block(false), |blocks| blocks[1] = blocks[0]);
    let overlapping =
        write_file_with(Layout::V9Indexed, dense_block(false), |blocks| blocks[1].0 = blocks[0].0 + 1);
    for (name, bytes) in [("repeated.hic", repeated), ("overlapping.hic", overlapping)] {
        let path = write(tmp.path(), name, &bytes);
        let err = open(&path, &at_10(WeightSelection::None)).err().expect("refused");
        assert!(
            matches!(&err, HicError::Juicer { detail, .. } if detail.contains("overlapping blocks")),
            "{name}: {err}"
        );
    }
}

/// Item 1 of issue 22: chrB's header length edited to 20 million bins, with no VC vector for
/// chrB: the masked (NaN) fill is sized only after the length is checked against the file's VC
/// vectors, so this is an error, not 160 MB of NaN, inside a 384 MiB address space.
#[test]
fn a_masked_chromosome_is_checked_against_the_file_before_its_fill() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fixture = tmp.path().join("long-chrb.hic");
    let mut bytes = write_file(Layout::V9Indexed, dense_block(false));
    let name_at = bytes.windows(5).position(|w| w == b"chrB\0").expect("chrB in the header");
    bytes[name_at + 5..name_at + 13].copy_from_slice(&(10i64 * 20_000_000).to_le_bytes());
    std::fs::write(&fixture, &bytes).expect("writes");
    let test = "juicer_synthetic::a_masked_chromosome_is_checked_against_the_file_before_its_fill";
    let Some(fixture) = gzcm_test_support::memory_limited(test, 384, &fixture) else { return };
    let options = at_10(WeightSelection::Named(vec!["VC".into()]));
    let err = open(fixture.to_str().expect("utf-8"), &options).err().expect("refused");
    assert!(matches!(&err, HicError::Juicer { detail, .. } if detail.contains("has no VC vector")), "{err}");
}
