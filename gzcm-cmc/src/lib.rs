//! CMC: a contact-matrix compressor for one tile of a Hi-C matrix.
//!
//! The algorithm follows the published CMC pipeline (Genie's MPEG-G contact coder): **masks** of
//! all-zero rows and columns, **diagonal reordering** so that values at the same genomic distance
//! sit together, **per-row bit-plane binarisation**, and **context-modelled adaptive binary
//! arithmetic coding** of the bits. It departs from Genie where that pays: each row is one
//! diagonal, bits are coded value by value from the top plane down by our own range coder, with
//! contexts built from an estimate of the value made from already-decoded cells (rather than a
//! JBIG template of neighbouring bits), and a row's plane count is coded explicitly instead of a
//! sentinel column.
//!
//! - [`encode`] / [`decode`]: the full `cmc` codec.
//! - [`transform`] / [`inverse_transform`]: steps 1–2 only, serialised as bytes that a
//!   general-purpose compressor (zstd, BWT) finishes.
//!
//! Decoders treat their input as hostile: every buffer is sized from the caller's shape (at most
//! 4096 × 4096), every loop is bounded by it, and malformed bytes give a [`CmcError`], never a
//! panic.
//!
//! # Walk
//!
//! A tile of `rows × cols` is visited diagonal by diagonal (`k = col - row`), and within a
//! diagonal by increasing row. A [`TileLayout::SymmetricDiagonal`] tile that really is square and
//! symmetric is walked over its upper triangle only (`k = 0, 1, …, n-1`) and mirrored on decode;
//! any other tile is walked whole (`k = -(rows-1), …, cols-1`, from the bottom-left corner, which
//! is nearest the matrix diagonal for a tile above it). Each diagonal is one "row" of the
//! reordered matrix. Cells in an empty row or column are skipped.
//!
//! # Payload format, version 1
//!
//! Both payloads start with the same two bytes:
//!
//! | byte | meaning |
//! |---|---|
//! | 0 | format version, `1` |
//! | 1 | walk mode: `0` all-zero tile (nothing follows), `1` full walk, `2` symmetric upper triangle |
//!
//! **`encode`** — the rest is one range-coded stream (32-bit range, 16-bit adaptive
//! probabilities, byte-wise renormalisation with carry propagation; the always-zero first byte is
//! omitted, the stream ends with a 4-byte flush and must be consumed exactly). In coding order:
//! 1. the row mask (one bit per row, `1` = all zero), context = previous bit; then the column mask
//!    the same way, omitted for mode 2 (rows and columns share a mask);
//! 2. for every diagonal in walk order that has an unmasked cell: its plane count `0..=32` as a
//!    6-bit binary tree with the previous diagonal's count as context; then, unless the count is
//!    0, each unmasked value's bits from the top plane down (see *Model*). When the expected
//!    spread of a value exceeds about 2.8 times the current plane's weight, its remaining low
//!    bits are sent as equiprobable raw bits (in chunks of at most 16).
//!
//! **`transform`** — after the header: a byte `0`/`1` saying whether masks follow; if `1`, the
//! row mask packed eight flags per byte (first flag in bit 0), then the column mask (mode 1
//! only); then, per diagonal with an unmasked cell, its plane count (one byte) followed by that
//! many planes, most significant first, each `ceil(cells / 8)` bytes with the first cell in the
//! top bit.
//!
//! # Model
//!
//! For every cell the decoder forms the same estimate from values already decoded:
//! - the known neighbours on the same diagonal and the two previous ones, each corrected by
//!   online row/column bias factors (observed over expected counts) and by the distance decay
//!   between diagonals, plus the bias × decay expectation itself;
//! - two rank-one fits: row `i` compared with each of the 12 rows below it over the 12 columns
//!   before the cell (and column `j` with the 12 columns before it over the 12 rows below the
//!   cell); each candidate line predicts `ratio × its value at the cell` and is weighted by
//!   `1 / (mismatch + 0.0004)^4`, so rows of the same compartment dominate;
//! - a weighted mean of all these, and their mean absolute deviation floored at `sqrt(mean)`
//!   as the spread.
//!
//! Each value bit halves the interval the value is known to lie in. Three adaptive models give
//! P(bit = 1): one in context (where the estimate sits relative to the interval's midpoint, in
//! quarter half-widths; spread against the half-width; plane 0/1/2+; value so far zero), one the
//! same with the rank-one fits' mean as the estimate, and one with the offset in eighths and the
//! exact plane. A logistic mixer (weights per spread class and zero flag) combines them. All
//! arithmetic on estimates is IEEE `f64` `+ - * /` and `sqrt` in a fixed order, and the coder
//! and mixer are integer, so encoder and decoder agree on every platform. The constants of the
//! model are part of the format: changing any of them means a new version byte.
//!

#![forbid(unsafe_code)]

mod arith;
mod bitplane;
mod codec;
mod error;
mod fit;
mod format;
mod mask;
mod mix;
mod model;
mod predict;
mod transform;
mod walk;

pub use error::CmcError;

/// How the tile sits in the matrix (the encoder's choice of walk depends on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TileLayout {
    /// A diagonal tile of a symmetric matrix: only its upper triangle is coded when the tile is
    /// indeed square and symmetric (checked; otherwise the whole tile is coded).
    SymmetricDiagonal,
    /// Any other tile (above the diagonal, or of a non-symmetric matrix): coded whole.
    OffDiagonal,
}

/// Compresses a row-major tile of `rows × cols` counts, appending the payload to `out`.
///
/// # Errors
/// [`CmcError::BadShape`] if a side is outside `1..=4096`, [`CmcError::BadLength`] if
/// `values.len() != rows * cols`.
pub fn encode(
    values: &[u32],
    rows: usize,
    cols: usize,
    layout: TileLayout,
    out: &mut Vec<u8>,
) -> Result<(), CmcError> {
    format::check_shape(rows, cols, values.len())?;
    codec::encode(values, rows, cols, layout, out);
    Ok(())
}

/// Decompresses an [`encode`] payload into `out` (`rows × cols`, row-major).
///
/// `out.len()` must equal `rows * cols`; the caller sizes it from a validated tile shape. The
/// payload records the walk used, so no layout is needed.
///
/// # Errors
/// Shape errors as for [`encode`]; [`CmcError::Truncated`], [`CmcError::Corrupt`],
/// [`CmcError::UnsupportedVersion`] or [`CmcError::ShapeMismatch`] for a bad payload. On error
/// `out` holds unspecified values.
pub fn decode(payload: &[u8], rows: usize, cols: usize, out: &mut [u32]) -> Result<(), CmcError> {
    format::check_shape(rows, cols, out.len())?;
    codec::decode(payload, rows, cols, out)
}

/// Steps 1–2 only (reorder + binarise, with the masks), serialised as bytes that compress well
/// with a general-purpose back end. Appends to `out`.
///
/// # Errors
/// As for [`encode`].
pub fn transform(
    values: &[u32],
    rows: usize,
    cols: usize,
    layout: TileLayout,
    out: &mut Vec<u8>,
) -> Result<(), CmcError> {
    format::check_shape(rows, cols, values.len())?;
    transform::transform(values, rows, cols, layout, out);
    Ok(())
}

/// Inverts [`transform`] into `out` (`rows × cols`, row-major).
///
/// # Errors
/// As for [`decode`].
pub fn inverse_transform(bytes: &[u8], rows: usize, cols: usize, out: &mut [u32]) -> Result<(), CmcError> {
    format::check_shape(rows, cols, out.len())?;
    transform::inverse(bytes, rows, cols, out)
}
