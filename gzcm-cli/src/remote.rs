//! Object-store locations on the command line: `info`, `extract` and `verify` open
//! `s3://…`, `gs://…`, `az://…` and `http(s)://…` URLs like local files, and `convert` uploads
//! its output to such a URL (written locally first, then sent with a multipart upload, so the
//! object appears only when complete). The endpoint comes from `--endpoint`, else
//! `GZCM_ENDPOINT`, else the store's own environment (`AWS_ENDPOINT_URL`, …); the most one
//! operation may take from `--timeout`, else `GZCM_TIMEOUT`, else 60 s.

use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use gzcm_container::{ContainerError, GzcmFile, Reader, ReaderOptions};
use gzcm_remote::{RemoteError, RemoteOptions, RemoteSource, is_url};

use crate::cmd::convert::{self, ConvertArgs};
use crate::out::outln;
use crate::safety::ScratchDir;

/// `--endpoint` and `--timeout` of this run.
#[derive(Debug)]
struct Settings {
    endpoint: Option<String>,
    timeout: Option<Duration>,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Records `--endpoint` and `--timeout` for every remote access of this run.
pub(crate) fn set_settings(endpoint: Option<String>, timeout: Option<Duration>) {
    let _ = SETTINGS.set(Settings { endpoint, timeout });
}

/// The environment's options, overridden by the flags.
fn options() -> Result<RemoteOptions, RemoteError> {
    let mut options = RemoteOptions::from_env()?;
    if let Some(settings) = SETTINGS.get() {
        if let Some(endpoint) = &settings.endpoint {
            options = options.endpoint(endpoint);
        }
        if let Some(timeout) = settings.timeout {
            options = options.timeout(timeout);
        }
    }
    Ok(options)
}

/// The URL `path` spells, when it is one.
fn url_of(path: &Path) -> Option<&str> {
    path.to_str().filter(|text| is_url(text))
}

/// Opens a local file or an object-store URL (`gzcm_remote::open_path_or_url`; a path that is
/// not UTF-8 is no URL).
pub(crate) fn open(path: &Path, reader: ReaderOptions) -> Result<Reader, ContainerError> {
    match path.to_str() {
        Some(location) => {
            let remote = options().map_err(|e| e.into_container(location))?;
            gzcm_remote::open_path_or_url(location, &remote, reader)
        }
        None => Reader::open_with(path, reader),
    }
}

/// Opens a local file or an object-store URL of either kind: a single-resolution file or a
/// multi-resolution collection.
pub(crate) fn open_file(path: &Path, reader: ReaderOptions) -> Result<GzcmFile, ContainerError> {
    match url_of(path) {
        Some(url) => {
            let remote = options().map_err(|e| e.into_container(url))?;
            let source = RemoteSource::open(url, &remote).map_err(|e| e.into_container(url))?;
            GzcmFile::open_source(Arc::new(source), reader)
        }
        None => GzcmFile::open_with(path, reader),
    }
}

/// `gzcm convert`, uploading the output when it is a URL.
pub(crate) fn convert(mut args: ConvertArgs) -> anyhow::Result<()> {
    let Some(url) = url_of(&args.output).map(str::to_owned) else {
        return convert::run(&args);
    };
    let options = options()?.overwrite(args.overwrite);
    if !args.overwrite && RemoteSource::open(&url, &options).is_ok() {
        anyhow::bail!("{url} already exists; pass --overwrite to replace it");
    }
    // Written in full locally (the writer needs a seekable file), then uploaded.
    let scratch = ScratchDir::new("gzcm-upload")?;
    let name = url.rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("output.gzcm");
    args.output = scratch.path().join(name);
    convert::run(&args)?;
    let bytes = gzcm_remote::upload_file(&args.output, &url, &options)?;
    outln!("  uploaded {bytes} bytes to {url}")?;
    Ok(())
}
