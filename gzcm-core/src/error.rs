//! Error types of the codec layer, one enum per area.

use crate::dtype::Dtype;
use crate::tile::TileShape;
use crate::wire::WireFormat;

/// A codec failed to encode or decode a tile.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CodecError {
    /// The payload ended before the codec had read all it needs.
    #[error("tile payload is truncated: needed {needed} bytes, only {available} present")]
    Truncated {
        /// Bytes the codec needed.
        needed: usize,
        /// Bytes present.
        available: usize,
    },
    /// The payload's bytes are inconsistent.
    #[error("tile payload is corrupt: {reason}")]
    Corrupt {
        /// What was wrong.
        reason: &'static str,
    },
    /// A byte or cell count differs from what the tile shape implies.
    #[error("length mismatch: the tile shape implies {expected}, the payload gives {found}")]
    LengthMismatch {
        /// Length implied by the validated shape.
        expected: usize,
        /// Length found.
        found: usize,
    },
    /// A shape edge is zero or larger than the 4096-cell limit.
    #[error("invalid tile shape {rows}×{cols}: each edge must be within 1..=4096")]
    BadShape {
        /// Rows claimed.
        rows: u32,
        /// Columns claimed.
        cols: u32,
    },
    /// The shape carried by a payload differs from the shape the file's index expects.
    #[error("tile shape mismatch: expected {expected}, the payload says {found}")]
    ShapeMismatch {
        /// Shape from the validated file geometry.
        expected: TileShape,
        /// Shape inside the payload.
        found: TileShape,
    },
    /// A self-describing payload carries an extra 8-byte shape header in front of the codec's own
    /// header: a writer framed a self-describing codec as opaque (the double-header bug).
    #[error(
        "payload is double-framed: an 8-byte shape header precedes the codec's own header; \
         the file was written by a writer that framed a self-describing codec as opaque"
    )]
    DoubleFramed,
    /// The codec cannot store this dtype.
    #[error("codec `{codec}` does not support {dtype} tiles")]
    UnsupportedDtype {
        /// Codec name.
        codec: &'static str,
        /// The refused dtype.
        dtype: Dtype,
    },
    /// An integer-only codec was given a float tile holding a value that is not a whole count.
    #[error(
        "cell ({row}, {col}) holds {value}, which is not a whole count in 0..=4294967295; \
         integer-only codecs refuse such tiles instead of rounding them (use zstd, lz4 or bsc)"
    )]
    NonIntegerValue {
        /// Row of the first offending cell within the tile.
        row: usize,
        /// Column of the first offending cell within the tile.
        col: usize,
        /// The value.
        value: f32,
    },
    /// A tile given by its cells ([`TileCells`](crate::tile::TileCells)) lists a cell that
    /// cannot be.
    #[error("cell {at} (index {index}) of a sparse tile is refused: {reason}")]
    BadCells {
        /// Position in the list.
        at: usize,
        /// Its row-major index.
        index: u32,
        /// What is wrong.
        reason: &'static str,
    },
    /// An encode option is out of range or not understood by this codec.
    #[error("invalid option for codec `{codec}`: {reason}")]
    InvalidOption {
        /// Codec name.
        codec: &'static str,
        /// What was wrong.
        reason: String,
    },
    /// The back-end compressor reported an error.
    #[error("{codec} back end failed: {source}")]
    Backend {
        /// Codec name.
        codec: &'static str,
        /// The back end's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// A codec could not be found or registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// No codec of that name is registered. The message also says the usual cause when the
    /// name is not a typo: the crate declaring it is a dependency the program never names, so
    /// the linker dropped it with its registrations (fix: `use the_crate as _;`).
    #[error(
        "unknown codec `{name}`{}; available: {}. {NOT_LINKED_HINT}",
        suggestion_text(suggestion.as_deref()),
        available.join(", ")
    )]
    UnknownCodec {
        /// The name asked for.
        name: String,
        /// Every registered name, sorted.
        available: Vec<String>,
        /// The closest registered name, when one is close.
        suggestion: Option<String>,
    },
    /// A different codec already holds the name.
    #[error(
        "codec name `{name}` is taken by `{existing}` (from crate {existing_origin}); \
         refusing to replace it with `{incoming}` (from crate {incoming_origin})"
    )]
    NameTaken {
        /// The contested name.
        name: String,
        /// Type of the codec holding the name.
        existing: String,
        /// Crate that declared it.
        existing_origin: String,
        /// Type of the codec refused.
        incoming: String,
        /// Crate of the codec refused.
        incoming_origin: String,
    },
    /// Several linked crates declare different codecs under one name; the name is unusable
    /// until one of them is renamed.
    #[error("codec name `{name}` is declared by several linked crates ({}); rename one of them", origins.join(", "))]
    Conflict {
        /// The contested name.
        name: String,
        /// `type (crate)` of every declaration.
        origins: Vec<String>,
    },
    /// The name breaks the naming rule.
    #[error("invalid codec name `{name}`: {reason}")]
    InvalidName {
        /// The refused name.
        name: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
}

/// Why a codec declared with `#[codec]` in a dependency can be unknown, and the fix.
pub const NOT_LINKED_HINT: &str = "If a crate declares this codec, it may not be linked into this program: \
     the linker drops a dependency the program never names, with its codecs; \
     name it once, e.g. `use the_crate as _;`";

fn suggestion_text(suggestion: Option<&str>) -> String {
    suggestion.map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default()
}

/// A stored tile (framing + payload) could not be turned back into a tile, or a tile into stored bytes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TileError {
    /// The codec is not registered, or its name is contested.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The codec failed.
    #[error("codec `{codec}`: {source}")]
    Codec {
        /// Codec name.
        codec: String,
        /// What the codec reported.
        #[source]
        source: CodecError,
    },
    /// An opaque payload is shorter than its 8-byte shape header.
    #[error("stored tile is {len} bytes, shorter than the 8-byte shape header of an opaque codec")]
    MissingShapeHeader {
        /// Stored length.
        len: usize,
    },
    /// The shape header holds a negative or oversized edge.
    #[error("stored tile's shape header says {rows}×{cols}; each edge must be within 1..=4096")]
    BadShapeHeader {
        /// Rows field as stored (signed, per SPEC §5).
        rows: i32,
        /// Cols field as stored.
        cols: i32,
    },
    /// The file recorded a different wire format for the codec than the codec declares now.
    #[error(
        "codec `{codec}` is recorded as wire format `{recorded}` in the file but declares `{declared}`; \
         the file was written by a different codec under the same name"
    )]
    WireMismatch {
        /// Codec name.
        codec: String,
        /// Wire format recorded in the file.
        recorded: WireFormat,
        /// Wire format the registered codec declares.
        declared: WireFormat,
    },
}
