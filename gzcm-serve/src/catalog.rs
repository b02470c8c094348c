//! The files served ([`Catalog`]): each opened once as a [`Tileset`] under an id made from its
//! name, sharing one tile-cache budget; tile requests resolved against them.

use std::path::{Path, PathBuf};

use gzcm_container::{GzcmFile, ReaderOptions};
use rayon::prelude::*;
use serde_json::{Map, Value, json};

use crate::encode::encode_dense;
use crate::error::{OpenError, TileError};
use crate::tile_id::parse_tile_id;
use crate::tileset::Tileset;

/// At most this many tiles in one request (the HiGlass server's `TILE_LIMIT`).
pub const MAX_TILES_PER_REQUEST: usize = 1000;

/// The tilesets a server offers.
#[derive(Debug)]
pub struct Catalog {
    tilesets: Vec<Tileset>,
}

/// The id a file is served under: its name without the extension, with every character other
/// than ASCII letters, digits, `-` and `_` replaced by `_` (tile ids split on dots).
#[must_use]
pub fn tileset_id(path: &Path) -> String {
    let stem = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let id: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .collect();
    if id.is_empty() { "tileset".to_owned() } else { id }
}

impl Catalog {
    /// Opens every file in `paths`, each served under [`tileset_id`] of its name; the decoded
    /// tiles kept in memory stay within `cache_bytes` in all (shared evenly by the
    /// resolutions).
    ///
    /// # Errors
    /// [`OpenError::NoFiles`]; [`OpenError::DuplicateId`] when two names give one id; the
    /// errors of [`Tileset::open`].
    pub fn open(paths: &[PathBuf], cache_bytes: usize) -> Result<Catalog, OpenError> {
        if paths.is_empty() {
            return Err(OpenError::NoFiles);
        }
        let mut levels = 0usize;
        for path in paths {
            levels += GzcmFile::open(path)?.resolutions().len().max(1);
        }
        // A tile reads a few stored tiles: decoding them on the request's own thread beats
        // spawning threads per read; requests, and the tiles of a batch, run in parallel.
        let options = ReaderOptions::new().cache_bytes(cache_bytes / levels.max(1)).decode_threads(1);
        let mut tilesets: Vec<Tileset> = Vec::with_capacity(paths.len());
        for path in paths {
            let uuid = tileset_id(path);
            if tilesets.iter().any(|t| t.uuid() == uuid) {
                return Err(OpenError::DuplicateId { uuid });
            }
            tilesets.push(Tileset::open(path, &uuid, &options)?);
        }
        Ok(Catalog { tilesets })
    }

    /// The tilesets, in the order given.
    #[must_use]
    pub fn tilesets(&self) -> &[Tileset] {
        &self.tilesets
    }

    /// The tileset served as `uuid`.
    #[must_use]
    pub fn get(&self, uuid: &str) -> Option<&Tileset> {
        self.tilesets.iter().find(|t| t.uuid() == uuid)
    }

    /// `/api/v1/tileset_info/?d=…`: each id's info as the HiGlass server gives it
    /// ([`Tileset::info`] with `name`, `datatype` `matrix`, `coordSystem`, `coordSystem2`).
    ///
    /// # Errors
    /// [`TileError::UnknownTileset`] for an id not served here.
    pub fn tileset_info<'a>(&self, uuids: impl IntoIterator<Item = &'a str>) -> Result<Value, TileError> {
        let mut out = Map::new();
        for uuid in uuids {
            let tileset =
                self.get(uuid).ok_or_else(|| TileError::UnknownTileset { uuid: uuid.to_owned() })?;
            let mut info = tileset.info();
            let system = tileset.assembly().unwrap_or("");
            info["name"] = Value::from(tileset.name());
            info["datatype"] = Value::from("matrix");
            info["coordSystem"] = Value::from(system);
            info["coordSystem2"] = Value::from(system);
            out.insert(uuid.to_owned(), info);
        }
        Ok(Value::Object(out))
    }

    /// `/api/v1/tiles/?d=…`: every tile asked for, keyed by its id as asked, encoded as
    /// HiGlass reads it. Every id is checked before any tile is read; the tiles are read in
    /// parallel (rayon).
    ///
    /// # Errors
    /// [`TileError::TooManyTiles`]; the first bad id's error ([`parse_tile_id`],
    /// [`TileError::UnknownTileset`], those of [`Tileset::tile`]).
    pub fn tiles<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> Result<Value, TileError> {
        let mut ids: Vec<&str> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() > MAX_TILES_PER_REQUEST {
            return Err(TileError::TooManyTiles { count: ids.len(), limit: MAX_TILES_PER_REQUEST });
        }
        let parsed = ids
            .iter()
            .map(|&text| {
                let id = parse_tile_id(text)?;
                let tileset = self
                    .get(id.uuid)
                    .ok_or_else(|| TileError::UnknownTileset { uuid: id.uuid.to_owned() })?;
                Ok((text, id, tileset))
            })
            .collect::<Result<Vec<_>, TileError>>()?;
        let encoded = parsed
            .into_par_iter()
            .map(|(text, id, tileset)| {
                let values = tileset.tile(&id, text)?;
                Ok((text.to_owned(), encode_dense(&values).to_json()))
            })
            .collect::<Result<Vec<_>, TileError>>()?;
        Ok(Value::Object(encoded.into_iter().collect::<Map<_, _>>()))
    }

    /// `/api/v1/tilesets/`: the HiGlass server's list (`count`, `next`, `previous`,
    /// `results`), every tileset a `cooler` file of datatype `matrix`; `t` and `dt` filter by
    /// file type and datatype as the server does.
    #[must_use]
    pub fn list(&self, filetype: Option<&str>, datatype: Option<&str>) -> Value {
        let wanted = filetype.is_none_or(|t| t == "cooler") && datatype.is_none_or(|d| d == "matrix");
        let results: Vec<Value> = self
            .tilesets
            .iter()
            .filter(|_| wanted)
            .map(|t| {
                json!({
                    "uuid": t.uuid(),
                    "name": t.name(),
                    "datafile": t.name(),
                    "filetype": "cooler",
                    "datatype": "matrix",
                    "coordSystem": t.assembly().unwrap_or(""),
                    "coordSystem2": t.assembly().unwrap_or(""),
                    "description": "",
                    "private": false,
                    "project_name": "",
                })
            })
            .collect();
        json!({"count": results.len(), "next": null, "previous": null, "results": results})
    }
}
