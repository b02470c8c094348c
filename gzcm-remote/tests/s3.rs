//! Reading and writing `.gzcm` objects on a real S3 server (moto on 127.0.0.1): windows equal
//! the local file's, requests are few and coalesced, failures are typed and bounded in time,
//! concurrent readers are exact, and an interrupted upload leaves no object.
//!
//! Every test skips, printing why, when moto cannot be started (see
//! `gzcm_test_support::moto`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gzcm_container::{
    ByteSource, Collection, CollectionWriter, ContainerError, Genome, Reader, ReaderOptions, TileData,
};
use gzcm_remote::{RemoteError, RemoteOptions, RemoteSource, RemoteWriter, upload_file};
use gzcm_test_support::SplitMix64;
use gzcm_test_support::moto::MotoServer;
use ndarray::Array2;

const BUCKET: &str = "gzcm-test";

fn options(server: &MotoServer) -> RemoteOptions {
    RemoteOptions::new()
        .endpoint(server.endpoint())
        .config("aws_access_key_id", "testing")
        .config("aws_secret_access_key", "testing")
        .config("aws_region", "us-east-1")
        .connect_timeout(Duration::from_secs(1))
        .request_timeout(Duration::from_secs(3))
        .retries(1, Duration::from_secs(4))
}

fn server() -> Option<MotoServer> {
    let server = MotoServer::start()?;
    server.create_bucket(BUCKET);
    Some(server)
}

/// A symmetric `n × n` contact-like map (decaying with distance, some empty tiles).
fn matrix(n: usize, seed: u64) -> Array2<u32> {
    let mut rng = SplitMix64::new(seed);
    let mut m = Array2::<u32>::zeros((n, n));
    for i in 0..n {
        for j in i..n {
            let d = (j - i) as u64;
            let keep = d < 200 || rng.below(50) == 0;
            if keep && rng.below(3) != 0 {
                let v = u32::try_from(rng.below(1000 / (d + 1) + 2)).unwrap();
                m[(i, j)] = v;
                m[(j, i)] = v;
            }
        }
    }
    m
}

/// A local `.gzcm` file of version `version`.
fn local_file(dir: &Path, version: u32, n: usize) -> PathBuf {
    local_file_with(dir, version, n, false)
}

/// A local `.gzcm` file of version `version`, its tile index packed or padded.
fn local_file_with(dir: &Path, version: u32, n: usize, packed: bool) -> PathBuf {
    let path = dir.join(format!("m-v{version}-packed{packed}.gzcm"));
    gzcm_container::Writer::builder(&path, n as u64, n as u64)
        .version(version)
        .packed_index(packed)
        .tile_size(64)
        .symmetric(true)
        .codec("zstd")
        .write_array(matrix(n, 7).view())
        .unwrap();
    path
}

fn url(key: &str) -> String {
    format!("s3://{BUCKET}/{key}")
}

fn upload(server: &MotoServer, local: &Path, key: &str) -> String {
    let url = url(key);
    let bytes = upload_file(local, &url, &options(server)).unwrap();
    assert_eq!(bytes, std::fs::metadata(local).unwrap().len());
    url
}

fn open_remote(server: &MotoServer, url: &str, reader: ReaderOptions) -> (Reader, Arc<RemoteSource>) {
    let source = Arc::new(RemoteSource::open(url, &options(server)).unwrap());
    let reader = Reader::open_source(Arc::clone(&source) as Arc<dyn ByteSource>, reader).unwrap();
    (reader, source)
}

fn windows(n: u64) -> Vec<(std::ops::Range<u64>, std::ops::Range<u64>)> {
    vec![
        (0..n, 0..n),
        (10..266, 300..556),
        (400..656, 100..356),
        (63..65, 0..n),
        (n - 1..n, n - 1..n),
        (5..5, 0..3),
        (n - 300..n - 44, n - 256..n),
    ]
}

#[test]
fn windows_tiles_info_and_verify_over_s3_equal_the_local_files() {
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (version, packed) in [(3, false), (4, false), (3, true), (4, true)] {
        let local = local_file_with(dir.path(), version, 700, packed);
        let url = upload(&server, &local, &format!("maps/m-v{version}-packed{packed}.gzcm"));
        let expected = Reader::open(&local).unwrap();
        let (remote, _) = open_remote(&server, &url, ReaderOptions::new());
        for (rows, cols) in windows(700) {
            assert_eq!(
                remote.window(rows.clone(), cols.clone()).unwrap(),
                expected.window(rows, cols).unwrap()
            );
        }
        assert_eq!(remote.tile(3, 1).unwrap(), expected.tile(3, 1).unwrap());
        assert_eq!(remote.info().file_bytes, expected.info().file_bytes);
        assert_eq!(remote.info().codecs, expected.info().codecs);
        let report = remote.verify();
        assert!(report.is_ok(), "{:?}", report.failures);
        assert_eq!(report.tiles_checked, expected.verify().tiles_checked);
        assert_eq!(remote.path(), Path::new(&url));
    }
}

#[test]
fn golden_files_of_every_version_and_with_genome_data_read_the_same_over_s3() {
    let Some(server) = server() else { return };
    let golden = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../gzcm-container/tests/golden");
    for entry in std::fs::read_dir(&golden).unwrap() {
        let local = entry.unwrap().path();
        let name = local.file_name().unwrap().to_string_lossy().into_owned();
        let url = upload(&server, &local, &format!("golden/{name}"));
        let expected = Reader::open(&local).unwrap();
        let (remote, _) = open_remote(&server, &url, ReaderOptions::new().cache_bytes(0));
        assert_eq!(remote.window(0..40, 0..40).unwrap(), expected.window(0..40, 0..40).unwrap(), "{name}");
        assert_eq!(remote.window(7..33, 15..18).unwrap(), expected.window(7..33, 15..18).unwrap(), "{name}");
        assert_eq!(remote.weight_names(), expected.weight_names(), "{name}");
        for weights in expected.weight_names() {
            let bits =
                |r: &Reader| r.weights(weights).unwrap().iter().map(|w| w.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&remote), bits(&expected), "{name} {weights}");
        }
        assert_eq!(remote.genome().map(|g| g.chroms().len()), expected.genome().map(|g| g.chroms().len()));
        assert!(remote.verify().is_ok(), "{name}");
        assert_eq!(remote.has_checksums(), expected.has_checksums(), "{name}");
    }
}

#[test]
fn open_costs_two_requests_and_a_window_one_per_run_of_adjacent_tiles() {
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (version, packed) in [(3, false), (4, false), (4, true)] {
        // Larger than the first read, so windows need requests.
        let local = local_file_with(dir.path(), version, 1500, packed);
        let url = upload(&server, &local, &format!("count/m-v{version}-packed{packed}.gzcm"));
        let expected = Reader::open(&local).unwrap();
        let options = ReaderOptions::new().cache_bytes(0).coalesce_gap(0);
        let (remote, source) = open_remote(&server, &url, options);
        let opened = source.stats();
        assert!(opened.requests <= 2, "open took {} requests", opened.requests);
        let head = gzcm_container::DEFAULT_FIRST_READ_BYTES;
        let mut fetched_any = false;
        for (rows, cols) in windows(1500) {
            let before = source.stats();
            let window = remote.window(rows.clone(), cols.clone()).unwrap();
            assert_eq!(window, expected.window(rows.clone(), cols.clone()).unwrap());
            let runs = adjacent_runs(&expected, &rows, &cols, head);
            fetched_any |= runs.0 > 0;
            let after = source.stats();
            assert_eq!(after.requests - before.requests, runs.0, "v{version} window {rows:?}×{cols:?}");
            assert_eq!(after.bytes - before.bytes, runs.1, "v{version} window {rows:?}×{cols:?}");
        }
        assert!(fetched_any, "every window was inside the first read: the test checks nothing");
    }
}

/// Requests a cold window costs: runs of on-disk-adjacent stored tiles under it that are not
/// wholly inside the first `head` bytes (served from the first read), and their bytes.
fn adjacent_runs(
    reader: &Reader,
    rows: &std::ops::Range<u64>,
    cols: &std::ops::Range<u64>,
    head: u64,
) -> (u64, u64) {
    let t = u64::from(reader.tile_size());
    if rows.is_empty() || cols.is_empty() {
        return (0, 0);
    }
    let mut coords = BTreeSet::new();
    for i in rows.start / t..=(rows.end - 1) / t {
        for j in cols.start / t..=(cols.end - 1) / t {
            let (i, j) = (u32::try_from(i).unwrap(), u32::try_from(j).unwrap());
            coords.insert((i.min(j), i.max(j)));
        }
    }
    let mut spans: Vec<(u64, u64)> = reader
        .stored_tiles()
        .filter(|e| coords.contains(&(e.tile_row, e.tile_col)))
        .map(|e| e.record.unwrap())
        .map(|r| (r.offset, r.offset + u64::from(r.length)))
        .collect();
    spans.sort_unstable();
    let mut runs: Vec<(u64, u64)> = Vec::new();
    for (start, end) in spans {
        match runs.last_mut() {
            Some(last) if last.1 == start => last.1 = end,
            _ => runs.push((start, end)),
        }
    }
    runs.retain(|&(_, end)| end > head);
    (runs.len() as u64, runs.iter().map(|(s, e)| e - s).sum())
}

/// A multi-resolution collection of three maps (1500, 750 and 300 bins of one two-chromosome
/// genome at 1, 2 and 5 kb), and the single-resolution files it was gathered from.
fn local_collection(dir: &Path) -> (PathBuf, Vec<(u64, PathBuf)>) {
    let chroms = [("chr1".to_owned(), 900_000), ("chr2".to_owned(), 600_000)];
    let path = dir.join("multi.gzcm");
    let mut collection = CollectionWriter::create(&path, false).unwrap();
    let mut singles = Vec::new();
    for (resolution, seed) in [(1000u64, 7), (2000, 8), (5000, 9)] {
        let genome = Genome::fixed(&chroms, resolution).unwrap();
        let n = genome.n_bins();
        let single = dir.join(format!("single-{resolution}.gzcm"));
        gzcm_container::Writer::builder(&single, n, n)
            .version(4)
            .packed_index(true)
            .tile_size(64)
            .symmetric(true)
            .codec("zstd")
            .genome(genome)
            .write_array(matrix(usize::try_from(n).unwrap(), seed).view())
            .unwrap();
        collection.add(resolution, &single).unwrap();
        singles.push((resolution, single));
    }
    collection.finish().unwrap();
    (path, singles)
}

#[test]
fn a_collection_opens_in_two_requests_and_each_further_resolution_in_one() {
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (local, singles) = local_collection(dir.path());
    let url = upload(&server, &local, "count/multi.gzcm");
    let source = Arc::new(RemoteSource::open(&url, &options(&server)).unwrap());
    let options = ReaderOptions::new().cache_bytes(0).coalesce_gap(0);
    let collection = Collection::open_source(Arc::clone(&source) as Arc<dyn ByteSource>, options).unwrap();
    assert_eq!(collection.resolutions(), [1000, 2000, 5000]);
    let head = gzcm_container::DEFAULT_FIRST_READ_BYTES;
    // The coarsest member lies last, beyond the first read: its structure costs one request.
    let mut opened = Vec::new();
    for resolution in [5000, 2000, 1000] {
        let before = source.stats().requests;
        let reader = collection.reader(resolution).unwrap();
        let entry = *collection.entries().iter().find(|e| e.resolution == resolution).unwrap();
        let held = entry.offset + entry.structure_bytes <= head;
        let cost = source.stats().requests - before;
        assert_eq!(cost, u64::from(!held), "resolution {resolution}");
        opened.push((resolution, cost, reader, entry));
    }
    let total = source.stats().requests;
    eprintln!(
        "collection requests: open + first resolution {}, then {:?}",
        1 + opened[0].1,
        opened.iter().skip(1).map(|(r, c, ..)| (*r, *c)).collect::<Vec<_>>()
    );
    let open_cost = 1 + opened[0].1;
    assert!(open_cost <= 2, "opening at 5 kb took {open_cost} requests");
    assert!(opened.iter().skip(1).all(|(_, cost, ..)| *cost <= 1));
    assert_eq!(total, 1 + opened.iter().map(|(_, c, ..)| c).sum::<u64>());
    assert!(opened.iter().any(|(_, cost, ..)| *cost == 1), "every structure was in the first read");
    // Windows read the right cells with one request per run of adjacent tiles, as in a single file.
    for (resolution, _, remote, entry) in &opened {
        let single = &singles.iter().find(|(r, _)| r == resolution).unwrap().1;
        let expected = Reader::open(single).unwrap();
        let n = expected.shape().0;
        let member_windows = if n >= 700 { windows(n) } else { vec![(0..n, 0..n), (20..140, 100..300)] };
        for (rows, cols) in member_windows {
            let before = source.stats();
            let window = remote.window(rows.clone(), cols.clone()).unwrap();
            assert_eq!(window, expected.window(rows.clone(), cols.clone()).unwrap(), "{resolution}");
            let runs = adjacent_runs(remote, &rows, &cols, head.saturating_sub(entry.offset));
            let after = source.stats();
            assert_eq!(after.requests - before.requests, runs.0, "{resolution}: window {rows:?}×{cols:?}");
            assert_eq!(after.bytes - before.bytes, runs.1, "{resolution}: window {rows:?}×{cols:?}");
        }
    }
}

#[test]
fn a_missing_object_or_bucket_is_a_typed_not_found_error() {
    let Some(server) = server() else { return };
    for url in [url("no/such/object.gzcm"), "s3://no-such-bucket/m.gzcm".to_owned()] {
        let error = gzcm_remote::open_reader(&url, &options(&server), ReaderOptions::new()).unwrap_err();
        let remote = RemoteError::from_container(&error).unwrap_or_else(|| panic!("{error}"));
        assert!(matches!(remote, RemoteError::NotFound { .. }), "{url}: {remote}");
        assert!(error.to_string().contains("does not exist"), "{error}");
    }
    let error = RemoteSource::open("s3://", &options(&server)).unwrap_err();
    assert!(matches!(error, RemoteError::BadUrl { .. }), "{error}");
}

#[test]
fn a_server_stopped_mid_read_gives_a_typed_error_within_the_timeout() {
    let Some(mut server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let local = local_file(dir.path(), 4, 1500);
    let url = upload(&server, &local, "dying/m.gzcm");
    let (remote, _) = open_remote(&server, &url, ReaderOptions::new().cache_bytes(0));
    server.stop();
    let started = Instant::now();
    let error = remote.window(1000..1300, 1000..1300).unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(&error, ContainerError::Io { .. }), "{error}");
    assert!(RemoteError::from_container(&error).is_some(), "{error}");
    // Not a timing benchmark: a generous bound that only a hang would exceed.
    assert!(elapsed < Duration::from_secs(60), "took {elapsed:?}");
}

#[test]
fn a_server_that_never_answers_times_out() {
    // A listener that accepts connections and never replies: a hung server.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let options = RemoteOptions::new()
        .endpoint(endpoint)
        .config("aws_access_key_id", "testing")
        .config("aws_secret_access_key", "testing")
        .config("aws_region", "us-east-1")
        .connect_timeout(Duration::from_millis(500))
        .request_timeout(Duration::from_millis(500))
        .retries(0, Duration::from_secs(1));
    let started = Instant::now();
    let error = RemoteSource::open("s3://bucket/m.gzcm", &options).unwrap_err();
    assert!(matches!(error, RemoteError::Store { .. } | RemoteError::Timeout { .. }), "{error}");
    assert!(started.elapsed() < Duration::from_secs(60), "took {:?}", started.elapsed());
    drop(listener);
}

#[test]
fn sixteen_concurrent_readers_get_exact_windows() {
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let local = local_file(dir.path(), 4, 700);
    let url = upload(&server, &local, "concurrent/m.gzcm");
    let expected = Reader::open(&local).unwrap();
    let shared = open_remote(&server, &url, ReaderOptions::new().cache_bytes(1 << 20)).0;
    std::thread::scope(|scope| {
        for k in 0..16u64 {
            let (server, url, expected, shared) = (&server, &url, &expected, &shared);
            scope.spawn(move || {
                // Half the threads open their own reader, half share one.
                let own =
                    (k % 2 == 0).then(|| open_remote(server, url, ReaderOptions::new().cache_bytes(0)).0);
                let reader = own.as_ref().unwrap_or(shared);
                let mut rng = SplitMix64::new(k);
                for _ in 0..4 {
                    let (r, c) = (rng.below(700 - 256), rng.below(700 - 256));
                    let window: TileData = reader.window(r..r + 256, c..c + 256).unwrap();
                    assert_eq!(window, expected.window(r..r + 256, c..c + 256).unwrap());
                }
            });
        }
    });
}

#[test]
fn an_interrupted_upload_leaves_no_object_and_a_finished_one_appears_whole() {
    let Some(server) = server() else { return };
    let options = options(&server);
    let url = url("uploads/interrupted.gzcm");
    let mut writer = RemoteWriter::create(&url, &options).unwrap();
    let part = vec![7u8; 6 << 20];
    std::io::Write::write_all(&mut writer, &part).unwrap();
    // Dropped before finish: the multipart upload is aborted.
    drop(writer);
    let error = RemoteSource::open(&url, &options).unwrap_err();
    assert!(matches!(error, RemoteError::NotFound { .. }), "{error}");

    let mut writer = RemoteWriter::create(&url, &options).unwrap();
    std::io::Write::write_all(&mut writer, &part).unwrap();
    std::io::Write::write_all(&mut writer, b"tail").unwrap();
    // Written but not finished: nothing is visible yet.
    assert!(matches!(RemoteSource::open(&url, &options), Err(RemoteError::NotFound { .. })));
    assert_eq!(writer.finish().unwrap(), part.len() as u64 + 4);
    let source = RemoteSource::open(&url, &options).unwrap();
    assert_eq!(source.len(), part.len() as u64 + 4);
    let tail = source.read_ranges(std::slice::from_ref(&(source.len() - 4..source.len()))).unwrap();
    assert_eq!(&tail[0][..], b"tail");

    let refused = RemoteWriter::create(&url, &options.clone().overwrite(false)).unwrap_err();
    assert!(matches!(refused, RemoteError::Exists { .. }), "{refused}");
}

#[test]
fn an_object_replaced_after_open_is_a_typed_changed_error_for_every_version() {
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    // A small first read, so every window below needs ranged requests after the open.
    let remote = options(&server).first_read_bytes(4096);
    for version in 1..=4u32 {
        let write = |seed: u64, name: &str| {
            let path = dir.path().join(format!("{name}-v{version}.gzcm"));
            let mut builder = gzcm_container::Writer::builder(&path, 300, 300).version(version).tile_size(64);
            if version >= 3 {
                builder = builder.codec("zstd");
            }
            builder.write_array(matrix(300, seed).view()).unwrap();
            path
        };
        let (first, second) = (write(7, "first"), write(8, "second"));
        let url = upload(&server, &first, &format!("changed/m-v{version}.gzcm"));
        let source = Arc::new(RemoteSource::open(&url, &remote).unwrap());
        let reader = Reader::open_source(source, ReaderOptions::new().cache_bytes(0)).unwrap();
        let expected = Reader::open(&first).unwrap();
        assert_eq!(reader.window(200..300, 0..300).unwrap(), expected.window(200..300, 0..300).unwrap());
        // Replaced under the open reader: no read may mix the two objects.
        upload(&server, &second, &format!("changed/m-v{version}.gzcm"));
        let error = reader.window(100..300, 0..300).unwrap_err();
        let remote_error = RemoteError::from_container(&error);
        assert!(
            matches!(remote_error, Some(RemoteError::Changed { .. })),
            "v{version}: expected an object-changed error, got {error}"
        );
        assert!(error.to_string().contains("changed after it was opened"), "{error}");
        // Opened again, it reads the new object.
        let reopened = Arc::new(RemoteSource::open(&url, &remote).unwrap());
        let reader = Reader::open_source(reopened, ReaderOptions::new().cache_bytes(0)).unwrap();
        let expected = Reader::open(&second).unwrap();
        assert_eq!(reader.window(100..300, 0..300).unwrap(), expected.window(100..300, 0..300).unwrap());
    }
}

#[test]
fn one_timeout_bounds_a_stalled_server() {
    // Accepts connections and never answers: with the overall timeout at 1 s the open fails
    // within it, whatever the per-request settings.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let options = RemoteOptions::new()
        .endpoint(endpoint)
        .config("aws_access_key_id", "testing")
        .config("aws_secret_access_key", "testing")
        .config("aws_region", "us-east-1")
        .timeout(Duration::from_secs(1));
    let started = Instant::now();
    let error = RemoteSource::open("s3://bucket/m.gzcm", &options).unwrap_err();
    assert!(matches!(error, RemoteError::Timeout { .. }), "{error}");
    // Not a timing benchmark: the default (60 s) would be far above this bound.
    assert!(started.elapsed() < Duration::from_secs(15), "took {:?}", started.elapsed());
    drop(listener);
}
