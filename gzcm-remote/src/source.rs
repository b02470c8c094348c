//! [`RemoteSource`]: a [`ByteSource`] over one object, read with ranged GET requests.

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use gzcm_container::ByteSource;
use object_store::{GetOptions, GetRange, ObjectMeta, ObjectStore, ObjectStoreExt};

use crate::error::RemoteError;
use crate::options::RemoteOptions;
use crate::runtime::block_on;
use crate::store::store_for;

/// Requests made and bytes fetched by a [`RemoteSource`] so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestStats {
    /// GET requests sent (not counting retries inside one request).
    pub requests: u64,
    /// Bytes received in their bodies.
    pub bytes: u64,
}

/// One object in an object store, read with ranged requests. Opening it fetches its first
/// [`RemoteOptions::first_read_bytes`] (and learns its length from that response); later
/// reads inside that block are served from memory.
pub struct RemoteSource {
    url: String,
    name: PathBuf,
    store: Arc<dyn ObjectStore>,
    path: object_store::path::Path,
    len: u64,
    pin: Pin,
    head: Bytes,
    first_read_bytes: u64,
    deadline: Duration,
    requests: AtomicU64,
    bytes: AtomicU64,
}

impl fmt::Debug for RemoteSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteSource").field("url", &self.url).field("len", &self.len).finish_non_exhaustive()
    }
}

impl RemoteSource {
    /// Connects to the object at `url` and reads its first block.
    ///
    /// # Errors
    /// [`RemoteError::BadUrl`], [`RemoteError::NotFound`] (object or bucket),
    /// [`RemoteError::Denied`], [`RemoteError::Timeout`], [`RemoteError::Store`].
    pub fn open(url: &str, options: &RemoteOptions) -> Result<RemoteSource, RemoteError> {
        let (store, path) = store_for(url, options)?;
        let deadline = options.deadline();
        let first = options.first_read_bytes;
        let (len, head, pin) = block_on(url, "the first read", deadline, async {
            let get = GetOptions { range: Some(GetRange::Bounded(0..first)), ..GetOptions::default() };
            match store.get_opts(&path, get).await {
                Ok(result) => {
                    let (len, pin) = (result.meta.size, Pin::of(&result.meta));
                    let bytes =
                        result.bytes().await.map_err(|e| RemoteError::store(url, "the first read", e))?;
                    Ok((len, bytes, pin))
                }
                // An empty object has no byte 0 to ask for: read it whole.
                Err(object_store::Error::Generic { .. } | object_store::Error::NotSupported { .. })
                    if store.head(&path).await.is_ok_and(|meta| meta.size == 0) =>
                {
                    Ok((0, Bytes::new(), Pin::default()))
                }
                Err(e) => Err(RemoteError::store(url, "the first read", e)),
            }
        })?;
        let expected = len.min(first);
        if head.len() as u64 != expected {
            return Err(RemoteError::Protocol {
                url: url.to_owned(),
                reason: format!("asked for bytes 0..{expected} of {len}, received {}", head.len()),
            });
        }
        Ok(RemoteSource {
            url: url.to_owned(),
            name: PathBuf::from(url),
            store,
            path,
            len,
            pin,
            requests: AtomicU64::new(1),
            bytes: AtomicU64::new(head.len() as u64),
            head,
            first_read_bytes: first,
            deadline,
        })
    }

    /// The object's URL.
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Requests and bytes so far (the first read included).
    #[must_use]
    pub fn stats(&self) -> RequestStats {
        RequestStats {
            requests: self.requests.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
        }
    }

    /// Fetches `ranges`, one request each, concurrently.
    fn fetch(&self, ranges: &[Range<u64>]) -> Result<Vec<Bytes>, RemoteError> {
        let url = self.url.as_str();
        block_on(url, "a ranged read", self.deadline, async {
            let requests = ranges.iter().map(|range| {
                let range = range.clone();
                let (store, path, pin) = (Arc::clone(&self.store), self.path.clone(), self.pin.clone());
                async move {
                    let bytes = pin.get(store.as_ref(), &path, range.clone()).await;
                    (range, bytes)
                }
            });
            let results = futures_join(requests).await;
            let mut out = Vec::with_capacity(results.len());
            for (range, result) in results {
                self.requests.fetch_add(1, Ordering::Relaxed);
                let bytes = result.map_err(|e| self.pin.error(url, e))?;
                self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                if bytes.len() as u64 != range.end - range.start {
                    return Err(RemoteError::Protocol {
                        url: url.to_owned(),
                        reason: format!(
                            "asked for bytes {}..{}, received {}",
                            range.start,
                            range.end,
                            bytes.len()
                        ),
                    });
                }
                out.push(bytes);
            }
            Ok(out)
        })
    }
}

/// What identifies the object a [`RemoteSource`] opened: its ETag and, on versioned buckets, its
/// version id. Every later ranged read carries them (`If-Match`, `versionId`), so bytes of an
/// object replaced after the open are never mixed with the opened object's: the store refuses
/// the read, and the reader gets [`RemoteError::Changed`]. The ETag of each answer is compared
/// too, for stores that ignore the condition.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Pin {
    e_tag: Option<String>,
    version: Option<String>,
}

impl Pin {
    fn of(meta: &ObjectMeta) -> Pin {
        Pin { e_tag: meta.e_tag.clone(), version: meta.version.clone() }
    }

    /// Bytes `range` of the pinned object.
    async fn get(
        &self,
        store: &dyn ObjectStore,
        path: &object_store::path::Path,
        range: Range<u64>,
    ) -> Result<Bytes, object_store::Error> {
        let get = GetOptions {
            range: Some(GetRange::Bounded(range)),
            if_match: self.e_tag.clone(),
            version: self.version.clone(),
            ..GetOptions::default()
        };
        let result = store.get_opts(path, get).await?;
        if let (Some(pinned), Some(found)) = (&self.e_tag, &result.meta.e_tag)
            && pinned != found
        {
            return Err(object_store::Error::Precondition {
                path: path.to_string(),
                source: format!("ETag {found} is not the {pinned} seen at open").into(),
            });
        }
        result.bytes().await
    }

    /// The typed error for a failed pinned read: [`RemoteError::Changed`] when the object is no
    /// longer the one opened.
    fn error(&self, url: &str, error: object_store::Error) -> RemoteError {
        match error {
            object_store::Error::Precondition { source, .. } => RemoteError::Changed {
                url: url.to_owned(),
                e_tag: self.e_tag.clone().unwrap_or_default(),
                detail: source.to_string(),
            },
            error => RemoteError::store(url, "a ranged read", error),
        }
    }
}

/// Runs the futures concurrently on the runtime and collects their outputs in order.
async fn futures_join<F, T>(futures: impl Iterator<Item = F>) -> Vec<T>
where
    F: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        match handle.await {
            Ok(value) => out.push(value),
            Err(join) => std::panic::resume_unwind(join.into_panic()),
        }
    }
    out
}

impl ByteSource for RemoteSource {
    fn name(&self) -> &Path {
        &self.name
    }

    fn len(&self) -> u64 {
        self.len
    }

    fn read_ranges(&self, ranges: &[Range<u64>]) -> io::Result<Vec<Bytes>> {
        let head_len = self.head.len() as u64;
        let in_head = |r: &Range<u64>| r.end <= head_len;
        let remote: Vec<Range<u64>> = ranges.iter().filter(|r| !in_head(r)).cloned().collect();
        let mut fetched =
            if remote.is_empty() { Vec::new() } else { self.fetch(&remote).map_err(RemoteError::into_io)? }
                .into_iter();
        ranges
            .iter()
            .map(|r| {
                if in_head(r) {
                    // In bounds: `r.end <= head.len()`.
                    let (start, end) =
                        (usize::try_from(r.start).unwrap_or(0), usize::try_from(r.end).unwrap_or(0));
                    Ok(self.head.slice(start.min(end)..end))
                } else {
                    fetched.next().ok_or_else(|| io::Error::other("fewer ranges fetched than asked"))
                }
            })
            .collect()
    }

    fn first_read_bytes(&self) -> u64 {
        self.first_read_bytes
    }
}
