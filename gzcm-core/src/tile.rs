//! Tiles: a 2-D block of cells at its true shape, and where it sits in the matrix.

use std::fmt;

use ndarray::{Array2, ArrayView2};

use crate::dtype::{Dtype, Element};
use crate::error::CodecError;

/// The largest tile edge a file may declare (SPEC §1: tile size 16..=4096).
///
/// Every decode buffer is sized from a shape that passed [`TileShape::checked`], so no tile
/// allocation can exceed `MAX_TILE_EDGE² × 4` bytes (64 MiB) whatever a payload claims.
pub const MAX_TILE_EDGE: u32 = 4096;

/// The true shape of one tile in cells. Edge tiles are smaller than the nominal tile size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TileShape {
    /// Number of rows (bins along the first axis).
    pub rows: u32,
    /// Number of columns (bins along the second axis).
    pub cols: u32,
}

impl TileShape {
    /// A shape, unchecked. Use [`TileShape::checked`] for shapes read from untrusted bytes.
    #[must_use]
    pub const fn new(rows: u32, cols: u32) -> Self {
        TileShape { rows, cols }
    }

    /// A shape whose edges are both within `1..=MAX_TILE_EDGE`.
    ///
    /// # Errors
    /// [`CodecError::BadShape`] when an edge is zero or larger than [`MAX_TILE_EDGE`].
    pub fn checked(rows: u32, cols: u32) -> Result<Self, CodecError> {
        let valid = |edge: u32| (1..=MAX_TILE_EDGE).contains(&edge);
        if valid(rows) && valid(cols) {
            Ok(TileShape { rows, cols })
        } else {
            Err(CodecError::BadShape { rows, cols })
        }
    }

    /// Number of cells.
    #[must_use]
    pub const fn cells(self) -> usize {
        self.rows as usize * self.cols as usize
    }

    /// Bytes of the tile's raw little-endian cells for `dtype`.
    #[must_use]
    pub const fn byte_len(self, dtype: Dtype) -> usize {
        self.cells() * dtype.size()
    }

    /// `(rows, cols)` as `usize`, the form ndarray wants.
    #[must_use]
    pub const fn dim(self) -> (usize, usize) {
        (self.rows as usize, self.cols as usize)
    }
}

impl fmt::Display for TileShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}×{}", self.rows, self.cols)
    }
}

/// Where a tile sits in its matrix. Encoders may use it (e.g. `cmc` walks a diagonal tile of a
/// symmetric matrix over its upper triangle only); decoders never receive it, so a codec that
/// depends on it records what it needs in its own payload.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TileContext {
    /// Tile row index `i` (the tile covers rows `i*T ..`).
    pub tile_row: u32,
    /// Tile column index `j`.
    pub tile_col: u32,
    /// Whether the matrix is symmetric (only `tile_row <= tile_col` is stored).
    pub symmetric: bool,
}

impl TileContext {
    /// A context for tile `(tile_row, tile_col)`.
    #[must_use]
    pub const fn new(tile_row: u32, tile_col: u32, symmetric: bool) -> Self {
        TileContext { tile_row, tile_col, symmetric }
    }

    /// Whether this is a diagonal tile of a symmetric matrix (a square tile equal to its transpose).
    #[must_use]
    pub const fn is_symmetric_diagonal(&self) -> bool {
        self.symmetric && self.tile_row == self.tile_col
    }
}

/// A borrowed tile of either dtype.
#[derive(Clone, Copy, Debug)]
pub enum TileView<'a> {
    /// A tile of `u32` counts.
    U32(ArrayView2<'a, u32>),
    /// A tile of `f32` values.
    F32(ArrayView2<'a, f32>),
}

/// A tile given by its non-zero cells: what a writer holds of a sparse tile before it would
/// make it dense. Each cell is `(index, bits)`: its row-major index in the tile
/// (`row · cols + col`) and the little-endian bits of its value (a `u32` count, or an `f32`'s
/// bits), strictly ascending by index; every other cell is zero.
#[derive(Clone, Copy, Debug)]
pub struct TileCells<'a> {
    dtype: Dtype,
    shape: TileShape,
    cells: &'a [(u32, u32)],
}

impl<'a> TileCells<'a> {
    /// The tile of `shape` and `dtype` whose non-zero cells are `cells`.
    ///
    /// # Errors
    /// [`CodecError::BadCells`] when an index is not inside `shape`, indices do not strictly
    /// ascend, or a value's bits are zero.
    pub fn new(dtype: Dtype, shape: TileShape, cells: &'a [(u32, u32)]) -> Result<Self, CodecError> {
        let mut previous: Option<u32> = None;
        for (at, &(index, bits)) in cells.iter().enumerate() {
            let reason = if index as usize >= shape.cells() {
                Some("its index is outside the tile")
            } else if previous.is_some_and(|p| p >= index) {
                Some("indices do not strictly ascend")
            } else if bits == 0 {
                Some("its value is zero")
            } else {
                None
            };
            if let Some(reason) = reason {
                return Err(CodecError::BadCells { at, index, reason });
            }
            previous = Some(index);
        }
        Ok(TileCells { dtype, shape, cells })
    }

    /// The dtype of the cells.
    #[must_use]
    pub fn dtype(&self) -> Dtype {
        self.dtype
    }

    /// The tile's shape.
    #[must_use]
    pub fn shape(&self) -> TileShape {
        self.shape
    }

    /// The non-zero cells, `(row-major index, bits)`, ascending.
    #[must_use]
    pub fn cells(&self) -> &'a [(u32, u32)] {
        self.cells
    }

    /// The dense tile.
    #[must_use]
    pub fn to_dense(&self) -> TileData {
        let mut dense = vec![0u32; self.shape.cells()];
        for &(index, bits) in self.cells {
            dense[index as usize] = bits;
        }
        let array = Array2::from_shape_vec(self.shape.dim(), dense)
            .unwrap_or_else(|_| Array2::zeros(self.shape.dim()));
        match self.dtype {
            Dtype::U32 => TileData::U32(array),
            Dtype::F32 => TileData::F32(array.mapv(f32::from_bits)),
        }
    }
}

/// An owned, decoded tile of either dtype, at its true shape.
#[derive(Clone, Debug, PartialEq)]
pub enum TileData {
    /// A tile of `u32` counts.
    U32(Array2<u32>),
    /// A tile of `f32` values.
    F32(Array2<f32>),
}

impl<'a, T: Element> From<ArrayView2<'a, T>> for TileView<'a>
where
    ArrayView2<'a, T>: IntoTileView<'a>,
{
    fn from(view: ArrayView2<'a, T>) -> Self {
        view.into_tile_view()
    }
}

/// Conversion of a typed ndarray view into a [`TileView`]. Implemented for `u32` and `f32` views.
pub trait IntoTileView<'a> {
    /// The view, tagged with its dtype.
    fn into_tile_view(self) -> TileView<'a>;
}

impl<'a> IntoTileView<'a> for ArrayView2<'a, u32> {
    fn into_tile_view(self) -> TileView<'a> {
        TileView::U32(self)
    }
}

impl<'a> IntoTileView<'a> for ArrayView2<'a, f32> {
    fn into_tile_view(self) -> TileView<'a> {
        TileView::F32(self)
    }
}

impl TileView<'_> {
    /// The dtype of the cells.
    #[must_use]
    pub fn dtype(&self) -> Dtype {
        match self {
            TileView::U32(_) => Dtype::U32,
            TileView::F32(_) => Dtype::F32,
        }
    }

    /// The tile's shape.
    ///
    /// # Panics
    /// Never for tiles gzcm builds; a view with an edge above `u32::MAX` would be truncated-checked here.
    #[must_use]
    pub fn shape(&self) -> TileShape {
        let (rows, cols) = match self {
            TileView::U32(a) => a.dim(),
            TileView::F32(a) => a.dim(),
        };
        TileShape::new(edge_u32(rows), edge_u32(cols))
    }

    /// Number of non-zero cells.
    #[must_use]
    pub fn nnz(&self) -> usize {
        match self {
            TileView::U32(a) => a.iter().filter(|v| !v.is_zero()).count(),
            TileView::F32(a) => a.iter().filter(|v| !v.is_zero()).count(),
        }
    }

    /// Appends the cells in row-major order as little-endian bytes.
    pub fn write_le_bytes(&self, out: &mut Vec<u8>) {
        match self {
            TileView::U32(a) => extend_le(a, out),
            TileView::F32(a) => extend_le(a, out),
        }
    }

    /// The cells as `u32` counts in row-major order. `f32` cells must hold whole numbers in
    /// `0..=u32::MAX`; anything else is refused (never rounded).
    ///
    /// # Errors
    /// [`CodecError::NonIntegerValue`] naming the first cell that is not a whole count.
    pub fn to_u32_counts(&self) -> Result<Vec<u32>, CodecError> {
        match self {
            TileView::U32(a) => Ok(a.iter().copied().collect()),
            TileView::F32(a) => a
                .indexed_iter()
                .map(|((row, col), &v)| {
                    f32_to_count(v).ok_or(CodecError::NonIntegerValue { row, col, value: v })
                })
                .collect(),
        }
    }
}

impl TileData {
    /// A tile of zeros.
    #[must_use]
    pub fn zeros(dtype: Dtype, shape: TileShape) -> Self {
        match dtype {
            Dtype::U32 => TileData::U32(Array2::zeros(shape.dim())),
            Dtype::F32 => TileData::F32(Array2::zeros(shape.dim())),
        }
    }

    /// Builds a tile from row-major little-endian bytes, which must be exactly `shape × dtype` long.
    ///
    /// # Errors
    /// [`CodecError::LengthMismatch`] when the byte count is not `shape.byte_len(dtype)`.
    pub fn from_le_bytes(dtype: Dtype, shape: TileShape, bytes: &[u8]) -> Result<Self, CodecError> {
        let expected = shape.byte_len(dtype);
        if bytes.len() != expected {
            return Err(CodecError::LengthMismatch { expected, found: bytes.len() });
        }
        Ok(match dtype {
            Dtype::U32 => TileData::U32(array_from_le(shape, bytes)),
            Dtype::F32 => TileData::F32(array_from_le(shape, bytes)),
        })
    }

    /// Builds a tile from row-major `u32` counts, converted to `dtype` (exact for counts below 2^24
    /// in `f32`; larger counts round as `f32` does).
    ///
    /// # Errors
    /// [`CodecError::LengthMismatch`] when `counts` does not hold `shape.cells()` values.
    pub fn from_counts(dtype: Dtype, shape: TileShape, counts: Vec<u32>) -> Result<Self, CodecError> {
        if counts.len() != shape.cells() {
            return Err(CodecError::LengthMismatch { expected: shape.cells(), found: counts.len() });
        }
        let array = Array2::from_shape_vec(shape.dim(), counts)
            .map_err(|_| CodecError::LengthMismatch { expected: shape.cells(), found: 0 })?;
        Ok(match dtype {
            Dtype::U32 => TileData::U32(array),
            #[expect(
                clippy::cast_precision_loss,
                reason = "f32 tiles of counts are exact below 2^24 (SPEC §1)"
            )]
            Dtype::F32 => TileData::F32(array.mapv(|v| v as f32)),
        })
    }

    /// The dtype of the cells.
    #[must_use]
    pub fn dtype(&self) -> Dtype {
        self.view().dtype()
    }

    /// The tile's shape.
    #[must_use]
    pub fn shape(&self) -> TileShape {
        self.view().shape()
    }

    /// Number of non-zero cells.
    #[must_use]
    pub fn nnz(&self) -> usize {
        self.view().nnz()
    }

    /// A borrowed view of the tile.
    #[must_use]
    pub fn view(&self) -> TileView<'_> {
        match self {
            TileData::U32(a) => TileView::U32(a.view()),
            TileData::F32(a) => TileView::F32(a.view()),
        }
    }

    /// The transpose (used to mirror the lower triangle of a symmetric matrix).
    #[must_use]
    pub fn transposed(&self) -> TileData {
        match self {
            TileData::U32(a) => TileData::U32(a.t().as_standard_layout().into_owned()),
            TileData::F32(a) => TileData::F32(a.t().as_standard_layout().into_owned()),
        }
    }

    /// Bytes this tile holds in memory (for cache accounting).
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        self.shape().byte_len(self.dtype())
    }
}

fn edge_u32(edge: usize) -> u32 {
    u32::try_from(edge).unwrap_or(u32::MAX)
}

/// Appends the cells as little-endian bytes: one copy on little-endian machines (the cells
/// already are those bytes), a per-cell conversion elsewhere or for non-contiguous views.
fn extend_le<T: Element>(array: &ArrayView2<'_, T>, out: &mut Vec<u8>) {
    match array.as_slice() {
        Some(slice) if cfg!(target_endian = "little") => out.extend_from_slice(bytemuck::cast_slice(slice)),
        _ => {
            out.reserve(array.len() * 4);
            array.iter().for_each(|v| out.extend_from_slice(&v.to_le()));
        }
    }
}

/// Cells from exactly `shape.cells() × 4` little-endian bytes (checked by the caller).
fn array_from_le<T: Element>(shape: TileShape, bytes: &[u8]) -> Array2<T> {
    let mut cells = vec![T::default(); shape.cells()];
    if cfg!(target_endian = "little") {
        bytemuck::cast_slice_mut::<T, u8>(&mut cells).copy_from_slice(bytes);
    } else {
        for (cell, c) in cells.iter_mut().zip(bytes.chunks_exact(4)) {
            *cell = T::from_le([c[0], c[1], c[2], c[3]]);
        }
    }
    Array2::from_shape_vec(shape.dim(), cells).expect("length checked by the caller")
}

/// A float that holds a whole count in `0..=u32::MAX`, as that count.
fn f32_to_count(value: f32) -> Option<u32> {
    #[expect(clippy::cast_precision_loss, reason = "u32::MAX as f32 is the exact bound 2^32")]
    let in_range = value >= 0.0 && value < u32::MAX as f32 + 1.0;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "range and integrality checked"
    )]
    (in_range && value.fract() == 0.0).then_some(value as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn tile_cells_are_checked_and_made_dense() {
        let shape = TileShape::new(2, 3);
        let cells = [(1, 7), (5, 2.5f32.to_bits())];
        let dense = TileCells::new(Dtype::U32, shape, &cells).unwrap().to_dense();
        assert_eq!(dense, TileData::U32(array![[0, 7, 0], [0, 0, 2.5f32.to_bits()]]));
        let floats = TileCells::new(Dtype::F32, shape, &cells[1..]).unwrap().to_dense();
        assert_eq!(floats, TileData::F32(array![[0.0, 0.0, 0.0], [0.0, 0.0, 2.5]]));
        for (bad, reason) in [
            (vec![(6, 1)], "outside the tile"),
            (vec![(2, 1), (2, 1)], "do not strictly ascend"),
            (vec![(3, 1), (2, 1)], "do not strictly ascend"),
            (vec![(0, 0)], "zero"),
        ] {
            let error = TileCells::new(Dtype::U32, shape, &bad).unwrap_err();
            assert!(error.to_string().contains(reason), "{error}");
        }
    }

    #[test]
    fn checked_shape_rejects_zero_and_oversized_edges() {
        assert!(TileShape::checked(1, 1).is_ok());
        assert!(TileShape::checked(4096, 4096).is_ok());
        assert!(matches!(TileShape::checked(0, 3), Err(CodecError::BadShape { .. })));
        assert!(matches!(TileShape::checked(3, 4097), Err(CodecError::BadShape { .. })));
    }

    #[test]
    fn le_bytes_round_trip_both_dtypes() {
        let tile = TileData::U32(array![[1, 2, 3], [4, 5, 0]]);
        let mut bytes = Vec::new();
        tile.view().write_le_bytes(&mut bytes);
        assert_eq!(TileData::from_le_bytes(Dtype::U32, tile.shape(), &bytes).unwrap(), tile);
        let tile = TileData::F32(array![[1.5f32], [-2.0]]);
        let mut bytes = Vec::new();
        tile.view().write_le_bytes(&mut bytes);
        assert_eq!(TileData::from_le_bytes(Dtype::F32, tile.shape(), &bytes).unwrap(), tile);
    }

    #[test]
    fn wrong_byte_count_is_an_error() {
        let err = TileData::from_le_bytes(Dtype::U32, TileShape::new(2, 2), &[0; 15]).unwrap_err();
        assert!(matches!(err, CodecError::LengthMismatch { expected: 16, found: 15 }));
    }

    #[test]
    fn non_integer_floats_are_refused_not_rounded() {
        let tile = TileData::F32(array![[1.0f32, 2.5]]);
        let err = tile.view().to_u32_counts().unwrap_err();
        assert!(matches!(err, CodecError::NonIntegerValue { row: 0, col: 1, .. }));
        let tile = TileData::F32(array![[-1.0f32]]);
        assert!(tile.view().to_u32_counts().is_err());
        let tile = TileData::F32(array![[7.0f32, 0.0]]);
        assert_eq!(tile.view().to_u32_counts().unwrap(), vec![7, 0]);
    }

    #[test]
    fn transposed_mirrors() {
        let tile = TileData::U32(array![[1, 2], [3, 4], [5, 6]]);
        assert_eq!(tile.transposed(), TileData::U32(array![[1, 3, 5], [2, 4, 6]]));
    }
}
