//! HiGlass tile ids: `UUID.Z.X.Y` or `UUID.Z.X.Y.TRANSFORM` (clodius's cooler tiles), parsed
//! strictly: decimal non-negative numbers, nothing more.

use crate::error::TileError;

/// Which values a tile holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transform<'a> {
    /// `default` (or no transform part): balanced with `weight` when the resolution has that
    /// vector, else raw counts (clodius's rule).
    Default,
    /// `none`: raw counts.
    Raw,
    /// A weight vector by name: count · w_i · w_j.
    Named(&'a str),
}

/// A parsed tile id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TileId<'a> {
    /// The tileset.
    pub uuid: &'a str,
    /// Zoom level: 0 is the coarsest resolution.
    pub zoom: u64,
    /// Tile column: genome-wide bins `x·256 .. (x+1)·256` of the first axis.
    pub x: u64,
    /// Tile row: the same along the second axis.
    pub y: u64,
    /// The values asked for.
    pub transform: Transform<'a>,
}

/// Parses `UUID.Z.X.Y[.TRANSFORM]`.
///
/// # Errors
/// [`TileError::BadTileId`] for anything else: missing or extra parts, an empty id or
/// transform, numbers that are not plain decimal digits (signs, spaces, `0x`) or exceed `u64`.
pub fn parse_tile_id(id: &str) -> Result<TileId<'_>, TileError> {
    let bad = |reason| TileError::BadTileId { id: id.to_owned(), reason };
    let parts: Vec<&str> = id.split('.').collect();
    if !(4..=5).contains(&parts.len()) {
        return Err(bad("it does not have 4 or 5 dot-separated parts"));
    }
    if parts[0].is_empty() {
        return Err(bad("the tileset id is empty"));
    }
    let number = |text: &str| -> Result<u64, TileError> {
        if text.is_empty() || text.len() > 20 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("zoom, x and y must be non-negative decimal numbers"));
        }
        text.parse().map_err(|_| bad("a number is too large"))
    };
    let transform = match parts.get(4) {
        None | Some(&"default") => Transform::Default,
        Some(&"none") => Transform::Raw,
        Some(&"") => return Err(bad("the transform is empty")),
        Some(name) => Transform::Named(name),
    };
    Ok(TileId {
        uuid: parts[0],
        zoom: number(parts[1])?,
        x: number(parts[2])?,
        y: number(parts[3])?,
        transform,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_with_and_without_a_transform() {
        let id = parse_tile_id("a-b_c.2.10.3").unwrap();
        assert_eq!((id.uuid, id.zoom, id.x, id.y, id.transform), ("a-b_c", 2, 10, 3, Transform::Default));
        assert_eq!(parse_tile_id("u.0.0.0.weight").unwrap().transform, Transform::Named("weight"));
        assert_eq!(parse_tile_id("u.0.0.0.none").unwrap().transform, Transform::Raw);
        assert_eq!(parse_tile_id("u.0.0.0.default").unwrap().transform, Transform::Default);
    }

    #[test]
    fn malformed_ids_are_refused() {
        for id in [
            "u.-1.0.0",
            "u.0.0",
            "u.0.0.0.weight.x",
            ".0.0.0",
            "u.0.0.0.",
            "u.a.0.0",
            "u.0.+1.0",
            "u.0. 1.0",
            "u.0.0x1.0",
            "u.0.0.99999999999999999999",
            "u.0.0.123456789012345678901",
            "",
        ] {
            assert!(matches!(parse_tile_id(id), Err(TileError::BadTileId { .. })), "{id}");
        }
    }
}
