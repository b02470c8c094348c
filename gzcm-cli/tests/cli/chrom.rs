//! End-to-end runs of `gzcm convert --chrom NAME` on the shared `.hic` and `.mcool` files: the
//! one-chromosome file equals that chromosome's block of the genome-wide conversion, its genome
//! lists only that chromosome, and an unknown name is an error that lists the names.

use std::path::{Path, PathBuf};

use crate::common::{gzcm, ok};

/// The shared data directory with the files these tests convert, or `None` (reason printed).
fn shared_data() -> Option<PathBuf> {
    gzcm_test_support::data_dir_with(&[
        "yeast_10kb.hic",
        "yeast_10kb.mcool",
        "gm12878_rao2014_2500kb.hic",
        "gm12878_rao2014_2500kb.mcool",
    ])
}

/// `chrom1 start1 end1 chrom2 start2 end2 value` lines of `--range chrom` (both triangles).
fn joined(d: &Path, file: &str, chrom: &str) -> Vec<String> {
    let text = ok(d, &["extract", file, "--range", chrom, "--full", "--join"]);
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines.sort_unstable();
    lines
}

/// Checks `--chrom` on `input` (with `extra` convert arguments) for each of `chroms`.
fn check(d: &Path, input: &str, extra: &[&str], chroms: &[&str]) {
    // One codec: the subject is which cells are kept, not how they are coded.
    let mut whole = vec!["convert", input, "whole.gzcm", "--overwrite", "--codec", "zstd"];
    whole.extend_from_slice(extra);
    ok(d, &whole);
    for chrom in chroms {
        let mut one = vec!["convert", input, "one.gzcm", "--overwrite", "--codec", "zstd", "--chrom", chrom];
        one.extend_from_slice(extra);
        ok(d, &one);
        let block = joined(d, "whole.gzcm", chrom);
        assert!(!block.is_empty(), "{input} {chrom}: empty block");
        assert!(joined(d, "one.gzcm", chrom) == block, "{input} {chrom}: differs from the genome-wide block");
        // Everything in the one-chromosome file is that block.
        let all = ok(d, &["extract", "one.gzcm", "--rows", ":", "--cols", ":", "--full", "--join"]);
        assert_eq!(all.lines().count(), block.len(), "{input} {chrom}");
        let json: serde_json::Value = serde_json::from_str(&ok(d, &["info", "one.gzcm", "--json"])).unwrap();
        let listed = json["metadata"]["chroms"].as_array().unwrap();
        assert_eq!(listed.len(), 1, "{input} {chrom}: {listed:?}");
        assert_eq!(listed[0]["name"], *chrom, "{input}");
    }
    let mut unknown = vec!["convert", input, "bad.gzcm", "--chrom", "chrNope"];
    unknown.extend_from_slice(extra);
    let output = gzcm(d, &unknown);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{input}: {err}");
    assert!(err.contains("chrNope") && err.contains(chroms[0]) && err.contains(chroms[1]), "{input}: {err}");
    assert!(!d.join("bad.gzcm").exists());
}

#[test]
fn chrom_equals_the_block_of_the_genome_wide_conversion() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let file = |name: &str| data.join(name).display().to_string();
    check(d, &file("yeast_10kb.hic"), &["--resolution", "10000"], &["chrII", "chrXII"]);
    check(d, &format!("{}::/resolutions/10000", file("yeast_10kb.mcool")), &[], &["chrII", "chrXII"]);
    // This genome's chromosomes are named without the `chr` prefix in both files.
    check(d, &file("gm12878_rao2014_2500kb.hic"), &["--resolution", "2500000"], &["1", "21"]);
    check(d, &file("gm12878_rao2014_2500kb.mcool"), &["--resolution", "2500000"], &["1", "21"]);
}
