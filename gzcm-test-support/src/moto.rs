//! A real S3-compatible server for tests and benchmarks: moto (`pip install "moto[server]"`),
//! started on a free port of 127.0.0.1 and stopped on drop.
//!
//! The executable is `$GZCM_MOTO_SERVER`, else `target/py-venv/bin/moto_server` (the venv that
//! `scripts/test-python` and `scripts/test-all` make), else `moto_server` on `PATH`.
//! [`MotoServer::start`] returns `None` after printing why when none can be started, or panics
//! saying why under `GZCM_REQUIRE_TEST_DATA=1` (see [`crate::unavailable`]).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::require::unavailable;

/// A running moto server; killed when dropped.
#[derive(Debug)]
pub struct MotoServer {
    child: Option<Child>,
    addr: SocketAddr,
}

impl MotoServer {
    /// Starts moto on a free port and waits until it answers, or prints why it cannot and
    /// returns `None` (the caller skips).
    ///
    /// # Panics
    /// Under `GZCM_REQUIRE_TEST_DATA=1` when moto cannot be found or started, saying where it
    /// was looked for or how it failed.
    #[track_caller]
    #[must_use]
    pub fn start() -> Option<MotoServer> {
        let program = match find_executable() {
            Ok(program) => program,
            Err(looked) => {
                return unavailable(&format!(
                    "no moto S3 server: {looked} (set GZCM_MOTO_SERVER, run scripts/test-python, or \
                     `pip install \"moto[server]\"`)"
                ));
            }
        };
        // A free port: bind to port 0, note it, release it for moto.
        let port = match TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()) {
            Ok(addr) => addr.port(),
            Err(e) => return unavailable(&format!("no free port on 127.0.0.1 for moto: {e}")),
        };
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match child {
            Ok(child) => child,
            Err(e) => return unavailable(&format!("could not start moto at {}: {e}", program.display())),
        };
        let mut server = MotoServer { child: Some(child), addr: SocketAddr::from(([127, 0, 0, 1], port)) };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if server.request("GET", "/", b"").is_some_and(|status| status < 500) {
                return Some(server);
            }
            if let Some(Ok(Some(status))) = server.child.as_mut().map(Child::try_wait) {
                return unavailable(&format!("moto at {} exited at start ({status})", program.display()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        server.stop();
        unavailable(&format!("moto at {} did not answer on {} within 30 s", program.display(), server.addr))
    }

    /// `http://127.0.0.1:PORT`.
    #[must_use]
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The server's address.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Creates bucket `name` (path-style `PUT /name`); panics when moto refuses.
    pub fn create_bucket(&self, name: &str) {
        let status = self.request("PUT", &format!("/{name}"), b"");
        assert!(status.is_some_and(|s| s < 300), "moto refused to create bucket {name}: {status:?}");
    }

    /// Stops the server (also done on drop).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Sends one unsigned HTTP/1.1 request (moto does not check signatures) and returns the
    /// status code.
    fn request(&self, method: &str, path: &str, body: &[u8]) -> Option<u16> {
        let mut stream = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.addr,
            body.len()
        );
        stream.write_all(head.as_bytes()).ok()?;
        stream.write_all(body).ok()?;
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let line = String::from_utf8_lossy(&response);
        line.split_whitespace().nth(1)?.parse().ok()
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The moto executable, or where it was looked for in vain.
fn find_executable() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("GZCM_MOTO_SERVER").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    // This crate sits at the workspace root's first level.
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/py-venv/bin/moto_server");
    if venv.is_file() {
        return Ok(venv);
    }
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path).map(|dir| dir.join("moto_server")).find(|p| p.is_file())
    });
    on_path.ok_or_else(|| {
        format!("GZCM_MOTO_SERVER is unset, {} does not exist, and no moto_server is on PATH", venv.display())
    })
}
