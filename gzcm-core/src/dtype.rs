//! Cell types of a contact matrix and their little-endian byte form.

use std::fmt;

/// The cell type of a matrix or tile: raw counts (`u32`) or balanced values (`f32`).
///
/// Shown and recorded in file headers as numpy-style names (`uint32`, `float32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Dtype {
    /// Unsigned 32-bit integer counts.
    U32,
    /// 32-bit IEEE-754 floats (balanced matrices).
    F32,
}

impl Dtype {
    /// Every dtype gzcm knows, in a stable order.
    pub const ALL: [Dtype; 2] = [Dtype::U32, Dtype::F32];

    /// Bytes per cell.
    #[must_use]
    pub const fn size(self) -> usize {
        4
    }

    /// The name recorded in file headers (`uint32`, `float32`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Dtype::U32 => "uint32",
            Dtype::F32 => "float32",
        }
    }

    /// Parses a header name; accepts the short forms `u32` and `f32` too.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Dtype> {
        match name {
            "uint32" | "u32" => Some(Dtype::U32),
            "float32" | "f32" => Some(Dtype::F32),
            _ => None,
        }
    }
}

impl fmt::Display for Dtype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for u32 {}
    impl Sealed for f32 {}
}

/// A Rust type that can be a matrix cell: `u32` or `f32`. Sealed.
pub trait Element:
    sealed::Sealed + bytemuck::Pod + Default + PartialEq + Send + Sync + fmt::Debug + 'static
{
    /// The dtype this type stands for.
    const DTYPE: Dtype;
    /// Little-endian bytes of the value.
    fn to_le(self) -> [u8; 4];
    /// The value from its little-endian bytes.
    fn from_le(bytes: [u8; 4]) -> Self;
    /// Whether the cell counts as empty (exactly zero; `-0.0` counts as zero).
    fn is_zero(self) -> bool;
}

impl Element for u32 {
    const DTYPE: Dtype = Dtype::U32;
    fn to_le(self) -> [u8; 4] {
        self.to_le_bytes()
    }
    fn from_le(bytes: [u8; 4]) -> Self {
        u32::from_le_bytes(bytes)
    }
    fn is_zero(self) -> bool {
        self == 0
    }
}

impl Element for f32 {
    const DTYPE: Dtype = Dtype::F32;
    fn to_le(self) -> [u8; 4] {
        self.to_le_bytes()
    }
    fn from_le(bytes: [u8; 4]) -> Self {
        f32::from_le_bytes(bytes)
    }
    fn is_zero(self) -> bool {
        self == 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for dtype in Dtype::ALL {
            assert_eq!(Dtype::from_name(dtype.name()), Some(dtype));
        }
        assert_eq!(Dtype::from_name("int64"), None);
    }

    #[test]
    fn negative_zero_is_empty() {
        assert!((-0.0f32).is_zero());
        assert!(!f32::NAN.is_zero());
    }
}
