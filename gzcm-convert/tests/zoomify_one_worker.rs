//! Regression: zoomify on a rayon pool of one worker finishes. The levels' writers encode their
//! bands on the pool and a push may wait for that encoding with a plain thread join; when the
//! pushes ran on pool workers too, every worker could block in such a wait and the encoding
//! never ran (a hang seen with the release build on 2 cores). One worker makes it certain.

use std::sync::mpsc;
use std::time::Duration;

use gzcm_container::{Genome, Writer};
use gzcm_convert::Settings;
use gzcm_convert::zoomify::{Base, coarsen_into};

#[test]
fn a_single_pool_worker_does_not_deadlock_the_writers() {
    rayon::ThreadPoolBuilder::new().num_threads(1).build_global().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("base.gzcm");
    let genome = Genome::fixed(&[("a".to_owned(), 6_000), ("b".to_owned(), 3_333)], 10).unwrap();
    let n = genome.n_bins();
    let mut writer =
        Writer::builder(&input, n, n).tile_size(16).symmetric(true).genome(genome).create().unwrap();
    for row in 0..n {
        for col in row..(row + 40).min(n) {
            writer.push(row, col, 1 + u32::try_from((row + col) % 7).unwrap()).unwrap();
        }
    }
    writer.finish().unwrap();
    let outputs: Vec<_> = [20, 40, 80].iter().map(|&r| (r, dir.path().join(format!("{r}.gzcm")))).collect();
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let settings = Settings { tile_size: Some(16), ..Settings::default() };
        let levels = coarsen_into(&Base::open(&input).unwrap(), &outputs, &settings).map(|l| l.len());
        done.send(levels.map_err(|e| e.to_string())).unwrap();
    });
    let levels = finished.recv_timeout(Duration::from_secs(120)).expect("zoomify hung on a one-worker pool");
    assert_eq!(levels, Ok(3));
}
