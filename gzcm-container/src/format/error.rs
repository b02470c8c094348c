//! What is wrong with a file's bytes: [`FormatError`], [`PackedIndexError`] for the packed
//! tile index section inside it, and [`GroupError`] for a tile group's payload.

/// A `.gzcm` file is malformed: its bytes contradict the format (SPEC §2–§4).
///
/// Every check runs at [`Reader::open`](crate::Reader::open), before any number from the file
/// sizes an allocation or an offset is dereferenced.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The genome extension's record or blocks are malformed.
    #[error("genome data: {0}")]
    Genome(#[from] crate::format::genome::GenomeBlockError),
    /// A multi-resolution collection's table or member is malformed (docs/format.md,
    /// collection-1).
    /// Boxed: it is the largest, and every `Result` of the crate carries this type.
    #[error("collection: {0}")]
    Collection(Box<crate::format::collection::CollectionError>),
    /// The packed tile index section is malformed (docs/format.md, packed-index-1).
    #[error("tile index: {0}")]
    PackedIndex(#[from] PackedIndexError),
    /// The file does not start with `GZCM`.
    #[error("not a gzcm file: it starts with {found:02x?} instead of the magic `GZCM`")]
    BadMagic {
        /// The first bytes found (fewer than 4 when the file is shorter).
        found: Vec<u8>,
    },
    /// The file ends before a structure it declares.
    #[error(
        "file is truncated: the {what} needs {needed} bytes but the file has {file_len}; \
         it was cut short, re-create it"
    )]
    Truncated {
        /// What was being read.
        what: &'static str,
        /// Bytes needed.
        needed: u64,
        /// File length.
        file_len: u64,
    },
    /// `header_len` exceeds the reader's cap.
    #[error("header_len is {header_len} bytes, above the {max}-byte cap; the file is damaged")]
    HeaderTooLarge {
        /// Length declared.
        header_len: u64,
        /// The cap ([`MAX_HEADER_LEN`](crate::format::preamble::MAX_HEADER_LEN)).
        max: u64,
    },
    /// The header is not UTF-8 JSON of the expected shape (a required key missing, a wrong type).
    #[error("header json is invalid: {source}; the file is damaged or not written by gzcm")]
    HeaderJson {
        /// The parser's report.
        #[source]
        source: serde_json::Error,
    },
    /// `format` is not `gzcm`.
    #[error("header `format` is `{found}`, expected `gzcm`")]
    WrongFormatName {
        /// The value found.
        found: String,
    },
    /// `version` is not 1..=4 (a single-resolution file) or 5 (a collection).
    #[error(
        "unsupported version {version}: this reader handles versions 1 to 4, and 5 for \
         multi-resolution collections; upgrade gzcm"
    )]
    UnsupportedVersion {
        /// The version found.
        version: u64,
    },
    /// `arrays.matrix.dtype` names no known cell type.
    #[error("unknown dtype `{name}`: expected `uint32` or `float32`")]
    UnknownDtype {
        /// The dtype string found.
        name: String,
    },
    /// A codec entry records a wire format other than `opaque` or `self`.
    #[error("codec `{codec}` records unknown wire format `{wire}`: expected `opaque` or `self`")]
    UnknownWire {
        /// Codec name.
        codec: String,
        /// The wire string found.
        wire: String,
    },
    /// The `codecs` table's ids are not `0, 1, 2, …` in order.
    #[error("codec table entry {position} has id {id}; ids must be 0, 1, 2, … in order")]
    CodecIds {
        /// Position in the table.
        position: usize,
        /// The id found there.
        id: u64,
    },
    /// A field that this version requires is absent.
    #[error("header is missing `{key}`, which version {version} requires")]
    MissingKey {
        /// Dotted path of the key.
        key: &'static str,
        /// The file's version.
        version: u32,
    },
    /// A header field holds a value outside what the format allows.
    #[error("header field `{key}` is invalid: {reason}")]
    InvalidField {
        /// Dotted path of the key.
        key: &'static str,
        /// What is wrong, with the numbers.
        reason: String,
    },
    /// A span the header or index points at lies (partly) outside the file or inside the header.
    #[error(
        "{what} at offset {offset} with length {length} lies outside the payload region \
         {data_offset}..{file_len}; the file is truncated or damaged"
    )]
    OffsetOutOfFile {
        /// What the span holds.
        what: &'static str,
        /// Absolute offset.
        offset: u64,
        /// Length in bytes.
        length: u64,
        /// Start of the payload area.
        data_offset: u64,
        /// File length.
        file_len: u64,
    },
    /// An index record names a tile outside the tile grid.
    #[error("index names tile ({row}, {col}) outside the {}×{} tile grid", grid.0, grid.1)]
    TileOutOfGrid {
        /// Tile row.
        row: u32,
        /// Tile column.
        col: u32,
        /// `(n_tile_rows, n_tile_cols)`.
        grid: (u32, u32),
    },
    /// A symmetric file's index holds a tile below the diagonal.
    #[error("symmetric file's index holds tile ({row}, {col}) below the diagonal")]
    LowerTriangleTile {
        /// Tile row.
        row: u32,
        /// Tile column.
        col: u32,
    },
    /// Two index records name the same tile.
    #[error("index holds tile ({row}, {col}) twice")]
    DuplicateTile {
        /// Tile row.
        row: u32,
        /// Tile column.
        col: u32,
    },
    /// A group record's span covers a tile another record stores (format revision groups-1).
    #[error(
        "the tile group at ({row}, {col}) spans {span} tiles and so covers tile ({row}, {other}), which has its own record"
    )]
    GroupOverlap {
        /// Tile row.
        row: u32,
        /// The group's first tile column.
        col: u32,
        /// Tiles the group spans.
        span: u32,
        /// The column of the record inside the span.
        other: u32,
    },
    /// Index records are not in the file's tile order (SPEC §4).
    #[error("index record {position} (tile ({row}, {col})) breaks the file's `{order}` tile order")]
    IndexOrder {
        /// Record position.
        position: u64,
        /// Tile row.
        row: u32,
        /// Tile column.
        col: u32,
        /// The declared order.
        order: &'static str,
    },
    /// An index record's codec id is not in the `codecs` table.
    #[error("tile ({row}, {col}) uses codec id {codec_id}, but the header lists {codecs} codecs")]
    CodecIdOutOfRange {
        /// Tile row.
        row: u32,
        /// Tile column.
        col: u32,
        /// The id in the record.
        codec_id: u16,
        /// Size of the `codecs` table.
        codecs: usize,
    },
    /// An index record's flags hold bits this reader does not know.
    #[error("tile ({row}, {col}) has unknown flags {flags:#06x}; upgrade gzcm")]
    UnknownFlags {
        /// Tile row.
        row: u32,
        /// Tile column.
        col: u32,
        /// The flags.
        flags: u16,
    },
    /// An index record's non-zero count is impossible: zero (all-zero tiles are never stored)
    /// or more than the tile's cells.
    #[error("tile ({row}, {col}) records {nnz} non-zero cells; a stored tile has 1..={cells}")]
    NnzOutOfRange {
        /// Tile row.
        row: u32,
        /// Tile column.
        col: u32,
        /// Recorded count.
        nnz: u32,
        /// Cells in the tile.
        cells: usize,
    },
    /// The header declares checksums (`integrity`) but the file does not end with the trailer.
    #[error(
        "the header declares checksums but the file does not end with its 20-byte integrity trailer; \
         the file was truncated, appended to or damaged"
    )]
    TrailerMissing,
    /// The file ends with an integrity trailer but the header does not declare checksums.
    #[error(
        "the file ends with an integrity trailer but its header does not declare checksums; \
         the header is damaged"
    )]
    UndeclaredTrailer,
    /// The integrity trailer's own crc32c disagrees with its bytes.
    #[error("the integrity trailer is damaged: its crc32c is {computed:#010x}, it records {stored:#010x}")]
    TrailerChecksum {
        /// Checksum recorded in the trailer.
        stored: u32,
        /// Checksum of the trailer's bytes.
        computed: u32,
    },
    /// The preamble and header JSON do not match the checksum in the trailer.
    #[error(
        "the header is corrupt: crc32c of the preamble and header json is {computed:#010x}, \
         the trailer records {stored:#010x}"
    )]
    HeaderChecksum {
        /// Checksum recorded in the trailer.
        stored: u32,
        /// Checksum of the bytes read.
        computed: u32,
    },
    /// The index (v3/v4) or block-checksum table (v1/v2) does not match the trailer.
    #[error("the {what} is corrupt: its crc32c is {computed:#010x}, the trailer records {stored:#010x}")]
    DataChecksum {
        /// `tile index` or `block checksum table`.
        what: &'static str,
        /// Checksum recorded in the trailer.
        stored: u32,
        /// Checksum of the bytes read.
        computed: u32,
    },
}

/// A tile group's payload is malformed (format revision groups-1, docs/format.md entry 55).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GroupError {
    /// The payload is not a zstd frame.
    #[error("the tile group's payload does not decompress: {source}")]
    Decompress {
        /// zstd's report.
        #[source]
        source: std::io::Error,
    },
    /// The decoded cells break the group's rules.
    #[error("the tile group's payload {problem}")]
    Stream {
        /// What went wrong.
        problem: &'static str,
    },
    /// The cells do not add up to the record's non-zero count.
    #[error("the tile group's cells make {counted} non-zero cells, its index record says {recorded}")]
    CountMismatch {
        /// Non-zero cells the payload gives (a diagonal tile's mirrored cells counted).
        counted: u64,
        /// The record's `nnz`.
        recorded: u32,
    },
}

/// What is wrong with a packed index section.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PackedIndexError {
    /// The header lacks `length` or `crc32c` for the section.
    #[error("the packed tile index has no `{key}` in `arrays.tile_index`")]
    MissingField {
        /// The key that is missing.
        key: &'static str,
    },
    /// More records than payload bytes: payloads are at least one byte and never overlap.
    #[error("the packed tile index claims {count} records but the payload region has only {region} bytes")]
    TooManyRecords {
        /// Records claimed.
        count: u64,
        /// Bytes in the payload area (the field keeps its name: it is public).
        region: u64,
    },
    /// The section's crc32c disagrees with the header's.
    #[error(
        "the packed tile index fails its checksum (stored {stored:#010x}, computed {computed:#010x}); the file is damaged"
    )]
    Checksum {
        /// The header's value.
        stored: u32,
        /// The section's crc32c.
        computed: u32,
    },
    /// The section is not a valid zstd frame.
    #[error("the packed tile index does not decompress: {source}")]
    Decompress {
        /// zstd's report.
        #[source]
        source: std::io::Error,
    },
    /// The decoded stream ends early, runs past its bound, or has bytes left over.
    #[error("the packed tile index's stream {problem} (column `{column}`, record {position})")]
    Stream {
        /// What went wrong.
        problem: &'static str,
        /// The column being read.
        column: &'static str,
        /// The record being read.
        position: u64,
    },
    /// A decoded value does not fit its field.
    #[error("the packed tile index gives record {position} a `{column}` of {value}, out of range")]
    ValueOutOfRange {
        /// The column.
        column: &'static str,
        /// The record.
        position: u64,
        /// The value decoded.
        value: i128,
    },
}

impl From<crate::format::collection::CollectionError> for FormatError {
    fn from(error: crate::format::collection::CollectionError) -> Self {
        FormatError::Collection(Box::new(error))
    }
}
