//! A bounds-checked little-endian reader over a file or a decompressed block.
//!
//! Every read checks the bytes left before the region's end, and every count read from the file
//! is checked against those bytes before anything is allocated for it, so a lying header cannot
//! make the reader allocate more than the file (or block) actually holds.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::error::HicError;

/// Little-endian reads over `inner`, which holds bytes `[0, end)`; positions are absolute.
pub(crate) struct Input<R> {
    inner: R,
    pos: u64,
    end: u64,
    path: PathBuf,
    /// What is being read, for error messages (`header`, `block at 1234`, …).
    region: String,
}

impl<R: Read + Seek> Input<R> {
    /// Reads `inner` (of `end` bytes), starting at position 0.
    pub(crate) fn new(inner: R, end: u64, path: &Path, region: impl Into<String>) -> Self {
        Self { inner, pos: 0, end, path: path.to_owned(), region: region.into() }
    }

    /// The current position.
    pub(crate) fn pos(&self) -> u64 {
        self.pos
    }

    /// The file being read.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The region's size in bytes.
    pub(crate) fn len(&self) -> u64 {
        self.end
    }

    /// Bytes left before the end.
    pub(crate) fn remaining(&self) -> u64 {
        self.end.saturating_sub(self.pos)
    }

    /// Names what is read next, for error messages.
    pub(crate) fn set_region(&mut self, region: impl Into<String>) {
        self.region = region.into();
    }

    /// A [`HicError::Juicer`] at the current position.
    pub(crate) fn error(&self, detail: impl std::fmt::Display) -> HicError {
        HicError::Juicer {
            path: self.path.clone(),
            detail: format!("{} (byte {}): {detail}", self.region, self.pos),
        }
    }

    /// Moves to an absolute position read from the file (checked against the end).
    pub(crate) fn seek_to(&mut self, pos: i64, what: &str) -> Result<(), HicError> {
        let pos = u64::try_from(pos)
            .ok()
            .filter(|&p| p <= self.end)
            .ok_or_else(|| self.error(format!("{what} {pos} is outside the {} bytes", self.end)))?;
        self.inner.seek(SeekFrom::Start(pos)).map_err(|source| self.io(source))?;
        self.pos = pos;
        Ok(())
    }

    /// Skips `n` bytes.
    pub(crate) fn skip(&mut self, n: u64, what: &str) -> Result<(), HicError> {
        if n > self.remaining() {
            return Err(self.truncated(what, n));
        }
        let target = self.pos + n;
        self.inner.seek(SeekFrom::Start(target)).map_err(|source| self.io(source))?;
        self.pos = target;
        Ok(())
    }

    fn io(&self, source: std::io::Error) -> HicError {
        if source.kind() == std::io::ErrorKind::UnexpectedEof {
            return self.error("unexpected end of data");
        }
        HicError::Io { path: self.path.clone(), source }
    }

    fn truncated(&self, what: &str, needed: u64) -> HicError {
        self.error(format!("{what} needs {needed} bytes but only {} are left", self.remaining()))
    }

    /// Fills `buf`, or fails naming `what` when the region ends first.
    pub(crate) fn bytes(&mut self, buf: &mut [u8], what: &str) -> Result<(), HicError> {
        let n = buf.len() as u64;
        if n > self.remaining() {
            return Err(self.truncated(what, n));
        }
        self.inner.read_exact(buf).map_err(|source| self.io(source))?;
        self.pos += n;
        Ok(())
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], HicError> {
        let mut buf = [0u8; N];
        self.bytes(&mut buf, what)?;
        Ok(buf)
    }

    /// One byte.
    pub(crate) fn u8(&mut self, what: &str) -> Result<u8, HicError> {
        Ok(self.array::<1>(what)?[0])
    }

    /// A Java `short`.
    pub(crate) fn i16(&mut self, what: &str) -> Result<i16, HicError> {
        Ok(i16::from_le_bytes(self.array(what)?))
    }

    /// A Java `int`.
    pub(crate) fn i32(&mut self, what: &str) -> Result<i32, HicError> {
        Ok(i32::from_le_bytes(self.array(what)?))
    }

    /// A Java `long`.
    pub(crate) fn i64(&mut self, what: &str) -> Result<i64, HicError> {
        Ok(i64::from_le_bytes(self.array(what)?))
    }

    /// A Java `float`.
    pub(crate) fn f32(&mut self, what: &str) -> Result<f32, HicError> {
        Ok(f32::from_le_bytes(self.array(what)?))
    }

    /// A Java `double`.
    pub(crate) fn f64(&mut self, what: &str) -> Result<f64, HicError> {
        Ok(f64::from_le_bytes(self.array(what)?))
    }

    /// A NUL-terminated string (grown byte by byte: its length is what the file really holds).
    pub(crate) fn string(&mut self, what: &str) -> Result<String, HicError> {
        let mut bytes = Vec::new();
        loop {
            if self.remaining() == 0 {
                return Err(self.error(format!("{what}: no NUL terminator before the end")));
            }
            match self.u8(what)? {
                0 => break,
                b => bytes.push(b),
            }
        }
        String::from_utf8(bytes).map_err(|_| self.error(format!("{what} is not UTF-8 text")))
    }

    /// A count of items of at least `item_bytes` bytes each, checked to be non-negative and to
    /// fit in the bytes left.
    pub(crate) fn count(&self, n: i64, item_bytes: u64, what: &str) -> Result<usize, HicError> {
        let fits = u64::try_from(n)
            .ok()
            .filter(|&n| n.saturating_mul(item_bytes) <= self.remaining())
            .and_then(|n| usize::try_from(n).ok());
        fits.ok_or_else(|| {
            self.error(format!(
                "{what} {n} does not fit in the {} bytes left ({item_bytes} bytes each)",
                self.remaining()
            ))
        })
    }

    /// An `int` count (see [`Input::count`]).
    pub(crate) fn count_i32(&mut self, item_bytes: u64, what: &str) -> Result<usize, HicError> {
        let n = self.i32(what)?;
        self.count(i64::from(n), item_bytes, what)
    }

    /// A `long` count (see [`Input::count`]).
    pub(crate) fn count_i64(&mut self, item_bytes: u64, what: &str) -> Result<usize, HicError> {
        let n = self.i64(what)?;
        self.count(n, item_bytes, what)
    }
}
