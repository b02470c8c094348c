//! `gzcm serve FILE…`: the HiGlass server API for the files given (crate `gzcm-serve`), and
//! with the viewer page built (`scripts/web-build`), HiGlass itself at `/`.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use gzcm_serve::{Assets, Catalog};

use crate::args::parse_bytes;
use crate::out::outln;

/// Where `scripts/web-build` puts the viewer page in this repository.
const BUILT_PAGE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../web/dist");

/// The arguments of `gzcm serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The .gzcm files (single- or multi-resolution, with genomic bins), each served as a
    /// tileset whose id is its name without the extension (`yeast.gzcm` → `yeast`).
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// TCP port to listen on (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8989)]
    port: u16,
    /// Address to listen on; the default serves this machine only.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Memory for decoded tiles kept between requests, across all files and resolutions
    /// (e.g. 256M, 1G).
    #[arg(long, value_parser = parse_bytes, default_value = "256M")]
    cache: u64,
    /// The viewer page's directory: its plain files are served at / and /static/NAME
    /// (default: web/dist of this repository, built by scripts/web-build).
    #[arg(long, value_name = "DIR")]
    web: Option<PathBuf>,
    /// Open the viewer page (HiGlass showing every file) in the desktop's browser; the page
    /// must have been built (scripts/web-build).
    #[arg(long)]
    open: bool,
}

/// Runs `gzcm serve` until interrupted (Ctrl-C or SIGTERM).
pub(crate) fn run(args: &ServeArgs) -> anyhow::Result<()> {
    let cache = usize::try_from(args.cache).unwrap_or(usize::MAX);
    let catalog = Arc::new(Catalog::open(&args.files, cache)?);
    let page_dir = args.web.clone().unwrap_or_else(|| PathBuf::from(BUILT_PAGE));
    let assets = match Assets::load(&page_dir) {
        Ok(assets) => Some(Arc::new(assets)),
        Err(e) if args.open || args.web.is_some() => return Err(e.into()),
        Err(_) => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("gzcm-serve")
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async {
        let address = SocketAddr::new(args.bind, args.port);
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| format!("cannot listen on {address}"))?;
        let local = listener.local_addr()?;
        let url = format!("http://{local}/");
        let count = catalog.tilesets().len();
        outln!("gzcm serve: {count} tileset{} on {url}", if count == 1 { "" } else { "s" })?;
        for t in catalog.tilesets() {
            let resolutions: Vec<String> = t.resolutions().iter().map(u64::to_string).collect();
            let transforms =
                if t.transforms().is_empty() { "none".to_owned() } else { t.transforms().join(",") };
            outln!(
                "  {}  {}  resolutions {}  transforms {transforms}",
                t.uuid(),
                t.path().display(),
                resolutions.join(",")
            )?;
        }
        match &assets {
            Some(_) => outln!("viewer page: {url}")?,
            None => outln!("viewer page: not built (scripts/web-build); the API is at {url}api/v1/")?,
        }
        if args.open {
            open_browser(&url);
        }
        let router = gzcm_serve::router(Arc::clone(&catalog), assets);
        gzcm_serve::serve(listener, router, shutdown()).await.context("the server failed")
    })
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let terminated = async {
        match term.as_mut() {
            Some(signal) => {
                signal.recv().await;
            }
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminated => {}
    }
}

/// Asks the desktop to open `url` (xdg-open, or macOS's open); says so when it cannot.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    if let Err(e) = std::process::Command::new(opener).arg(url).spawn() {
        eprintln!("note: cannot run {opener} ({e}); open {url} in a browser");
    }
}
