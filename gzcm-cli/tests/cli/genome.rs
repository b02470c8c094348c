//! End-to-end runs of `gzcm` on files with genomic coordinates: COO with `--bins`, and (once the
//! readers are built) the shared `.cool`, `.mcool` and `.hic` files.

use std::path::{Path, PathBuf};

use crate::common::{fails, gzcm, ok};

/// Three chromosomes (2, 3 and 1 bins of 10 bp; the last bins shorter), a `weight` column with
/// a NaN, and a symmetric count matrix over all six bins.
fn small_genome(d: &Path) {
    let bins = "chrom\tstart\tend\tweight\n\
                a\t0\t10\t0.5\na\t10\t15\t2\n\
                b\t0\t10\t1\nb\t10\t20\tnan\nb\t20\t28\t0.25\n\
                c\t0\t4\t4\n";
    std::fs::write(d.join("m.bins.tsv"), bins).unwrap();
    let mut coo = String::new();
    for i in 0..6u32 {
        for j in i..6 {
            if (i + j) % 3 != 1 {
                coo.push_str(&format!("{i}\t{j}\t{}\n", 1 + i * 10 + j));
            }
        }
    }
    std::fs::write(d.join("m.tsv"), coo).unwrap();
    ok(d, &["convert", "m.tsv", "--bins", "m.bins.tsv", "m.gzcm", "--tile-size", "16"]);
}

const WEIGHTS: [f64; 6] = [0.5, 2.0, 1.0, f64::NAN, 0.25, 4.0];

fn count(i: u64, j: u64) -> Option<u64> {
    let (i, j) = (i.min(j), i.max(j));
    ((i + j) % 3 != 1).then_some(1 + i * 10 + j)
}

#[test]
fn bins_file_gives_coordinates_ranges_join_and_balance() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_genome(d);
    let info = ok(d, &["info", "m.gzcm"]);
    assert!(info.contains("chroms    3: a (15 bp), b (28 bp), c (4 bp)"), "{info}");
    assert!(info.contains("weights   weight (5 of 6 non-NaN)"), "{info}");
    let json: serde_json::Value = serde_json::from_str(&ok(d, &["info", "m.gzcm", "--json"])).unwrap();
    assert_eq!(json["genome_summary"]["n_bins"], 6);
    assert_eq!(json["metadata"]["chroms"][1]["bin_start"], 2);

    // --range equals slicing by the bin offsets; a bin is in when it overlaps the range.
    let by_range = ok(d, &["extract", "m.gzcm", "--range", "b:5-11", "--range2", "a", "--full"]);
    assert!(!by_range.is_empty());
    assert_eq!(by_range, ok(d, &["extract", "m.gzcm", "--rows", "2:4", "--cols", "0:2", "--full"]));
    let upper = ok(d, &["extract", "m.gzcm", "--range", "a:12-13", "--range2", "b:27-28"]);
    assert_eq!(upper, format!("1\t4\t{}\n", count(1, 4).unwrap()));
    assert_eq!(
        ok(d, &["extract", "m.gzcm", "--range", "b"]),
        ok(d, &["extract", "m.gzcm", "--rows", "2:5", "--cols", "2:5"])
    );
    assert_eq!(
        ok(d, &["extract", "m.gzcm", "--range", "b:1,0-2,0"]),
        ok(d, &["extract", "m.gzcm", "--rows", "3:4", "--cols", "3:4"])
    );

    // --join names chromosomes and positions.
    let joined = ok(d, &["extract", "m.gzcm", "--range", "a", "--range2", "c", "--join"]);
    assert_eq!(
        joined,
        format!(
            "a\t0\t10\tc\t0\t4\t{}\na\t10\t15\tc\t0\t4\t{}\n",
            count(0, 5).unwrap(),
            count(1, 5).unwrap()
        )
    );

    // Balanced .tsv: count · w_i · w_j; cells with a NaN weight are left out.
    let balanced = ok(d, &["extract", "m.gzcm", "--rows", "0:6", "--cols", "0:6", "--balance"]);
    let mut expected = String::new();
    for i in 0..6u64 {
        for j in i..6 {
            let value = count(i, j).map(|c| c as f64 * WEIGHTS[i as usize] * WEIGHTS[j as usize]);
            if let Some(v) = value.filter(|v| !v.is_nan()) {
                expected.push_str(&format!("{i}\t{j}\t{v}\n"));
            }
        }
    }
    assert_eq!(balanced, expected);
    let window: String = balanced
        .lines()
        .filter(|l| l.starts_with("0\t5\t") || l.starts_with("1\t5\t"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(ok(d, &["extract", "m.gzcm", "--range", "a", "--range2", "c", "--balance=weight"]), window);

    // Balanced .npy: float64, NaN across masked rows and columns, zeros elsewhere balanced to 0.
    ok(d, &["extract", "m.gzcm", "--range", "b", "--balance", "-o", "b.npy"]);
    let bytes = std::fs::read(d.join("b.npy")).unwrap();
    let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let header = String::from_utf8_lossy(&bytes[10..10 + header_len]);
    assert!(header.contains("'descr': '<f8'") && header.contains("'shape': (3, 3)"), "{header}");
    let values: Vec<f64> =
        bytes[10 + header_len..].chunks_exact(8).map(|b| f64::from_le_bytes(b.try_into().unwrap())).collect();
    assert_eq!(values.len(), 9);
    for (k, value) in values.iter().enumerate() {
        let (i, j) = (2 + k as u64 / 3, 2 + k as u64 % 3);
        let want = count(i, j).unwrap_or(0) as f64 * WEIGHTS[i as usize] * WEIGHTS[j as usize];
        assert!(
            value.to_bits() == want.to_bits() || (value.is_nan() && want.is_nan()),
            "({i}, {j}): {value} vs {want}"
        );
    }
}

#[test]
fn genomic_options_explain_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_genome(d);
    let err = fails(d, &["extract", "m.gzcm", "--range", "chr9:1-5"], 1);
    assert!(err.contains("no chromosome `chr9`; the file's chromosomes are a, b, c"), "{err}");
    let err = fails(d, &["extract", "m.gzcm", "--range", "b:20-30"], 1);
    assert!(err.contains("is not inside b (0-28)"), "{err}");
    let err = fails(d, &["extract", "m.gzcm", "--range", "a", "--balance=KR"], 1);
    assert!(err.contains("no weight vector `KR`; the file's vectors: weight"), "{err}");
    fails(d, &["extract", "m.gzcm", "--range", "a", "--rows", "0:1"], 2);
    let below = gzcm(d, &["extract", "m.gzcm", "--range", "c", "--range2", "a"]);
    assert!(below.status.success() && below.stdout.is_empty());
    assert!(String::from_utf8_lossy(&below.stderr).contains("add --full, or swap --range and --range2"));

    ok(d, &["convert", "m.tsv", "plain.gzcm"]);
    for args in [
        &["--range", "a"][..],
        &["--rows", "0:2", "--cols", "0:2", "--balance"],
        &["--rows", "0:1", "--cols", "0:1", "--join"],
    ] {
        let mut all = vec!["extract", "plain.gzcm"];
        all.extend_from_slice(args);
        let err = fails(d, &all, 1);
        assert!(
            err.contains(
                "this file has no genomic coordinates; convert from .cool/.mcool/.hic or pass --bins"
            ),
            "{err}"
        );
    }
    let err = fails(d, &["convert", "m.tsv", "x.gzcm", "--resolution", "10"], 1);
    assert!(err.contains("apply to .cool, .mcool and .hic inputs"), "{err}");
    std::fs::write(d.join("bad.bins.tsv"), "a\t0\t10\na\tten\t20\n").unwrap();
    let err = fails(d, &["convert", "m.tsv", "--bins", "bad.bins.tsv", "y.gzcm"], 1);
    assert!(err.contains("line 2: start `ten`"), "{err}");
}

/// The shared data directory with the files these tests convert, or `None` (with the reason
/// printed).
fn shared_data() -> Option<PathBuf> {
    gzcm_test_support::data_dir_with(&[
        "yeast_10kb.cool",
        "yeast_10kb.mcool",
        "yeast_10kb.hic",
        "gm12878_rao2014_2500kb.mcool",
        "gm12878_rao2014_2500kb.hic",
    ])
}

/// The sidecar's bin size, chromosome names and bin offsets (with the bin count appended, so
/// chromosome `k` spans `offsets[k]..offsets[k + 1]`).
fn sidecar(data: &Path, name: &str) -> (u64, Vec<String>, Vec<u64>) {
    let text = std::fs::read_to_string(data.join(format!("{name}.json"))).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let names = json["chroms"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    let mut offsets: Vec<u64> =
        json["chrom_bin_offsets"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    offsets.push(json["shape"][0].as_u64().unwrap());
    (json["binsize_bp"].as_u64().unwrap(), names, offsets)
}

fn coo_path(data: &Path, name: &str) -> PathBuf {
    let plain = data.join(format!("{name}.coo.tsv"));
    if plain.is_file() { plain } else { data.join(format!("{name}.coo.tsv.gz")) }
}

/// Every stored cell of a file (upper triangle for symmetric files), as `extract` writes them.
fn all_cells(d: &Path, file: &str) -> String {
    ok(d, &["extract", file, "--rows", ":", "--cols", ":"])
}

/// Converts `input`: its summary.
fn convert_hic(d: &Path, input: &str, out: &str, extra: &[&str]) -> String {
    let mut args = vec!["convert", input, out];
    args.extend_from_slice(extra);
    let output = gzcm(d, &args);
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "gzcm {args:?} failed:\n{err}");
    assert!(!err.contains("not valid UTF-8"), "{err}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn shared_cool_and_mcool_files_convert_to_the_coo_matrix_with_their_genome() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases = [
        ("yeast_duan2009_10kb", "yeast_duan2009_10kb.cool".to_owned()),
        ("yeast_duan2009_10kb", "yeast_duan2009_10kb.unsorted.cool".to_owned()),
        ("yeast_10kb", "yeast_10kb.cool".to_owned()),
        ("gm12878_chr22_250kb", "gm12878_chr22_250kb.cool".to_owned()),
        ("mouse_mm9_chr1_20kb", "mouse_mm9_chr1_20kb.cool".to_owned()),
        ("gm12878_rao2014_2500kb", "gm12878_rao2014_2500kb.cool".to_owned()),
        ("yeast_10kb", format!("yeast_10kb.mcool::/resolutions/{}", sidecar(&data, "yeast_10kb").0)),
        ("gm12878_rao2014_2500kb", "gm12878_rao2014_2500kb.mcool::/resolutions/2500000".to_owned()),
    ];
    for (name, input) in cases {
        let (bin_size, chroms, offsets) = sidecar(&data, name);
        let spec = format!("{}/{input}", data.display());
        let summary = convert_hic(d, &spec, "h.gzcm", &["--overwrite"]);
        assert!(summary.contains(&format!("{} chromosomes", chroms.len())), "{input}: {summary}");
        // The reference: one codec (the conversion under test keeps the default).
        let coo = coo_path(&data, name);
        ok(d, &["convert", coo.to_str().unwrap(), "coo.gzcm", "--overwrite", "--codec", "zstd"]);
        assert!(all_cells(d, "h.gzcm") == all_cells(d, "coo.gzcm"), "{input}: cells differ from the COO");
        let info = ok(d, &["info", "h.gzcm"]);
        assert!(info.contains(&format!("of {bin_size} bp (resolution)")), "{input}: {info}");
        // --range of each of the first chromosomes equals slicing by the sidecar's offsets.
        for (k, chrom) in chroms.iter().enumerate().take(3) {
            let (a, b) = (offsets[k], offsets[k + 1]);
            let window = format!("{a}:{b}");
            assert_eq!(
                ok(d, &["extract", "h.gzcm", "--range", chrom]),
                ok(d, &["extract", "h.gzcm", "--rows", &window, "--cols", &window]),
                "{input}: {chrom}"
            );
        }
    }
}

#[test]
fn shared_hic_files_convert_to_the_coo_matrix_at_the_base_resolution() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for name in ["yeast_10kb", "gm12878_rao2014_2500kb"] {
        let (bin_size, ..) = sidecar(&data, name);
        let spec = format!("{}/{name}.hic", data.display());
        let resolution = bin_size.to_string();
        convert_hic(d, &spec, "h.gzcm", &["--resolution", &resolution, "--overwrite"]);
        // Chromosome order may differ between .hic and cooler: compare pixels by coordinates.
        let bins = data.join(format!("{name}.bins.tsv"));
        let coo = coo_path(&data, name);
        ok(
            d,
            &[
                "convert",
                coo.to_str().unwrap(),
                "--bins",
                bins.to_str().unwrap(),
                "coo.gzcm",
                "--overwrite",
                "--codec",
                "zstd",
            ],
        );
        let joined = |file: &str| {
            let text = ok(d, &["extract", file, "--rows", ":", "--cols", ":", "--full", "--join"]);
            let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
            lines.sort_unstable();
            lines
        };
        assert!(joined("h.gzcm") == joined("coo.gzcm"), "{name}.hic: pixels differ from the COO");
    }
}

#[test]
fn shared_cool_balanced_windows_equal_count_times_the_source_weights() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let path = data.join("yeast_10kb.cool");
    convert_hic(d, path.to_str().unwrap(), "y.gzcm", &[]);
    // The weights and pixels straight from the source.
    let mut source = gzcm_hic::open(path.to_str().unwrap(), &gzcm_hic::OpenOptions::default()).unwrap();
    let weights = source.genome().weights().iter().find(|w| w.name == "weight").map(|w| w.values.clone());
    let weights = weights.expect("yeast_10kb.cool carries cooler's `weight` column");
    let genome = source.genome().clone();
    let (rows, cols) = (genome.chroms()[2].bins(), genome.chroms()[3].bins());
    let (a, b) = (&genome.chroms()[2].name, &genome.chroms()[3].name);
    let mut expected = Vec::new();
    for pixel in source.pixels().unwrap() {
        let p = pixel.unwrap();
        if rows.contains(&p.bin1) && cols.contains(&p.bin2) && p.count != 0.0 {
            let value = p.count * weights[p.bin1 as usize] * weights[p.bin2 as usize];
            if !value.is_nan() {
                expected.push((p.bin1, p.bin2, value));
            }
        }
    }
    expected.sort_by_key(|&(r, c, _)| (r, c));
    let expected: String = expected.iter().map(|(r, c, v)| format!("{r}\t{c}\t{v}\n")).collect();
    assert!(!expected.is_empty());
    assert_eq!(ok(d, &["extract", "y.gzcm", "--range", a, "--range2", b, "--balance"]), expected);
}
