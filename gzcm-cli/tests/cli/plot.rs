//! `gzcm plot` on the shared maps: pictures that decode at their size, the coarse resolution
//! for an overview of a multi-resolution file, and clear errors for bad arguments.

use std::path::Path;

use crate::common::{fails, gzcm, ok};

/// Decodes a PNG: width, height, RGB bytes.
fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut decoder = png::Decoder::new(file).read_info().unwrap();
    let mut buffer = vec![0; decoder.output_buffer_size().unwrap()];
    let info = decoder.next_frame(&mut buffer).unwrap();
    (info.width, info.height, buffer)
}

/// `gzcm ARGS` in `dir`, which must succeed; its standard error.
fn noted(dir: &Path, args: &[&str]) -> String {
    let output = gzcm(dir, args);
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "gzcm {args:?} failed:\n{err}");
    err
}

#[test]
fn a_real_map_plots_as_png_and_svg_with_masked_bins_grey() {
    let Some(cool) = gzcm_test_support::data_path("gm12878_rao2014_2500kb.cool") else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["convert", cool.to_str().unwrap(), "gm.gzcm"]);
    let err = noted(
        d,
        &["plot", "gm.gzcm", "--range", "2:10M-240M", "--balance", "--size", "400", "-o", "chr2.png"],
    );
    assert!(err.contains("resolution 2500000") && err.contains("balanced (KR)"), "{err}");
    let (width, height, rgb) = decode(&d.join("chr2.png"));
    assert_eq!(width, 400);
    assert!((300..400).contains(&height), "{height}");
    let pixels: Vec<&[u8]> = rgb.chunks_exact(3).collect();
    // The file has no `weight`: its first vector, KR, balances. Chromosome 2's centromere bins
    // have NaN weights: grey bands. The diagonal is near black.
    assert!(pixels.iter().any(|p| *p == gzcm_plot::colormap::NAN_COLOUR), "no grey (masked) pixel");
    assert!(pixels.iter().any(|p| p.iter().all(|&v| v < 40)), "no dark (diagonal) pixel");
    ok(d, &["plot", "gm.gzcm", "--range", "1-3", "--cmap", "Reds", "--scale", "linear", "-o", "three.svg"]);
    let svg = std::fs::read_to_string(d.join("three.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("gm.gzcm · 2.5 Mb bins · raw counts"), "{}", &svg[..300]);
    assert!(svg.contains(">1</text>") && svg.contains(">3</text>"), "chromosome labels");
    // An existing output needs --overwrite; the input is never the output.
    let err = fails(d, &["plot", "gm.gzcm", "-o", "chr2.png"], 1);
    assert!(err.contains("already exists"), "{err}");
    fails(d, &["plot", "gm.gzcm", "-o", "gm.gzcm", "--overwrite"], 1);
}

#[test]
fn an_overview_reads_the_coarse_resolution_and_a_close_up_the_fine_one() {
    let Some(mcool) = gzcm_test_support::data_path("yeast_10kb.mcool") else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["convert", mcool.to_str().unwrap(), "yeast.gzcm"]);
    // 400 px leave a heatmap of 265 px: 313 bins at 40 kb is the coarsest with a bin a pixel.
    let err = noted(d, &["plot", "yeast.gzcm", "--size", "400", "-o", "genome.png"]);
    assert!(err.contains("resolution 40000"), "{err}");
    let err = noted(d, &["plot", "yeast.gzcm", "--size", "400", "--range", "chrIV", "-o", "iv.png"]);
    assert!(err.contains("resolution 10000"), "{err}");
    let err = noted(
        d,
        &["plot", "yeast.gzcm", "--resolution", "20000", "--range", "chrIV", "--oe", "-o", "oe.png"],
    );
    assert!(err.contains("resolution 20000") && err.contains("observed/expected"), "{err}");
}

#[test]
fn bad_arguments_are_clear_errors() {
    let Some(cool) = gzcm_test_support::data_path("yeast_10kb.cool") else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["convert", cool.to_str().unwrap(), "y.gzcm"]);
    let cases: [(&[&str], i32, &str); 8] = [
        (&["--range", "chr99"], 1, "no chromosome `chr99`"),
        (&["--range", "chrI:50k-10k"], 1, "is not inside chrI"),
        (&["--range", "chrIV-chrII"], 1, "comes before"),
        (&["--resolution", "5000"], 1, "5000"),
        (&["--cmap", "jet"], 2, "no colour map `jet`"),
        (&["--scale", "cubic"], 2, "no scale `cubic`"),
        (&["--size", "20"], 1, "between 200 and 4096"),
        (&["--range", "chrI-chrII", "--oe"], 1, "cis windows only"),
    ];
    for (extra, code, message) in cases {
        let args: Vec<&str> =
            ["plot", "y.gzcm", "-o", "x.png"].iter().copied().chain(extra.iter().copied()).collect();
        let err = fails(d, &args, code);
        assert!(err.contains(message), "{args:?}: {err}");
    }
    let err = fails(d, &["plot", "y.gzcm", "-o", "x.jpg"], 1);
    assert!(err.contains(".png or .svg"), "{err}");
    let err = fails(d, &["plot", "y.gzcm", "--percentile", "90,10", "-o", "x.png"], 1);
    assert!(err.contains("0 <= LOW < HIGH <= 100"), "{err}");
    assert!(!d.join("x.png").exists() && !d.join("x.jpg").exists());
    ok(d, &["convert", "synthetic:64", "plain.gzcm"]);
    let err = fails(d, &["plot", "plain.gzcm", "-o", "x.png"], 1);
    assert!(err.contains("no genomic coordinates"), "{err}");
}
