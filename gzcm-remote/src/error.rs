//! Typed errors of remote access.

use std::io;
use std::time::Duration;

use gzcm_container::ContainerError;

/// What went wrong talking to an object store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteError {
    /// The location is not a URL this crate opens.
    #[error("`{url}` is not an object-store URL: {reason}")]
    BadUrl {
        /// The location given.
        url: String,
        /// Why.
        reason: String,
    },
    /// The object (or its bucket/container) does not exist.
    #[error("`{url}` does not exist (no such object or bucket): {message}")]
    NotFound {
        /// The object's URL.
        url: String,
        /// The store's message.
        message: String,
    },
    /// The credentials were refused or missing.
    #[error("access to `{url}` was refused: {message}")]
    Denied {
        /// The object's URL.
        url: String,
        /// The store's message.
        message: String,
    },
    /// No answer within the configured time (requests, retries and back-off included).
    #[error("`{url}`: {what} did not finish within {after:?} (dead or slow server?)")]
    Timeout {
        /// The object's URL.
        url: String,
        /// The operation.
        what: &'static str,
        /// The time allowed.
        after: Duration,
    },
    /// Any other failure of the store (connection refused, HTTP errors after the retries …).
    #[error("`{url}`: {what} failed: {source}")]
    Store {
        /// The object's URL.
        url: String,
        /// The operation.
        what: &'static str,
        /// The store's error.
        #[source]
        source: object_store::Error,
    },
    /// The store answered with something other than what was asked.
    #[error("`{url}`: {reason}")]
    Protocol {
        /// The object's URL.
        url: String,
        /// What was wrong.
        reason: String,
    },
    /// The object was replaced or changed after it was opened: reading on would mix bytes of two
    /// objects. Open it again to read the new one.
    #[error(
        "`{url}` changed after it was opened (it was ETag {e_tag}); open it again to read the new \
         object ({detail})"
    )]
    Changed {
        /// The object's URL.
        url: String,
        /// The ETag seen at open.
        e_tag: String,
        /// The store's report.
        detail: String,
    },
    /// The object already exists and overwriting was not asked for.
    #[error("`{url}` already exists (pass overwrite to replace it)")]
    Exists {
        /// The object's URL.
        url: String,
    },
    /// A local file could not be read (uploads).
    #[error("could not read `{path}`: {source}")]
    Local {
        /// The local path.
        path: String,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// A setting (a flag or an environment variable) has a value it cannot take.
    #[error("{setting}={value}: {reason}")]
    Setting {
        /// The flag or variable.
        setting: &'static str,
        /// The value given.
        value: String,
        /// Why it is refused.
        reason: String,
    },
    /// The internal runtime could not start.
    #[error("could not start the network runtime: {0}")]
    Runtime(#[source] io::Error),
}

impl RemoteError {
    /// The store error `source` of `what` on `url`, classified.
    pub(crate) fn store(url: &str, what: &'static str, source: object_store::Error) -> Self {
        let url = url.to_owned();
        match source {
            object_store::Error::NotFound { source, .. } => {
                RemoteError::NotFound { url, message: source.to_string() }
            }
            object_store::Error::PermissionDenied { source, .. }
            | object_store::Error::Unauthenticated { source, .. } => {
                RemoteError::Denied { url, message: source.to_string() }
            }
            source => RemoteError::Store { url, what, source },
        }
    }

    /// The I/O error kind that best describes this error.
    #[must_use]
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            RemoteError::BadUrl { .. } | RemoteError::Setting { .. } => io::ErrorKind::InvalidInput,
            RemoteError::NotFound { .. } => io::ErrorKind::NotFound,
            RemoteError::Denied { .. } => io::ErrorKind::PermissionDenied,
            RemoteError::Timeout { .. } => io::ErrorKind::TimedOut,
            RemoteError::Exists { .. } => io::ErrorKind::AlreadyExists,
            RemoteError::Local { source, .. } | RemoteError::Runtime(source) => source.kind(),
            RemoteError::Protocol { .. } | RemoteError::Changed { .. } => io::ErrorKind::InvalidData,
            RemoteError::Store { .. } => io::ErrorKind::Other,
        }
    }

    /// As an I/O error (for [`gzcm_container::ByteSource`]); the typed error stays inside.
    #[must_use]
    pub fn into_io(self) -> io::Error {
        io::Error::new(self.kind(), self)
    }

    /// As a [`ContainerError::Io`] about `url`.
    #[must_use]
    pub fn into_container(self, url: &str) -> ContainerError {
        ContainerError::Io { action: "open", path: url.into(), source: self.into_io() }
    }

    /// The remote error inside a container error, if it holds one.
    #[must_use]
    pub fn from_container(error: &ContainerError) -> Option<&RemoteError> {
        match error {
            ContainerError::Io { source, .. } => source.get_ref()?.downcast_ref::<RemoteError>(),
            _ => None,
        }
    }
}
