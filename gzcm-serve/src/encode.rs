//! Dense tiles as HiGlass reads them (clodius's `format_dense_tile`): the values as base64 of
//! little-endian float16 when there is no NaN and the minimum and maximum lie strictly within
//! float16's finite range (±65504), float32 otherwise; with the NaN-ignoring minimum and
//! maximum (`"NaN"` when every value is NaN).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use half::f16;
use serde_json::{Value, json};

/// Float16's largest finite value: the bound (exclusive) for a float16 tile.
const F16_MAX: f32 = 65504.0;

/// How the values of a tile are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DenseType {
    /// Little-endian IEEE half precision.
    Float16,
    /// Little-endian IEEE single precision.
    Float32,
}

impl DenseType {
    /// The name HiGlass reads in `dtype`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            DenseType::Float16 => "float16",
            DenseType::Float32 => "float32",
        }
    }
}

/// An encoded dense tile.
#[derive(Clone, Debug, PartialEq)]
pub struct DenseTile {
    /// The smallest value that is not NaN (`None`: every value is NaN).
    pub min_value: Option<f32>,
    /// The largest value that is not NaN (`None`: every value is NaN).
    pub max_value: Option<f32>,
    /// How `dense` stores the values.
    pub dtype: DenseType,
    /// Base64 of the values, little-endian.
    pub dense: String,
}

/// Encodes `values` (a 256×256 tile, row-major) as clodius does.
#[must_use]
pub fn encode_dense(values: &[f32]) -> DenseTile {
    let finite = values.iter().copied().filter(|v| !v.is_nan());
    let min_value = finite.clone().reduce(f32::min);
    let max_value = finite.reduce(f32::max);
    let has_nan = values.iter().any(|v| v.is_nan());
    let in_f16 = |v: Option<f32>| v.is_some_and(|v| v > -F16_MAX && v < F16_MAX);
    let (dtype, bytes) = if !has_nan && in_f16(min_value) && in_f16(max_value) {
        (DenseType::Float16, values.iter().flat_map(|&v| f16::from_f32(v).to_le_bytes()).collect::<Vec<u8>>())
    } else {
        (DenseType::Float32, values.iter().flat_map(|&v| v.to_le_bytes()).collect())
    };
    DenseTile { min_value, max_value, dtype, dense: STANDARD.encode(bytes) }
}

impl DenseTile {
    /// The tile as HiGlass's JSON: `dense`, `dtype`, `size` (1: a flat array),
    /// `min_value`, `max_value` (numbers, or `"NaN"` / `"Infinity"` / `"-Infinity"`).
    #[must_use]
    pub fn to_json(&self) -> Value {
        json!({
            "min_value": bound(self.min_value),
            "max_value": bound(self.max_value),
            "dense": self.dense,
            "size": 1,
            "dtype": self.dtype.name(),
        })
    }

    /// The values back (what HiGlass decodes).
    ///
    /// # Errors
    /// [`base64::DecodeError`] when `dense` is not base64.
    pub fn decode(&self) -> Result<Vec<f32>, base64::DecodeError> {
        let bytes = STANDARD.decode(&self.dense)?;
        Ok(match self.dtype {
            DenseType::Float16 => {
                bytes.chunks_exact(2).map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32()).collect()
            }
            DenseType::Float32 => {
                bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
            }
        })
    }
}

/// A minimum or maximum as JSON: the float32 value as a number (Python's `float()` of it), a
/// string where JSON has no number.
fn bound(value: Option<f32>) -> Value {
    match value {
        None => Value::from("NaN"),
        Some(v) if v == f32::INFINITY => Value::from("Infinity"),
        Some(v) if v == f32::NEG_INFINITY => Value::from("-Infinity"),
        Some(v) => Value::from(f64::from(v)),
    }
}
