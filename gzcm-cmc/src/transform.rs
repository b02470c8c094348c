//! Steps 1–2 alone (reorder + binarise), as plain bytes for a general-purpose back end.
//!
//! Layout after the two-byte header: a mask flag byte (0 = no empty lines, 1 = masks follow),
//! then the packed row mask and, unless the tile is symmetric, the packed column mask; then for
//! every diagonal that has unmasked cells, in walk order: its plane count (one byte, 0..=32)
//! followed by its planes (see [`crate::bitplane::write_planes`]).

use crate::TileLayout;
use crate::bitplane::{nbits, read_planes, write_planes};
use crate::codec::choose_mode;
use crate::error::CmcError;
use crate::format::{self, Mode};
use crate::mask::{Masks, pack_flags, unpack_flags};
use crate::walk::{self, Walk};

/// Transforms a checked tile (see [`crate::transform`]).
pub(crate) fn transform(values: &[u32], rows: usize, cols: usize, layout: TileLayout, out: &mut Vec<u8>) {
    let mode = choose_mode(values, rows, cols, layout);
    format::write_header(mode, out);
    if mode == Mode::Zero {
        return;
    }
    let masks = Masks::of(values, rows, cols);
    write_masks(&masks, mode, out);
    let walk = Walk::new(mode, rows, cols);
    let mut row = Vec::with_capacity(rows.min(cols));
    for k in walk.diagonals() {
        row.clear();
        let cells = walk.cells(k).map(|i| (i, (i as isize + k) as usize));
        row.extend(cells.filter(|&(i, j)| !masks.skips(i, j)).map(|(i, j)| values[i * cols + j]));
        if !row.is_empty() {
            let planes = row.iter().map(|&v| nbits(v)).max().unwrap_or(0);
            out.push(planes as u8);
            write_planes(&row, planes, out);
        }
    }
}

fn write_masks(masks: &Masks, mode: Mode, out: &mut Vec<u8>) {
    let any = masks.rows.iter().chain(&masks.cols).any(|&e| e);
    out.push(u8::from(any));
    if any {
        pack_flags(&masks.rows, out);
        if mode != Mode::Symmetric {
            pack_flags(&masks.cols, out);
        }
    }
}

/// Inverts [`transform`] into `out` of the checked shape (see [`crate::inverse_transform`]).
pub(crate) fn inverse(bytes: &[u8], rows: usize, cols: usize, out: &mut [u32]) -> Result<(), CmcError> {
    let (mode, body) = format::read_header(bytes, rows, cols)?;
    out.fill(0);
    if mode == Mode::Zero {
        return expect_end(body);
    }
    let (masks, mut body) = read_masks(body, mode, rows, cols)?;
    let walk = Walk::new(mode, rows, cols);
    let mut row = Vec::with_capacity(rows.min(cols));
    for k in walk.diagonals() {
        let cells = walk.cells(k).map(|i| (i, (i as isize + k) as usize));
        let cells: Vec<_> = cells.filter(|&(i, j)| !masks.skips(i, j)).collect();
        if cells.is_empty() {
            continue;
        }
        let (&planes, rest) = body.split_first().ok_or(CmcError::Truncated { needed: 1, available: 0 })?;
        if planes > 32 {
            return Err(CmcError::Corrupt { reason: "row needs more than 32 bit-planes" });
        }
        row.resize(cells.len(), 0);
        body = read_planes(rest, u32::from(planes), &mut row)?;
        for (&(i, j), &v) in cells.iter().zip(&row) {
            out[i * cols + j] = v;
        }
    }
    expect_end(body)?;
    if mode == Mode::Symmetric {
        walk::mirror_upper(out, rows);
    }
    Ok(())
}

fn read_masks(body: &[u8], mode: Mode, rows: usize, cols: usize) -> Result<(Masks, &[u8]), CmcError> {
    let mut masks = Masks::none(rows, cols);
    let (&flag, mut rest) = body.split_first().ok_or(CmcError::Truncated { needed: 1, available: 0 })?;
    match flag {
        0 => return Ok((masks, rest)),
        1 => {}
        _ => {
            return Err(CmcError::Corrupt { reason: "mask flag is neither 0 nor 1" });
        }
    }
    rest = unpack_into(rest, &mut masks.rows)?;
    if mode == Mode::Symmetric {
        masks.cols.clone_from(&masks.rows);
    } else {
        rest = unpack_into(rest, &mut masks.cols)?;
    }
    Ok((masks, rest))
}

fn unpack_into<'a>(bytes: &'a [u8], flags: &mut [bool]) -> Result<&'a [u8], CmcError> {
    let needed = flags.len().div_ceil(8);
    let (packed, rest) =
        bytes.split_at_checked(needed).ok_or(CmcError::Truncated { needed, available: bytes.len() })?;
    unpack_flags(packed, flags);
    Ok(rest)
}

fn expect_end(rest: &[u8]) -> Result<(), CmcError> {
    if rest.is_empty() {
        Ok(())
    } else {
        Err(CmcError::Corrupt { reason: "bytes after the transformed tile" })
    }
}
