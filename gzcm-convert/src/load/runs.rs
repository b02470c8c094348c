//! The summing external sort behind `load`: contacts arrive in any order, duplicates and all;
//! they leave once per pixel, in row-major order, with their counts summed.
//!
//! Contacts are held as `(row · bins + col, count)` keys (16 bytes each) up to a capacity set by
//! the memory budget; a full buffer is sorted on the rayon pool, its duplicates summed, and
//! spilled as a run of 12-byte records to a temporary file next to the output (named as the
//! container's runs are, so the CLI's signal handler removes it). [`Runs::merge`] merges the
//! runs and the last buffer, summing a pixel's counts across them. Memory is the buffer plus
//! 1 MiB per run while merging.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};

use gzcm_pairs::Contact;
use rayon::slice::ParallelSliceMut;
use tempfile::NamedTempFile;

use crate::load::error::LoadError;

/// Bytes a buffered contact takes.
pub(crate) const CONTACT_BYTES: u64 = 16;

const RECORD: usize = 12;
const RUN_BUFFER: usize = 1 << 20;

/// Contacts on their way to the sorted writer.
#[derive(Debug)]
pub(crate) struct Runs {
    n_bins: u64,
    resolution: u64,
    capacity: usize,
    buffer: Vec<(u64, u32)>,
    runs: Vec<NamedTempFile>,
    next_to: PathBuf,
}

impl Runs {
    /// Runs for a map of `n_bins` bins (`n_bins²` must fit a `u64`), holding up to `capacity`
    /// contacts in memory, spilling next to `output`.
    pub(crate) fn new(output: &Path, n_bins: u64, resolution: u64, capacity: usize) -> Runs {
        Runs {
            n_bins,
            resolution,
            capacity: capacity.max(1),
            buffer: Vec::new(),
            runs: Vec::new(),
            next_to: output.to_owned(),
        }
    }

    /// Sorted runs spilled so far.
    pub(crate) fn spilled(&self) -> usize {
        self.runs.len()
    }

    /// Adds contacts (upper-triangle cells of this map).
    pub(crate) fn extend(&mut self, contacts: &[Contact]) -> Result<(), LoadError> {
        if self.buffer.capacity() == 0 {
            self.buffer.reserve_exact(self.capacity);
        }
        for contact in contacts {
            self.buffer.push((contact.row * self.n_bins + contact.col, contact.count));
            if self.buffer.len() == self.capacity {
                self.spill()?;
            }
        }
        Ok(())
    }

    /// Sorts the buffer and sums its duplicates (in place).
    fn reduce(&mut self) -> Result<(), LoadError> {
        self.buffer.par_sort_unstable_by_key(|&(key, _)| key);
        let mut kept = 0usize;
        for at in 0..self.buffer.len() {
            let (key, count) = self.buffer[at];
            if kept > 0 && self.buffer[kept - 1].0 == key {
                let sum = u64::from(self.buffer[kept - 1].1) + u64::from(count);
                self.buffer[kept - 1].1 = self.narrow(key, sum)?;
            } else {
                self.buffer[kept] = (key, count);
                kept += 1;
            }
        }
        self.buffer.truncate(kept);
        Ok(())
    }

    fn spill(&mut self) -> Result<(), LoadError> {
        self.reduce()?;
        let run = gzcm_atomic::temp_in(&self.next_to, ".run")?;
        let io = |source| LoadError::Run { action: "write", path: run.path().to_owned(), source };
        let mut out = BufWriter::with_capacity(RUN_BUFFER, run.as_file());
        for &(key, count) in &self.buffer {
            out.write_all(&key.to_le_bytes()).map_err(io)?;
            out.write_all(&count.to_le_bytes()).map_err(io)?;
        }
        out.flush().map_err(io)?;
        drop(out);
        self.runs.push(run);
        self.buffer.clear();
        Ok(())
    }

    /// Every pixel once, in row-major order, with its summed count, to `emit(row, col, count)`;
    /// returns the number of pixels.
    pub(crate) fn merge(
        mut self,
        mut emit: impl FnMut(u64, u64, u32) -> Result<(), LoadError>,
    ) -> Result<u64, LoadError> {
        self.reduce()?;
        let mut sources = Vec::with_capacity(self.runs.len() + 1);
        for run in &self.runs {
            sources.push(Source::run(run)?);
        }
        sources.push(Source::Memory(std::mem::take(&mut self.buffer).into_iter()));
        let mut heap = BinaryHeap::with_capacity(sources.len());
        for (at, source) in sources.iter_mut().enumerate() {
            if let Some(record) = source.next()? {
                heap.push(Reverse((record, at)));
            }
        }
        let mut pixels = 0u64;
        let mut current: Option<(u64, u64)> = None;
        while let Some(Reverse(((key, count), at))) = heap.pop() {
            if let Some(next) = sources[at].next()? {
                heap.push(Reverse((next, at)));
            }
            current = match current {
                Some((k, sum)) if k == key => Some((k, sum + u64::from(count))),
                Some((k, sum)) => {
                    self.emit(k, sum, &mut emit)?;
                    pixels += 1;
                    Some((key, u64::from(count)))
                }
                None => Some((key, u64::from(count))),
            };
        }
        if let Some((k, sum)) = current {
            self.emit(k, sum, &mut emit)?;
            pixels += 1;
        }
        Ok(pixels)
    }

    fn emit(
        &self,
        key: u64,
        sum: u64,
        emit: &mut impl FnMut(u64, u64, u32) -> Result<(), LoadError>,
    ) -> Result<(), LoadError> {
        let count = self.narrow(key, sum)?;
        emit(key / self.n_bins, key % self.n_bins, count)
    }

    fn narrow(&self, key: u64, sum: u64) -> Result<u32, LoadError> {
        u32::try_from(sum).map_err(|_| LoadError::CountOverflow {
            row: key / self.n_bins,
            col: key % self.n_bins,
            resolution: self.resolution,
            sum,
        })
    }
}

/// One sorted input of the merge.
enum Source {
    Run(BufReader<File>, PathBuf),
    Memory(std::vec::IntoIter<(u64, u32)>),
}

impl Source {
    fn run(run: &NamedTempFile) -> Result<Source, LoadError> {
        let io = |source| LoadError::Run { action: "read", path: run.path().to_owned(), source };
        let mut file = run.as_file().try_clone().map_err(io)?;
        file.rewind().map_err(io)?;
        Ok(Source::Run(BufReader::with_capacity(RUN_BUFFER, file), run.path().to_owned()))
    }

    fn next(&mut self) -> Result<Option<(u64, u32)>, LoadError> {
        match self {
            Source::Memory(records) => Ok(records.next()),
            Source::Run(reader, path) => {
                let mut record = [0u8; RECORD];
                match reader.read_exact(&mut record) {
                    Ok(()) => {
                        let (key, count) = record.split_at(8);
                        let key = u64::from_le_bytes(key.try_into().unwrap_or_default());
                        let count = u32::from_le_bytes(count.try_into().unwrap_or_default());
                        Ok(Some((key, count)))
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
                    Err(source) => Err(LoadError::Run { action: "read", path: path.clone(), source }),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(row: u64, col: u64, count: u32) -> Contact {
        Contact { row, col, count }
    }

    fn merged(capacity: usize, contacts: &[Contact]) -> (Vec<(u64, u64, u32)>, usize) {
        let dir = tempfile::tempdir().unwrap();
        let mut runs = Runs::new(&dir.path().join("out.gzcm"), 10, 100, capacity);
        runs.extend(contacts).unwrap();
        let spilled = runs.spilled();
        let mut out = Vec::new();
        let pixels = runs
            .merge(|r, c, n| {
                out.push((r, c, n));
                Ok(())
            })
            .unwrap();
        assert_eq!(pixels as usize, out.len());
        (out, spilled)
    }

    #[test]
    fn sums_duplicates_within_and_across_runs_in_row_major_order() {
        let contacts = [
            contact(3, 4, 1),
            contact(0, 9, 2),
            contact(3, 4, 1),
            contact(0, 0, 5),
            contact(3, 4, 7),
            contact(0, 9, 1),
            contact(2, 2, 1),
        ];
        let expected = vec![(0, 0, 5), (0, 9, 3), (2, 2, 1), (3, 4, 9)];
        for capacity in [1, 2, 3, 100] {
            let (out, spilled) = merged(capacity, &contacts);
            assert_eq!(out, expected, "capacity {capacity}");
            assert_eq!(spilled > 0, capacity < contacts.len(), "capacity {capacity}");
        }
        assert_eq!(merged(4, &[]).0, vec![]);
    }

    #[test]
    fn a_sum_past_uint32_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut runs = Runs::new(&dir.path().join("out.gzcm"), 10, 100, 1);
        runs.extend(&[contact(1, 2, u32::MAX), contact(1, 2, 1)]).unwrap();
        let error = runs.merge(|_, _, _| Ok(())).unwrap_err();
        assert!(error.to_string().contains("pixel (1, 2) at 100 bp sums to 4294967296"), "{error}");
    }
}
