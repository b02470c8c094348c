//! Writes a synthetic `N × N` symmetric map (default 200 000 bins, a band of `W` contacts per
//! row near the diagonal plus a sparse far field), then reads random regions back.
//!
//! `cargo run --release -p gzcm-container --example scale -- [N] [W] [sorted|unsorted] [version] [cache bytes]`
//! Peak memory: run it under `/usr/bin/time -v`.

use std::sync::Arc;
use std::time::Instant;

use gzcm_container::{Reader, ReaderOptions, Writer};
use gzcm_core::{Registry, TileData};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = args.get(1).map_or(Ok(200_000), |s| s.parse())?;
    let width: u64 = args.get(2).map_or(Ok(20), |s| s.parse())?;
    let unsorted = args.get(3).is_some_and(|s| s == "unsorted");
    let version: u32 = args.get(4).map_or(Ok(3), |s| s.parse())?;
    let cache: usize = args.get(5).map_or(Ok(gzcm_container::DEFAULT_CACHE_BYTES), |s| s.parse())?;
    let mut registry = Registry::empty();
    gzcm_codecs::register_builtins(&mut registry)?;
    let registry = Arc::new(registry);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("scale.gzcm");
    let builder = Writer::builder(&path, n, n)
        .symmetric(true)
        .version(version)
        .registry(Arc::clone(&registry))
        .codec_options("zstd", gzcm_core::EncodeOptions::with_level(3));
    let value = |r: u64, c: u64| ((r * 31 + c * 17) % 97 + 1) as u32;
    let far = |r: u64| (r * 7919) % n;
    let started = Instant::now();
    let summary = if unsorted {
        let mut w = builder.create_unsorted()?;
        for r in (0..n).rev() {
            for c in r..(r + width).min(n) {
                w.push(r, c, value(r, c))?;
            }
            let f = far(r);
            if f > r + width {
                w.push(f, r, 1u32)?; // lower triangle: the writer folds it up
            }
        }
        w.finish()?
    } else {
        let mut w = builder.create()?;
        for r in 0..n {
            let f = far(r);
            for c in r..(r + width).min(n) {
                w.push(r, c, value(r, c))?;
            }
            if f > r + width {
                w.push(r, f, 1u32)?;
            }
        }
        w.finish()?
    };
    println!(
        "wrote {n}×{n}: {} tiles, {} nnz, {} bytes, ratio {:.0}, {:.2}s",
        summary.tiles_stored,
        summary.nnz,
        summary.file_bytes,
        summary.ratio,
        started.elapsed().as_secs_f64()
    );
    let reader = Reader::open_with(&path, ReaderOptions::new().registry(registry).cache_bytes(cache))?;
    let started = Instant::now();
    let mut checked = 0u64;
    for k in 0..200u64 {
        let r0 = (k * 104_729) % (n - 600);
        let TileData::U32(a) = reader.window(r0..r0 + 512, r0..r0 + 512)? else { unreachable!() };
        assert_eq!(a[[0, 1]], if width > 1 { value(r0, r0 + 1) } else { a[[0, 1]] });
        assert_eq!(a[[1, 0]], a[[0, 1]]);
        checked += 1;
    }
    println!("{checked} random 512×512 regions in {:.3}s", started.elapsed().as_secs_f64());
    let started = Instant::now();
    let report = reader.verify();
    println!(
        "verify: {} tiles, ok={} in {:.2}s",
        report.tiles_checked,
        report.is_ok(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
