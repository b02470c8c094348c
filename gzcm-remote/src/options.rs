//! How to reach an object store: endpoint, timeouts, retries, extra store settings.

use std::time::Duration;

use gzcm_container::DEFAULT_FIRST_READ_BYTES;

use crate::error::RemoteError;

/// The most one remote operation (the first read, a ranged read, an upload step) may take,
/// every attempt and retry included, unless [`RemoteOptions::timeout`] or `GZCM_TIMEOUT` says
/// otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The environment variable that sets [`RemoteOptions::timeout`], in seconds.
pub const TIMEOUT_ENV: &str = "GZCM_TIMEOUT";

/// A timeout in seconds as people type it (`30`, `2.5`): more than 0, at most a day.
///
/// # Errors
/// [`RemoteError::Setting`] naming `setting` (the flag or variable it came from) when `text`
/// is not such a number.
pub fn parse_timeout(setting: &'static str, text: &str) -> Result<Duration, RemoteError> {
    let bad =
        |reason: &str| RemoteError::Setting { setting, value: text.to_owned(), reason: reason.to_owned() };
    let seconds: f64 = text.trim().parse().map_err(|_| bad("not a number of seconds (e.g. 30 or 2.5)"))?;
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= 86_400.0) {
        return Err(bad("a timeout must be more than 0 and at most 86400 seconds"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

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
    pub(crate) timeout: Duration,
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
            timeout: DEFAULT_TIMEOUT,
            first_read_bytes: DEFAULT_FIRST_READ_BYTES,
            part_bytes: 8 << 20,
            overwrite: true,
        }
    }
}

impl RemoteOptions {
    /// Defaults: every operation done within [`DEFAULT_TIMEOUT`] (60 s) in all; within that, 5 s
    /// to connect, 30 s per request, 3 retries; 256 KiB first read, 8 MiB upload parts.
    pub fn new() -> Self {
        RemoteOptions::default()
    }

    /// Options from the environment's `GZCM_ENDPOINT` and `GZCM_TIMEOUT` (seconds), when set,
    /// and defaults otherwise.
    ///
    /// # Errors
    /// [`RemoteError::Setting`] when `GZCM_TIMEOUT` is set to something that is not a timeout.
    pub fn from_env() -> Result<Self, RemoteError> {
        let mut options = RemoteOptions::default();
        if let Ok(endpoint) = std::env::var("GZCM_ENDPOINT")
            && !endpoint.is_empty()
        {
            options = options.endpoint(endpoint);
        }
        if let Ok(text) = std::env::var(TIMEOUT_ENV)
            && !text.is_empty()
        {
            options = options.timeout(parse_timeout(TIMEOUT_ENV, &text)?);
        }
        Ok(options)
    }

    /// The most one remote operation may take, every attempt and retry included (default
    /// [`DEFAULT_TIMEOUT`]). A dead, stalled or unreachable server fails with
    /// [`crate::RemoteError::Timeout`] after at most this long. Single requests and connections
    /// are also bounded by [`RemoteOptions::request_timeout`] and
    /// [`RemoteOptions::connect_timeout`], so a retry can still happen inside it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
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

    /// The longest any single operation may take: every attempt plus the retry window, and
    /// never more than [`RemoteOptions::timeout`].
    pub(crate) fn deadline(&self) -> Duration {
        let attempts = u32::try_from(self.max_retries.saturating_add(1)).unwrap_or(u32::MAX);
        let attempt = self.connect_timeout + self.request_timeout;
        (attempt.saturating_mul(attempts)).min(self.retry_timeout + attempt).min(self.timeout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_timeout_bounds_every_operation() {
        assert_eq!(RemoteOptions::new().deadline(), DEFAULT_TIMEOUT);
        let short = RemoteOptions::new().timeout(Duration::from_secs(2));
        assert_eq!(short.deadline(), Duration::from_secs(2));
        // Per-request bounds shorter than the overall figure still apply.
        let quick = RemoteOptions::new()
            .connect_timeout(Duration::from_secs(1))
            .request_timeout(Duration::from_secs(1));
        assert_eq!(quick.retries(0, Duration::ZERO).deadline(), Duration::from_secs(2));
    }

    #[test]
    fn timeouts_are_parsed_as_seconds() {
        assert_eq!(parse_timeout("--timeout", "30").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_timeout("--timeout", " 2.5 ").unwrap(), Duration::from_millis(2500));
        for bad in ["", "abc", "0", "-1", "inf", "NaN", "1e9"] {
            let err = parse_timeout("GZCM_TIMEOUT", bad).unwrap_err();
            assert!(matches!(err, RemoteError::Setting { setting: "GZCM_TIMEOUT", .. }), "{bad}: {err}");
        }
    }
}
