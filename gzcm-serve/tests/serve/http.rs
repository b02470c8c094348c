//! The API over a real server on 127.0.0.1: hostile tile ids and paths get 4xx answers (never
//! a panic, never a file outside the page's directory), and concurrent clients get the tiles
//! a single caller gets.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;

use gzcm_serve::{Assets, Catalog, router, serve};
use gzcm_test_support::SplitMix64;

/// A server on a free port of 127.0.0.1, stopped when dropped.
struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(catalog: Arc<Catalog>, assets: Option<Arc<Assets>>) -> Server {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let shutdown = async move {
                let _ = stopped.await;
            };
            runtime.block_on(serve(listener, router(catalog, assets), shutdown)).unwrap();
        });
        Server { addr, stop: Some(stop), thread: Some(thread) }
    }

    /// `GET target` as sent (no normalisation): the status and the body.
    fn get(&self, target: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        write!(stream, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let text = String::from_utf8_lossy(&response).into_owned();
        let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = text.split_once("\r\n\r\n").map_or(String::new(), |(_, b)| b.to_owned());
        (status, body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The toy file's catalog, and a page directory beside a secret file it must not serve.
fn setup(dir: &Path) -> (Arc<Catalog>, Arc<Assets>) {
    let catalog = Arc::new(super::catalog(dir, true));
    let page = dir.join("page");
    std::fs::create_dir(&page).unwrap();
    std::fs::write(page.join("index.html"), "<html>viewer</html>").unwrap();
    std::fs::write(page.join("app.js"), "console.log(1)").unwrap();
    std::fs::write(dir.join("secret.txt"), "SECRET-BYTES").unwrap();
    std::fs::create_dir(page.join("sub")).unwrap();
    std::fs::write(page.join("sub").join("inner.js"), "SECRET-BYTES").unwrap();
    std::os::unix::fs::symlink(dir.join("secret.txt"), page.join("link.txt")).unwrap();
    (catalog, Arc::new(Assets::load(&page).unwrap()))
}

#[test]
fn the_api_answers_as_the_higlass_server() {
    let dir = tempfile::tempdir().unwrap();
    let (catalog, assets) = setup(dir.path());
    let server = Server::start(Arc::clone(&catalog), Some(assets));
    let (status, body) = server.get("/api/v1/tileset_info/?d=toy");
    let info: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!((status, &info["toy"]["resolutions"]), (200, &serde_json::json!([10])));
    assert_eq!(info["toy"]["datatype"], "matrix");
    let (status, body) = server.get("/api/v1/tiles/?d=toy.0.0.0&d=toy.0.0.1.weight&d=toy.0.0.0");
    let tiles: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(status, 200);
    assert_eq!(tiles.as_object().unwrap().len(), 2, "{body}");
    assert_eq!(tiles["toy.0.0.1.weight"]["dtype"], "float32", "NaN weights");
    let (status, body) = server.get("/api/v1/tilesets/");
    let list: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (status, &list["count"], &list["results"][0]["uuid"]),
        (200, &serde_json::json!(1), &"toy".into())
    );
    assert_eq!(server.get("/").1, "<html>viewer</html>");
    assert_eq!(server.get("/static/app.js"), (200, "console.log(1)".to_owned()));
}

#[test]
fn hostile_ids_and_paths_get_4xx_and_nothing_outside_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let (catalog, assets) = setup(dir.path());
    let server = Server::start(catalog, Some(assets));
    let many: String = (0..1001).map(|i| format!("d=toy.0.0.{i}&")).collect();
    let hostile = [
        "/api/v1/tiles/?d=toy.-1.0.0".to_owned(),
        "/api/v1/tiles/?d=toy.0.-1.0".to_owned(),
        "/api/v1/tiles/?d=toy.99.0.0".to_owned(),
        "/api/v1/tiles/?d=toy.0.18446744073709551615.0".to_owned(),
        "/api/v1/tiles/?d=toy.0.0.99999999999999999999999".to_owned(),
        "/api/v1/tiles/?d=toy.18446744073709551615.0.0".to_owned(),
        "/api/v1/tiles/?d=toy.0.2.0".to_owned(),
        "/api/v1/tiles/?d=toy.a.b.c".to_owned(),
        "/api/v1/tiles/?d=toy.0.0".to_owned(),
        "/api/v1/tiles/?d=toy.0.0.0.KR".to_owned(),
        "/api/v1/tiles/?d=toy.0.0.0.weight.x".to_owned(),
        "/api/v1/tiles/?d=nope.0.0.0".to_owned(),
        "/api/v1/tiles/?d=toy.0.0.0&d=..%2F..%2Fetc%2Fpasswd.0.0.0".to_owned(),
        "/api/v1/tiles/?d=%zz".to_owned(),
        format!("/api/v1/tiles/?{many}"),
        "/api/v1/tileset_info/?d=nope".to_owned(),
        "/api/v1/tileset_info/?d=../secret".to_owned(),
        "/static/../secret.txt".to_owned(),
        "/static/..%2fsecret.txt".to_owned(),
        "/static/%2e%2e%2fsecret.txt".to_owned(),
        "/static/%2e%2e/%2e%2e/etc/passwd".to_owned(),
        "/../../etc/passwd".to_owned(),
        "/%2e%2e/%2e%2e/etc/passwd".to_owned(),
        "/static/link.txt".to_owned(),
        "/static/sub/inner.js".to_owned(),
        "/static/sub%2finner.js".to_owned(),
        "/static/".to_owned(),
        "/static/.".to_owned(),
        "/static/%00".to_owned(),
        "/etc/passwd".to_owned(),
    ];
    for target in &hostile {
        let (status, body) = server.get(target);
        assert!((400..500).contains(&status), "{target}: {status} {body}");
        assert!(!body.contains("SECRET") && !body.contains("root:"), "{target}: {body}");
    }
    // The server is still up and answers.
    assert_eq!(server.get("/api/v1/tiles/?d=toy.0.1.1").0, 200);
}

#[test]
fn concurrent_clients_get_the_tiles_of_a_single_caller() {
    let dir = tempfile::tempdir().unwrap();
    let (catalog, _) = setup(dir.path());
    let server = Arc::new(Server::start(Arc::clone(&catalog), None));
    let transforms = ["", ".weight", ".none"];
    let clients: Vec<_> = (0..8)
        .map(|client| {
            let (server, catalog) = (Arc::clone(&server), Arc::clone(&catalog));
            std::thread::spawn(move || {
                let mut rng = SplitMix64::new(client);
                for _ in 0..12 {
                    let (x, y) = (rng.below(2), rng.below(2));
                    let id = format!("toy.0.{x}.{y}{}", transforms[rng.below(3) as usize]);
                    let (status, body) = server.get(&format!("/api/v1/tiles/?d={id}"));
                    assert_eq!(status, 200, "{id}: {body}");
                    let served: serde_json::Value = serde_json::from_str(&body).unwrap();
                    assert_eq!(served, catalog.tiles([id.as_str()]).unwrap(), "{id}");
                }
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap();
    }
}
