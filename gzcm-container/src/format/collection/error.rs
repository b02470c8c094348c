//! What can be wrong with a multi-resolution collection's bytes (format revision collection-1):
//! its table of resolutions, or a member that contradicts the table.

/// A collection's header, table or member contradicts the format (docs/format.md,
/// "Multi-resolution collections"). Carried as [`FormatError::Collection`](crate::FormatError).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CollectionError {
    /// The crc32c after the collection header disagrees with the header's bytes.
    #[error(
        "the collection header is corrupt: crc32c of the preamble and header json is {computed:#010x}, \
         its seal records {stored:#010x}"
    )]
    SealMismatch {
        /// The seal's value.
        stored: u32,
        /// crc32c of the preamble and header JSON.
        computed: u32,
    },
    /// The header's `collection` names a kind of collection this reader does not know.
    #[error("the file is a collection of `{found}`; this reader knows collections of `resolutions`")]
    UnknownKind {
        /// The value found.
        found: String,
    },
    /// The table lists no resolution.
    #[error("the collection lists no resolution")]
    Empty,
    /// A resolution of 0 bp.
    #[error("the collection lists a resolution of 0 bp")]
    ZeroResolution,
    /// The table is not in strictly ascending order of resolution (a repeat included).
    #[error(
        "the collection lists resolution {resolution} after {previous}; resolutions must be distinct \
         and ascending"
    )]
    Order {
        /// The resolution out of place.
        resolution: u64,
        /// The one before it.
        previous: u64,
    },
    /// More entries than the file has bytes for (each member holds at least a preamble and a
    /// trailer).
    #[error("the collection lists {count} resolutions but its {bytes} bytes of members hold at most {most}")]
    TooManyEntries {
        /// Entries listed.
        count: u64,
        /// Bytes after the collection header.
        bytes: u64,
        /// The most members those bytes can hold.
        most: u64,
    },
    /// A member does not start where the one before it (or the header) ends: members must be
    /// contiguous, in the table's order, and inside the file.
    #[error(
        "the member of resolution {resolution} is at offset {offset} with length {length}, but it \
         must start at {expected} and end within the file's {file_len} bytes; the table is damaged"
    )]
    MemberPlacement {
        /// Its resolution.
        resolution: u64,
        /// Offset recorded.
        offset: u64,
        /// Length recorded.
        length: u64,
        /// Where it must start.
        expected: u64,
        /// File length.
        file_len: u64,
    },
    /// The last member does not end at the end of the file.
    #[error(
        "the last member ends at offset {end}, the file has {file_len} bytes; it was cut short or appended to"
    )]
    MemberEnd {
        /// Where the last member ends.
        end: u64,
        /// File length.
        file_len: u64,
    },
    /// `structure_bytes` cannot be the start of the member.
    #[error(
        "the member of resolution {resolution} records {structure_bytes} bytes of structure in \
         {length} bytes; it needs a preamble before and a trailer after it"
    )]
    StructureBytes {
        /// Its resolution.
        resolution: u64,
        /// `structure_bytes` recorded.
        structure_bytes: u64,
        /// The member's length.
        length: u64,
    },
    /// A member's header or tile index disagrees with the crc32c copied into the table.
    #[error(
        "the member of resolution {resolution} is corrupt: crc32c of its {what} is {computed:#010x}, \
         the collection records {stored:#010x}"
    )]
    EntryChecksum {
        /// Its resolution.
        resolution: u64,
        /// `header` or `tile index`.
        what: &'static str,
        /// The table's value.
        stored: u32,
        /// crc32c of the member's bytes.
        computed: u32,
    },
    /// A member's own integrity trailer disagrees with the values copied into the table.
    #[error(
        "the member of resolution {resolution} ends with a trailer recording {member:#010x} as its \
         {what} crc32c, the collection records {entry:#010x}"
    )]
    MemberTrailer {
        /// Its resolution.
        resolution: u64,
        /// `header` or `data`.
        what: &'static str,
        /// The table's value.
        entry: u32,
        /// The member trailer's value.
        member: u32,
    },
    /// A member stores `metadata.chroms`, which a collection keeps once, in its own header.
    #[error(
        "the member of resolution {resolution} stores `metadata.chroms`; members take the \
         collection's chromosomes, so the file is damaged or not written by gzcm"
    )]
    MemberChroms {
        /// Its resolution.
        resolution: u64,
    },
    /// A member's genome contradicts the resolution the table gives it, or the collection's
    /// genome.
    #[error("the member listed at resolution {resolution} {problem}; the resolution list is wrong")]
    MemberGenome {
        /// The resolution the table gives it.
        resolution: u64,
        /// What contradicts it, with the numbers.
        problem: String,
    },
    /// A member is not laid out structure first, or its structure does not end at
    /// `structure_bytes`.
    #[error("the member of resolution {resolution} is not laid out as a collection member: {problem}")]
    MemberLayout {
        /// Its resolution.
        resolution: u64,
        /// What is wrong, with the numbers.
        problem: String,
    },
    /// The collection's chromosomes do not give a genome at one of its resolutions.
    #[error("the collection's chromosomes at resolution {resolution}: {source}")]
    Genome {
        /// The resolution.
        resolution: u64,
        /// What is wrong.
        #[source]
        source: gzcm_genome::GenomeError,
    },
}

/// Why a single-resolution file cannot become a member of a collection being written
/// ([`CollectionWriter::add`](crate::CollectionWriter::add)). Carried as
/// [`ContainerError::MemberInput`](crate::ContainerError::MemberInput).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MemberInputError {
    /// A resolution of 0 bp.
    #[error("a resolution must be at least 1 bp")]
    ZeroResolution,
    /// The resolution was added before.
    #[error("the collection has this resolution already")]
    Duplicate,
    /// The file is the collection's own output.
    #[error("it is the collection's output; write each resolution to a file of its own")]
    InputIsOutput,
    /// Versions 1 and 2 store no compressed tiles.
    #[error("it is version {version}; members are version 3 or 4")]
    Version {
        /// The file's version.
        version: u32,
    },
    /// The file stores SPEC §4's 32-byte index records.
    #[error(
        "its tile index is 32-byte records; write it with a packed index \
         (`WriterBuilder::packed_index(true)`, the conversions' default)"
    )]
    IndexNotPacked,
    /// The file has no genome (chromosomes and bins).
    #[error("it has no genome; a member needs chromosomes and fixed bins")]
    NoGenome,
    /// The file's bins are listed one by one.
    #[error("it has variable bins; a member's bins are fixed at its resolution")]
    VariableBins,
    /// The file's bin size is not the resolution it is added as.
    #[error("its bins are {bin_size} bp")]
    BinSize {
        /// The file's bin size.
        bin_size: u64,
    },
    /// The file's chromosomes differ from those of the first member added.
    #[error("its chromosomes differ from those of resolution {first_resolution}: {difference}")]
    ChromsDiffer {
        /// The first member added.
        first_resolution: u64,
        /// The first difference, in words.
        difference: String,
    },
    /// The file's assembly differs from that of the first member added.
    #[error("its assembly is {found:?}, resolution {first_resolution}'s is {expected:?}")]
    AssemblyDiffers {
        /// The first member added.
        first_resolution: u64,
        /// This file's assembly.
        found: Option<String>,
        /// The first member's.
        expected: Option<String>,
    },
}
