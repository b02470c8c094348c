//! A contact-matrix tile coder whose decoder is arithmetic and table look-ups: a per-tile
//! expected-count model, a neighbour-corrected prediction per cell, and the residuals under
//! adaptive frequency tables, entropy-coded by two interleaved rANS states.
//!
//! - [`encode`] / [`decode`]: one row-major tile of `u32` counts to a payload and back.
//!
//! Decoders treat their input as hostile: every buffer is sized from the caller's shape (at most
//! 4096 × 4096), every loop is bounded by it, and malformed bytes give a [`RansError`] (or, for a
//! payload that happens to decode, some counts), never a panic.
//!
//! # Model
//!
//! Every quantity is a base-2 logarithm in Q12 fixed point (`log2(count + 1)`, from
//! integer-built tables, so encoder and decoder agree bit for bit on every platform).
//!
//! 1. **Base** per cell: an optional decay profile `decay[|j - i|]` (mean log count per distance
//!    from the main diagonal, 1/16-doubling steps) plus up to 8 rank-one terms
//!    `rows_f[i] · cols_f[j] · scale_f` (`i8` values, one `u32` scale per term): the tile's
//!    coverage, compartments and inter-chromosomal levels, fitted by the encoder as the top
//!    singular terms of the log counts.
//! 2. **Prediction** per cell: eleven stored weights (fitted by least squares per tile) applied
//!    to the residuals (log count − base) of nine decoded neighbours (left, up, up-left,
//!    up-right, two left, two up, two up-two left, up-two left, two up-left), the base itself and
//!    a bias; `λ = 2^prediction − 1`.
//! 3. **Zero flag** (version 2) on a cell predicted below `log2(λ + 1) = 2` (λ < 3, where most
//!    cells of a sparse map are): one binary decision, `v ≠ 0`, under an adaptive probability
//!    with 28-bit precision whose rate slows from ½ to `2^-13` as it learns (one per half
//!    doubling of the Q12 prediction, 27 contexts); a non-zero count then codes `v − 1` in
//!    place of the residual below.
//! 4. **Residual** `v − round(λ)`, zig-zagged to `z`, coded as its bit length (24 symbols:
//!    lengths 0–22 and an escape for 23–34 followed by 4 raw bits; in one of 71 contexts: eighths
//!    of a doubling of `λ + 1` below 4, then half doublings), the two bits after the leading one
//!    (context: the bit length), then the remaining bits raw.
//!
//! 5. **Sparse list** (version 3, modes 3 and 4): a tile with at most one cell in 16 non-zero
//!    may instead be coded as the number of non-zero cells, then per non-zero cell in walk order
//!    the zero cells skipped since the previous one (its gap) and its count less one, each an
//!    integer code under one adaptive table (gaps peaked at the length of the mean gap, counts
//!    at 0; counts that follow a gap of 0 have their own table). It decodes in time proportional
//!    to the non-zero cells, not to the tile's area.
//!
//! The encoder prices its model choices rather than coding each of them (ideal code lengths
//! under the same adaptive tables; rANS lands within a few bytes of them), and codes only the
//! winner. A dense tile (more than one cell in 16 non-zero) prices the model without and with
//! the decay profile, keeps the cheaper, then adds low-rank terms (2, 4, 8; only on tiles with
//! at least 4 non-zeros per row + column) while each size prices lower than the last. The
//! predictor's weights are fitted on every `k`-th stored cell, 16,384 to 32,767 of them, on
//! larger tiles, and the low-rank terms are fitted only as far as a rank is priced. The
//! winner's cells are counted as they are priced, which prices **static tables** too (12-bit
//! frequencies per context, counted on the tile and stored in the payload; the decoder finds a
//! symbol with one look-up instead of searching and adapting a table); they are kept unless
//! larger (on a dense tile, a quarter of its cells non-zero: more than 4 % larger).
//!
//! A sparse tile (at most one cell in 16 non-zero) is coded as a sparse list unless the cell
//! walk prices more than 3 % smaller (the list decodes tens of times faster); its one walk has
//! no masks (its empty rows are mostly chance, and flagging them can cost more than coding
//! their zeros), no neighbours (their weights stored as zeros) and no decay profile. A tile
//! with at most one cell in 64 non-zero goes straight to the list.
//!
//! # Payload format, version 3
//!
//! Version 3 is version 2 plus modes 3 and 4 (the sparse list). Version 1 is version 2 without
//! the zero flags (and with every low bit-length table peaked at length 1). Decoders read all
//! three, encoders write version 3.
//!
//! | byte | meaning |
//! |---|---|
//! | 0 | format version, `3` (`1` and `2` still read) |
//! | 1 | mode: `0` all-zero tile (nothing follows), `1` every cell row by row, `2` symmetric upper triangle row by row (square tiles; mirrored on decode), `3` sparse list of every cell, `4` sparse list of a symmetric upper triangle (modes 3 and 4: version 3 only) |
//! | 2.. | one rANS stream (modes 1–4) |
//!
//! A sparse-list stream (modes 3 and 4) is the coder below with **one** state (four bytes
//! instead of eight): the count of non-zero cells (`1..=` the stored cells) as a signed side
//! value; then per non-zero cell its gap (the integer code of step 4 under the gap table) and
//! its count less one (under the value table of its gap, `0` or more). The gaps must keep every
//! position inside the stored cells.
//!
//! The cell-walk stream (modes 1 and 2): two 32-bit states (LE), then renormalisation bytes;
//! symbol `i` uses state `i mod 2`; probabilities are 15-bit, from adaptive tables that move a `2^-rate` fraction
//! towards each coded symbol (rate 4, then 5 after 16 symbols, 6 after 96, 7 after 255; the
//! bit-length tables start peaked at the length their context expects, the others uniform);
//! raw bits are equiprobable symbols of at most 15 bits. After the last symbol both states must
//! be back at `2^23` with every byte read. In coding order:
//! 1. the row mask (one flag per row, `1` = all zero; context = previous flag), then the column
//!    mask the same way (mode 1 only);
//! 2. a decay flag; if set, `max(rows, cols)` decay steps as signed deltas; the rank `0..=8`; per
//!    term its scale, then its row values and column values (deltas); the eleven weights. Each
//!    kind of signed side value has its own adaptive bit-length table;
//! 3. a table flag: `0` adaptive tables, `1` static tables, followed by the frequencies of the 71
//!    bit-length tables (24 each) and of the mantissa tables of lengths 2–34 (2 or 4 each), each
//!    table summing to 4096 or all zero (unused), through one adaptive side table. A static
//!    symbol takes `freq · 8` of the 15-bit scale; a table with one symbol codes nothing;
//! 4. every stored cell outside the masks, as above (version 2: the bit-length tables of the
//!    eight contexts below λ = 3 start peaked at length 0, the count-less-one of a flagged cell).
//!
//! The tables, contexts, neighbour set, update rule and rounding are part of the format:
//! changing any of them means a new version byte.

#![forbid(unsafe_code)]

mod bit;
mod cdf;
mod codec;
mod cost;
mod error;
mod fit;
mod fixed;
mod format;
mod io;
mod model;
mod rans;
mod sparse;
mod table;
mod walk;

pub use error::RansError;

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
/// [`RansError::BadShape`] if a side is outside `1..=4096`, [`RansError::BadLength`] if
/// `values.len() != rows * cols`.
pub fn encode(
    values: &[u32],
    rows: usize,
    cols: usize,
    layout: TileLayout,
    out: &mut Vec<u8>,
) -> Result<(), RansError> {
    format::check_shape(rows, cols, values.len())?;
    codec::encode(values, rows, cols, layout, out);
    Ok(())
}

/// Compresses a tile given by its non-zero cells, `(row-major index, count)`, when it is sparse
/// enough that [`encode`] would code it as a list without trying a cell walk (at most one cell
/// in 64 non-zero, or none), appending to `out` exactly the payload [`encode`] writes for the
/// dense tile; returns `false`, writing nothing, for a denser tile (make it dense and call
/// [`encode`]). It costs time in the non-zero cells, not the tile's area: most tiles of a fine
/// genome-wide map hold a contact or two.
///
/// # Errors
/// [`RansError::BadShape`] if a side is outside `1..=4096`; [`RansError::BadCells`] for an
/// index outside the tile, indices that do not strictly ascend, or a zero count.
pub fn encode_cells(
    cells: &[(u32, u32)],
    rows: usize,
    cols: usize,
    layout: TileLayout,
    out: &mut Vec<u8>,
) -> Result<bool, RansError> {
    format::check_shape(rows, cols, rows.saturating_mul(cols))?;
    let mut previous = None;
    for (at, &(index, count)) in cells.iter().enumerate() {
        let reason = if index as usize >= rows * cols {
            "its index is outside the tile"
        } else if previous.is_some_and(|p| p >= index) {
            "indices do not strictly ascend"
        } else if count == 0 {
            "its count is zero"
        } else {
            previous = Some(index);
            continue;
        };
        return Err(RansError::BadCells { at, reason });
    }
    Ok(codec::encode_cells(cells, rows, cols, layout, out))
}

/// Decompresses an [`encode`] payload into `out` (`rows × cols`, row-major).
///
/// `out.len()` must equal `rows * cols`; the caller sizes it from a validated tile shape. The
/// payload records the walk used, so no layout is needed.
///
/// # Errors
/// Shape errors as for [`encode`]; [`RansError::Truncated`], [`RansError::Corrupt`],
/// [`RansError::UnsupportedVersion`] or [`RansError::ShapeMismatch`] for a bad payload. On error
/// `out` holds unspecified values.
pub fn decode(payload: &[u8], rows: usize, cols: usize, out: &mut [u32]) -> Result<(), RansError> {
    format::check_shape(rows, cols, out.len())?;
    codec::decode(payload, rows, cols, out)
}
