//! The index entries of spooled tiles, kept in memory up to [`IN_MEMORY`] entries and spilled to
//! a scratch file beyond.
//!
//! A writer holds one entry per stored tile until `finish` lays out the index. A sparse
//! genome-wide map has millions of tiles (6.4 million at 1 kb from 20 million human read
//! pairs), and `load` writes every resolution at once: held in memory, their entries outgrew the
//! sort buffer itself. Spilled, a writer's entries come back only at its `finish`, one writer
//! at a time.

use std::cell::Cell;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{ContainerError, Result};
use gzcm_atomic::temp_in;

/// Entries held in memory before they are spilled (32 bytes each on disk and in memory).
const IN_MEMORY: usize = 1 << 16;
/// Bytes of one spilled entry.
const ENTRY_BYTES: usize = 32;

/// Where one stored tile's bytes are in the spool, and what its index record says of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pending {
    pub(crate) coord: (u32, u32),
    pub(crate) at: u64,
    pub(crate) length: u32,
    pub(crate) codec: u16,
    /// The index record's flags (a tile group's, groups-1; else 0).
    pub(crate) flags: u16,
    pub(crate) crc: u32,
    pub(crate) nnz: u32,
}

impl Pending {
    fn to_bytes(self) -> [u8; ENTRY_BYTES] {
        let mut out = [0u8; ENTRY_BYTES];
        out[0..4].copy_from_slice(&self.coord.0.to_le_bytes());
        out[4..8].copy_from_slice(&self.coord.1.to_le_bytes());
        out[8..16].copy_from_slice(&self.at.to_le_bytes());
        out[16..20].copy_from_slice(&self.length.to_le_bytes());
        out[20..22].copy_from_slice(&self.codec.to_le_bytes());
        out[22..26].copy_from_slice(&self.crc.to_le_bytes());
        out[26..30].copy_from_slice(&self.nnz.to_le_bytes());
        out[30..32].copy_from_slice(&self.flags.to_le_bytes());
        out
    }

    fn from_bytes(b: &[u8; ENTRY_BYTES]) -> Pending {
        let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let mut at = [0u8; 8];
        at.copy_from_slice(&b[8..16]);
        Pending {
            coord: (u32_at(0), u32_at(4)),
            at: u64::from_le_bytes(at),
            length: u32_at(16),
            codec: u16::from_le_bytes([b[20], b[21]]),
            crc: u32_at(22),
            nnz: u32_at(26),
            flags: u16::from_le_bytes([b[30], b[31]]),
        }
    }
}

/// A writer's entries, in the order they were added.
pub(crate) struct PendingList {
    memory: Vec<Pending>,
    spill: Option<(NamedTempFile, BufWriter<File>)>,
    spilled: u64,
    next_to: PathBuf,
}

impl PendingList {
    /// An empty list spilling next to `target`.
    pub(crate) fn new(target: &Path) -> Self {
        PendingList { memory: Vec::new(), spill: None, spilled: 0, next_to: target.to_owned() }
    }

    /// Entries added.
    pub(crate) fn len(&self) -> u64 {
        self.spilled + self.memory.len() as u64
    }

    /// Adds an entry.
    pub(crate) fn push(&mut self, entry: Pending) -> Result<()> {
        self.memory.push(entry);
        if self.memory.len() == IN_MEMORY {
            self.spill_memory()?;
        }
        Ok(())
    }

    fn spill_memory(&mut self) -> Result<()> {
        if self.spill.is_none() {
            let file = temp_in(&self.next_to, ".tiles")?;
            let handle =
                file.as_file().try_clone().map_err(|e| ContainerError::io("open", file.path(), e))?;
            self.spill = Some((file, BufWriter::with_capacity(1 << 20, handle)));
        }
        if let Some((file, writer)) = self.spill.as_mut() {
            for entry in self.memory.drain(..) {
                writer
                    .write_all(&entry.to_bytes())
                    .map_err(|e| ContainerError::io("write", file.path(), e))?;
                self.spilled += 1;
            }
        }
        Ok(())
    }

    /// Ends the list: what was added, to be read back (as often as needed) in the order added.
    pub(crate) fn seal(mut self) -> Result<Entries> {
        let spill = match self.spill.take() {
            None => None,
            Some((file, mut writer)) => {
                writer.flush().map_err(|e| ContainerError::io("write", file.path(), e))?;
                Some(file)
            }
        };
        Ok(Entries { spill, spilled: self.spilled, memory: self.memory })
    }
}

/// Spilled entries read back a chunk at a time.
struct SpillChunks<'a> {
    file: Option<File>,
    left: u64,
    buffer: Vec<u8>,
    failed: &'a Cell<Option<std::io::Error>>,
}

impl SpillChunks<'_> {
    /// Entries read back per chunk (about 1 MiB of them).
    const ENTRIES: u64 = 1 << 15;

    fn next_chunk(&mut self) -> Option<Vec<Pending>> {
        let n = self.left.min(Self::ENTRIES);
        let file = self.file.as_mut().filter(|_| n > 0)?;
        self.buffer.resize(n as usize * ENTRY_BYTES, 0);
        if let Err(e) = file.read_exact(&mut self.buffer) {
            self.failed.set(Some(e));
            self.file = None;
            return None;
        }
        self.left -= n;
        Some(
            self.buffer
                .chunks_exact(ENTRY_BYTES)
                .map(|b| Pending::from_bytes(b.try_into().unwrap_or(&[0; ENTRY_BYTES])))
                .collect(),
        )
    }
}

/// A sealed [`PendingList`]: its entries, spilled and in memory, read back in the order added.
pub(crate) struct Entries {
    spill: Option<NamedTempFile>,
    spilled: u64,
    memory: Vec<Pending>,
}

impl Entries {
    /// How many.
    pub(crate) fn len(&self) -> u64 {
        self.spilled + self.memory.len() as u64
    }

    /// Where the spill is (for messages).
    pub(crate) fn spill_path(&self) -> Option<&Path> {
        self.spill.as_ref().map(NamedTempFile::path)
    }

    /// Every entry in the order added, the spilled ones read back from their file as they are
    /// needed (a pass holds 1 MiB of them); a read error ends the pass early and is kept in
    /// `failed`.
    pub(crate) fn iter<'a>(
        &'a self,
        failed: &'a Cell<Option<std::io::Error>>,
    ) -> impl Iterator<Item = Pending> + 'a {
        let file = match self.spill.as_ref().map(NamedTempFile::reopen) {
            Some(Ok(file)) => Some(file),
            Some(Err(e)) => {
                failed.set(Some(e));
                None
            }
            None => None,
        };
        let mut chunks = SpillChunks { file, left: self.spilled, buffer: Vec::new(), failed };
        std::iter::from_fn(move || chunks.next_chunk())
            .flat_map(|chunk: Vec<Pending>| chunk.into_iter())
            .chain(self.memory.iter().copied())
    }

    /// Every entry, in the order added, in memory.
    pub(crate) fn into_vec(self) -> Result<Vec<Pending>> {
        let failed = Cell::new(None);
        let mut all = Vec::with_capacity(usize::try_from(self.len()).unwrap_or(0));
        all.extend(self.iter(&failed));
        if let Some(e) = failed.take() {
            return Err(self.read_error(e));
        }
        Ok(all)
    }

    /// A failure to read the spill back, as the writer reports it.
    pub(crate) fn read_error(&self, e: std::io::Error) -> ContainerError {
        ContainerError::io("read back", self.spill_path().unwrap_or(Path::new("the tile index spill")), e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_come_back_in_order_across_the_spill() {
        let dir = tempfile::tempdir().unwrap();
        let mut list = PendingList::new(&dir.path().join("out.gzcm"));
        let entry = |i: u32| Pending {
            coord: (i / 7, i),
            at: u64::from(i) * 1_000_000_007,
            length: i ^ 0x5a5a,
            codec: (i % 3) as u16,
            crc: i.wrapping_mul(2_654_435_761),
            nnz: i + 1,
            flags: (i % 5) as u16,
        };
        let n = 2 * IN_MEMORY as u32 + 5;
        for i in 0..n {
            list.push(entry(i)).unwrap();
        }
        assert_eq!(list.len(), u64::from(n));
        // The spill is a hidden `.tiles` file next to the output, as the CLI's cleanup expects.
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(names.iter().any(|n| n.starts_with(".out.gzcm.") && n.ends_with(".tiles")), "{names:?}");
        let entries = list.seal().unwrap();
        let failed = Cell::new(None);
        let expected: Vec<Pending> = (0..n).map(entry).collect();
        for _ in 0..2 {
            assert_eq!(entries.iter(&failed).collect::<Vec<_>>(), expected, "read back as often as needed");
        }
        assert!(failed.take().is_none());
        assert_eq!(entries.into_vec().unwrap(), expected);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "the spill is removed");
    }
}
