//! Writing a multi-resolution file (format revision collection-1): [`CollectionWriter`] takes
//! ordinary single-resolution `.gzcm` files, one per resolution (written by any writer or
//! conversion, e.g. to [`CollectionWriter::scratch_path`]), checks that they bin one genome,
//! re-lays each as a member (header without chromosomes, structure first, packed index
//! re-encoded, payload bytes copied verbatim) and writes the collection atomically.
//!
//! Memory does not grow with the payloads, the tiles or the number of members: `add` walks an
//! input's packed index record by record (each validated as it is decoded) into a spill next to
//! the output, re-encodes the index from that spill, and keeps only the re-laid structure
//! (header, packed index, genome blocks); `finish` reads each member's payloads from its file,
//! in the spill's order, each checked against its crc32c as it is copied.

use std::cell::Cell;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use tempfile::TempDir;

use gzcm_atomic::AtomicFile;

use crate::error::{ContainerError, Result};
use crate::format::collection::member::{RelaidMember, relay};
use crate::format::collection::table::{MemberFigures, lay_out};
use crate::format::collection::{
    ChromSize, CollectionGenome, CollectionMetadata, MemberInputError, ResolutionEntry,
};
use crate::format::header::{Header, Layout};
use crate::format::index::TileRecord;
use crate::format::structure::Outline;
use crate::write::copy::{FilePayloads, copy_payloads, map, slice};
use crate::write::pending::{Entries, Pending, PendingList};
use gzcm_genome::Genome;

/// Writes a multi-resolution `.gzcm` file from single-resolution files, one per resolution.
///
/// ```no_run
/// # fn main() -> Result<(), gzcm_container::ContainerError> {
/// use gzcm_container::CollectionWriter;
///
/// let mut collection = CollectionWriter::create("sample.gzcm", false)?;
/// for resolution in [1_000, 5_000, 10_000] {
///     let member = collection.scratch_path(resolution);
///     // … write an ordinary packed `.gzcm` with fixed bins of `resolution` bp to `member` …
///     collection.add(resolution, &member)?;
/// }
/// let summary = collection.finish()?;
/// assert_eq!(summary.resolutions(), [1_000, 5_000, 10_000]);
/// # Ok(())
/// # }
/// ```
///
/// The output appears atomically at [`CollectionWriter::finish`]; a dropped or failed writer
/// leaves nothing behind (its scratch directory included). One resolution gives a valid
/// collection; the conversions write a plain single-resolution file then instead.
#[derive(Debug)]
pub struct CollectionWriter {
    out: AtomicFile,
    scratch: TempDir,
    /// The scratch directory held open for the writer's life, so that a signal handler can
    /// find it among the process's open files (`/proc/self/fd`) even while no member file in
    /// it is open (e.g. while a member's codecs are being chosen).
    _scratch_held: File,
    writer_name: String,
    /// The first member's resolution and genome: every later member must bin the same one.
    genome: Option<(u64, CollectionGenome)>,
    members: Vec<Member>,
}

/// A file added as a member, waiting for `finish`.
struct Member {
    resolution: u64,
    path: PathBuf,
    /// Its payloads, read at `finish`.
    payloads: File,
    /// Its index records in the order its payloads are copied (offsets in the input), spilled
    /// next to the output: a sparse genome-wide map has millions of tiles, too many records to
    /// hold for every member.
    records: Entries,
    relaid: RelaidMember,
}

impl std::fmt::Debug for Member {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Member")
            .field("resolution", &self.resolution)
            .field("path", &self.path)
            .field("records", &self.records.len())
            .finish_non_exhaustive()
    }
}

/// The index record a spilled entry stands for (flags are 0: every record was validated).
fn record_of(entry: Pending) -> TileRecord {
    TileRecord {
        tile_row: entry.coord.0,
        tile_col: entry.coord.1,
        offset: entry.at,
        length: entry.length,
        codec_id: entry.codec,
        flags: entry.flags,
        crc32c: entry.crc,
        nnz: entry.nnz,
    }
}

/// What [`CollectionWriter::finish`] wrote.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct CollectionSummary {
    /// The output.
    pub path: PathBuf,
    /// Its length.
    pub bytes: u64,
    /// Its table: one entry per resolution, ascending.
    pub entries: Vec<ResolutionEntry>,
    /// Seconds spent in `finish`.
    pub seconds: f64,
}

impl CollectionSummary {
    /// The resolutions written, ascending.
    #[must_use]
    pub fn resolutions(&self) -> Vec<u64> {
        self.entries.iter().map(|e| e.resolution).collect()
    }
}

impl CollectionWriter {
    /// Starts a collection at `path`, with a hidden scratch directory next to it for
    /// [`CollectionWriter::scratch_path`].
    ///
    /// # Errors
    /// [`ContainerError::OutputExists`] when `path` exists and `overwrite` is off;
    /// [`ContainerError::Io`] when the directory cannot hold the temporary files.
    pub fn create(path: impl AsRef<Path>, overwrite: bool) -> Result<CollectionWriter> {
        let target = path.as_ref();
        let out = AtomicFile::create(target, overwrite)?;
        let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let stem = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let scratch = tempfile::Builder::new()
            .prefix(&format!(".{stem}."))
            .suffix(".resolutions")
            .tempdir_in(dir)
            .map_err(|e| ContainerError::io("create a scratch directory in", dir, e))?;
        let scratch_held =
            File::open(scratch.path()).map_err(|e| ContainerError::io("open", scratch.path(), e))?;
        let writer_name = format!("gzcm {}", env!("CARGO_PKG_VERSION"));
        Ok(CollectionWriter {
            out,
            scratch,
            _scratch_held: scratch_held,
            writer_name,
            genome: None,
            members: Vec::new(),
        })
    }

    /// The program name recorded in the collection's `metadata.writer` (default
    /// `gzcm <version>`).
    #[must_use]
    pub fn writer_name(mut self, name: impl Into<String>) -> Self {
        self.writer_name = name.into();
        self
    }

    /// The output path.
    #[must_use]
    pub fn path(&self) -> &Path {
        self.out.target()
    }

    /// A path in the writer's hidden scratch directory (next to the output) where a caller may
    /// write the single-resolution file of `resolution` before [`CollectionWriter::add`]ing
    /// it. Nothing exists there yet; the directory and everything in it is removed when the
    /// writer finishes, fails or is dropped.
    #[must_use]
    pub fn scratch_path(&self, resolution: u64) -> PathBuf {
        self.scratch.path().join(format!("{resolution}.gzcm"))
    }

    /// The resolutions added so far, ascending.
    #[must_use]
    pub fn resolutions(&self) -> Vec<u64> {
        let mut resolutions: Vec<u64> = self.members.iter().map(|m| m.resolution).collect();
        resolutions.sort_unstable();
        resolutions
    }

    /// Adds the single-resolution file `member_file` as resolution `resolution`, in any order.
    /// It is opened and validated (every structure checksum), must be version 3 or 4 with a
    /// packed index and a genome of fixed `resolution`-bp bins over the same chromosomes and
    /// assembly as the first member added, and is re-laid as a member; its payloads are copied
    /// at [`CollectionWriter::finish`], so the file must stay in place until then.
    ///
    /// # Errors
    /// [`ContainerError::MemberInput`] naming what disqualifies the file (e.g.
    /// [`MemberInputError::ChromsDiffer`] with the first difference);
    /// [`ContainerError::Io`], [`ContainerError::Format`] when it cannot be read or is damaged.
    pub fn add(&mut self, resolution: u64, member_file: impl AsRef<Path>) -> Result<()> {
        let path = member_file.as_ref();
        let refuse = |source| ContainerError::MemberInput {
            path: path.to_owned(),
            resolution,
            source: Box::new(source),
        };
        if resolution == 0 {
            return Err(refuse(MemberInputError::ZeroResolution));
        }
        if self.members.iter().any(|m| m.resolution == resolution) {
            return Err(refuse(MemberInputError::Duplicate));
        }
        if same_file(path, self.out.target()) {
            return Err(refuse(MemberInputError::InputIsOutput));
        }
        let bytes = map(path)?;
        let format = |e| ContainerError::format(path, e);
        let outline = Outline::parse(&bytes, &bytes[..], bytes.len() as u64, None).map_err(format)?;
        let found = outline.load_genome(&bytes[..]).map_err(format)?;
        let genome = self
            .check_member(&outline.header, &outline.layout, found.as_ref(), resolution)
            .map_err(refuse)?;
        let records =
            outline.packed_records(&bytes[..]).ok_or_else(|| refuse(MemberInputError::IndexNotPacked))?;
        let mut list = PendingList::new(self.out.target());
        for record in records.map_err(format)? {
            let r = record.map_err(format)?;
            list.push(Pending {
                coord: r.coord(),
                at: r.offset,
                length: r.length,
                codec: r.codec_id,
                flags: r.flags,
                crc: r.crc32c,
                nnz: r.nnz,
            })?;
        }
        let records = list.seal()?;
        let blocks: Vec<&[u8]> = outline
            .header
            .genome
            .iter()
            .flat_map(|g| g.blocks())
            .map(|b| slice(&bytes, b.offset, b.length))
            .collect();
        let failed = Cell::new(None);
        let relaid = relay(&outline.header, || records.iter(&failed).map(record_of), &blocks, path)?;
        if let Some(e) = failed.take() {
            return Err(records.read_error(e));
        }
        self.genome.get_or_insert((resolution, genome));
        let payloads = File::open(path).map_err(|e| ContainerError::io("open", path, e))?;
        self.members.push(Member { resolution, path: path.to_owned(), payloads, records, relaid });
        Ok(())
    }

    /// What disqualifies a parsed file as the member of `resolution`; else its genome as a
    /// collection records it.
    fn check_member(
        &self,
        header: &Header,
        layout: &Layout,
        genome: Option<&Genome>,
        resolution: u64,
    ) -> Result<CollectionGenome, MemberInputError> {
        let version = layout.version;
        if version < 3 {
            return Err(MemberInputError::Version { version });
        }
        if !header.arrays.tile_index.as_ref().is_some_and(|i| i.is_packed()) {
            return Err(MemberInputError::IndexNotPacked);
        }
        let genome = genome.ok_or(MemberInputError::NoGenome)?;
        match genome.resolution() {
            None => return Err(MemberInputError::VariableBins),
            Some(bin_size) if bin_size != resolution => return Err(MemberInputError::BinSize { bin_size }),
            Some(_) => {}
        }
        let found = CollectionGenome::new(
            genome.assembly().map(str::to_owned),
            genome.chroms().iter().map(|c| (c.name.clone(), c.length)),
        );
        if let Some((first_resolution, expected)) = &self.genome {
            let first_resolution = *first_resolution;
            if let Some(difference) = first_difference(&expected.chroms, &found.chroms) {
                return Err(MemberInputError::ChromsDiffer { first_resolution, difference });
            }
            if expected.assembly != found.assembly {
                return Err(MemberInputError::AssemblyDiffers {
                    first_resolution,
                    found: found.assembly,
                    expected: expected.assembly.clone(),
                });
            }
        }
        Ok(found)
    }

    /// Writes the collection (members ascending by resolution) to a temporary file next to the
    /// output, then renames it into place; the scratch directory is removed.
    ///
    /// # Errors
    /// [`ContainerError::InvalidOption`] when nothing was added; [`ContainerError::CrcMismatch`]
    /// when an input's payload no longer matches its index (the file changed or is damaged);
    /// [`ContainerError::Io`], [`ContainerError::OutputExists`] when writing or renaming fails.
    pub fn finish(mut self) -> Result<CollectionSummary> {
        let started = Instant::now();
        let Some((_, genome)) = self.genome.take() else {
            return Err(ContainerError::option(
                "resolutions",
                "add at least one resolution before finishing",
            ));
        };
        self.members.sort_by_key(|m| m.resolution);
        let figures: Vec<MemberFigures> = self
            .members
            .iter()
            .map(|m| MemberFigures {
                resolution: m.resolution,
                length: m.relaid.length(),
                structure_bytes: m.relaid.structure.len() as u64,
                trailer: m.relaid.trailer,
            })
            .collect();
        let metadata = CollectionMetadata { writer: Some(self.writer_name.clone()) };
        let (head, header) = lay_out(&genome, &metadata, &figures)?;
        let target = self.out.target().to_owned();
        let io = |e| ContainerError::io("write", &target, e);
        let mut writer = BufWriter::with_capacity(1 << 20, self.out.file());
        writer.write_all(&head).map_err(io)?;
        // One member at a time, its payloads read from its file in the spill's order.
        for member in std::mem::take(&mut self.members) {
            writer.write_all(&member.relaid.structure).map_err(io)?;
            let failed = Cell::new(None);
            let mut source = FilePayloads::new(&member.payloads, &member.path);
            copy_payloads(&mut source, member.records.iter(&failed).map(record_of), &mut writer, &target)?;
            if let Some(e) = failed.take() {
                return Err(member.records.read_error(e));
            }
            writer.write_all(&member.relaid.trailer.to_bytes()).map_err(io)?;
        }
        writer.flush().map_err(io)?;
        drop(writer);
        let bytes = header.resolutions.last().map_or(0, |e| e.offset + e.length);
        self.out.commit()?;
        Ok(CollectionSummary {
            path: target,
            bytes,
            entries: header.resolutions,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}

/// Whether `input` is the file `target` names (`target` need not exist).
fn same_file(input: &Path, target: &Path) -> bool {
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match (input.canonicalize(), dir.canonicalize(), target.file_name()) {
        (Ok(input), Ok(dir), Some(name)) => input == dir.join(name),
        _ => false,
    }
}

/// The first difference between two chromosome lists, in words.
fn first_difference(expected: &[ChromSize], found: &[ChromSize]) -> Option<String> {
    let position = expected.iter().zip(found).position(|(a, b)| a != b);
    match position {
        Some(i) => Some(format!(
            "chromosome {} is `{}` of {} bp there, `{}` of {} bp here",
            i + 1,
            expected[i].name,
            expected[i].length,
            found[i].name,
            found[i].length
        )),
        None => (expected.len() != found.len())
            .then(|| format!("{} chromosomes there, {} here", expected.len(), found.len())),
    }
}
