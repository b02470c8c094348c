//! Object-store locations on the command line: `info`, `extract` and `verify` open
//! `s3://…`, `gs://…`, `az://…` and `http(s)://…` URLs like local files, and `convert` uploads
//! its output to such a URL (written locally first, then sent with a multipart upload, so the
//! object appears only when complete). The endpoint comes from `--endpoint`, else
//! `GZCM_ENDPOINT`, else the store's own environment (`AWS_ENDPOINT_URL`, …).

use std::path::Path;
use std::sync::OnceLock;

use gzcm_container::{ContainerError, Reader, ReaderOptions};
use gzcm_remote::{RemoteOptions, RemoteSource, is_url};

use crate::cmd::convert::{self, ConvertArgs};

static ENDPOINT: OnceLock<Option<String>> = OnceLock::new();

/// Records `--endpoint` for every remote access of this run.
pub(crate) fn set_endpoint(endpoint: Option<String>) {
    let _ = ENDPOINT.set(endpoint);
}

fn options() -> RemoteOptions {
    let options = RemoteOptions::from_env();
    match ENDPOINT.get().and_then(Option::as_deref) {
        Some(endpoint) => options.endpoint(endpoint),
        None => options,
    }
}

/// The URL `path` spells, when it is one.
fn url_of(path: &Path) -> Option<&str> {
    path.to_str().filter(|text| is_url(text))
}

/// Opens a local file or an object-store URL (`gzcm_remote::open_path_or_url`; a path that is
/// not UTF-8 is no URL).
pub(crate) fn open(path: &Path, reader: ReaderOptions) -> Result<Reader, ContainerError> {
    match path.to_str() {
        Some(location) => gzcm_remote::open_path_or_url(location, &options(), reader),
        None => Reader::open_with(path, reader),
    }
}

/// `gzcm convert`, uploading the output when it is a URL.
pub(crate) fn convert(mut args: ConvertArgs) -> anyhow::Result<()> {
    let Some(url) = url_of(&args.output).map(str::to_owned) else {
        return convert::run(&args);
    };
    let options = options().overwrite(args.overwrite);
    if !args.overwrite && RemoteSource::open(&url, &options).is_ok() {
        anyhow::bail!("{url} already exists; pass --overwrite to replace it");
    }
    // Written in full locally (the writer needs a seekable file), then uploaded.
    let scratch = tempfile::Builder::new().prefix("gzcm-upload").tempdir()?;
    let name = url.rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("output.gzcm");
    args.output = scratch.path().join(name);
    convert::run(&args)?;
    let bytes = gzcm_remote::upload_file(&args.output, &url, &options)?;
    println!("  uploaded {bytes} bytes to {url}");
    Ok(())
}
