//! A pairs file as a header and then chunks of whole lines.
//!
//! The file is plain text, bgzip or gzip, told by its first bytes (not its name); bgzip blocks
//! are inflated on every core ([`crate::bgzf`]), a plain gzip stream on one thread. `-` reads standard input (pairtools'
//! pipes). Data arrives in [`Chunk`]s of about [`CHUNK`] bytes that end at a line break and
//! know the number of their first line, so several can be parsed at once and an error still
//! names its line.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

use crate::bgzf::{self, BgzfReader};
use crate::error::PairsError;
use crate::header::Header;

/// The size a chunk is cut at (it then runs on to the end of its last line).
pub const CHUNK: usize = 1 << 20;

/// The longest line read; a longer one is [`PairsError::LineTooLong`] (no pairs line comes close).
pub const MAX_LINE: usize = 1 << 20;

/// Whole lines of the file, with the number of the first one.
#[derive(Debug)]
pub struct Chunk {
    /// The 1-based number of the chunk's first line.
    pub first_line: u64,
    /// The lines, each ending with `\n` but perhaps the file's last.
    pub text: Vec<u8>,
}

/// An open pairs file: read its [`Header`] first, then its chunks.
pub struct PairsInput {
    path: PathBuf,
    reader: Box<dyn BufRead + Send>,
    compressed: bool,
    /// Lines handed out so far (header and chunks).
    lines: u64,
    /// Bytes read after the last complete line.
    rest: Vec<u8>,
    done: bool,
}

impl std::fmt::Debug for PairsInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PairsInput")
            .field("path", &self.path)
            .field("compressed", &self.compressed)
            .field("lines", &self.lines)
            .finish_non_exhaustive()
    }
}

impl PairsInput {
    /// Opens `path` (`-` for standard input), plain or gzip by content.
    ///
    /// # Errors
    /// [`PairsError::Io`] when it cannot be opened or its first bytes read.
    pub fn open(path: &Path) -> Result<PairsInput, PairsError> {
        let io = |action, source| PairsError::Io { action, path: path.to_owned(), source };
        let raw: Box<dyn Read + Send> = if path == Path::new("-") {
            Box::new(std::io::stdin())
        } else {
            Box::new(File::open(path).map_err(|e| io("open", e))?)
        };
        let mut raw = BufReader::with_capacity(256 << 10, raw);
        let magic = raw.fill_buf().map_err(|e| io("read", e))?;
        let compressed = magic.starts_with(&[0x1f, 0x8b]);
        let reader: Box<dyn BufRead + Send> = if bgzf::is_bgzf(magic) {
            Box::new(BgzfReader::new(raw))
        } else if compressed {
            Box::new(BufReader::with_capacity(256 << 10, MultiGzDecoder::new(raw)))
        } else {
            Box::new(raw)
        };
        Ok(PairsInput { path: path.to_owned(), reader, compressed, lines: 0, rest: Vec::new(), done: false })
    }

    /// The file's path as given.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file is gzip (or bgzip) compressed.
    #[must_use]
    pub fn is_compressed(&self) -> bool {
        self.compressed
    }

    /// Reads the header: every line before the first that does not start with `#`. Call it once,
    /// before the first [`PairsInput::next_chunk`].
    ///
    /// # Errors
    /// [`PairsError::Io`] for a read error (a corrupt gzip stream among them),
    /// [`PairsError::LineTooLong`], [`PairsError::BadChromsizes`] for a bad `#chromsize:` line.
    pub fn read_header(&mut self) -> Result<Header, PairsError> {
        let mut header = Header::default();
        let source_name = self.path.display().to_string();
        loop {
            let peek = self.reader.fill_buf().map_err(|e| read_error(&self.path, e))?;
            if peek.first() != Some(&b'#') {
                return Ok(header);
            }
            let mut line = Vec::new();
            let limit = u64::try_from(MAX_LINE).unwrap_or(u64::MAX) + 1;
            (&mut self.reader)
                .take(limit)
                .read_until(b'\n', &mut line)
                .map_err(|e| read_error(&self.path, e))?;
            self.lines += 1;
            if line.len() > MAX_LINE {
                return Err(PairsError::LineTooLong { path: self.path.clone(), line: self.lines });
            }
            let text = String::from_utf8_lossy(&line);
            header.read_line(self.lines, text.trim_end_matches(['\n', '\r']), &source_name)?;
        }
    }

    /// The next chunk of whole lines, `None` at the end of the file.
    ///
    /// # Errors
    /// [`PairsError::Io`] for a read error, [`PairsError::LineTooLong`].
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>, PairsError> {
        if self.done && self.rest.is_empty() {
            return Ok(None);
        }
        let mut text = std::mem::take(&mut self.rest);
        text.reserve(CHUNK + 4096);
        while !self.done && text.len() < CHUNK {
            self.fill(&mut text, CHUNK)?;
        }
        // Cut after the last line break; a chunk without one waits for more (up to MAX_LINE).
        let cut = loop {
            if self.done {
                break text.len();
            }
            if let Some(at) = memchr::memrchr(b'\n', &text) {
                break at + 1;
            }
            if text.len() > MAX_LINE {
                return Err(PairsError::LineTooLong { path: self.path.clone(), line: self.lines + 1 });
            }
            let want = text.len() + CHUNK.min(MAX_LINE);
            self.fill(&mut text, want)?;
        };
        self.rest = text.split_off(cut);
        if text.is_empty() {
            return Ok(None);
        }
        let first_line = self.lines + 1;
        let breaks = memchr::memchr_iter(b'\n', &text).count() as u64;
        self.lines += breaks + u64::from(text.last() != Some(&b'\n'));
        Ok(Some(Chunk { first_line, text }))
    }

    /// Reads into `text` until it holds `want` bytes or the file ends.
    fn fill(&mut self, text: &mut Vec<u8>, want: usize) -> Result<(), PairsError> {
        while text.len() < want {
            let available = self.reader.fill_buf().map_err(|e| read_error(&self.path, e))?;
            if available.is_empty() {
                self.done = true;
                return Ok(());
            }
            let take = available.len().min(want - text.len());
            text.extend_from_slice(&available[..take]);
            self.reader.consume(take);
        }
        Ok(())
    }
}

fn read_error(path: &Path, source: std::io::Error) -> PairsError {
    PairsError::Io { action: "read", path: path.to_owned(), source }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn chunks(input: &mut PairsInput) -> Vec<Chunk> {
        std::iter::from_fn(|| input.next_chunk().unwrap()).collect()
    }

    #[test]
    fn header_then_numbered_chunks_plain_gzip_and_bgzip() {
        let text = "## pairs format v1.0\n#chromsize: chr1 100\nr1\tchr1\t5\tchr1\t9\nr2\tchr1\t7\tchr1\t8";
        let plain = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(plain.path(), text).unwrap();
        let gz = tempfile::NamedTempFile::new().unwrap();
        let mut encoder = flate2::write::GzEncoder::new(gz.as_file(), flate2::Compression::fast());
        encoder.write_all(text.as_bytes()).unwrap();
        encoder.finish().unwrap();
        // bgzip, with blocks cut mid-line.
        let bgz = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(bgz.path(), crate::bgzf::tests::bgzip(text.as_bytes(), 7)).unwrap();
        for (path, compressed) in [(plain.path(), false), (gz.path(), true), (bgz.path(), true)] {
            let mut input = PairsInput::open(path).unwrap();
            assert_eq!(input.is_compressed(), compressed);
            let header = input.read_header().unwrap();
            assert_eq!(header.chromsizes, vec![("chr1".into(), 100)]);
            let chunks = chunks(&mut input);
            assert_eq!(chunks.len(), 1);
            assert_eq!(chunks[0].first_line, 3);
            assert!(chunks[0].text.ends_with(b"chr1\t8"));
        }
    }

    #[test]
    fn chunks_end_at_line_breaks_and_count_lines() {
        let line = "r\tchr1\t5\tchr1\t9\n";
        let count = CHUNK / line.len() * 3 + 7;
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), line.repeat(count)).unwrap();
        let mut input = PairsInput::open(file.path()).unwrap();
        input.read_header().unwrap();
        let chunks = chunks(&mut input);
        assert!(chunks.len() >= 3);
        let mut next = 1;
        for chunk in &chunks {
            assert_eq!(chunk.first_line, next);
            assert!(chunk.text.ends_with(b"\n"));
            next += chunk.text.iter().filter(|&&b| b == b'\n').count() as u64;
        }
        assert_eq!(next - 1, count as u64);
    }

    #[test]
    fn refuses_an_endless_line() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), vec![b'x'; MAX_LINE * 2 + 10]).unwrap();
        let mut input = PairsInput::open(file.path()).unwrap();
        input.read_header().unwrap();
        let error = input.next_chunk().unwrap_err();
        assert!(matches!(error, PairsError::LineTooLong { line: 1, .. }), "{error}");
    }

    #[test]
    fn a_corrupt_gzip_stream_is_a_read_error() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff]).unwrap();
        let mut input = PairsInput::open(file.path()).unwrap();
        let error = input.read_header().and_then(|_| input.next_chunk().map(|_| ()));
        assert!(matches!(error, Err(PairsError::Io { action: "read", .. })), "{error:?}");
    }
}
