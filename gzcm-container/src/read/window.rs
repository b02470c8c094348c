//! Window reads: the cells of any `rows × cols` window of the matrix as one dense array,
//! assembled from the tiles it overlaps (crossing tile boundaries, the diagonal of symmetric
//! files, and the matrix edge). What [`Reader::window`](crate::Reader::window) returns (the method keeps its name:
//! it is public API across the workspace).

use std::ops::Range;

use ndarray::{Array2, ArrayView2, s};

use gzcm_core::{Dtype, TileData};

use crate::error::{ContainerError, Result};
use crate::read::fetch::TileFetcher;

/// Tiles fetched and decoded together by one step of a window read (at most 256 MiB of
/// 256² `u32` tiles held at once).
const BATCH_TILES: usize = 1024;

/// A tile of the window, the stored tile that holds it, and whether to transpose that one.
type Placement = ((u32, u32), (u32, u32), bool);

/// The cells of `rows × cols` as a dense tile-shaped array (any size within the matrix).
///
/// # Errors
/// [`ContainerError::WindowOutOfBounds`] for ranges that are reversed or leave the matrix,
/// [`ContainerError::WindowTooLarge`] when the window cannot be addressed in memory, and any
/// error of reading the tiles it overlaps.
pub(crate) fn read(tiles: &TileFetcher, rows: Range<u64>, cols: Range<u64>) -> Result<TileData> {
    let (h, w) = check(tiles.grid().rows(), tiles.grid().cols(), &rows, &cols)?;
    match tiles.dtype() {
        Dtype::F32 => {
            let mut out = zeros::<f32>(h, w)?;
            fill(tiles, &rows, &cols, &mut out, |t| match t {
                TileData::F32(a) => Some(a.view()),
                TileData::U32(_) => None,
            })?;
            Ok(TileData::F32(out))
        }
        _ => {
            let mut out = zeros::<u32>(h, w)?;
            fill(tiles, &rows, &cols, &mut out, |t| match t {
                TileData::U32(a) => Some(a.view()),
                TileData::F32(_) => None,
            })?;
            Ok(TileData::U32(out))
        }
    }
}

/// The window's `(height, width)` when it lies within an `nr × nc` matrix and memory can
/// address its cells.
fn check(nr: u64, nc: u64, rows: &Range<u64>, cols: &Range<u64>) -> Result<(usize, usize)> {
    let fits = |r: &Range<u64>, n: u64| r.start <= r.end && r.end <= n;
    if !fits(rows, nr) || !fits(cols, nc) {
        return Err(ContainerError::WindowOutOfBounds {
            rows: rows.clone(),
            cols: cols.clone(),
            shape: (nr, nc),
        });
    }
    let (h, w) = (rows.end - rows.start, cols.end - cols.start);
    // The window is within the matrix, but its cells must also be addressable here.
    let dims = usize::try_from(h).ok().zip(usize::try_from(w).ok());
    match dims.filter(|&(hu, wu)| {
        hu.checked_mul(wu).and_then(|c| c.checked_mul(4)).is_some_and(|b| b <= isize::MAX as usize)
    }) {
        Some(dims) => Ok(dims),
        None => Err(ContainerError::WindowTooLarge { rows: h, cols: w }),
    }
}

fn fill<T: Copy>(
    tiles: &TileFetcher,
    rows: &Range<u64>,
    cols: &Range<u64>,
    out: &mut Array2<T>,
    view: impl Fn(&TileData) -> Option<ArrayView2<'_, T>>,
) -> Result<()> {
    let grid = *tiles.grid();
    let tile_cols: Vec<u32> = grid.tiles_over(cols.start, cols.end).collect();
    let tile_rows: Vec<u32> = grid.tiles_over(rows.start, rows.end).collect();
    // Tile rows in batches of at most BATCH_TILES tiles: each batch's missing tiles are
    // fetched together and decoded in parallel; memory stays bounded for huge windows.
    let per_batch = (BATCH_TILES / tile_cols.len().max(1)).max(1);
    for batch in tile_rows.chunks(per_batch) {
        let coords: Vec<Placement> = batch
            .iter()
            .flat_map(|&ti| tile_cols.iter().map(move |&tj| (ti, tj)))
            .map(|(ti, tj)| {
                let transposed = tiles.symmetric() && ti > tj;
                ((ti, tj), if transposed { (tj, ti) } else { (ti, tj) }, transposed)
            })
            .collect();
        let stored: Vec<(u32, u32)> = coords.iter().map(|&(_, stored, _)| stored).collect();
        let tiles = tiles.stored_many(&stored)?;
        for ((ti, tj), stored, transposed) in coords {
            let Some(tile) = tiles.get(&stored) else { continue };
            let Some(src) = view(tile) else { continue };
            let src = if transposed { src.reversed_axes() } else { src };
            let (r0, c0) = grid.origin(ti, tj);
            let (shape_r, shape_c) = src.dim();
            // Intersection of the tile with the window, in matrix coordinates.
            let rs = rows.start.max(r0)..rows.end.min(r0 + shape_r as u64);
            let cs = cols.start.max(c0)..cols.end.min(c0 + shape_c as u64);
            let local = |r: &Range<u64>, base: u64| {
                usize::try_from(r.start - base).unwrap_or(0)..usize::try_from(r.end - base).unwrap_or(0)
            };
            let block = src.slice(s![local(&rs, r0), local(&cs, c0)]);
            out.slice_mut(s![local(&rs, rows.start), local(&cs, cols.start)]).assign(&block);
        }
    }
    Ok(())
}

/// A zeroed `h × w` array, or [`ContainerError::WindowTooLarge`] when memory cannot hold it
/// (the window's size comes from the caller, bounded only by the file's declared shape).
fn zeros<T: Copy + Default>(h: usize, w: usize) -> Result<Array2<T>> {
    let too_large = || ContainerError::WindowTooLarge { rows: h as u64, cols: w as u64 };
    let cells = h.checked_mul(w).ok_or_else(too_large)?;
    let mut buffer = Vec::new();
    buffer.try_reserve_exact(cells).map_err(|_| too_large())?;
    buffer.resize(cells, T::default());
    Array2::from_shape_vec((h, w), buffer).map_err(|_| too_large())
}
