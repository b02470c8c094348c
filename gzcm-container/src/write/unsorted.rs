//! Unsorted input: an external merge sort in front of the sorted writer.
//!
//! Cells are buffered (24 bytes each, up to `spill_cells`); a full buffer is sorted and spilled
//! as a run of 20-byte records to a temporary file next to the output; `finish` merges the runs
//! (and the last buffer) into one sorted stream for [`Writer`]. Memory is bounded by the buffer
//! plus 64 KiB per run. Symmetric cells are folded onto the upper triangle first, so either or
//! both triangles may be given.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};

use tempfile::NamedTempFile;

use gzcm_core::Element;

use crate::error::{ContainerError, Result};
use crate::write::report::WriteSummary;
use crate::write::writer::Writer;
use gzcm_atomic::temp_in;

const RUN_RECORD: usize = 20;

/// A write whose cells may arrive in any order. Created by
/// [`WriterBuilder::create_unsorted`](crate::WriterBuilder::create_unsorted).
#[derive(Debug)]
pub struct UnsortedWriter {
    writer: Writer,
    symmetric: bool,
    spill_cells: usize,
    buffer: Vec<(u64, u64, u32)>,
    runs: Vec<NamedTempFile>,
}

impl UnsortedWriter {
    pub(crate) fn new(writer: Writer, spill_cells: usize) -> Result<Self> {
        Ok(UnsortedWriter {
            symmetric: writer.is_symmetric(),
            writer,
            spill_cells,
            buffer: Vec::new(),
            runs: Vec::new(),
        })
    }

    /// Adds one cell, in any order. Zero values are skipped.
    ///
    /// # Errors
    /// [`ContainerError::DtypeMismatch`], [`ContainerError::CellOutOfBounds`],
    /// [`ContainerError::Io`] when spilling fails.
    pub fn push<T: Element>(&mut self, row: u64, col: u64, value: T) -> Result<()> {
        self.writer.check_dtype(T::DTYPE)?;
        self.writer.check_cell(row, col)?;
        if value.is_zero() {
            return Ok(());
        }
        let (row, col) = if self.symmetric && row > col { (col, row) } else { (row, col) };
        self.buffer.push((row, col, u32::from_le_bytes(value.to_le())));
        if self.buffer.len() >= self.spill_cells {
            self.spill()?;
        }
        Ok(())
    }

    /// As [`Writer::record_duplicates_summed`].
    ///
    /// # Errors
    /// As [`Writer::record_duplicates_summed`].
    pub fn record_duplicates_summed(&mut self, count: u64) -> Result<()> {
        self.writer.record_duplicates_summed(count)
    }

    /// Sorted runs spilled so far.
    #[must_use]
    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    fn spill(&mut self) -> Result<()> {
        self.buffer.sort_unstable();
        let run = temp_in(self.writer.target(), ".run")?;
        let io = |e| ContainerError::io("write", run.path(), e);
        let mut out = BufWriter::new(run.as_file());
        for &(row, col, bits) in &self.buffer {
            out.write_all(&row.to_le_bytes()).map_err(io)?;
            out.write_all(&col.to_le_bytes()).map_err(io)?;
            out.write_all(&bits.to_le_bytes()).map_err(io)?;
        }
        out.flush().map_err(io)?;
        drop(out);
        self.runs.push(run);
        self.buffer.clear();
        Ok(())
    }

    /// Merges everything into the sorted writer and finishes it.
    ///
    /// # Errors
    /// As [`Writer::finish`], [`ContainerError::ConflictingValues`] for a cell given twice with
    /// different values, [`ContainerError::Io`] for run files.
    pub fn finish(mut self) -> Result<WriteSummary> {
        self.buffer.sort_unstable();
        let mut sources = Vec::with_capacity(self.runs.len() + 1);
        for run in &self.runs {
            sources.push(Source::run(run)?);
        }
        sources.push(Source::Memory(std::mem::take(&mut self.buffer).into_iter()));
        let mut heap = BinaryHeap::new();
        for (at, source) in sources.iter_mut().enumerate() {
            if let Some(cell) = source.next()? {
                heap.push(Reverse((cell, at)));
            }
        }
        while let Some(Reverse(((row, col, bits), at))) = heap.pop() {
            self.writer.push_bits(row, col, bits)?;
            if let Some(cell) = sources[at].next()? {
                heap.push(Reverse((cell, at)));
            }
        }
        self.writer.finish()
    }
}

/// One sorted input of the merge.
enum Source {
    Run(BufReader<File>, std::path::PathBuf),
    Memory(std::vec::IntoIter<(u64, u64, u32)>),
}

impl Source {
    fn run(run: &NamedTempFile) -> Result<Source> {
        let mut file = run.as_file().try_clone().map_err(|e| ContainerError::io("open", run.path(), e))?;
        file.rewind().map_err(|e| ContainerError::io("read", run.path(), e))?;
        Ok(Source::Run(BufReader::with_capacity(64 << 10, file), run.path().to_owned()))
    }

    fn next(&mut self) -> Result<Option<(u64, u64, u32)>> {
        match self {
            Source::Memory(cells) => Ok(cells.next()),
            Source::Run(reader, path) => {
                let mut record = [0u8; RUN_RECORD];
                match reader.read_exact(&mut record) {
                    Ok(()) => Ok(Some(parse_record(&record))),
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
                    Err(e) => Err(ContainerError::io("read", path.clone(), e)),
                }
            }
        }
    }
}

fn parse_record(record: &[u8; RUN_RECORD]) -> (u64, u64, u32) {
    let mut row = [0u8; 8];
    let mut col = [0u8; 8];
    let mut bits = [0u8; 4];
    row.copy_from_slice(&record[0..8]);
    col.copy_from_slice(&record[8..16]);
    bits.copy_from_slice(&record[16..20]);
    (u64::from_le_bytes(row), u64::from_le_bytes(col), u32::from_le_bytes(bits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_records_round_trip() {
        let mut record = [0u8; RUN_RECORD];
        record[0..8].copy_from_slice(&u64::MAX.to_le_bytes());
        record[8..16].copy_from_slice(&7u64.to_le_bytes());
        record[16..20].copy_from_slice(&0xDEAD_BEEFu32.to_le_bytes());
        assert_eq!(parse_record(&record), (u64::MAX, 7, 0xDEAD_BEEF));
    }
}
