//! The `cmc` coder: masks, then every diagonal's plane count and values, through one range coder.

use crate::TileLayout;
use crate::arith::{BitIo, Decoder, Encoder};
use crate::bitplane::nbits;
use crate::error::CmcError;
use crate::format::{self, Mode};
use crate::mask::Masks;
use crate::model::Model;
use crate::predict::Predictor;
use crate::walk::{self, Walk};

/// Picks the walk for a tile: the cheaper upper-triangle walk only when it loses nothing.
pub(crate) fn choose_mode(values: &[u32], rows: usize, cols: usize, layout: TileLayout) -> Mode {
    if values.iter().all(|&v| v == 0) {
        Mode::Zero
    } else if layout == TileLayout::SymmetricDiagonal && walk::is_symmetric(values, rows, cols) {
        Mode::Symmetric
    } else {
        Mode::Full
    }
}

/// Encodes a checked tile (see [`crate::encode`]).
pub(crate) fn encode(values: &[u32], rows: usize, cols: usize, layout: TileLayout, out: &mut Vec<u8>) {
    let mode = choose_mode(values, rows, cols, layout);
    format::write_header(mode, out);
    if mode == Mode::Zero {
        return;
    }
    let mut grid = values.to_vec();
    let mut masks = Masks::of(values, rows, cols);
    let mut enc = Encoder::new(out);
    masks.code(&mut enc, mode == Mode::Symmetric);
    let coded = code_cells(&mut enc, Walk::new(mode, rows, cols), &masks, &mut grid, cols, true);
    debug_assert!(coded.is_ok(), "plane counts of real values never exceed 32");
    enc.finish();
}

/// Decodes a payload into a zeroed or dirty `out` of the checked shape (see [`crate::decode`]).
pub(crate) fn decode(payload: &[u8], rows: usize, cols: usize, out: &mut [u32]) -> Result<(), CmcError> {
    let (mode, body) = format::read_header(payload, rows, cols)?;
    out.fill(0);
    if mode == Mode::Zero {
        return trailing_check(body.len(), 0);
    }
    let mut masks = Masks::none(rows, cols);
    let mut dec = Decoder::new(body);
    masks.code(&mut dec, mode == Mode::Symmetric);
    code_cells(&mut dec, Walk::new(mode, rows, cols), &masks, out, cols, false)?;
    trailing_check(body.len(), dec.consumed())?;
    if mode == Mode::Symmetric {
        walk::mirror_upper(out, rows);
    }
    Ok(())
}

/// A decoder must consume its body exactly: more means truncation, less means stray bytes.
fn trailing_check(available: usize, consumed: usize) -> Result<(), CmcError> {
    match consumed.cmp(&available) {
        std::cmp::Ordering::Equal => Ok(()),
        std::cmp::Ordering::Greater => Err(CmcError::Truncated { needed: consumed, available }),
        std::cmp::Ordering::Less => Err(CmcError::Corrupt { reason: "bytes after the coded tile" }),
    }
}

/// Visits every stored, unmasked cell in walk order, coding each diagonal's plane count and then
/// its values. The encoder reads `grid`; the decoder fills it (it must start zeroed).
fn code_cells<I: BitIo>(
    io: &mut I,
    walk: Walk,
    masks: &Masks,
    grid: &mut [u32],
    cols: usize,
    encoding: bool,
) -> Result<(), CmcError> {
    let mut model = Model::default();
    let mut predictor = Predictor::new(walk, grid.len() / cols, cols, masks);
    let mut previous = None;
    for k in walk.diagonals() {
        let cells = || walk.cells(k).filter(|&i| !masks.skips(i, col(i, k)));
        if cells().next().is_none() {
            continue;
        }
        let actual =
            if encoding { cells().map(|i| nbits(grid[i * cols + col(i, k)])).max().unwrap_or(0) } else { 0 };
        let planes = model.code_count(io, previous, actual)?;
        previous = Some(planes);
        if planes > 0 {
            for i in cells() {
                let j = col(i, k);
                let estimate = predictor.estimate(grid, masks, i, j);
                let value = model.code_value(io, estimate, planes, grid[i * cols + j]);
                grid[i * cols + j] = value;
            }
        }
        predictor.end_diagonal(grid, k, cells());
    }
    Ok(())
}

/// Column of the cell on diagonal `k` in row `i`.
#[inline]
fn col(i: usize, k: isize) -> usize {
    (i as isize + k) as usize
}
