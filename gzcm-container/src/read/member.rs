//! One member of a collection as a file of its own: a [`ByteSource`] serving the bytes
//! `offset .. offset + len` of the collection's source at offsets from 0, so a
//! [`Reader`](crate::Reader) opens the member exactly as it opens a single-resolution file
//! (the member's offsets are relative to its start).

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;

use crate::read::source::ByteSource;

/// The bytes of one member of a collection's source.
#[derive(Debug)]
pub(crate) struct MemberSource {
    inner: Arc<dyn ByteSource>,
    offset: u64,
    len: u64,
    /// `FILE::/resolutions/R`: the member's name in messages.
    name: PathBuf,
    /// The member's bytes when the whole collection is in memory.
    whole: Option<Bytes>,
}

impl MemberSource {
    /// The member of resolution `resolution` at `offset .. offset + len` of `inner` (a range
    /// the collection's table validated against the source's length).
    pub(crate) fn new(inner: Arc<dyn ByteSource>, resolution: u64, offset: u64, len: u64) -> Self {
        let name = PathBuf::from(format!("{}::/resolutions/{resolution}", inner.name().display()));
        let whole = inner.whole().and_then(|bytes| {
            let start = usize::try_from(offset).ok()?;
            let end = usize::try_from(offset.checked_add(len)?).ok()?;
            (end <= bytes.len()).then(|| bytes.slice(start..end))
        });
        MemberSource { inner, offset, len, name, whole }
    }
}

impl ByteSource for MemberSource {
    fn name(&self) -> &Path {
        &self.name
    }

    fn len(&self) -> u64 {
        self.len
    }

    fn read_ranges(&self, ranges: &[Range<u64>]) -> io::Result<Vec<Bytes>> {
        let shifted = ranges
            .iter()
            .map(|r| {
                if r.start > r.end || r.end > self.len {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!("bytes {}..{} lie outside the member's {} bytes", r.start, r.end, self.len),
                    ));
                }
                Ok(self.offset + r.start..self.offset + r.end)
            })
            .collect::<io::Result<Vec<_>>>()?;
        self.inner.read_ranges(&shifted)
    }

    fn whole(&self) -> Option<&Bytes> {
        self.whole.as_ref()
    }

    fn first_read_bytes(&self) -> u64 {
        self.inner.first_read_bytes()
    }
}
