//! A single-resolution file's structure read off its bytes, every part validated before any
//! number from the file is used: preamble, integrity trailer and header checksum, header,
//! tile index (or v1/v2 array and block table), genome blocks. The reader opens files through
//! it, the collection writer reads the files it re-lays as members through it. A collection's
//! member is parsed with its [`MemberContext`]: the trailer values come from the collection's
//! table and the chromosomes from the collection's genome.

use crate::format::FileBytes;
use crate::format::collection::member::MemberContext;
use crate::format::error::FormatError;
use crate::format::genome::StoredExpected;
use crate::format::genome::blocks::{self as genome_blocks, PayloadArea};
use crate::format::header::{Header, Layout};
use crate::format::index::IndexRules;
use crate::format::integrity::{self, Checks, TRAILER_BYTES, Trailer};
use crate::format::packed_index;
use crate::format::preamble;
use crate::format::storage::Storage;
use gzcm_genome::Genome;

/// A file's validated structure.
#[derive(Debug)]
pub(crate) struct Structure {
    pub(crate) header: Header,
    pub(crate) layout: Layout,
    pub(crate) checks: Checks,
    pub(crate) data_offset: u64,
    pub(crate) storage: Storage,
    pub(crate) genome: Option<Genome>,
    /// Stored cis expected tables (docs/format.md entry 49), checked against `genome`.
    pub(crate) expected: Vec<StoredExpected>,
}

/// A file's structure up to its tile index: preamble, integrity, header and layout
/// validated, the index not yet read. [`Structure::parse`] goes on from here; a writer that
/// re-lays a file with millions of tiles walks its packed index record by record instead
/// ([`Outline::packed_records`]).
#[derive(Debug)]
pub(crate) struct Outline {
    pub(crate) header: Header,
    pub(crate) layout: Layout,
    pub(crate) checks: Checks,
    pub(crate) data_offset: u64,
    len: u64,
}

impl Outline {
    /// Parses the file of `len` bytes whose first bytes are `head` (at least its preamble and
    /// header) and of which `view` holds (unless `member` gives the trailer's values) the
    /// trailer.
    pub(crate) fn parse(
        head: &[u8],
        view: &(impl FileBytes + ?Sized),
        len: u64,
        member: Option<&MemberContext>,
    ) -> Result<Outline, FormatError> {
        let json = preamble::split_preamble(head)?;
        // The smallest possible data offset (a packed index has no padding); the header says
        // which applies once it is parsed, and it is checked against the trailer below.
        let min_data_offset = preamble::PREAMBLE_LEN + json.len() as u64;
        let trailer = match member {
            Some(member) => Some(member.trailer),
            None => {
                let tail = view.span(len.saturating_sub(TRAILER_BYTES), TRAILER_BYTES);
                Trailer::from_tail(tail, len, min_data_offset)?
            }
        };
        if let Some(trailer) = trailer {
            // Checked before parsing: a damaged header is reported as such, not as odd JSON.
            let computed = integrity::header_crc(head, json.len());
            if computed != trailer.header_crc {
                return Err(blame(
                    member,
                    FormatError::HeaderChecksum { stored: trailer.header_crc, computed },
                ));
            }
        }
        let mut header = Header::from_json(json)?;
        if let Some(member) = member {
            member.adopt(&mut header)?;
        }
        let data_offset = header.data_offset(json.len() as u64);
        if data_offset > len {
            let (what, file_len) = ("header and its padding", len);
            return Err(FormatError::Truncated { what, needed: data_offset, file_len });
        }
        let checks = integrity::reconcile(header.integrity.is_some(), trailer)?;
        let layout = header.validate()?;
        if let Some(member) = member {
            member.check_structure(&header)?;
        }
        Ok(Outline { header, layout, checks, data_offset, len })
    }

    /// The genome and stored expected tables, from the genome blocks `view` holds.
    fn genome(
        &self,
        view: &(impl FileBytes + ?Sized),
    ) -> Result<(Option<Genome>, Vec<StoredExpected>), FormatError> {
        // Genome blocks must end before the integrity trailer (docs/format.md, entry 25).
        let blocks = self.header.genome.as_ref().and_then(|g| g.blocks_span());
        let (base, file) = blocks.and_then(|b| Some((b.start, view.get(&b)?))).unwrap_or((0, &[]));
        let area = PayloadArea {
            file,
            base,
            file_len: self.checks.data_end(self.len),
            data_offset: self.data_offset,
        };
        Ok(match genome_blocks::load(&self.header, area)? {
            Some((genome, expected)) => (Some(genome), expected),
            None => (None, Vec::new()),
        })
    }

    /// The genome the header and its blocks (which `view` holds) describe, if any.
    pub(crate) fn load_genome(
        &self,
        view: &(impl FileBytes + ?Sized),
    ) -> Result<Option<Genome>, FormatError> {
        self.genome(view).map(|(genome, _)| genome)
    }

    /// The records of a packed tile index, validated one at a time as they are decoded (none
    /// held); `None` when the file has no packed index.
    pub(crate) fn packed_records<'f>(
        &self,
        view: &'f (impl FileBytes + ?Sized),
    ) -> Option<Result<packed_index::Records<'f>, FormatError>> {
        let array = self.header.arrays.tile_index.as_ref().filter(|i| i.is_packed())?;
        let rules = IndexRules::of_file(&self.header, &self.layout, self.data_offset, self.checks, self.len);
        Some(packed_index::records(array, view, &rules, self.checks))
    }
}

impl Structure {
    /// Parses the file of `len` bytes whose first bytes are `head` (at least its preamble and
    /// header) and of which `view` holds the index, genome blocks and (unless `member` gives
    /// the trailer's values) the trailer.
    pub(crate) fn parse(
        head: &[u8],
        view: &(impl FileBytes + ?Sized),
        len: u64,
        member: Option<&MemberContext>,
    ) -> Result<Structure, FormatError> {
        let outline = Outline::parse(head, view, len, member)?;
        let storage =
            Storage::locate(&outline.header, &outline.layout, view, len, outline.data_offset, outline.checks)
                .map_err(|e| blame(member, e))?;
        if let Some(member) = member {
            member.check_payloads(storage.first_payload())?;
        }
        let (genome, expected) = outline.genome(view)?;
        let Outline { header, layout, checks, data_offset, .. } = outline;
        Ok(Structure { header, layout, checks, data_offset, storage, genome, expected })
    }
}

/// A checksum failure of a member's header or index, reported against the collection's table
/// (which holds the expected values); other errors, and every error of a single file, as they are.
fn blame(member: Option<&MemberContext>, error: FormatError) -> FormatError {
    match member {
        Some(member) => member.blame_entry(error),
        None => error,
    }
}
