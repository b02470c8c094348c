//! Everything a reader or writer can report ([`ContainerError`]); what is wrong with a file's
//! bytes is a [`FormatError`] of the format layer, carried inside.

use std::io;
use std::ops::Range;
use std::path::PathBuf;

use gzcm_core::{Dtype, RegistryError, TileError};

use crate::format::collection::MemberInputError;
use crate::format::error::FormatError;

/// Anything a reader or writer can report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ContainerError {
    /// An operating-system error on a path.
    #[error("could not {action} `{}`: {source}", path.display())]
    Io {
        /// What was being done (`open`, `write`, `rename`, …).
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// The file is malformed.
    #[error("{}: {source}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        #[source]
        source: FormatError,
    },
    /// A codec is unknown or contested in the registry.
    #[error(transparent)]
    Registry(Box<RegistryError>),
    /// A codec the file needs is registered, but its setup failed (e.g. wire-format mismatch).
    #[error("codec `{codec}` cannot read this file: {source}")]
    CodecSetup {
        /// Codec name.
        codec: String,
        /// What went wrong.
        #[source]
        source: Box<TileError>,
    },
    /// A codec refused the options it was given for writing (e.g. a compression level out of
    /// its range).
    #[error("invalid write options for codec `{codec}`: {source}")]
    EncoderOptions {
        /// Codec name.
        codec: String,
        /// What the codec reported.
        #[source]
        source: Box<TileError>,
    },
    /// Encoding or decoding one tile failed.
    #[error("tile ({tile_row}, {tile_col}): {source}")]
    Tile {
        /// Tile row.
        tile_row: u32,
        /// Tile column.
        tile_col: u32,
        /// The codec or framing error.
        #[source]
        source: Box<TileError>,
    },
    /// A tile group's payload is malformed (format revision groups-1).
    #[error("tile group ({tile_row}, {tile_col}): {source}")]
    Group {
        /// Tile row.
        tile_row: u32,
        /// The group's first tile column.
        tile_col: u32,
        /// What is wrong with it.
        #[source]
        source: crate::format::error::GroupError,
    },
    /// A stored tile's bytes do not match the crc32c recorded in the index.
    #[error(
        "tile ({tile_row}, {tile_col}) is corrupt: crc32c of its stored bytes is {computed:#010x}, \
         the index records {stored:#010x}"
    )]
    CrcMismatch {
        /// Tile row.
        tile_row: u32,
        /// Tile column.
        tile_col: u32,
        /// Checksum in the index.
        stored: u32,
        /// Checksum of the bytes read.
        computed: u32,
    },
    /// A decoded tile's non-zero count differs from the index.
    #[error("tile ({tile_row}, {tile_col}) decodes to {counted} non-zero cells, the index records {stored}")]
    NnzMismatch {
        /// Tile row.
        tile_row: u32,
        /// Tile column.
        tile_col: u32,
        /// Count in the index.
        stored: u32,
        /// Count in the decoded tile.
        counted: u32,
    },
    /// A symmetric file holds a tile that disagrees with its mirror (a diagonal tile that is
    /// not equal to its transpose, or in v1/v2 a lower tile that is not the upper one transposed).
    #[error("tile ({tile_row}, {tile_col}) of a symmetric file disagrees with its mirror")]
    AsymmetricTile {
        /// Tile row.
        tile_row: u32,
        /// Tile column.
        tile_col: u32,
    },
    /// A requested window holds more cells than memory can address.
    #[error("a window of {rows}×{cols} cells is too large to hold in memory; ask for a smaller one")]
    WindowTooLarge {
        /// Rows asked for.
        rows: u64,
        /// Columns asked for.
        cols: u64,
    },
    /// A requested tile lies outside the grid.
    #[error("tile ({row}, {col}) is outside the {}×{} tile grid", grid.0, grid.1)]
    TileOutOfGrid {
        /// Tile row asked for.
        row: u32,
        /// Tile column asked for.
        col: u32,
        /// `(n_tile_rows, n_tile_cols)`.
        grid: (u32, u32),
    },
    /// A requested window lies outside the matrix or is reversed.
    #[error(
        "window rows {}..{}, cols {}..{} is not within the {}×{} matrix (ranges must be start <= end <= size)",
        rows.start, rows.end, cols.start, cols.end, shape.0, shape.1
    )]
    WindowOutOfBounds {
        /// Rows asked for.
        rows: Range<u64>,
        /// Columns asked for.
        cols: Range<u64>,
        /// Matrix shape.
        shape: (u64, u64),
    },
    /// The header could not be serialised to JSON (nothing is written then).
    #[error("cannot serialise the file header: {source}")]
    HeaderEncode {
        /// The serialiser's report.
        #[source]
        source: serde_json::Error,
    },
    /// A codec was asked for a version that stores tiles uncompressed.
    #[error(
        "version {version} stores tiles uncompressed, so codec {codec} would be ignored; \
         write version 3 or 4 to compress, or leave the codec unset"
    )]
    CodecWithUncompressedVersion {
        /// The version asked for (1 or 2).
        version: u32,
        /// The codec asked for, as shown in the message.
        codec: String,
    },
    /// A writer option is out of range.
    #[error("invalid writer option `{option}`: {reason}")]
    InvalidOption {
        /// The option.
        option: &'static str,
        /// What is wrong and what is allowed.
        reason: String,
    },
    /// Metadata learned while streaming cannot be recorded: a version 1/2 file's header was
    /// written when the write started.
    #[error(
        "version {version} writes its header before the cells, so `{field}` cannot be recorded; \
         write version 3 or 4"
    )]
    HeaderAlreadyWritten {
        /// The version being written (1 or 2).
        version: u32,
        /// The metadata field that could not be recorded.
        field: &'static str,
    },
    /// The output exists and overwriting was not asked for.
    #[error("`{}` already exists; remove it or ask for overwrite", path.display())]
    OutputExists {
        /// The output path.
        path: PathBuf,
    },
    /// A cell lies outside the declared matrix shape.
    #[error("cell ({row}, {col}) is outside the {rows}×{cols} matrix")]
    CellOutOfBounds {
        /// Row given.
        row: u64,
        /// Column given.
        col: u64,
        /// Matrix rows.
        rows: u64,
        /// Matrix columns.
        cols: u64,
    },
    /// Sorted input went back to an earlier row.
    #[error(
        "input is not sorted by row: row {row} came after row {previous}; \
         sort it or use the unsorted writer"
    )]
    UnsortedInput {
        /// The offending row.
        row: u64,
        /// The row before it.
        previous: u64,
    },
    /// Sorted symmetric input gave off-diagonal tiles from both triangles.
    #[error(
        "symmetric sorted input gave cell ({row}, {col}) from the other triangle than earlier cells; \
         give one triangle, or use the unsorted writer, which accepts both"
    )]
    MixedTriangles {
        /// Row of the cell.
        row: u64,
        /// Column of the cell.
        col: u64,
    },
    /// A cell was given twice (directly, or through its mirror in a symmetric matrix) with
    /// different values.
    #[error(
        "cell ({row}, {col}) is given twice with different values ({first} and {second}); \
         a cell may repeat only with the same value (in a symmetric matrix (i, j) and (j, i) \
         are one cell)"
    )]
    ConflictingValues {
        /// Row (upper-triangle form for symmetric matrices).
        row: u64,
        /// Column.
        col: u64,
        /// One value, as text.
        first: String,
        /// The other value, as text.
        second: String,
    },
    /// Values of the wrong cell type were pushed.
    #[error("the writer stores {expected} cells but was given {found} values")]
    DtypeMismatch {
        /// The writer's dtype.
        expected: Dtype,
        /// The dtype given.
        found: Dtype,
    },
    /// A dense row has the wrong number of values.
    #[error("dense row {row} has {found} values, the matrix has {expected} columns")]
    RowLength {
        /// Row index.
        row: u64,
        /// Columns of the matrix.
        expected: u64,
        /// Values given.
        found: usize,
    },
    /// A block of a v1/v2 array does not match its entry in the block-checksum table.
    #[error(
        "bytes {offset}..{} of the matrix array (block {block}) are corrupt: crc32c {computed:#010x}, \
         the block table records {stored:#010x}",
        offset + length
    )]
    BlockCrcMismatch {
        /// Block number.
        block: u64,
        /// Absolute offset of the block.
        offset: u64,
        /// Bytes in the block.
        length: u64,
        /// Checksum in the table.
        stored: u32,
        /// Checksum of the bytes read.
        computed: u32,
    },
    /// Bytes follow the last structure the file references.
    #[error(
        "{bytes} bytes after offset {at} are not referenced by the header or index \
         (appended or left over); the file is not as its writer left it"
    )]
    TrailingBytes {
        /// First unreferenced byte.
        at: u64,
        /// How many bytes follow.
        bytes: u64,
    },
    /// A multi-resolution file was opened without choosing one of its resolutions.
    #[error(
        "`{}` holds resolutions {}: choose one with --resolution R or FILE::/resolutions/R",
        path.display(), list(available)
    )]
    ResolutionRequired {
        /// The file.
        path: PathBuf,
        /// Its resolutions, ascending.
        available: Vec<u64>,
    },
    /// A resolution the file does not hold was asked for.
    #[error("{}", not_found(path, *asked, available))]
    ResolutionNotFound {
        /// The file.
        path: PathBuf,
        /// The resolution asked for.
        asked: u64,
        /// Its resolutions, ascending (empty for a file without a genome of fixed bins).
        available: Vec<u64>,
    },
    /// A single-resolution file was opened as a multi-resolution collection.
    #[error(
        "`{}` is a single-resolution file, not a multi-resolution collection; open it with \
         `Reader::open` or `GzcmFile::open`",
        path.display()
    )]
    NotACollection {
        /// The file.
        path: PathBuf,
    },
    /// A `FILE::/resolutions/R` specification is malformed or contradicts the resolution given
    /// besides it.
    #[error(transparent)]
    ResolutionUri(Box<crate::resolution_uri::ResolutionUriError>),
    /// A weight vector of that name is already stored, and replacing it was not asked for.
    #[error(
        "`{}` already has a weight vector named `{name}`{}; replace it with --force (Python: \
         force=True) or choose another name",
        path.display(),
        at_resolution(*resolution)
    )]
    WeightExists {
        /// The file.
        path: PathBuf,
        /// The member's resolution, for a collection.
        resolution: Option<u64>,
        /// The name.
        name: String,
    },
    /// Weights were to be stored in a file that cannot hold them.
    #[error("cannot store weights in `{}`{}: {reason}", path.display(), at_resolution(*resolution))]
    WeightsNotStorable {
        /// The file.
        path: PathBuf,
        /// The member's resolution, for a collection.
        resolution: Option<u64>,
        /// Why (no genome, version 1/2, …).
        reason: String,
    },
    /// A weight vector to store does not fit the file's genome.
    #[error("cannot store weights in `{}`{}: {source}", path.display(), at_resolution(*resolution))]
    WeightsInvalid {
        /// The file.
        path: PathBuf,
        /// The member's resolution, for a collection.
        resolution: Option<u64>,
        /// What does not fit (boxed: it is large and rare).
        #[source]
        source: Box<gzcm_genome::GenomeError>,
    },
    /// A cis expected table under the same key (weight vector, `ignore_diags`) is already
    /// stored, and replacing it was not asked for.
    #[error(
        "`{}`{} already stores an expected table for weights `{balance}` with ignore_diags \
         {ignore_diags}; replace it with --force (Python: force=True)",
        path.display(),
        at_resolution(*resolution)
    )]
    ExpectedExists {
        /// The file.
        path: PathBuf,
        /// The member's resolution, for a collection.
        resolution: Option<u64>,
        /// The weight vector.
        balance: String,
        /// `ignore_diags`.
        ignore_diags: u64,
    },
    /// A cis expected table to store does not fit the file.
    #[error(
        "cannot store the expected table for weights `{balance}` (ignore_diags {ignore_diags}) in `{}`{}: {source}",
        path.display(),
        at_resolution(*resolution)
    )]
    ExpectedInvalid {
        /// The file.
        path: PathBuf,
        /// The member's resolution, for a collection.
        resolution: Option<u64>,
        /// The weight vector.
        balance: String,
        /// `ignore_diags`.
        ignore_diags: u64,
        /// What does not fit (boxed: it is large and rare).
        #[source]
        source: Box<crate::format::genome::ExpectedTableError>,
    },
    /// A file cannot become a member of the collection being written.
    #[error("cannot add `{}` as resolution {resolution}: {source}", path.display())]
    MemberInput {
        /// The file given.
        path: PathBuf,
        /// The resolution it was given as.
        resolution: u64,
        /// Why not (boxed: the error type stays small on every `Result` path).
        #[source]
        source: Box<MemberInputError>,
    },
}

/// ` at resolution R` for a collection's member, nothing for a single file.
fn at_resolution(resolution: Option<u64>) -> String {
    resolution.map(|r| format!(" at resolution {r}")).unwrap_or_default()
}

/// Resolutions as `1000, 5000, 10000`.
fn list(resolutions: &[u64]) -> String {
    resolutions.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
}

fn not_found(path: &std::path::Path, asked: u64, available: &[u64]) -> String {
    if available.is_empty() {
        format!(
            "`{}` has no resolution {asked}: it has no genome with fixed bins, so it holds no resolution; \
             open it without one",
            path.display()
        )
    } else {
        format!("`{}` has no resolution {asked}; it holds {}", path.display(), list(available))
    }
}

impl From<crate::resolution_uri::ResolutionUriError> for ContainerError {
    fn from(error: crate::resolution_uri::ResolutionUriError) -> Self {
        ContainerError::ResolutionUri(Box::new(error))
    }
}

impl From<RegistryError> for ContainerError {
    fn from(error: RegistryError) -> Self {
        ContainerError::Registry(Box::new(error))
    }
}

impl ContainerError {
    /// A [`ContainerError::Tile`] for tile `(tile_row, tile_col)`.
    pub(crate) fn tile((tile_row, tile_col): (u32, u32), source: TileError) -> Self {
        ContainerError::Tile { tile_row, tile_col, source: Box::new(source) }
    }

    /// A [`ContainerError::CodecSetup`] for codec `codec`.
    pub(crate) fn setup(codec: &str, source: TileError) -> Self {
        match source {
            TileError::Registry(e) => e.into(),
            source => ContainerError::CodecSetup { codec: codec.to_owned(), source: Box::new(source) },
        }
    }

    /// A [`ContainerError::EncoderOptions`] for codec `codec` (registry errors stay themselves).
    pub(crate) fn encoder_setup(codec: &str, source: TileError) -> Self {
        match source {
            TileError::Registry(e) => e.into(),
            source => ContainerError::EncoderOptions { codec: codec.to_owned(), source: Box::new(source) },
        }
    }

    /// An [`ContainerError::Io`] for `path`.
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        ContainerError::Io { action, path: path.into(), source }
    }

    /// A [`ContainerError::Format`] for `path`.
    pub(crate) fn format(path: impl Into<PathBuf>, source: FormatError) -> Self {
        ContainerError::Format { path: path.into(), source }
    }

    /// A [`ContainerError::InvalidOption`].
    pub(crate) fn option(option: &'static str, reason: impl Into<String>) -> Self {
        ContainerError::InvalidOption { option, reason: reason.into() }
    }
}

/// Result of container operations.
pub type Result<T, E = ContainerError> = std::result::Result<T, E>;

impl From<gzcm_atomic::AtomicError> for ContainerError {
    fn from(error: gzcm_atomic::AtomicError) -> Self {
        match error {
            gzcm_atomic::AtomicError::Exists { path } => ContainerError::OutputExists { path },
            gzcm_atomic::AtomicError::Io { action, path, source } => {
                ContainerError::Io { action, path, source }
            }
        }
    }
}
