//! bgzip (BGZF) input inflated on every core.
//!
//! A bgzip file (what `bgzip` and pairtools write, and the 4DN portal serves) is a series of
//! gzip members of at most 64 KiB each, every one saying its own compressed size in a `BC`
//! extra field (SAM/BAM specification §4.1). The blocks can therefore be cut apart without
//! inflating them, and inflated independently: [`BgzfReader`] reads a batch of blocks (a few
//! MiB) on the calling thread and inflates them on the rayon pool, then hands their bytes out
//! in file order. A plain gzip stream has no such sizes and is inflated on one thread
//! (`MultiGzDecoder`).
//!
//! Nothing is sized by an untrusted number beyond BGZF's own bounds: a block is at most 64 KiB
//! compressed (its 16-bit `BSIZE`) and must say it inflates to at most 64 KiB (`ISIZE`); it
//! must inflate to exactly that many bytes with the CRC-32 it states. Anything else is an
//! `InvalidData` read error naming the block's offset.

use std::io::{self, BufRead, Read};

use flate2::{Decompress, FlushDecompress, Status};
use rayon::prelude::*;

/// The fixed part of a BGZF block header: gzip's 10 bytes and `XLEN`.
const HEADER: usize = 12;
/// The gzip trailer: CRC-32 and `ISIZE`.
const TRAILER: usize = 8;
/// The most bytes a block inflates to (and is stored in).
const MAX_BLOCK: usize = 1 << 16;
/// Blocks inflated at once: about 4 MiB of text.
const BATCH: usize = 64;

/// Whether `start` (the first bytes of a file) begins a BGZF block: a gzip member with the
/// `FEXTRA` flag whose extra field holds a `BC` subfield.
#[must_use]
pub fn is_bgzf(start: &[u8]) -> bool {
    if start.len() < HEADER || start[..4] != [0x1f, 0x8b, 8, 4] {
        return false;
    }
    let xlen = usize::from(u16::from_le_bytes([start[10], start[11]]));
    start.get(HEADER..HEADER + xlen).is_some_and(|extra| block_size(extra).is_some())
}

/// The `BSIZE + 1` of a `BC` subfield in a gzip extra field.
fn block_size(mut extra: &[u8]) -> Option<usize> {
    while extra.len() >= 4 {
        let length = usize::from(u16::from_le_bytes([extra[2], extra[3]]));
        let data = extra.get(4..4 + length)?;
        if extra[..2] == *b"BC" && length == 2 {
            return Some(usize::from(u16::from_le_bytes([data[0], data[1]])) + 1);
        }
        extra = &extra[4 + length..];
    }
    None
}

/// One block as read: its offset in the file and its bytes (header to trailer).
struct RawBlock {
    offset: u64,
    bytes: Vec<u8>,
}

/// A BGZF stream, inflated a batch of blocks at a time on the rayon pool.
pub struct BgzfReader<R> {
    inner: R,
    /// Bytes of the file consumed so far (the next block's offset).
    offset: u64,
    /// Inflated bytes not yet handed out.
    out: Vec<u8>,
    at: usize,
    done: bool,
}

impl<R: BufRead> BgzfReader<R> {
    /// Reads the BGZF stream `inner`.
    pub fn new(inner: R) -> Self {
        BgzfReader { inner, offset: 0, out: Vec::new(), at: 0, done: false }
    }

    /// Reads the next block's bytes, `None` at the end of the file.
    fn read_block(&mut self) -> io::Result<Option<RawBlock>> {
        let offset = self.offset;
        let mut header = [0u8; HEADER];
        let got = read_full(&mut self.inner, &mut header)?;
        if got == 0 {
            return Ok(None);
        }
        if got < HEADER || header[..4] != [0x1f, 0x8b, 8, 4] {
            return Err(invalid(offset, "is not a BGZF block (a bgzip file must be BGZF throughout)"));
        }
        let xlen = usize::from(u16::from_le_bytes([header[10], header[11]]));
        let mut extra = vec![0u8; xlen];
        if read_full(&mut self.inner, &mut extra)? < xlen {
            return Err(invalid(offset, "ends inside its header"));
        }
        let Some(size) = block_size(&extra) else {
            return Err(invalid(offset, "has no BC field with its size"));
        };
        let Some(rest) = size.checked_sub(HEADER + xlen + TRAILER) else {
            return Err(invalid(offset, "states a size smaller than its header"));
        };
        let mut bytes = Vec::with_capacity(size);
        bytes.extend_from_slice(&header);
        bytes.extend_from_slice(&extra);
        bytes.resize(size, 0);
        if read_full(&mut self.inner, &mut bytes[HEADER + xlen..])? < rest + TRAILER {
            return Err(invalid(offset, "is truncated"));
        }
        self.offset += size as u64;
        Ok(Some(RawBlock { offset, bytes }))
    }

    /// Reads and inflates the next batch into `out`.
    fn refill(&mut self) -> io::Result<()> {
        let mut blocks = Vec::with_capacity(BATCH);
        while blocks.len() < BATCH {
            match self.read_block()? {
                Some(block) => blocks.push(block),
                None => {
                    self.done = true;
                    break;
                }
            }
        }
        let inflated: Vec<Vec<u8>> = blocks.par_iter().map(inflate).collect::<io::Result<_>>()?;
        self.out.clear();
        self.at = 0;
        for block in inflated {
            self.out.extend_from_slice(&block);
        }
        Ok(())
    }
}

impl<R: BufRead> Read for BgzfReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for BgzfReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        // Blocks may inflate to nothing (the end-of-file marker): refill until bytes or the end.
        while self.at == self.out.len() && !self.done {
            self.refill()?;
        }
        Ok(&self.out[self.at..])
    }

    fn consume(&mut self, amount: usize) {
        self.at = (self.at + amount).min(self.out.len());
    }
}

/// Inflates one block, checking its size and CRC-32.
fn inflate(block: &RawBlock) -> io::Result<Vec<u8>> {
    let bytes = &block.bytes;
    let xlen = usize::from(u16::from_le_bytes([bytes[10], bytes[11]]));
    let (body, trailer) = bytes[HEADER + xlen..].split_at(bytes.len() - HEADER - xlen - TRAILER);
    let crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    let size = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]) as usize;
    if size > MAX_BLOCK {
        return Err(invalid(block.offset, "states it inflates to more than 64 KiB"));
    }
    // One byte of room beyond the stated size, so a block that inflates to more is caught.
    let mut out = Vec::with_capacity(size + 1);
    let mut inflater = Decompress::new(false);
    let status = inflater
        .decompress_vec(body, &mut out, FlushDecompress::Finish)
        .map_err(|e| invalid(block.offset, &format!("does not inflate ({e})")))?;
    if status != Status::StreamEnd || out.len() != size {
        return Err(invalid(block.offset, "does not inflate to the size it states"));
    }
    if crc32fast::hash(&out) != crc {
        return Err(invalid(block.offset, "fails its CRC-32 check"));
    }
    Ok(out)
}

/// Reads until `buf` is full or the input ends; returns the bytes read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn invalid(offset: u64, what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("the bgzip block at byte {offset} {what}"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// `text` as BGZF blocks of up to `block` bytes each, then the end-of-file marker block.
    pub(crate) fn bgzip(text: &[u8], block: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for piece in text.chunks(block.max(1)).chain(std::iter::once(&[][..])) {
            let mut deflate = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
            deflate.write_all(piece).unwrap();
            let body = deflate.finish().unwrap();
            let size = HEADER + 6 + body.len() + TRAILER;
            out.extend_from_slice(&[0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, b'B', b'C', 2, 0]);
            out.extend_from_slice(&u16::try_from(size - 1).unwrap().to_le_bytes());
            out.extend_from_slice(&body);
            out.extend_from_slice(&crc32fast::hash(piece).to_le_bytes());
            out.extend_from_slice(&u32::try_from(piece.len()).unwrap().to_le_bytes());
        }
        out
    }

    fn read_all(bytes: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        BgzfReader::new(bytes).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn blocks_inflate_in_order_across_batches() {
        let text: Vec<u8> = (0..200_000u32).flat_map(|i| format!("line {i}\n").into_bytes()).collect();
        let file = bgzip(&text, 1000);
        assert!(is_bgzf(&file));
        assert_eq!(read_all(&file).unwrap(), text);
        // A plain gzip member is not BGZF.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"x").unwrap();
        assert!(!is_bgzf(&gz.finish().unwrap()));
    }

    #[test]
    fn damaged_blocks_are_read_errors_naming_their_offset() {
        let file = bgzip(b"chr1\t10\tchr1\t20\n", 8);
        let second = {
            let bsize = usize::from(u16::from_le_bytes([file[16], file[17]])) + 1;
            bsize as u64
        };
        let mut cases: Vec<(Vec<u8>, &str)> = Vec::new();
        cases.push((file[..file.len() - 3].to_vec(), "is truncated"));
        let mut crc = file.clone();
        let at = usize::try_from(second).unwrap() - 8;
        crc[at] ^= 1;
        cases.push((crc, "at byte 0 fails its CRC-32"));
        let mut huge = file.clone();
        let at = usize::try_from(second).unwrap() - 1;
        huge[at] = 0x7f;
        cases.push((huge, "more than 64 KiB"));
        let mut mixed = file.clone();
        mixed.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 0, 0]);
        cases.push((mixed, "is not a BGZF block"));
        for (bytes, expected) in cases {
            let error = read_all(&bytes).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidData);
            assert!(error.to_string().contains(expected), "{error} (expected: {expected})");
        }
    }
}
