//! Region reads crossing tile boundaries, the diagonal and the matrix edge; concurrent readers.

use std::sync::Arc;

use gzcm_container::{ContainerError, Reader, ReaderOptions};
use gzcm_core::Dtype;

use crate::support::{Rng, builder, matrix, open, registry, scratch, window, write_coo};

#[test]
fn regions_cross_boundaries_diagonal_and_edge() {
    for version in [1, 2, 3, 4] {
        for symmetric in [true, false] {
            let truth = matrix(Dtype::U32, 100, 100, symmetric, 31);
            let (_d, path) = scratch("m.gzcm");
            write_coo(builder(&path, &truth, symmetric).version(version).tile_size(16), &truth, symmetric);
            let reader = open(&path, 1 << 16);
            let windows = [
                (15..17, 15..17),  // four tiles around a corner on the diagonal
                (0..100, 0..100),  // everything
                (90..100, 0..100), // the bottom edge, below the diagonal
                (5..95, 50..51),   // one column through many tiles
                (40..40, 3..9),    // empty
                (99..100, 99..100),
                (20..70, 0..33), // mostly below the diagonal
            ];
            for (rows, cols) in windows {
                let got =
                    reader.window(rows.start as u64..rows.end as u64, cols.start as u64..cols.end as u64);
                assert_eq!(
                    got.unwrap(),
                    window(&truth, rows.clone(), cols.clone()),
                    "v{version} {rows:?} {cols:?}"
                );
            }
        }
    }
}

#[test]
fn regions_outside_the_matrix_are_refused() {
    let truth = matrix(Dtype::U32, 40, 30, false, 32);
    let (_d, path) = scratch("m.gzcm");
    write_coo(builder(&path, &truth, false).tile_size(16), &truth, false);
    let reader = open(&path, 0);
    for (rows, cols) in [(0..41, 0..30), (0..40, 0..31), (std::ops::Range { start: 10, end: 5 }, 0..3)] {
        let err = reader.window(rows, cols).unwrap_err();
        assert!(matches!(err, ContainerError::WindowOutOfBounds { shape: (40, 30), .. }), "{err}");
    }
    assert!(matches!(reader.tile(3, 0), Err(ContainerError::TileOutOfGrid { row: 3, col: 0, grid: (3, 2) })));
}

#[test]
fn eight_threads_of_random_regions_match_the_ground_truth() {
    for (cache, version) in [(0usize, 3u32), (1 << 14, 4), (64 << 20, 3), (64 << 20, 1)] {
        let truth = Arc::new(matrix(Dtype::F32, 150, 150, true, 33));
        let (_d, path) = scratch("m.gzcm");
        write_coo(builder(&path, &truth, true).version(version).tile_size(16), &truth, true);
        let reader = Arc::new(open(&path, cache));
        let threads: Vec<_> = (0..8u64)
            .map(|t| {
                let (reader, truth) = (Arc::clone(&reader), Arc::clone(&truth));
                std::thread::spawn(move || {
                    let mut rng = Rng::new(t);
                    for _ in 0..40 {
                        let (r0, c0) = (rng.below(150) as usize, rng.below(150) as usize);
                        let (r1, c1) = (
                            r0 + rng.below(151 - r0 as u64) as usize,
                            c0 + rng.below(151 - c0 as u64) as usize,
                        );
                        let got = reader.window(r0 as u64..r1 as u64, c0 as u64..c1 as u64).unwrap();
                        assert_eq!(got, window(&truth, r0..r1, c0..c1));
                    }
                })
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        let stats = reader.cache_stats();
        assert!(stats.bytes <= stats.budget, "{stats:?}");
        if cache > 0 {
            assert!(stats.hits > 0, "{stats:?}");
        }
    }
}

#[test]
fn reader_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<gzcm_container::Reader>();
}

/// A window's missing tiles are decoded on several threads: the result must not depend on
/// how many, and a damaged tile is reported the same way as by a serial decode.
#[test]
fn parallel_window_decode_equals_serial_decode_and_reports_the_same_error() {
    let truth = matrix(Dtype::U32, 130, 130, true, 35);
    let (_d, path) = scratch("m.gzcm");
    write_coo(builder(&path, &truth, true).version(3).tile_size(16), &truth, true);
    let with_threads = |path: &std::path::Path, threads: usize| {
        let options = ReaderOptions::new().registry(registry()).cache_bytes(0).decode_threads(threads);
        Reader::open_with(path, options).unwrap()
    };
    for threads in [1, 2, 3, 8, 64] {
        let reader = with_threads(&path, threads);
        for (rows, cols) in [(0..130, 0..130), (7..100, 33..129), (64..65, 0..130)] {
            let got = reader.window(rows.start as u64..rows.end as u64, cols.start as u64..cols.end as u64);
            assert_eq!(got.unwrap(), window(&truth, rows.clone(), cols.clone()), "{threads} threads");
        }
    }
    // Damage a byte inside a stored tile in the middle of the window.
    let record = with_threads(&path, 1)
        .stored_tiles()
        .find(|t| (t.tile_row, t.tile_col) == (3, 5))
        .and_then(|t| t.record)
        .expect("tile (3, 5) is stored");
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[(record.offset + u64::from(record.length) / 2) as usize] ^= 0x5a;
    let (_d2, damaged) = scratch("damaged.gzcm");
    std::fs::write(&damaged, &bytes).unwrap();
    let serial = with_threads(&damaged, 1).window(0..130, 0..130);
    assert!(serial.is_err(), "the damaged tile went unnoticed");
    for threads in [2, 8] {
        let parallel = with_threads(&damaged, threads).window(0..130, 0..130);
        assert_eq!(format!("{parallel:?}"), format!("{serial:?}"), "{threads} threads");
    }
}
