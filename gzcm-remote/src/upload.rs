//! [`RemoteWriter`]: uploads an object with a multipart upload; the object appears under its
//! name only when [`RemoteWriter::finish`] completes the upload. Dropping the writer, or any
//! error, aborts the upload, so no partial object is ever visible.

use std::io::{self, Read, Write};
use std::path::Path as LocalPath;
use std::sync::Arc;
use std::time::Duration;

use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};

use crate::error::RemoteError;
use crate::options::RemoteOptions;
use crate::runtime::{block_on, runtime};
use crate::store::store_for;

/// Parts uploaded concurrently.
const PARTS_IN_FLIGHT: usize = 4;

/// A writable object: bytes written go up in parts; [`RemoteWriter::finish`] publishes it.
pub struct RemoteWriter {
    url: String,
    upload: Option<WriteMultipart>,
    deadline: Duration,
    written: u64,
}

impl std::fmt::Debug for RemoteWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteWriter")
            .field("url", &self.url)
            .field("written", &self.written)
            .finish_non_exhaustive()
    }
}

impl RemoteWriter {
    /// Starts a multipart upload to `url`.
    ///
    /// # Errors
    /// [`RemoteError::Exists`] when the object exists and [`RemoteOptions::overwrite`] is off;
    /// the errors of [`crate::RemoteSource::open`] otherwise.
    pub fn create(url: &str, options: &RemoteOptions) -> Result<RemoteWriter, RemoteError> {
        let (store, path) = store_for(url, options)?;
        let deadline = options.deadline();
        let part_bytes = options.part_bytes;
        let overwrite = options.overwrite;
        let upload = block_on(url, "starting the upload", deadline, async {
            if !overwrite {
                match store.head(&path).await {
                    Ok(_) => return Err(RemoteError::Exists { url: url.to_owned() }),
                    Err(object_store::Error::NotFound { .. }) => {}
                    Err(e) => return Err(RemoteError::store(url, "checking for an existing object", e)),
                }
            }
            let store: Arc<dyn ObjectStore> = store;
            let upload = store
                .put_multipart(&path)
                .await
                .map_err(|e| RemoteError::store(url, "starting the upload", e))?;
            Ok(WriteMultipart::new_with_chunk_size(upload, part_bytes))
        })?;
        Ok(RemoteWriter { url: url.to_owned(), upload: Some(upload), deadline, written: 0 })
    }

    /// Completes the upload: the object becomes visible. Returns the bytes written.
    ///
    /// # Errors
    /// [`RemoteError::Store`] or [`RemoteError::Timeout`]; the upload is aborted then.
    pub fn finish(mut self) -> Result<u64, RemoteError> {
        let Some(upload) = self.upload.take() else {
            return Err(RemoteError::Protocol {
                url: self.url.clone(),
                reason: "the upload was already aborted".into(),
            });
        };
        let url = self.url.clone();
        block_on(&url, "completing the upload", self.deadline, async {
            upload.finish().await.map_err(|e| RemoteError::store(&url, "completing the upload", e))
        })?;
        Ok(self.written)
    }

    /// Abandons the upload: nothing appears under the name.
    ///
    /// # Errors
    /// When the store does not confirm the abort (the parts then expire by the bucket's
    /// lifecycle rules; the object still never appears).
    pub fn abort(mut self) -> Result<(), RemoteError> {
        self.abort_upload()
    }

    fn abort_upload(&mut self) -> Result<(), RemoteError> {
        let Some(upload) = self.upload.take() else { return Ok(()) };
        let url = self.url.clone();
        block_on(&url, "aborting the upload", self.deadline, async {
            upload.abort().await.map_err(|e| RemoteError::store(&url, "aborting the upload", e))
        })
    }

    fn write_part(&mut self, buf: &[u8]) -> Result<(), RemoteError> {
        let url = self.url.clone();
        let Some(upload) = self.upload.as_mut() else {
            return Err(RemoteError::Protocol { url, reason: "the upload was aborted".into() });
        };
        let runtime = runtime()?;
        // `write` starts part uploads as tasks: it must run inside the runtime.
        let _inside = runtime.enter();
        upload.write(buf);
        block_on(&url, "uploading a part", self.deadline, async {
            upload
                .wait_for_capacity(PARTS_IN_FLIGHT)
                .await
                .map_err(|e| RemoteError::store(&url, "uploading a part", e))
        })
    }
}

impl Write for RemoteWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.write_part(buf) {
            Ok(()) => {
                self.written += buf.len() as u64;
                Ok(buf.len())
            }
            Err(e) => {
                // Best effort: the failure is what the caller needs to hear about.
                let _ = self.abort_upload();
                Err(e.into_io())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for RemoteWriter {
    fn drop(&mut self) {
        // Not finished: abandon the upload so no object appears. Errors cannot be reported
        // from a drop; the object still never appears.
        let _ = self.abort_upload();
    }
}

/// Uploads the local file `path` to `url` (multipart; the object appears only when complete).
/// Returns the bytes uploaded.
///
/// # Errors
/// [`RemoteError::Local`] when the file cannot be read, else those of [`RemoteWriter`].
pub fn upload_file(path: &LocalPath, url: &str, options: &RemoteOptions) -> Result<u64, RemoteError> {
    let local = |source| RemoteError::Local { path: path.display().to_string(), source };
    let mut file = std::fs::File::open(path).map_err(local)?;
    let mut writer = RemoteWriter::create(url, options)?;
    let mut buffer = vec![0u8; options.part_bytes];
    loop {
        let n = file.read(&mut buffer).map_err(local)?;
        if n == 0 {
            break;
        }
        writer.write_part(&buffer[..n])?;
        writer.written += n as u64;
    }
    writer.finish()
}
