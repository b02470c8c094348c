//! The index entries of spooled tiles, kept in memory up to [`IN_MEMORY`] entries and spilled to
//! a scratch file beyond.
//!
//! A writer holds one entry per stored tile until `finish` lays out the index. A sparse
//! genome-wide map has millions of tiles (6.4 million at 1 kb from 20 million human read
//! pairs), and `load` writes every resolution at once: held in memory, their entries outgrew the
//! sort buffer itself. Spilled, a writer's entries come back only at its `finish`, one writer
//! at a time.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{ContainerError, Result};
use gzcm_atomic::temp_in;

/// Entries held in memory before they are spilled (30 bytes each on disk, 32 in memory).
const IN_MEMORY: usize = 1 << 16;
/// Bytes of one spilled entry.
const ENTRY_BYTES: usize = 30;

/// Where one stored tile's bytes are in the spool, and what its index record says of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pending {
    pub(crate) coord: (u32, u32),
    pub(crate) at: u64,
    pub(crate) length: u32,
    pub(crate) codec: u16,
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

    /// Every entry, in the order added (read back from the spill).
    pub(crate) fn into_vec(mut self) -> Result<Vec<Pending>> {
        let Some((file, mut writer)) = self.spill.take() else {
            return Ok(self.memory);
        };
        let io = |e| ContainerError::io("read back", file.path(), e);
        writer.flush().map_err(io)?;
        drop(writer);
        let total = usize::try_from(self.len()).unwrap_or(usize::MAX);
        let mut all = Vec::with_capacity(total);
        let mut handle = file.as_file().try_clone().map_err(io)?;
        handle.rewind().map_err(io)?;
        let mut reader = BufReader::with_capacity(1 << 20, handle);
        let mut bytes = [0u8; ENTRY_BYTES];
        for _ in 0..self.spilled {
            reader.read_exact(&mut bytes).map_err(io)?;
            all.push(Pending::from_bytes(&bytes));
        }
        all.append(&mut self.memory);
        Ok(all)
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
        let back = list.into_vec().unwrap();
        assert_eq!(back, (0..n).map(entry).collect::<Vec<_>>());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "the spill is removed");
    }
}
