//! The process-wide tokio runtime that runs every remote call (the API is synchronous).

use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

use tokio::runtime::Runtime;

use crate::error::RemoteError;

static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();

/// The shared runtime (two worker threads: requests are I/O-bound).
pub(crate) fn runtime() -> Result<&'static Runtime, RemoteError> {
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("gzcm-remote")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|message| RemoteError::Runtime(std::io::Error::other(message.clone())))
}

/// Runs `future` to completion on the runtime, giving up after `deadline`.
///
/// Must not be called from inside an async context.
pub(crate) fn block_on<T>(
    url: &str,
    what: &'static str,
    deadline: Duration,
    future: impl Future<Output = Result<T, RemoteError>>,
) -> Result<T, RemoteError> {
    let runtime = runtime()?;
    // The timer must be created inside the runtime.
    match runtime.block_on(async { tokio::time::timeout(deadline, future).await }) {
        Ok(result) => result,
        Err(_) => Err(RemoteError::Timeout { url: url.to_owned(), what, after: deadline }),
    }
}
