//! What a write reports: [`Progress`] after every band, and a [`WriteSummary`] at the end.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use gzcm_core::Dtype;

/// How far a write has got; given to the progress callback after every band.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Bands (tile rows) finished.
    pub bands_done: u32,
    /// Bands in the matrix.
    pub bands_total: u32,
    /// Tiles stored so far.
    pub tiles_stored: u64,
}

/// A progress callback.
pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// What a finished write produced.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct WriteSummary {
    /// The output file.
    pub path: PathBuf,
    /// Format version written.
    pub version: u32,
    /// Cell type.
    pub dtype: Dtype,
    /// `(rows, cols)`.
    pub shape: (u64, u64),
    /// Tile edge.
    pub tile_size: u32,
    /// Non-empty tiles stored, in tile groups or not (for v1/v2: non-empty tiles placed).
    pub tiles_stored: u64,
    /// Tiles the file could hold (the upper triangle for symmetric matrices).
    pub tiles_total: u64,
    /// Non-zero cells stored (upper triangle and diagonal tiles whole for symmetric matrices).
    pub nnz: u64,
    /// Size of the file.
    pub file_bytes: u64,
    /// Bytes of stored tiles (v3/v4) or of the matrix array (v1/v2).
    pub payload_bytes: u64,
    /// Bytes of the whole matrix stored densely (4 bytes per cell).
    pub dense_bytes: u64,
    /// `dense_bytes / file_bytes`.
    pub ratio: f64,
    /// Wall-clock seconds from creating the writer to finishing.
    pub seconds: f64,
    /// Tiles per codec name (tiles in tile groups are not coded by a codec).
    pub codec_counts: BTreeMap<String, u64>,
    /// Tile groups written (groups-1): each holds many sparse tiles of one row.
    pub tile_groups: u64,
}
