//! Every shared dataset: the COO text and the dense `.npy` give the same triples, and both
//! match the sidecar's counts.

use std::path::Path;
use std::time::Instant;

use gzcm_io::{MatrixSource, OpenOptions, Shape, Triple};

use crate::util::data_dir;

/// Reads a file and returns (shape, symmetric, nnz, sum of the full matrix, fingerprint of the
/// triples).
fn summarize(path: &Path, options: OpenOptions) -> (Shape, bool, u64, f64, u64) {
    let source = MatrixSource::open(path.to_str().unwrap(), options).unwrap();
    let (mut nnz, mut sum, mut fingerprint) = (0u64, 0f64, 0u64);
    let symmetric = source.info().symmetric;
    for triple in source.triples::<f32>().unwrap() {
        let Triple { row, col, value } = triple.unwrap();
        nnz += 1;
        // A symmetric source gives the upper triangle: off-diagonal cells count twice.
        let copies = if symmetric && row != col { 2.0 } else { 1.0 };
        sum += copies * f64::from(value);
        let key = (u64::from(row) << 32 | u64::from(col)) ^ u64::from(value.to_bits()).rotate_left(17);
        fingerprint = fingerprint.wrapping_add(key.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    }
    (source.info().shape, source.info().symmetric, nnz, sum, fingerprint)
}

fn sidecar(dir: &Path, name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap()).unwrap()
}

fn first_existing(dir: &Path, name: &str, suffixes: &[&str]) -> std::path::PathBuf {
    suffixes.iter().map(|s| dir.join(format!("{name}{s}"))).find(|p| p.exists()).unwrap()
}

#[test]
fn coo_and_npy_agree_with_each_other_and_the_sidecars() {
    let Some(dir) = data_dir() else { return };
    for name in [
        "gm12878_chr22_250kb",
        "yeast_duan2009_10kb",
        "yeast_10kb",
        "gm12878_rao2014_2500kb",
        "mouse_mm9_chr1_20kb",
    ] {
        let start = Instant::now();
        let meta = sidecar(&dir, name);
        let coo = first_existing(&dir, name, &[".coo.tsv", ".coo.tsv.gz"]);
        let npy = first_existing(&dir, name, &[".npy", ".npy.zst"]);
        let n = u32::try_from(meta["shape"][0].as_u64().unwrap()).unwrap();
        // The COO file's last rows may be empty: give its shape, infer only the symmetry.
        let coo_options = OpenOptions { shape: Some(Shape::square(n)), symmetric: None };
        let from_coo = summarize(&coo, coo_options);
        let from_npy = summarize(&npy, OpenOptions::default());
        assert_eq!(from_coo.0, Shape::square(n), "{name}");
        assert!(from_coo.1 && from_npy.1, "{name}: both symmetric");
        assert_eq!(from_coo.2, meta["nnz_upper_incl_diag"].as_u64().unwrap(), "{name} nnz");
        assert_eq!(from_coo.2, from_npy.2, "{name} nnz coo vs npy");
        assert_eq!(from_coo.4, from_npy.4, "{name}: the triples differ");
        assert_eq!(from_coo.3, meta["sum_full"].as_f64().unwrap(), "{name} sum");
        eprintln!("{name}: {} triples agree ({:.2?})", from_coo.2, start.elapsed());
    }
}

#[test]
fn full_sums_match_the_sidecars() {
    let Some(dir) = data_dir() else { return };
    for name in ["gm12878_chr22_250kb", "yeast_duan2009_10kb", "gm12878_chr22_x_250kb_inter"] {
        let meta = sidecar(&dir, name);
        let npy = dir.join(format!("{name}.npy"));
        let source =
            MatrixSource::open(npy.to_str().unwrap(), OpenOptions { shape: None, symmetric: Some(false) })
                .unwrap();
        let sum: f64 = source.triples::<u32>().unwrap().map(|t| f64::from(t.unwrap().value)).sum();
        assert_eq!(sum, meta["sum_full"].as_f64().unwrap(), "{name}");
    }
}

#[test]
fn the_inter_chromosomal_block_is_rectangular_and_not_symmetric() {
    let Some(dir) = data_dir() else { return };
    let name = "gm12878_chr22_x_250kb_inter";
    let meta = sidecar(&dir, name);
    let shape = Shape::new(206, 622);
    let coo =
        summarize(&dir.join(format!("{name}.coo.tsv")), OpenOptions { shape: Some(shape), symmetric: None });
    let npy = summarize(&dir.join(format!("{name}.npy")), OpenOptions::default());
    assert_eq!((coo.0, coo.1), (shape, false));
    assert_eq!((npy.0, npy.1), (shape, false));
    assert_eq!(coo.2, npy.2);
    assert_eq!(coo.4, npy.4);
    assert_eq!(coo.3, meta["sum_full"].as_f64().unwrap());
}

#[test]
fn kr_balanced_floats_agree() {
    let Some(dir) = data_dir() else { return };
    let name = "gm12878_chr22_250kb_KR";
    let options = OpenOptions { shape: Some(Shape::square(206)), symmetric: None };
    let coo = summarize(&dir.join(format!("{name}.coo.tsv")), options);
    let npy = summarize(&dir.join(format!("{name}.npy")), OpenOptions::default());
    assert_eq!(coo.1, npy.1);
    assert_eq!(coo.2, npy.2, "nnz");
    assert_eq!(coo.4, npy.4, "triples");
}
