//! HiGlass tiles from `.gzcm` files, with clodius's semantics for cooler matrices, and the
//! HiGlass server API over HTTP.
//!
//! - [`Tileset`]: one file (single- or multi-resolution) with genomic bins of fixed size;
//!   zoom level z is its z-th resolution from the coarsest; [`Tileset::info`] is clodius's
//!   tileset info of an `.mcool`, [`Tileset::tile`] a 256×256 tile in genome-wide
//!   coordinates as float32 values (raw, or balanced with a weight vector: the transforms);
//! - [`encode_dense`]: a tile as HiGlass reads it (base64 float16 when it fits, else float32,
//!   with `min_value`/`max_value`);
//! - [`parse_tile_id`]: `UUID.Z.X.Y[.TRANSFORM]`, strictly;
//! - [`Catalog`]: the files served, under ids made from their names ([`tileset_id`]), with
//!   one bounded tile cache budget; the API's answers as JSON values;
//! - [`router`] and [`serve`]: the HTTP layer (axum on tokio), and [`Assets`], the viewer
//!   page's files served from memory.
//!
//! Errors are typed: [`OpenError`] when a file cannot be served, [`TileError`] (with its HTTP
//! status) when a request is refused.
//!
//! ```no_run
//! use gzcm_serve::{Catalog, encode_dense, parse_tile_id};
//!
//! let catalog = Catalog::open(&["yeast.gzcm".into()], 64 << 20)?;
//! let tileset = catalog.get("yeast").unwrap();
//! let id = parse_tile_id("yeast.0.0.0.weight")?;
//! let values = tileset.tile(&id, "yeast.0.0.0.weight")?;
//! println!("{}", encode_dense(&values).to_json());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]

mod assets;
mod axis;
mod catalog;
mod encode;
mod error;
mod http;
mod tile_id;
mod tileset;

pub use assets::{Asset, Assets, AssetsError, MAX_ASSET_BYTES};
pub use catalog::{Catalog, MAX_TILES_PER_REQUEST, tileset_id};
pub use encode::{DenseTile, DenseType, encode_dense};
pub use error::{OpenError, TileError};
pub use http::{router, serve};
pub use tile_id::{TileId, Transform, parse_tile_id};
pub use tileset::{MAX_TILE_READ_BINS, TILE_BINS, Tileset};
