//! What can stop a file from being served, and why a request is refused.

use std::path::PathBuf;

use gzcm_container::ContainerError;

/// Why a file cannot be served.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// The file could not be opened or is damaged.
    #[error(transparent)]
    Container(#[from] ContainerError),
    /// The file (or one of its resolutions) has no genome: tiles are placed by genomic position.
    #[error(
        "`{}` has no genome (chromosomes and bins); serving tiles needs one: convert it from \
         .cool, .mcool, .hic, or COO with --bins",
        path.display()
    )]
    NoGenome {
        /// The file.
        path: PathBuf,
    },
    /// A resolution has bins of several sizes: HiGlass tiles need one bin size per zoom level.
    #[error("`{}` has bins of variable size; HiGlass tiles need fixed bins", path.display())]
    VariableBins {
        /// The file.
        path: PathBuf,
    },
    /// The genome does not describe the matrix (not `n_bins × n_bins`).
    #[error("`{}` at {resolution} bp: the genome has {n_bins} bins but the matrix is {rows}×{cols}", path.display())]
    NotSquare {
        /// The file.
        path: PathBuf,
        /// The resolution.
        resolution: u64,
        /// Bins of the genome.
        n_bins: u64,
        /// Matrix rows.
        rows: u64,
        /// Matrix columns.
        cols: u64,
    },
    /// Two files would be served under the same id.
    #[error("two files would both be served as `{uuid}`: rename one")]
    DuplicateId {
        /// The id.
        uuid: String,
    },
    /// No file was given.
    #[error("no file to serve")]
    NoFiles,
}

/// Why a tile or tileset request is refused: every variant but [`TileError::Read`] is the
/// client's fault (a 4xx status, [`TileError::status`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TileError {
    /// The tile id is not `UUID.Z.X.Y[.TRANSFORM]` with decimal, non-negative numbers.
    #[error("bad tile id `{id}`: {reason} (expected UUID.Z.X.Y or UUID.Z.X.Y.TRANSFORM)")]
    BadTileId {
        /// The id as requested.
        id: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// No file is served under this id.
    #[error("no tileset `{uuid}` is served here")]
    UnknownTileset {
        /// The id asked for.
        uuid: String,
    },
    /// The zoom level is beyond the file's resolutions.
    #[error("tile `{id}`: zoom level {zoom} is beyond the tileset's {levels} resolution(s) (0..={})", levels - 1)]
    ZoomOutOfRange {
        /// The tile id.
        id: String,
        /// The zoom asked for.
        zoom: u64,
        /// How many zoom levels there are.
        levels: usize,
    },
    /// The tile lies beyond the genome at this zoom level.
    #[error("tile `{id}`: position {x},{y} is outside the {tiles}×{tiles} tiles of zoom level {zoom}")]
    PositionOutOfRange {
        /// The tile id.
        id: String,
        /// Zoom level.
        zoom: u64,
        /// Column.
        x: u64,
        /// Row.
        y: u64,
        /// Tiles per side at this zoom.
        tiles: u64,
    },
    /// The transform names no weight vector of this resolution.
    #[error("tile `{id}`: no transform `{transform}` at this zoom level; available: default, none{}", available.iter().map(|n| format!(", {n}")).collect::<String>())]
    UnknownTransform {
        /// The tile id.
        id: String,
        /// The transform asked for.
        transform: String,
        /// The weight vectors of the resolution.
        available: Vec<String>,
    },
    /// More tiles in one request than allowed (HiGlass server's limit).
    #[error("{count} tiles requested at once; at most {limit} per request")]
    TooManyTiles {
        /// Tiles asked for.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A tile spans more bins than a tile read may hold (a genome of very many tiny contigs).
    #[error(
        "tile `{id}` spans {bins} bins on one side (many short chromosomes); at most {limit} are read for one tile"
    )]
    TooManyBins {
        /// The tile id.
        id: String,
        /// Bins on the larger side.
        bins: u64,
        /// The limit.
        limit: u64,
    },
    /// Reading the file failed (the server's fault: a 500).
    #[error("reading tileset `{uuid}`: {source}")]
    Read {
        /// The tileset.
        uuid: String,
        /// What failed.
        #[source]
        source: ContainerError,
    },
}

impl TileError {
    /// The HTTP status this error is answered with: 404 for an unknown tileset, 400 for
    /// other bad requests, 500 when reading the file failed.
    #[must_use]
    pub fn status(&self) -> u16 {
        match self {
            TileError::UnknownTileset { .. } => 404,
            TileError::Read { .. } => 500,
            _ => 400,
        }
    }
}
