//! One entry of the header's `regions` (v4): what a region is, where it lies and its codec.
//!
//! ```json
//! {"id": 0, "name": "diagonal", "rule": "tile_distance", "tile_distance": [0, 0],
//!  "density": [0.2, 0.9], "extent_tiles": {"rows": [0, 9], "cols": [0, 9]},
//!  "extent_bins": {"rows": [0, 160], "cols": [0, 160]}, "tiles": 10, "nnz": 1234, "codec": "zstd"}
//! ```

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{PickerError, Result};

/// How a region's tiles were chosen, as recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RuleKind {
    /// By diagonal tile distance (symmetric matrices).
    TileDistance,
    /// By tile density quantile (non-symmetric matrices).
    DensityQuantile,
}

impl RuleKind {
    /// The recorded name: `tile_distance` or `density_quantile`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            RuleKind::TileDistance => "tile_distance",
            RuleKind::DensityQuantile => "density_quantile",
        }
    }
}

/// Row and column bounds, each `[first, last]` (tiles, inclusive) or `[start, end)` (bins).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extent<T> {
    /// Row bounds.
    pub rows: [T; 2],
    /// Column bounds.
    pub cols: [T; 2],
}

/// One entry of the header's `regions`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegionEntry {
    /// Region id (position in `regions`).
    pub id: usize,
    /// Region name (`diagonal`, `near`, `far`, `tail`, `dense`, `medium`, `sparse` or `all`).
    pub name: String,
    /// How the tiles were chosen.
    pub rule: RuleKind,
    /// Smallest and largest diagonal tile distance.
    pub tile_distance: [u32; 2],
    /// Smallest and largest tile density among the stored tiles.
    pub density: [f64; 2],
    /// Inclusive tile bounds of the stored tiles.
    pub extent_tiles: Extent<u32>,
    /// Half-open bin bounds of the stored tiles.
    pub extent_bins: Extent<u64>,
    /// Stored tiles in the region.
    pub tiles: usize,
    /// Non-zero cells in the region (as surveyed).
    pub nnz: u64,
    /// The codec chosen for the region.
    pub codec: String,
}

impl RegionEntry {
    /// The entry as a `regions` element of the header.
    #[must_use]
    pub fn to_json(&self) -> Value {
        // Strings, integers and floats only (a non-finite float becomes `null`): cannot fail.
        serde_json::to_value(self).unwrap_or_else(|e| unreachable!("a region entry serialises: {e}"))
    }

    /// Parses one element of a header's `regions` (unknown keys are ignored).
    ///
    /// # Errors
    /// [`PickerError::InvalidRecord`] naming the missing or malformed field.
    pub fn from_json(value: &Value) -> Result<Self> {
        RegionEntry::deserialize(value)
            .map_err(|e| PickerError::InvalidRecord { reason: format!("regions entry: {e}") })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn entries_round_trip_with_the_recorded_keys() {
        let value = json!({
            "id": 1, "name": "near", "rule": "tile_distance", "tile_distance": [1, 3],
            "density": [0.25, 0.5], "extent_tiles": {"rows": [0, 8], "cols": [1, 9]},
            "extent_bins": {"rows": [0, 144], "cols": [16, 150]}, "tiles": 20, "nnz": 777,
            "codec": "zstd"
        });
        let entry = RegionEntry::from_json(&value).unwrap();
        assert_eq!(entry.rule, RuleKind::TileDistance);
        assert_eq!(entry.extent_bins.cols, [16, 150]);
        assert_eq!(entry.to_json(), value);
        let mut broken = value;
        broken.as_object_mut().unwrap().remove("codec");
        let message = RegionEntry::from_json(&broken).unwrap_err().to_string();
        assert!(message.contains("codec"), "{message}");
    }
}
