//! `gzcm convert` under the shared conversion policy: the output is never the input (through a
//! `::` group, links and hard links), a `.gzcm` input is re-encoded, and setting errors are
//! spelled as flags.

use std::path::Path;

use crate::common::{fails, ok};

/// A symmetric 6×6 COO matrix over three chromosomes with a weight column.
fn small_genome(d: &Path) {
    let bins = "chrom\tstart\tend\tweight\n\
                a\t0\t10\t0.5\na\t10\t15\t2\n\
                b\t0\t10\t1\nb\t10\t20\tnan\nb\t20\t28\t0.25\n\
                c\t0\t4\t4\n";
    std::fs::write(d.join("m.bins.tsv"), bins).unwrap();
    let coo: String =
        (0..6u32).flat_map(|i| (i..6).map(move |j| format!("{i}\t{j}\t{}\n", 1 + i * 10 + j))).collect();
    std::fs::write(d.join("m.tsv"), coo).unwrap();
}

#[test]
fn a_group_of_the_input_file_is_the_input() {
    let Some(data) = gzcm_test_support::data_dir() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (name, group) in
        [("gm12878_rao2014_2500kb.mcool", "::/resolutions/2500000"), ("gm12878_chr22_250kb.cool", "::/")]
    {
        std::fs::copy(data.join(name), d.join(name)).unwrap();
        let before = std::fs::read(d.join(name)).unwrap();
        let spec = format!("{name}{group}");
        let err = fails(d, &["convert", &spec, name, "--overwrite"], 1);
        assert!(err.contains("is the input"), "{err}");
        assert!(std::fs::read(d.join(name)).unwrap() == before, "{name} was changed");
        ok(d, &["convert", &spec, "copy.gzcm", "--overwrite"]);
    }
}

#[test]
fn hard_links_and_the_bins_file_are_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_genome(d);
    std::fs::hard_link(d.join("m.tsv"), d.join("hard.gzcm")).unwrap();
    let before = std::fs::read(d.join("m.tsv")).unwrap();
    let err = fails(d, &["convert", "m.tsv", "hard.gzcm", "--overwrite"], 1);
    assert!(err.contains("is the input"), "{err}");
    let err = fails(d, &["convert", "m.tsv", "--bins", "m.bins.tsv", "m.bins.tsv", "--overwrite"], 1);
    assert!(err.contains("is the input"), "{err}");
    assert!(std::fs::read(d.join("m.tsv")).unwrap() == before);
}

#[test]
fn a_gzcm_input_is_re_encoded_with_its_genome() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_genome(d);
    ok(d, &["convert", "m.tsv", "--bins", "m.bins.tsv", "a.gzcm", "--tile-size", "16"]);
    let out =
        ok(d, &["convert", "a.gzcm", "b.gzcm", "--codec", "lz4", "--version", "4", "--tile-size", "32"]);
    assert!(out.contains("version 4") && out.contains("lz4"), "{out}");
    let cells = |file: &str| ok(d, &["extract", file, "--rows", "0:6", "--cols", "0:6", "--full"]);
    assert_eq!(cells("a.gzcm"), cells("b.gzcm"));
    let genome = |file: &str| {
        let json: serde_json::Value = serde_json::from_str(&ok(d, &["info", file, "--json"])).unwrap();
        (json["genome_summary"].clone(), json["metadata"]["symmetric"].clone())
    };
    assert_eq!(genome("a.gzcm"), genome("b.gzcm"));
    assert_eq!(
        ok(d, &["extract", "a.gzcm", "--range", "b", "--balance"]),
        ok(d, &["extract", "b.gzcm", "--range", "b", "--balance"])
    );
    // Adaptive, and with the other cell type.
    ok(d, &["convert", "a.gzcm", "c.gzcm", "--adaptive", "--codec-candidates", "zstd,lz4"]);
    ok(d, &["convert", "b.gzcm", "f.gzcm", "--dtype", "f32"]);
    assert_eq!(cells("c.gzcm"), cells("a.gzcm"));
    assert_eq!(cells("f.gzcm").lines().count(), cells("a.gzcm").lines().count());
    // Without a genome, into and out of the uncompressed versions.
    ok(d, &["convert", "m.tsv", "plain.gzcm", "--tile-size", "16"]);
    ok(d, &["convert", "plain.gzcm", "v2.gzcm", "--version", "2"]);
    ok(d, &["convert", "v2.gzcm", "v3.gzcm"]);
    assert_eq!(cells("v3.gzcm"), cells("plain.gzcm"));
    let err = fails(d, &["convert", "a.gzcm", "g.gzcm", "--shape", "6"], 1);
    assert!(err.contains("(--shape) do not apply to a .gzcm input"), "{err}");
}

#[test]
fn setting_errors_name_flags() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let err = fails(d, &["convert", "synthetic:50", "b.gzcm", "--adaptive", "--version", "3"], 1);
    assert!(err.contains("--adaptive needs --version 4") && err.contains("got --version 3"), "{err}");
    let err = fails(d, &["convert", "synthetic:50", "b.gzcm", "--version", "2", "--level", "3"], 1);
    assert!(err.contains("--level 3 would be ignored; drop --level or write --version 3"), "{err}");
    let err = fails(d, &["convert", "synthetic:50", "b.gzcm", "--resolution", "10"], 1);
    assert!(err.contains("Hi-C settings (--resolution) apply to"), "{err}");
}
