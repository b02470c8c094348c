//! Remote reads against a real S3 server (moto on 127.0.0.1; see `gzcm_test_support::moto`)
//! and the parallel window decode, for each `.gzcm` file given:
//!
//! `cargo run --release -p gzcm-bench --example remote_window -- FILE... [--windows N] [--delay-ms D]`
//!
//! Per file: requests and bytes of `open`; per cold 256² window (cache off, random origins,
//! seeded) the median requests, bytes fetched and the stored bytes of the window's tiles; the
//! median window latency through a local TCP proxy that delays every client→server chunk by
//! `D` ms (default 20: one added delay per request round trip), and locally from the memory
//! map with 1 decode thread vs all cores.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gzcm_container::{ByteSource, Reader, ReaderOptions};
use gzcm_remote::{RemoteOptions, RemoteSource, upload_file};
use gzcm_test_support::moto::MotoServer;

#[path = "common/windows.rs"]
mod windows;

use windows::{WINDOW, median, origins, time_windows};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let windows: usize = flag(&args, "--windows").unwrap_or(25);
    let delay = Duration::from_millis(flag(&args, "--delay-ms").unwrap_or(20));
    let _ = gzcm::list_codecs();
    let Some(server) = MotoServer::start() else { std::process::exit(1) };
    server.create_bucket("bench");
    let proxy = DelayProxy::start(server.addr(), delay);
    let direct = options(&server.endpoint());
    let delayed = options(&proxy);
    println!(
        "| file | open requests | open bytes | window requests | window bytes fetched | window tile bytes | \
         fetched ÷ tile bytes | window ms (+{} ms/round trip) | window ms (no delay) | local window ms, 1 thread | local window ms, {} threads |",
        delay.as_millis(),
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for path in args.iter().filter(|a| a.ends_with(".gzcm")) {
        let name = std::path::Path::new(path).file_name().unwrap().to_string_lossy().into_owned();
        let url = format!("s3://bench/{name}");
        upload_file(path.as_ref(), &url, &direct).expect("upload");
        let local = Reader::open_with(path, ReaderOptions::new().cache_bytes(0)).expect("open local");
        let origins = origins(&local, windows);

        let source = Arc::new(RemoteSource::open(&url, &direct).expect("open remote"));
        let reader = Reader::open_source(
            Arc::clone(&source) as Arc<dyn ByteSource>,
            ReaderOptions::new().cache_bytes(0),
        )
        .expect("open remote reader");
        let open = source.stats();
        let (mut requests, mut fetched, mut tile_bytes, mut direct_ms) = (vec![], vec![], vec![], vec![]);
        for &(r, c) in &origins {
            let before = source.stats();
            let start = Instant::now();
            std::hint::black_box(reader.window(r..r + WINDOW, c..c + WINDOW).expect("window"));
            direct_ms.push(start.elapsed().as_secs_f64() * 1e3);
            let after = source.stats();
            requests.push((after.requests - before.requests) as f64);
            fetched.push((after.bytes - before.bytes) as f64);
            tile_bytes.push(window_tile_bytes(&local, r, c) as f64);
        }
        let slow = gzcm_remote::open_reader(&url, &delayed, ReaderOptions::new().cache_bytes(0))
            .expect("open via proxy");
        let delayed_ms = time_windows(&slow, &origins);
        let serial =
            Reader::open_with(path, ReaderOptions::new().cache_bytes(0).decode_threads(1)).expect("open");
        let serial_ms = time_windows(&serial, &origins);
        let parallel_ms = time_windows(&local, &origins);
        let ratio = fetched.iter().sum::<f64>() / tile_bytes.iter().sum::<f64>().max(1.0);
        println!(
            "| {name} | {} | {} | {:.0} | {:.0} | {:.0} | {ratio:.3} | {:.1} | {:.1} | {:.2} | {:.2} |",
            open.requests,
            open.bytes,
            median(&mut requests),
            median(&mut fetched),
            median(&mut tile_bytes),
            median(&mut delayed_ms.clone()),
            median(&mut direct_ms),
            median(&mut serial_ms.clone()),
            median(&mut parallel_ms.clone()),
        );
    }
}

/// The value after `--name` on the command line.
fn flag<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok())
}

fn options(endpoint: &str) -> RemoteOptions {
    RemoteOptions::new()
        .endpoint(endpoint)
        .config("aws_access_key_id", "bench")
        .config("aws_secret_access_key", "bench")
        .config("aws_region", "us-east-1")
}

/// Stored bytes of the distinct stored tiles under the window at `(r, c)`.
fn window_tile_bytes(reader: &Reader, r: u64, c: u64) -> u64 {
    let t = u64::from(reader.tile_size());
    let (rows, cols) = reader.shape();
    let tiles = |start: u64, n: u64| start / t..=((start + WINDOW).min(n) - 1) / t;
    let mut wanted = std::collections::HashSet::new();
    for i in tiles(r, rows) {
        for j in tiles(c, cols) {
            let (i, j) = (u32::try_from(i).unwrap(), u32::try_from(j).unwrap());
            wanted.insert(if reader.symmetric() { (i.min(j), i.max(j)) } else { (i, j) });
        }
    }
    reader
        .stored_tiles()
        .filter(|e| wanted.contains(&(e.tile_row, e.tile_col)))
        .map(|e| {
            e.record.map_or(u64::from(e.shape.rows) * u64::from(e.shape.cols) * 4, |r| u64::from(r.length))
        })
        .sum()
}

/// A TCP proxy on 127.0.0.1 that holds every chunk from the client for `delay` before passing
/// it on: one added delay per request/response round trip. Its threads end with the process.
struct DelayProxy;

impl DelayProxy {
    /// Starts the proxy in front of `upstream`; returns its `http://` endpoint.
    fn start(upstream: std::net::SocketAddr, delay: Duration) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let endpoint = format!("http://{}", listener.local_addr().expect("proxy address"));
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(upstream) else { continue };
                let (Ok(client2), Ok(server2)) = (client.try_clone(), server.try_clone()) else { continue };
                std::thread::spawn(move || pump(client, server, delay));
                std::thread::spawn(move || pump(server2, client2, Duration::ZERO));
            }
        });
        endpoint
    }
}

fn pump(mut from: TcpStream, mut to: TcpStream, delay: Duration) {
    let mut buffer = vec![0u8; 64 << 10];
    while let Ok(n) = from.read(&mut buffer) {
        if n == 0 {
            break;
        }
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        if to.write_all(&buffer[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}
