//! The settings of one write — what the [`WriterBuilder`](crate::WriterBuilder) collects —
//! the header they describe, and the checks that run before any file is created.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use gzcm_core::{Dtype, EncodeOptions, Registry};
use gzcm_genome::Genome;

use crate::error::{ContainerError, Result};
use crate::format::genome::blocks::EncodedGenome;
use crate::format::geometry::{DEFAULT_TILE_SIZE, Grid, GridError, TileOrder};
use crate::format::header::{
    Arrays, CodecRecord, Header, IndexArray, MatrixArray, Metadata, STORAGE_FULL, STORAGE_UPPER,
};
use crate::format::integrity::Integrity;
use crate::write::encode::CodecChoice;
use crate::write::report::{ProgressFn, WriteSummary};

/// Version written when none is chosen (SPEC §3).
pub const DEFAULT_VERSION: u32 = 3;
/// Codec used when none is chosen.
pub const DEFAULT_CODEC: &str = "zstd";

/// Everything a write needs to know: what a [`WriterBuilder`](crate::WriterBuilder) collects.
#[derive(Clone)]
pub(crate) struct WriteSettings {
    pub(crate) path: PathBuf,
    pub(crate) rows: u64,
    pub(crate) cols: u64,
    pub(crate) version: u32,
    pub(crate) tile_size: u32,
    pub(crate) dtype: Dtype,
    pub(crate) symmetric: bool,
    /// The codec asked for; `None` means [`DEFAULT_CODEC`] for compressed versions.
    pub(crate) codec: Option<CodecChoice>,
    pub(crate) encode_options: EncodeOptions,
    pub(crate) codec_options: HashMap<String, EncodeOptions>,
    pub(crate) metadata: Metadata,
    pub(crate) overwrite: bool,
    pub(crate) registry: Option<Arc<Registry>>,
    pub(crate) progress: Option<ProgressFn>,
    pub(crate) regions: Vec<Value>,
    pub(crate) codec_picker_record: Option<Value>,
    pub(crate) spill_cells: usize,
    pub(crate) genome: Option<Arc<Genome>>,
    pub(crate) packed_index: bool,
    /// Store sparse tiles in tile groups (groups-1).
    pub(crate) group_tiles: bool,
}

impl std::fmt::Debug for WriteSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteSettings")
            .field("path", &self.path)
            .field("shape", &(self.rows, self.cols))
            .field("version", &self.version)
            .field("tile_size", &self.tile_size)
            .field("dtype", &self.dtype)
            .field("symmetric", &self.symmetric)
            .field("codec", &self.codec)
            .finish_non_exhaustive()
    }
}

impl WriteSettings {
    /// Default options for a `rows × cols` matrix written to `path`.
    pub(crate) fn new(path: &Path, rows: u64, cols: u64) -> Self {
        WriteSettings {
            path: path.to_owned(),
            rows,
            cols,
            version: DEFAULT_VERSION,
            tile_size: DEFAULT_TILE_SIZE,
            dtype: Dtype::U32,
            symmetric: false,
            codec: None,
            encode_options: EncodeOptions::default(),
            codec_options: HashMap::new(),
            metadata: Metadata {
                writer: Some(format!("gzcm {}", env!("CARGO_PKG_VERSION"))),
                ..Metadata::default()
            },
            overwrite: false,
            registry: None,
            progress: None,
            regions: Vec::new(),
            codec_picker_record: None,
            spill_cells: 4 << 20,
            genome: None,
            packed_index: false,
            group_tiles: false,
        }
    }

    /// The header of this write; `index`, `codecs` and (v1/v2) the array's `offset` are
    /// known only as the file is laid out.
    pub(crate) fn header(
        &self,
        index: Option<IndexArray>,
        codecs: Vec<CodecRecord>,
        offset: Option<u64>,
    ) -> Header {
        let storage = if self.symmetric && self.version >= 3 { STORAGE_UPPER } else { STORAGE_FULL };
        let tiled = self.version >= 2;
        let (regions, picker) = if self.version >= 4 {
            (self.regions.clone(), self.codec_picker_record.clone())
        } else {
            (Vec::new(), None)
        };
        let mut metadata = self.metadata.clone();
        if let Some(genome) = &self.genome {
            metadata.chroms = Some(genome.chroms().to_vec());
            metadata.resolution = genome.resolution().or(metadata.resolution);
        }
        Header {
            format: "gzcm".to_owned(),
            version: u64::from(self.version),
            metadata,
            arrays: Arrays {
                matrix: MatrixArray {
                    dtype: self.dtype.name().to_owned(),
                    shape: [self.rows, self.cols],
                    order: "C".to_owned(),
                    // v1 records it too: readers serve v1 in tiles of this size.
                    tile_shape: Some([u64::from(self.tile_size); 2]),
                    tile_order: tiled.then(|| TileOrder::for_version(self.version).as_str().to_owned()),
                    storage: Some(storage.to_owned()),
                    offset,
                },
                tile_index: index,
            },
            codecs,
            regions,
            codec_picker: picker,
            integrity: Some(Integrity::for_version(self.version)),
            genome: None,
        }
    }

    /// The codec choice of a compressed write: the one asked for, else [`DEFAULT_CODEC`].
    pub(crate) fn codec_choice(&self) -> CodecChoice {
        self.codec.clone().unwrap_or_else(|| CodecChoice::Named(DEFAULT_CODEC.to_owned()))
    }

    /// Checks the settings that no setter could check alone; returns the tile grid.
    pub(crate) fn check(&self) -> Result<Grid> {
        if !(1..=4).contains(&self.version) {
            return Err(ContainerError::option(
                "version",
                format!("{} is not one of 1, 2, 3, 4", self.version),
            ));
        }
        // The one tile-size rule and grid limits live in `gzcm_core::grid`.
        let grid = Grid::new(self.rows, self.cols, self.tile_size).map_err(|error| {
            let option = if matches!(error, GridError::TileSize { .. }) { "tile_size" } else { "shape" };
            ContainerError::option(option, error.to_string())
        })?;
        if self.version <= 2
            && let Some(codec) = &self.codec
        {
            return Err(ContainerError::CodecWithUncompressedVersion {
                version: self.version,
                codec: codec.describe(),
            });
        }
        if self.symmetric && self.rows != self.cols {
            return Err(ContainerError::option(
                "symmetric",
                format!("a symmetric matrix must be square, not {}×{}", self.rows, self.cols),
            ));
        }
        if self.group_tiles && (self.version < 3 || !self.packed_index || self.dtype != Dtype::U32) {
            return Err(ContainerError::option(
                "group_tiles",
                "tile groups need version 3 or 4, a packed index and u32 cells",
            ));
        }
        self.check_genome()?;
        Ok(grid)
    }

    fn check_genome(&self) -> Result<()> {
        let Some(genome) = &self.genome else { return Ok(()) };
        if self.version < 3 {
            return Err(ContainerError::option(
                "genome",
                format!("version {} cannot store genome data; use version 3 or 4", self.version),
            ));
        }
        genome.check_shape(self.rows, self.cols).map_err(|e| ContainerError::option("genome", e.to_string()))
    }

    /// The summary of a finished write of `tiles` tiles (file size, ratio and time are
    /// filled in by the writer).
    pub(crate) fn summary(
        &self,
        grid: Grid,
        tiles: u64,
        nnz: u64,
        payload_bytes: u64,
        codec_counts: BTreeMap<String, u64>,
        tile_groups: u64,
    ) -> WriteSummary {
        WriteSummary {
            path: self.path.clone(),
            version: self.version,
            dtype: self.dtype,
            shape: (grid.rows(), grid.cols()),
            tile_size: grid.tile_size(),
            tiles_stored: tiles,
            tiles_total: grid.storable_tiles(self.symmetric),
            nnz,
            file_bytes: 0,
            payload_bytes,
            dense_bytes: u64::try_from(grid.dense_bytes()).unwrap_or(u64::MAX),
            ratio: 0.0,
            seconds: 0.0,
            codec_counts,
            tile_groups,
        }
    }

    /// The genome, compressed (`None` without one).
    pub(crate) fn encoded_genome(&self) -> Result<Option<EncodedGenome>> {
        let Some(genome) = &self.genome else { return Ok(None) };
        let encoded = EncodedGenome::new(genome)
            .map_err(|e| ContainerError::io("compress the genome blocks of", &self.path, e))?;
        Ok(Some(encoded))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields_follow_the_version() {
        let builder = |version| {
            let mut settings = WriteSettings::new(Path::new("x.gzcm"), 100, 100);
            settings.version = version;
            settings.symmetric = true;
            settings.metadata.symmetric = true;
            settings.regions = vec![Value::from(1)];
            settings
        };
        let v1 = builder(1).header(None, Vec::new(), Some(4096));
        assert_eq!(v1.arrays.matrix.storage.as_deref(), Some(STORAGE_FULL));
        assert_eq!(v1.arrays.matrix.tile_order, None);
        assert_eq!(v1.arrays.matrix.offset, Some(4096));
        let v3 = builder(3).header(None, Vec::new(), None);
        assert_eq!(v3.arrays.matrix.storage.as_deref(), Some(STORAGE_UPPER));
        assert_eq!(v3.arrays.matrix.tile_order.as_deref(), Some("row-major"));
        assert!(v3.regions.is_empty());
        let v4 = builder(4).header(None, Vec::new(), None);
        assert_eq!(v4.arrays.matrix.tile_order.as_deref(), Some("anti-diagonal"));
        assert_eq!(v4.regions, [Value::from(1)]);
        assert!(v4.metadata.symmetric);
        assert!(v4.metadata.writer.as_deref().is_some_and(|w| w.starts_with("gzcm ")));
    }
}
