//! The shared Juicer `.hic` files (hictk-written, version 9): every resolution opens and holds
//! exactly the matrix of the shared COO text (base resolution) or of its coarsening (coarser
//! ones); the `.mcool` of the same data agrees cell for cell; damaged copies give typed errors.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use gzcm_genome::Bins;
use gzcm_hic::{CountType, HicError, OpenOptions, WeightSelection, open};

/// The shared `.hic` files, their base resolution and coarser ones.
const DATASETS: [(&str, [u64; 3]); 2] = [
    ("yeast_10kb", [10_000, 20_000, 40_000]),
    ("gm12878_rao2014_2500kb", [2_500_000, 5_000_000, 10_000_000]),
];

type Cells = BTreeMap<(u64, u64), f64>;

/// The shared directory holding every file of [`DATASETS`] these tests read, or `None` (with
/// the reason printed); a failure instead under `GZCM_REQUIRE_TEST_DATA=1`.
fn data_dir() -> Option<PathBuf> {
    let files: Vec<String> = DATASETS
        .iter()
        .flat_map(|(name, _)| ["hic", "mcool", "coo.tsv.gz", "bins.tsv"].map(|ext| format!("{name}.{ext}")))
        .collect();
    gzcm_test_support::data_dir_with(&files.iter().map(String::as_str).collect::<Vec<_>>())
}

fn at(resolution: u64) -> OpenOptions {
    OpenOptions { resolution: Some(resolution), ..OpenOptions::default() }
}

fn read_cells(spec: &str, options: &OpenOptions) -> Cells {
    let mut source = open(spec, options).unwrap_or_else(|e| panic!("{spec}: {e}"));
    let n_bins = source.genome().n_bins();
    let mut cells = Cells::new();
    for pixel in source.pixels().expect("pixels") {
        let pixel = pixel.expect("pixel");
        assert!(pixel.bin1 <= pixel.bin2 && pixel.bin2 < n_bins, "{pixel:?} of {n_bins} bins");
        assert!(cells.insert((pixel.bin1, pixel.bin2), pixel.count).is_none(), "{pixel:?} twice");
    }
    cells
}

/// The shared COO text of `name` (upper triangle), through gzcm-io.
fn coo_cells(dir: &Path, name: &str) -> Cells {
    let path = dir.join(format!("{name}.coo.tsv.gz"));
    let options = gzcm_io::OpenOptions { symmetric: Some(true), ..gzcm_io::OpenOptions::default() };
    let source = gzcm_io::MatrixSource::open(path.to_str().expect("utf-8 path"), options).expect("COO opens");
    let mut cells = Cells::new();
    for triple in source.triples::<u32>().expect("triples") {
        let triple = triple.expect("triple");
        cells.insert((u64::from(triple.row), u64::from(triple.col)), f64::from(triple.value));
    }
    cells
}

/// `(chrom, start, end)` of every bin of the shared `.bins.tsv`.
fn bins_tsv(dir: &Path, name: &str) -> Vec<(String, u64, u64)> {
    let file = std::fs::File::open(dir.join(format!("{name}.bins.tsv"))).expect("bins.tsv");
    BufReader::new(file)
        .lines()
        .map(|line| {
            let line = line.expect("line");
            let mut fields = line.split('\t');
            let mut next = || fields.next().expect("three fields").to_owned();
            let (chrom, start, end) = (next(), next(), next());
            (chrom, start.parse().expect("start"), end.parse().expect("end"))
        })
        .collect()
}

/// The base matrix summed into bins `factor` times larger, chromosome by chromosome.
fn coarsen(base: &Cells, base_offsets: &[u64], coarse_offsets: &[u64], factor: u64) -> Cells {
    let coarse_bin = |bin: u64| {
        let chrom = base_offsets.partition_point(|&o| o <= bin) - 1;
        coarse_offsets[chrom] + (bin - base_offsets[chrom]) / factor
    };
    let mut cells = Cells::new();
    for (&(a, b), &v) in base {
        let (a, b) = (coarse_bin(a), coarse_bin(b));
        *cells.entry((a.min(b), a.max(b))).or_default() += v;
    }
    cells
}

#[test]
fn base_resolution_equals_the_shared_coo_and_bins() {
    let Some(dir) = data_dir() else { return };
    for (name, resolutions) in DATASETS {
        let spec = dir.join(format!("{name}.hic"));
        let spec = spec.to_str().expect("utf-8 path");
        let source = open(spec, &at(resolutions[0])).expect("opens");
        let genome = source.genome().clone();
        assert_eq!(genome.bins(), &Bins::Fixed { bin_size: resolutions[0] });
        assert_eq!(source.count_type(), CountType::Int, "{name}: raw counts");
        assert!(source.symmetric() && !source.rows_sorted());
        assert!(source.genome().weights().is_empty(), "{name}: the shared .hic files hold no vectors");
        assert!(genome.chroms().iter().all(|c| c.name != "All"), "{name}: `All` left out");

        // Chromosomes and bins agree with cooler's bin table (ceil(length / resolution) each).
        let bins = bins_tsv(&dir, name);
        assert_eq!(genome.n_bins(), bins.len() as u64, "{name}");
        for (i, chrom) in genome.chroms().iter().enumerate() {
            let range = genome.chroms()[i].bins();
            let first = &bins[range.start as usize];
            let last = &bins[range.end as usize - 1];
            assert_eq!((first.0.as_str(), first.1), (chrom.name.as_str(), 0), "{name}");
            assert_eq!((last.0.as_str(), last.2), (chrom.name.as_str(), chrom.length), "{name}");
        }

        let cells = read_cells(spec, &at(resolutions[0]));
        assert_eq!(source.pixel_count_hint(), Some(cells.len() as u64));
        let coo = coo_cells(&dir, name);
        assert_eq!(cells.len(), coo.len(), "{name}: pixel count");
        assert!(cells == coo, "{name}: the .hic and the COO text differ");
    }
}

#[test]
fn coarser_resolutions_are_the_base_matrix_summed() {
    let Some(dir) = data_dir() else { return };
    for (name, resolutions) in DATASETS {
        let spec = dir.join(format!("{name}.hic"));
        let spec = spec.to_str().expect("utf-8 path");
        let base_offsets = open(spec, &at(resolutions[0])).expect("opens").genome().chrom_offsets().clone();
        let base = coo_cells(&dir, name);
        for &resolution in &resolutions[1..] {
            let source = open(spec, &at(resolution)).expect("opens");
            let genome = source.genome();
            assert_eq!(genome.resolution(), Some(resolution));
            let expected =
                coarsen(&base, &base_offsets, &genome.chrom_offsets(), resolution / resolutions[0]);
            let cells = read_cells(spec, &at(resolution));
            assert_eq!(cells.len(), expected.len(), "{name} at {resolution}");
            assert!(cells == expected, "{name} at {resolution}: not the coarsened base matrix");
        }
    }
}

#[test]
fn one_chromosome_is_its_block_of_the_genome_matrix() {
    let Some(dir) = data_dir() else { return };
    let spec = dir.join("yeast_10kb.hic");
    let spec = spec.to_str().expect("utf-8 path");
    let whole = open(spec, &at(10_000)).expect("opens");
    let genome = whole.genome().clone();
    let all = read_cells(spec, &at(10_000));
    for name in ["chrI", "chrXII", "chr2-micron"] {
        let index = genome.chroms().iter().position(|c| c.name == name).expect("chromosome");
        let range = genome.chroms()[index].bins();
        let options = OpenOptions { chrom: Some(name.to_owned()), ..at(10_000) };
        let source = open(spec, &options).expect("opens one chromosome");
        let chrom = &genome.chroms()[index];
        assert_eq!(
            source.genome().chroms(),
            [gzcm_genome::Chrom::new(&chrom.name, chrom.length, 0, chrom.n_bins())]
        );
        assert!(source.describe().ends_with(&format!("({name} at 10000 bp)")), "{}", source.describe());
        assert_eq!(source.genome().n_bins(), range.end - range.start);
        let expected: Cells = all
            .iter()
            .filter(|((a, b), _)| range.contains(a) && range.contains(b))
            .map(|(&(a, b), &v)| ((a - range.start, b - range.start), v))
            .collect();
        assert!(!expected.is_empty());
        assert!(read_cells(spec, &options) == expected, "{name}");
    }
}

#[test]
fn resolution_chromosome_and_weights_errors_list_what_the_file_has() {
    let Some(dir) = data_dir() else { return };
    let spec = dir.join("yeast_10kb.hic");
    let spec = spec.to_str().expect("utf-8 path");
    let needs = open(spec, &OpenOptions::default()).err().expect("several resolutions");
    assert!(
        matches!(&needs, HicError::Resolution { requested: None, available, .. } if available == &[10_000, 20_000, 40_000]),
        "{needs}"
    );
    let absent = open(spec, &at(15_000)).err().expect("no such resolution");
    assert!(matches!(absent, HicError::Resolution { requested: Some(15_000), .. }), "{absent}");
    assert!(absent.to_string().contains("10000, 20000, 40000"), "{absent}");

    let options = OpenOptions { chrom: Some("chr99".into()), ..at(10_000) };
    let chrom = open(spec, &options).err().expect("no such chromosome");
    assert!(
        matches!(&chrom, HicError::UnknownChrom { available, .. } if available.len() == 18 && available[0] == "chrMito"),
        "{chrom}"
    );
    let options = OpenOptions { weights: WeightSelection::Named(vec!["KR".into()]), ..at(10_000) };
    let weights = open(spec, &options).err().expect("no KR vector");
    assert!(matches!(weights, HicError::UnknownWeights { ref name, .. } if name == "KR"), "{weights}");
}

/// Compares the `.hic` and `.mcool` of each dataset at each resolution: the same chromosomes,
/// bins and cells.
#[test]
fn hic_and_mcool_agree_cell_for_cell() {
    let Some(dir) = data_dir() else { return };
    for (name, resolutions) in DATASETS {
        for resolution in resolutions {
            let hic = dir.join(format!("{name}.hic"));
            let mcool = format!("{}::/resolutions/{resolution}", dir.join(format!("{name}.mcool")).display());
            let source = open(&mcool, &OpenOptions::default()).unwrap_or_else(|e| panic!("{mcool}: {e}"));
            let hic_source = open(hic.to_str().expect("utf-8"), &at(resolution)).expect("opens");
            let (a, b) = (hic_source.genome(), source.genome());
            assert_eq!(a.chroms(), b.chroms(), "{name} at {resolution}: chromosomes");
            assert_eq!(a.chrom_offsets(), b.chrom_offsets(), "{name} at {resolution}: bins");
            let from_hic = read_cells(hic.to_str().expect("utf-8"), &at(resolution));
            let from_mcool = read_cells(&mcool, &OpenOptions::default());
            assert!(from_hic == from_mcool, "{name} at {resolution}: .hic and .mcool differ");
        }
    }
}

/// Opens `path` at `resolution` and streams it to the end: the first error, if any.
fn read_all(path: &Path, resolution: u64) -> Result<u64, HicError> {
    let options = OpenOptions { resolution: Some(resolution), ..OpenOptions::default() };
    let mut source = open(path.to_str().expect("utf-8"), &options)?;
    let n_bins = source.genome().n_bins();
    let mut n = 0;
    for pixel in source.pixels()? {
        let pixel = pixel?;
        assert!(pixel.bin1 <= pixel.bin2 && pixel.bin2 < n_bins, "{pixel:?} of {n_bins} bins");
        n += 1;
    }
    Ok(n)
}

#[test]
fn truncated_files_give_typed_errors() {
    let Some(dir) = data_dir() else { return };
    let bytes = std::fs::read(dir.join("gm12878_rao2014_2500kb.hic")).expect("reads");
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("cut.hic");
    // Every prefix through the header, then prefixes spread over the whole file.
    let lengths = (4..600).chain((1..64).map(|k| bytes.len() * k / 64)).chain([bytes.len() - 1]);
    for len in lengths {
        std::fs::write(&path, &bytes[..len]).expect("writes");
        let result = read_all(&path, 2_500_000);
        assert!(
            matches!(result, Err(HicError::Juicer { .. } | HicError::Resolution { .. })),
            "prefix of {len} bytes: {result:?}"
        );
    }
}

#[test]
fn other_versions_are_refused_by_number() {
    let Some(dir) = data_dir() else { return };
    let mut bytes = std::fs::read(dir.join("yeast_10kb.hic")).expect("reads");
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("v.hic");
    for version in [7, 10, -1] {
        bytes[4..8].copy_from_slice(&i32::to_le_bytes(version));
        std::fs::write(&path, &bytes).expect("writes");
        let err = read_all(&path, 10_000).expect_err("refused");
        assert!(matches!(err, HicError::JuicerVersion { version: v, .. } if v == version), "{err}");
        assert!(err.to_string().contains(&format!("version {version}")), "{err}");
    }
}

/// Flips bytes all over a copy of the file: the header and the footer's indexes here, the
/// matrix records and blocks in [`flipped_body_bytes_never_panic`] (two tests, so that they run
/// side by side). Reading must end in a typed error or in pixels inside the matrix; a panic or
/// a runaway allocation fails the test.
#[test]
fn flipped_header_and_footer_bytes_never_panic() {
    // Header and footer flips are read at the coarsest resolution (quick).
    flipped_bytes_never_panic(|bytes, footer| {
        let header = (0..600).map(|p| (p, &[10_000_000][..]));
        let footer_bytes = (footer..bytes.len()).step_by(9).map(|p| (p, &[10_000_000][..]));
        header.chain(footer_bytes).collect()
    });
}

/// As [`flipped_header_and_footer_bytes_never_panic`], for flips in the body (matrix records and
/// blocks of any resolution), read at every resolution.
#[test]
fn flipped_body_bytes_never_panic() {
    flipped_bytes_never_panic(|_, footer| {
        (600..footer).step_by(footer / 100).map(|p| (p, &[2_500_000, 5_000_000, 10_000_000][..])).collect()
    });
}

/// Flips each byte `flips` lists (with the resolutions to read it at) in turn; at least one
/// read must fail and one must complete.
fn flipped_bytes_never_panic(flips: impl FnOnce(&[u8], usize) -> Vec<(usize, &'static [u64])>) {
    let Some(dir) = data_dir() else { return };
    let bytes = std::fs::read(dir.join("gm12878_rao2014_2500kb.hic")).expect("reads");
    let footer = usize::try_from(i64::from_le_bytes(bytes[8..16].try_into().expect("8 bytes")))
        .expect("footer position");
    let tmp = tempfile::NamedTempFile::new().expect("temp file");
    let mut file = tmp.reopen().expect("reopen");
    file.write_all(&bytes).expect("writes");
    let (mut errors, mut complete) = (0, 0);
    for (position, resolutions) in flips(&bytes, footer) {
        write_byte(&mut file, position, !bytes[position]);
        for &resolution in resolutions {
            // Opening reads (and checks) every block of the resolution once already.
            match open(tmp.path().to_str().expect("utf-8"), &at(resolution)) {
                Ok(_) => complete += 1,
                Err(HicError::Io { source, .. }) => panic!("byte {position}: I/O error {source}"),
                Err(_) => errors += 1,
            }
        }
        write_byte(&mut file, position, bytes[position]);
    }
    assert!(errors > 0 && complete > 0, "{errors} errors, {complete} complete reads");
}

fn write_byte(file: &mut std::fs::File, position: usize, value: u8) {
    file.seek(SeekFrom::Start(position as u64)).expect("seek");
    file.write_all(&[value]).expect("write");
    file.flush().expect("flush");
}

/// Row sums of one chromosome's matrix (both triangles), each pixel times `weight(i) · weight(j)`
/// (pixels with a NaN weight left out), and the bins whose weight is a number.
fn weighted_row_sums(source: &mut dyn gzcm_hic::HicSource, weight: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let mut rows = vec![0.0f64; weight.len()];
    for pixel in source.pixels().expect("pixels") {
        let pixel = pixel.expect("pixel");
        let (i, j) = (pixel.bin1 as usize, pixel.bin2 as usize);
        let value = pixel.count * weight[i] * weight[j];
        if value.is_nan() {
            continue;
        }
        rows[i] += value;
        if i != j {
            rows[j] += value;
        }
    }
    let kept = (0..weight.len()).filter(|&i| !weight[i].is_nan()).collect();
    (rows, kept)
}

/// The largest relative deviation of `sums` (at `kept`) from their mean.
fn spread(sums: &[f64], kept: &[usize]) -> f64 {
    let mean = kept.iter().map(|&i| sums[i]).sum::<f64>() / kept.len() as f64;
    kept.iter().map(|&i| (sums[i] - mean).abs() / mean).fold(0.0, f64::max)
}

/// A real Juicer Tools (1.22.01) version 8 file with KR, SCALE, VC and VC_SQRT vectors: straw's
/// test file (GitHub aidenlab/straw, MIT, `R/inst/extdata/test.hic`, 770,604 B, sha256
/// `0ca7413e…79c5f2`), in the shared data as `straw_test_v8_2500kb.hic`. Juicer's KR vector
/// balances each chromosome's matrix, so with gzcm's weights (`1 / n`) every unmasked row of
/// chromosome 1 sums to the same value — which only holds if the vectors were inverted (the raw
/// rows do not); VC is the coverage itself, so each raw row sum times its VC weight is the same,
/// and VC_SQRT squared is proportional to VC.
#[test]
fn juicer_v8_kr_weights_balance_rows() {
    let Some(path) = gzcm_test_support::data_path("straw_test_v8_2500kb.hic") else { return };
    let spec = path.to_str().expect("utf-8 path");
    let mut whole = open(spec, &OpenOptions::default()).expect("one resolution: no need to ask");
    let genome = whole.genome().clone();
    assert_eq!(genome.resolution(), Some(2_500_000));
    assert_eq!(genome.assembly(), Some("hg19"));
    // 1–22, X, Y, MT (the `ALL` pseudo-chromosome left out): ceil(length / 2.5 Mb) bins each.
    assert_eq!(genome.chroms().len(), 25);
    assert_eq!((genome.chroms()[0].name.as_str(), genome.chroms()[0].length), ("1", 249_250_621));
    assert_eq!((genome.chroms()[24].name.as_str(), genome.chroms()[24].length), ("MT", 16_569));
    assert_eq!(genome.n_bins(), 1254);
    let mut names: Vec<_> = whole.genome().weights().iter().map(|w| w.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["KR", "SCALE", "VC", "VC_SQRT"]);
    assert!(whole.genome().weights().iter().all(|w| w.values.len() == 1254), "one weight per bin");
    let hint = whole.pixel_count_hint();
    let mut streamed = 0u64;
    for pixel in whole.pixels().expect("pixels") {
        pixel.expect("pixel");
        streamed += 1;
    }
    assert_eq!(hint, Some(streamed), "the header's pixel count is what streams");

    let options = OpenOptions { chrom: Some("1".into()), ..OpenOptions::default() };
    let weight = |name: &str| {
        let source = open(spec, &options).expect("chromosome 1");
        source.genome().weights().iter().find(|w| w.name == name).expect(name).values.clone()
    };
    let mut chr1 = open(spec, &options).expect("chromosome 1");
    let n = usize::try_from(chr1.genome().n_bins()).expect("small");
    assert_eq!(n, 100, "ceil(249,250,621 / 2.5 Mb) bins");

    let (raw, kept) = weighted_row_sums(chr1.as_mut(), &vec![1.0; n]);
    let (kr, kr_kept) =
        weighted_row_sums(open(spec, &options).expect("chromosome 1").as_mut(), &weight("KR"));
    assert!(kr_kept.len() > n * 9 / 10, "{} of {n} bins unmasked", kr_kept.len());
    assert!(spread(&kr, &kr_kept) < 1e-3, "KR row sums vary: {kr:?}");
    assert!(spread(&raw, &kr_kept) > 0.1, "raw rows already balanced: the check above proves nothing");

    let vc = weight("VC");
    let coverage: Vec<f64> = (0..n).map(|i| raw[i] * vc[i]).collect();
    let vc_kept: Vec<usize> = kept.iter().copied().filter(|&i| vc[i].is_finite() && raw[i] > 0.0).collect();
    assert!(spread(&coverage, &vc_kept) < 1e-6, "row sum × VC weight varies: {coverage:?}");
    // VC_SQRT is the square root of the coverage; Juicer scales each vector on its own.
    let vc_sqrt = weight("VC_SQRT");
    let ratio: Vec<f64> = (0..n).map(|i| vc_sqrt[i] * vc_sqrt[i] / vc[i]).collect();
    assert!(spread(&ratio, &vc_kept) < 1e-6, "VC_SQRT² is not proportional to VC: {ratio:?}");
}
