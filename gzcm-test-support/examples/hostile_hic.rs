//! Writes the hostile `.hic` fixtures of issue 22 into a directory, for measuring what
//! `gzcm convert` costs on them (peak RSS: run it under `/usr/bin/time -v`):
//!
//! - `long-chromosome.hic`: chrIV's header length edited to 250 million bins at 10 kb;
//! - `block-bomb.hic`: chrI's first 10 kb block (pair `2_2`) replaced by a dense block that inflates to
//!   64 MiB (32 Mi short cells) from about 200 kB;
//! - `sparse-rows.hic`: the same block replaced by sparse rows, 192 rows of 32,767 cells, that
//!   inflate to about 24 MiB (just under this file's per-block cap) of records that all fall in
//!   chrI's 24 bins.
//!
//! Each is the shared `yeast_10kb.hic` edited by the functions the hostile tests use
//! (`gzcm_test_support::hostile_hic`).
//!
//! ```text
//! cargo run --release -p gzcm-test-support --example hostile_hic -- DIR
//! /usr/bin/time -v target/release/gzcm convert DIR/sparse-rows.hic out.gzcm --resolution 10000
//! ```

use std::path::PathBuf;

use gzcm_test_support::hostile_hic::{
    dense_block, sparse_rows_block, with_chromosome_length, with_first_block,
};

fn main() {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: hostile_hic DIR");
        std::process::exit(2);
    };
    let Some(path) = gzcm_test_support::data_path("yeast_10kb.hic") else {
        eprintln!("hostile_hic: the shared yeast_10kb.hic is needed");
        std::process::exit(1);
    };
    let yeast = std::fs::read(path).expect("reads the shared file");
    std::fs::create_dir_all(&dir).expect("creates the directory");
    let fixtures = [
        ("long-chromosome.hic", with_chromosome_length(yeast.clone(), "chrIV", 10_000 * 250_000_000)),
        ("block-bomb.hic", with_first_block(yeast.clone(), "2_2", 10_000, &dense_block((64 << 20) / 2, 24))),
        ("sparse-rows.hic", with_first_block(yeast, "2_2", 10_000, &sparse_rows_block(192, 32_767, 24))),
    ];
    for (name, bytes) in fixtures {
        let out = dir.join(name);
        std::fs::write(&out, &bytes).expect("writes the fixture");
        println!("{} ({} bytes)", out.display(), bytes.len());
    }
}
