//! The JSON header (SPEC §3): its types, parsing, and the validation that derives what a
//! reader relies on (`Layout`); the index dtypes it may name. The bytes around it (magic,
//! length, padding) are [`preamble`](crate::format::preamble)'s.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use gzcm_core::{Dtype, WireFormat};
pub use gzcm_genome::Chrom;

use crate::error::ContainerError;
use crate::format::error::FormatError;
use crate::format::genome::GenomeRecord;
use crate::format::geometry::{DEFAULT_TILE_SIZE, Grid, TileOrder};
use crate::format::integrity::Integrity;
use crate::format::preamble::{PREAMBLE_LEN, data_offset};

/// `arrays.tile_index.dtype` of the 32-byte records (SPEC §4).
pub const INDEX_DTYPE: &str = "gzcm-tile-index-1";
/// `arrays.tile_index.dtype` of the packed index whose opaque payloads carry SPEC §5's 8-byte
/// shape header (packed-index-1; read, no longer written).
pub const PACKED_INDEX_DTYPE: &str = "gzcm-tile-index-z1";
/// `arrays.tile_index.dtype` of the packed index whose opaque payloads are stored bare, their
/// shape given by the grid (bare-payloads-1; what packed writers write).
pub const BARE_PACKED_INDEX_DTYPE: &str = "gzcm-tile-index-z2";
/// `arrays.tile_index.dtype` of a bare-payload packed index whose records may be tile groups
/// (groups-1: many sparse tiles of a row under one record).
pub const GROUPED_INDEX_DTYPE: &str = "gzcm-tile-index-z3";
/// Bytes per index record (SPEC §4).
pub const RECORD_BYTES: u32 = 32;
/// `storage` of a symmetric compressed file: only tiles with `tile_row <= tile_col`.
pub const STORAGE_UPPER: &str = "upper";
/// `storage` of every other file: every tile (v1/v2 always store the whole matrix).
pub const STORAGE_FULL: &str = "full";

/// The whole JSON header (SPEC §3). Unknown keys are ignored when reading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Header {
    /// Always `gzcm`.
    pub format: String,
    /// 1 dense, 2 tiled uncompressed, 3 compressed row-major, 4 compressed anti-diagonal.
    pub version: u64,
    /// Descriptive metadata.
    pub metadata: Metadata,
    /// The matrix and (v3/v4) the tile index.
    pub arrays: Arrays,
    /// Every codec used in the file, with the wire format recorded at write time.
    #[serde(default)]
    pub codecs: Vec<CodecRecord>,
    /// v4 regions as recorded by the writer's caller (SPEC §7); `[]` otherwise.
    #[serde(default)]
    pub regions: Vec<Value>,
    /// v4 codec-picker record (SPEC §7); `null` otherwise.
    #[serde(default)]
    pub codec_picker: Option<Value>,
    /// Checksums (format revision integrity-1): present exactly when the file ends with the
    /// integrity trailer; absent in files written before the revision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integrity: Option<Integrity>,
    /// Genomic coordinates and weights (docs/format.md, "Genome extension"); absent in files
    /// without them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub genome: Option<GenomeRecord>,
}

/// Descriptive metadata. Everything except `symmetric` is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Metadata {
    /// Bin size in base pairs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<u64>,
    /// Genomic region, e.g. `chr1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The file the matrix came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_file: Option<String>,
    /// Whether only the upper triangle is stored (SPEC §1). Required.
    pub symmetric: bool,
    /// The program that wrote the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writer: Option<String>,
    /// Chromosomes and their bin ranges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chroms: Option<Vec<Chrom>>,
    /// How many source pixels repeated an earlier pixel's cell and were summed into it at
    /// conversion (cooler sums duplicate pixels when it reads them); absent when none were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicates_summed: Option<u64>,
}

/// The `arrays` object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Arrays {
    /// The matrix.
    pub matrix: MatrixArray,
    /// The tile index (v3/v4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tile_index: Option<IndexArray>,
}

/// `arrays.matrix`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MatrixArray {
    /// `uint32` or `float32`.
    pub dtype: String,
    /// `[rows, cols]`.
    pub shape: [u64; 2],
    /// Cell order inside the matrix and tiles: always `C`.
    #[serde(default = "c_order")]
    pub order: String,
    /// `[T, T]` (v2–v4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tile_shape: Option<[u64; 2]>,
    /// `row-major` (v2, v3) or `anti-diagonal` (v4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tile_order: Option<String>,
    /// `upper` (symmetric v3/v4) or `full`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<String>,
    /// Absolute offset of the dense (v1) or padded tiled (v2) array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

fn c_order() -> String {
    "C".to_owned()
}

/// `arrays.tile_index` (SPEC §4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IndexArray {
    /// Always `gzcm-tile-index-1`.
    pub dtype: String,
    /// Always 32.
    pub record_bytes: u64,
    /// `[number of records]`.
    pub shape: [u64; 1],
    /// Absolute offset of the first record (of the section, when packed).
    pub offset: u64,
    /// Stored bytes of a packed index section (docs/format.md, packed-index-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u64>,
    /// crc32c of a packed index section's stored bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crc32c: Option<u32>,
}

impl IndexArray {
    /// Whether this is a packed index (`gzcm-tile-index-z1`, `-z2` or `-z3`).
    #[must_use]
    pub fn is_packed(&self) -> bool {
        self.dtype == PACKED_INDEX_DTYPE || self.dtype == BARE_PACKED_INDEX_DTYPE || self.has_groups()
    }

    /// Whether records may be tile groups (`gzcm-tile-index-z3`, groups-1).
    #[must_use]
    pub fn has_groups(&self) -> bool {
        self.dtype == GROUPED_INDEX_DTYPE
    }

    /// Where opaque payloads' shapes come from: the grid for `gzcm-tile-index-z2` and `-z3`
    /// (bare-payloads-1), SPEC §5's 8-byte header otherwise.
    #[must_use]
    pub fn shape_source(&self) -> gzcm_core::ShapeSource {
        if self.dtype == BARE_PACKED_INDEX_DTYPE || self.has_groups() {
            gzcm_core::ShapeSource::Index
        } else {
            gzcm_core::ShapeSource::Header
        }
    }

    /// Bytes the index takes in the file, as declared (not validated).
    #[must_use]
    pub fn stored_bytes(&self) -> u64 {
        if self.is_packed() {
            self.length.unwrap_or(0)
        } else {
            self.shape[0].saturating_mul(u64::from(RECORD_BYTES))
        }
    }
}

/// One entry of `codecs`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CodecRecord {
    /// Position in the table; index records refer to it.
    pub id: u64,
    /// Registered codec name.
    pub name: String,
    /// `opaque` or `self`, as declared when the file was written.
    pub wire: String,
}

impl CodecRecord {
    /// The entry for codec `name` with wire format `wire` at table position `id`.
    #[must_use]
    pub fn new(id: u64, name: &str, wire: WireFormat) -> Self {
        CodecRecord { id, name: name.to_owned(), wire: wire.as_str().to_owned() }
    }

    /// The record of `entry` at table position `id`.
    #[must_use]
    pub fn of(id: u64, entry: &CodecEntry) -> Self {
        CodecRecord::new(id, &entry.name, entry.wire)
    }
}

/// A codec of a file's table, validated: its registry name and the wire format it was
/// written with (table position = index in the list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodecEntry {
    /// Registered codec name.
    pub name: String,
    /// The wire format declared when the file was written.
    pub wire: WireFormat,
}

impl CodecEntry {
    /// The entry for codec `name` written with `wire`.
    #[must_use]
    pub fn new(name: &str, wire: WireFormat) -> Self {
        CodecEntry { name: name.to_owned(), wire }
    }
}

/// The facts a reader needs, taken from a validated header.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Layout {
    pub(crate) version: u32,
    pub(crate) dtype: Dtype,
    pub(crate) grid: Grid,
    pub(crate) symmetric: bool,
    pub(crate) order: TileOrder,
    pub(crate) codecs: Vec<CodecEntry>,
}

impl Header {
    /// Parses the JSON bytes of a header (no validation beyond the JSON's shape).
    ///
    /// # Errors
    /// [`FormatError::HeaderJson`] for bytes that are not JSON of the header's shape, including
    /// a missing required key.
    pub fn from_json(bytes: &[u8]) -> Result<Header, FormatError> {
        serde_json::from_slice(bytes).map_err(|source| FormatError::HeaderJson { source })
    }

    /// The header as compact JSON.
    ///
    /// # Errors
    /// [`ContainerError::HeaderEncode`] if serialising fails (never expected for plain data with
    /// string keys, but an empty header must never reach a file).
    pub fn to_json(&self) -> Result<Vec<u8>, ContainerError> {
        serde_json::to_vec(self).map_err(|source| ContainerError::HeaderEncode { source })
    }

    /// The version as a small number, if it is one of 1..=4.
    #[must_use]
    pub fn version(&self) -> Option<u32> {
        u32::try_from(self.version).ok().filter(|v| (1..=4).contains(v))
    }

    /// `data_offset` of a file whose JSON is `json_len` bytes: right after the JSON for a packed
    /// index (no padding, packed-index-1), else rounded up to 4096 (SPEC §2).
    #[must_use]
    pub fn data_offset(&self, json_len: u64) -> u64 {
        if self.arrays.tile_index.as_ref().is_some_and(IndexArray::is_packed) {
            PREAMBLE_LEN + json_len
        } else {
            data_offset(json_len)
        }
    }

    /// Checks every field a reader relies on and returns the derived layout.
    pub(crate) fn validate(&self) -> Result<Layout, FormatError> {
        if self.format != "gzcm" {
            return Err(FormatError::WrongFormatName { found: self.format.clone() });
        }
        let version = self.version().ok_or(FormatError::UnsupportedVersion { version: self.version })?;
        let matrix = &self.arrays.matrix;
        let dtype = Dtype::from_name(&matrix.dtype)
            .ok_or_else(|| FormatError::UnknownDtype { name: matrix.dtype.clone() })?;
        let symmetric = self.metadata.symmetric;
        let grid = self.grid(version)?;
        check_symmetric_shape(symmetric, grid)?;
        let order = TileOrder::for_version(version);
        self.check_order_and_storage(version, order, symmetric)?;
        let codecs = self.codec_table()?;
        if let Some(integrity) = &self.integrity {
            integrity.validate(version)?;
        }
        Ok(Layout { version, dtype, grid, symmetric, order, codecs })
    }

    fn grid(&self, version: u32) -> Result<Grid, FormatError> {
        let matrix = &self.arrays.matrix;
        let tile = match matrix.tile_shape {
            Some([a, b]) if a == b => u32::try_from(a).unwrap_or(0),
            Some([a, b]) => {
                return Err(invalid(
                    "arrays.matrix.tile_shape",
                    format!("tiles must be square, found {a}×{b}"),
                ));
            }
            // v1 has no tiles on disk; readers still serve it in tiles of the default size.
            None if version == 1 => DEFAULT_TILE_SIZE,
            None => {
                return Err(FormatError::MissingKey { key: "arrays.matrix.tile_shape", version });
            }
        };
        let [rows, cols] = matrix.shape;
        Grid::new(rows, cols, tile).map_err(|error| {
            invalid("arrays.matrix", format!("shape {rows}×{cols} with tile size {tile}: {error}"))
        })
    }

    fn check_order_and_storage(
        &self,
        version: u32,
        order: TileOrder,
        symmetric: bool,
    ) -> Result<(), FormatError> {
        let matrix = &self.arrays.matrix;
        if matrix.order != "C" {
            return Err(invalid("arrays.matrix.order", format!("`{}` is not `C`", matrix.order)));
        }
        if version >= 2 {
            match matrix.tile_order.as_deref() {
                Some(found) if found == order.as_str() => {}
                Some(found) => {
                    return Err(invalid(
                        "arrays.matrix.tile_order",
                        format!("`{found}` is not `{order}`, which version {version} uses"),
                    ));
                }
                None => {
                    return Err(invalid(
                        "arrays.matrix.tile_order",
                        format!("it is missing; version {version} needs `{order}`"),
                    ));
                }
            }
        }
        let expected = if symmetric && version >= 3 { STORAGE_UPPER } else { STORAGE_FULL };
        match matrix.storage.as_deref() {
            None => Ok(()),
            Some(found) if found == expected => Ok(()),
            Some(found) => Err(invalid(
                "arrays.matrix.storage",
                format!("`{found}` contradicts `{expected}` for this version and symmetry"),
            )),
        }
    }

    fn codec_table(&self) -> Result<Vec<CodecEntry>, FormatError> {
        self.codecs
            .iter()
            .enumerate()
            .map(|(position, record)| {
                if record.id != position as u64 {
                    return Err(FormatError::CodecIds { position, id: record.id });
                }
                let wire = record.wire.parse().map_err(|_| FormatError::UnknownWire {
                    codec: record.name.clone(),
                    wire: record.wire.clone(),
                })?;
                Ok(CodecEntry { name: record.name.clone(), wire })
            })
            .collect()
    }
}

fn check_symmetric_shape(symmetric: bool, grid: Grid) -> Result<(), FormatError> {
    if symmetric && grid.rows() != grid.cols() {
        return Err(invalid(
            "metadata.symmetric",
            format!("a symmetric matrix must be square, the shape is {}×{}", grid.rows(), grid.cols()),
        ));
    }
    Ok(())
}

fn invalid(key: &'static str, reason: String) -> FormatError {
    FormatError::InvalidField { key, reason }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::preamble::{encode_preamble, split_preamble};

    fn sample() -> Header {
        Header {
            format: "gzcm".into(),
            version: 3,
            metadata: Metadata { symmetric: true, ..Metadata::default() },
            arrays: Arrays {
                matrix: MatrixArray {
                    dtype: "uint32".into(),
                    shape: [100, 100],
                    order: "C".into(),
                    tile_shape: Some([16, 16]),
                    tile_order: Some("row-major".into()),
                    storage: Some("upper".into()),
                    offset: None,
                },
                tile_index: None,
            },
            codecs: vec![CodecRecord::new(0, "zstd", WireFormat::Opaque)],
            regions: vec![],
            codec_picker: None,
            integrity: None,
            genome: None,
        }
    }

    #[test]
    fn preamble_pads_to_4096_and_round_trips() {
        let json = sample().to_json().unwrap();
        let bytes = encode_preamble(&json);
        assert_eq!(bytes.len() % 4096, 0);
        assert_eq!(split_preamble(&bytes).unwrap(), json.as_slice());
        assert_eq!(Header::from_json(&json).unwrap(), sample());
    }

    #[test]
    fn unknown_keys_are_ignored_and_missing_keys_refused() {
        let mut value: Value = serde_json::from_slice(&sample().to_json().unwrap()).unwrap();
        value["future"] = Value::from(1);
        value["metadata"]["colour"] = Value::from("blue");
        let parsed = Header::from_json(&serde_json::to_vec(&value).unwrap()).unwrap();
        assert_eq!(parsed, sample());
        value["metadata"].as_object_mut().unwrap().remove("symmetric");
        let err = Header::from_json(&serde_json::to_vec(&value).unwrap()).unwrap_err();
        assert!(err.to_string().contains("symmetric"), "{err}");
    }

    #[test]
    fn validation_catches_contradictions() {
        let mut header = sample();
        assert!(header.validate().is_ok());
        header.arrays.matrix.dtype = "int64".into();
        assert!(matches!(header.validate(), Err(FormatError::UnknownDtype { .. })));
        let mut header = sample();
        header.arrays.matrix.shape = [100, 90];
        assert!(matches!(header.validate(), Err(FormatError::InvalidField { .. })));
        let mut header = sample();
        header.version = 9;
        assert!(matches!(header.validate(), Err(FormatError::UnsupportedVersion { version: 9 })));
        let mut header = sample();
        header.codecs[0].id = 3;
        assert!(matches!(header.validate(), Err(FormatError::CodecIds { .. })));
    }

    #[test]
    fn v1_without_tile_shape_is_served_in_default_tiles() {
        let mut header = sample();
        header.version = 1;
        header.arrays.matrix.tile_shape = None;
        header.arrays.matrix.tile_order = None;
        header.arrays.matrix.storage = Some(STORAGE_FULL.into());
        header.codecs.clear();
        assert_eq!(header.validate().unwrap().grid.tile_size(), 256);
        header.version = 2;
        assert!(matches!(header.validate(), Err(FormatError::MissingKey { .. })));
    }

    #[test]
    fn lying_header_len_is_refused() {
        let mut bytes = encode_preamble(&sample().to_json().unwrap());
        bytes[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(split_preamble(&bytes), Err(FormatError::HeaderTooLarge { .. })));
        bytes[4..8].copy_from_slice(&5000u32.to_le_bytes());
        assert!(matches!(split_preamble(&bytes), Err(FormatError::Truncated { .. })));
        assert!(matches!(split_preamble(b"GZ"), Err(FormatError::BadMagic { .. })));
    }
}
