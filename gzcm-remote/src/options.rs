//! How to reach an object store: endpoint, timeouts, retries, extra store settings.

use std::time::Duration;

use gzcm_container::DEFAULT_FIRST_READ_BYTES;

/// Options of remote access. Anything not set here comes from the environment (`AWS_*`,
/// `GOOGLE_*`, `AZURE_*`, as `object_store` reads them).
#[derive(Clone, Debug)]
#[must_use]
pub struct RemoteOptions {
    pub(crate) endpoint: Option<String>,
    pub(crate) config: Vec<(String, String)>,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) max_retries: usize,
    pub(crate) retry_timeout: Duration,
    pub(crate) first_read_bytes: u64,
    pub(crate) part_bytes: usize,
    pub(crate) overwrite: bool,
}

impl Default for RemoteOptions {
    fn default() -> Self {
        RemoteOptions {
            endpoint: None,
            config: Vec::new(),
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            max_retries: 3,
            retry_timeout: Duration::from_secs(60),
            first_read_bytes: DEFAULT_FIRST_READ_BYTES,
            part_bytes: 8 << 20,
            overwrite: true,
        }
    }
}

impl RemoteOptions {
    /// Defaults: 5 s to connect, 30 s per request, 3 retries within 60 s, 256 KiB first read,
    /// 8 MiB upload parts.
    pub fn new() -> Self {
        RemoteOptions::default()
    }

    /// Options from the environment's `GZCM_ENDPOINT` (when set) and defaults otherwise.
    pub fn from_env() -> Self {
        let options = RemoteOptions::default();
        match std::env::var("GZCM_ENDPOINT") {
            Ok(endpoint) if !endpoint.is_empty() => options.endpoint(endpoint),
            _ => options,
        }
    }

    /// The service endpoint (e.g. `http://127.0.0.1:9000` for a local S3 server); an
    /// `http://` endpoint allows plain HTTP. Overrides `AWS_ENDPOINT_URL` and friends.
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// One `object_store` configuration key (e.g. `aws_access_key_id`, `aws_region`,
    /// `google_service_account`, `azure_storage_account_name`); overrides the environment.
    pub fn config(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.config.push((key.into(), value.into()));
        self
    }

    /// Time allowed to establish a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one request, body included.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Retries of a failed request (0: none), all within `within`.
    pub fn retries(mut self, max_retries: usize, within: Duration) -> Self {
        self.max_retries = max_retries;
        self.retry_timeout = within;
        self
    }

    /// Bytes fetched by the first request at open (preamble, header and usually the index).
    pub fn first_read_bytes(mut self, bytes: u64) -> Self {
        self.first_read_bytes = bytes.max(64);
        self
    }

    /// Size of each upload part (at least 5 MiB, S3's minimum).
    pub fn part_bytes(mut self, bytes: usize) -> Self {
        self.part_bytes = bytes.max(5 << 20);
        self
    }

    /// Whether an upload may replace an existing object (default true).
    pub fn overwrite(mut self, overwrite: bool) -> Self {
        self.overwrite = overwrite;
        self
    }

    /// The longest any single operation may take: every attempt plus the retry window.
    pub(crate) fn deadline(&self) -> Duration {
        let attempts = u32::try_from(self.max_retries.saturating_add(1)).unwrap_or(u32::MAX);
        let attempt = self.connect_timeout + self.request_timeout;
        (attempt.saturating_mul(attempts)).min(self.retry_timeout + attempt)
    }
}
