//! A region read in strips of one tile row: memory stays at one strip, and strips end on tile
//! boundaries so each tile is decoded once.

use std::ops::Range;

use anyhow::Context;
use gzcm::TileData;
use gzcm_container::Reader;

/// The region `rows × cols` of `reader` as `(first row, cells)` strips, top to bottom.
pub(crate) fn strips(
    reader: &Reader,
    rows: Range<u64>,
    cols: Range<u64>,
) -> impl Iterator<Item = anyhow::Result<(u64, TileData)>> + '_ {
    let strip = u64::from(reader.tile_size());
    let mut start = rows.start;
    std::iter::from_fn(move || {
        if start >= rows.end {
            return None;
        }
        let end = ((start / strip + 1) * strip).min(rows.end);
        let cells = reader
            .window(start..end, cols.clone())
            .with_context(|| format!("cannot read rows {start}:{end}"));
        let row0 = start;
        start = end;
        Some(cells.map(|cells| (row0, cells)))
    })
}
