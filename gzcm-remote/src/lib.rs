//! `.gzcm` files in object storage: read them in place, write them with multipart upload.
//!
//! [`RemoteSource`] is a [`gzcm_container::ByteSource`] over an object in S3 (`s3://`), Google
//! Cloud Storage (`gs://`), Azure Blob Storage (`az://`) or plain HTTP(S) (`http(s)://`),
//! through the `object_store` crate: [`open_reader`] gives the same [`Reader`] as a local file.
//! [`RemoteWriter`] uploads with a multipart upload, so the object appears under its name only
//! when complete. Credentials and endpoints come from the usual environment variables
//! (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_ENDPOINT_URL`, `AWS_REGION`,
//! `AWS_ALLOW_HTTP`, `GOOGLE_*`, `AZURE_*`) plus [`RemoteOptions`]. Every call is synchronous,
//! run on a small internal tokio runtime, bounded by the options' timeouts and retries.
//!
//! This crate holds every network dependency, so `gzcm-container` stays free of them.

mod error;
mod options;
mod runtime;
mod source;
mod store;
mod upload;

use std::sync::Arc;

use gzcm_container::resolution_uri::{ResolutionUriError, split_resolution};
use gzcm_container::{ContainerError, GzcmFile, Reader, ReaderOptions};

pub use error::RemoteError;
pub use options::{DEFAULT_TIMEOUT, RemoteOptions, TIMEOUT_ENV, parse_timeout};
pub use source::{RemoteSource, RequestStats};
pub use upload::{RemoteWriter, upload_file};

/// Whether `location` names an object-store URL this crate opens (`s3://`, `s3a://`, `gs://`,
/// `az://`, `azure://`, `abfs(s)://`, `http://`, `https://`) rather than a local path.
#[must_use]
pub fn is_url(location: &str) -> bool {
    const SCHEMES: [&str; 8] = ["s3", "s3a", "gs", "az", "azure", "abfs", "abfss", "http"];
    location.split_once("://").is_some_and(|(scheme, _)| {
        let scheme = scheme.to_ascii_lowercase();
        SCHEMES.contains(&scheme.as_str()) || scheme == "https"
    })
}

/// Opens the `.gzcm` object at `url` with one request for its first block (and at most one
/// round more for the rest of its structure). A multi-resolution object is
/// [`ContainerError::ResolutionRequired`]; see [`open_path_or_url`].
///
/// # Errors
/// [`ContainerError::Io`] carrying a [`RemoteError`] (see [`RemoteError::from_container`])
/// when the object cannot be reached, and every error of [`Reader::open_source`].
pub fn open_reader(
    url: &str,
    remote: &RemoteOptions,
    options: ReaderOptions,
) -> Result<Reader, ContainerError> {
    open_file(url, remote, options)?.into_reader(None)
}

/// Opens a local path or an object-store URL ([`is_url`]) as a file of either kind: a
/// single-resolution file or a multi-resolution collection (whose header alone is read).
///
/// # Errors
/// As [`GzcmFile::open_with`]; for a URL, [`ContainerError::Io`] carrying a [`RemoteError`]
/// when the object cannot be reached.
pub fn open_file(
    location: &str,
    remote: &RemoteOptions,
    options: ReaderOptions,
) -> Result<GzcmFile, ContainerError> {
    if is_url(location) {
        let source = RemoteSource::open(location, remote).map_err(|e| e.into_container(location))?;
        GzcmFile::open_source(Arc::new(source), options)
    } else {
        GzcmFile::open_with(location, options)
    }
}

/// Opens `spec` — a local path or an object-store URL, optionally followed by cooler's
/// `::/resolutions/R` — at a resolution: the one the URI names, or `resolution`
/// (`--resolution R`, `resolution=R`); both may be given only when they agree. The rule for
/// which files need one is [`gzcm_container::open_resolution`]'s: a multi-resolution file
/// without a resolution is [`ContainerError::ResolutionRequired`], listing them.
///
/// # Errors
/// [`ContainerError::ResolutionUri`] for a malformed `::` part or a resolution given twice
/// differently; then as [`open_file`] and [`GzcmFile::into_reader`].
pub fn open_path_or_url(
    spec: &str,
    resolution: Option<u64>,
    remote: &RemoteOptions,
    options: ReaderOptions,
) -> Result<Reader, ContainerError> {
    let (location, resolution) = resolve(spec, resolution)?;
    open_file(location, remote, options)?.into_reader(resolution)
}

/// The location and resolution `spec` and `resolution` name together.
///
/// # Errors
/// [`ContainerError::ResolutionUri`] as [`open_path_or_url`] says.
pub fn resolve(spec: &str, resolution: Option<u64>) -> Result<(&str, Option<u64>), ContainerError> {
    let (location, named) = split_resolution(spec)?;
    match (named, resolution) {
        (Some(named), Some(given)) if named != given => {
            Err(ResolutionUriError::Conflict { spec: spec.to_owned(), given }.into())
        }
        (named, given) => Ok((location, named.or(given))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths() {
        for url in ["s3://b/k.gzcm", "S3://b/k", "gs://b/k", "az://c/k", "http://h:1/k", "https://h/k"] {
            assert!(is_url(url), "{url}");
        }
        for path in ["k.gzcm", "/tmp/k.gzcm", "./s3:/x", "file:///tmp/x", "ftp://h/k"] {
            assert!(!is_url(path), "{path}");
        }
    }
}
