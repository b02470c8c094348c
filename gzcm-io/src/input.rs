//! Opening input files, transparently decompressing gzip (multi-member) and zstd streams.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use crate::error::SourceError;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];
const BUFFER_BYTES: usize = 1 << 16;

/// A buffered reader over the decompressed bytes of a file.
pub(crate) type Input = Box<dyn BufRead + Send>;

/// Opens `path` for buffered reading, decompressing gzip or zstd when the file starts with
/// their magic bytes (the file name's extension is not trusted either way).
pub(crate) fn open_input(path: &Path) -> Result<Input, SourceError> {
    let io_error = |source| SourceError::Io { path: path.to_owned(), source };
    let file = File::open(path).map_err(io_error)?;
    let mut reader = BufReader::with_capacity(BUFFER_BYTES, file);
    let head = reader.fill_buf().map_err(io_error)?;
    if head.starts_with(&GZIP_MAGIC) {
        let decoder = Decompressed { inner: flate2::bufread::MultiGzDecoder::new(reader), format: "gzip" };
        Ok(Box::new(BufReader::with_capacity(BUFFER_BYTES, decoder)))
    } else if head.starts_with(&ZSTD_MAGIC) {
        let decoder = zstd::stream::read::Decoder::with_buffer(reader).map_err(io_error)?;
        let decoder = Decompressed { inner: decoder, format: "zstd" };
        Ok(Box::new(BufReader::with_capacity(BUFFER_BYTES, decoder)))
    } else {
        Ok(Box::new(reader))
    }
}

/// A decompressor whose errors say that the compressed stream is at fault (a bare "incomplete
/// frame" does not tell a user the file is cut short).
struct Decompressed<R> {
    inner: R,
    format: &'static str,
}

impl<R: Read> Read for Decompressed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            io::Error::new(e.kind(), format!("the {} stream is truncated or damaged ({e})", self.format))
        })
    }
}

/// Whether the file is stored compressed (so its size says nothing about its content).
pub(crate) fn is_compressed(path: &Path) -> Result<bool, SourceError> {
    let io_error = |source| SourceError::Io { path: path.to_owned(), source };
    let file = File::open(path).map_err(io_error)?;
    let mut reader = BufReader::with_capacity(8, file);
    let head = reader.fill_buf().map_err(io_error)?;
    Ok(head.starts_with(&GZIP_MAGIC) || head.starts_with(&ZSTD_MAGIC))
}
