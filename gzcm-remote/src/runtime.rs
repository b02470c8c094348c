//! The process-wide tokio runtime that runs every remote call (the API is synchronous).

use std::future::Future;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::runtime::Runtime;

use crate::error::RemoteError;

/// The runtime and the process that built it: a forked child (Python data-loader workers)
/// inherits the memory but not the worker threads, so it builds its own.
static RUNTIME: Mutex<Option<(u32, &'static Runtime)>> = Mutex::new(None);

/// This process's shared runtime (two worker threads: requests are I/O-bound).
pub(crate) fn runtime() -> Result<&'static Runtime, RemoteError> {
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((owner, runtime)) = *slot
        && owner == pid
    {
        return Ok(runtime);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("gzcm-remote")
        .enable_all()
        .build()
        .map_err(RemoteError::Runtime)?;
    // Lives for the rest of the process (a parent's runtime cannot be dropped in a child).
    let runtime: &'static Runtime = Box::leak(Box::new(runtime));
    *slot = Some((pid, runtime));
    Ok(runtime)
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
