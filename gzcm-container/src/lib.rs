//! The `.gzcm` container (SPEC §1–§5, §7 recording): a streaming writer, a memory-mapped
//! random-access reader, and a byte-bounded tile cache.
//!
//! # API summary
//!
//! **Writing** — [`Writer::builder(path, rows, cols)`](Writer::builder) returns a
//! [`WriterBuilder`]; set `.version(1..=4)` (default 3), `.tile_size(16..=4096)` (default 256),
//! `.dtype(Dtype::U32 | Dtype::F32)`, `.symmetric(bool)`, the codec (`.codec("zstd")` by registry
//! name, `.typed_codec(Zstd::default())` by type, or `.codec_picker(|stats: &TileStats| name)`
//! per tile), `.encode_options(..)` (all by-name codecs) and `.codec_options(name, ..)` (one codec,
//! e.g. the zstd level next to lz4, which takes none), `.metadata(Metadata)`, `.overwrite(bool)`,
//! `.registry(Arc<Registry>)` (default: snapshot of the process-wide registry),
//! `.progress(|p: Progress| ..)` (after every band), for v4 `.regions(Vec<Value>)` and
//! `.codec_picker_record(Value)`, and for v3/v4 `.genome(Genome)` (chromosomes, bins, weight
//! vectors; docs/format.md §24). Then one of:
//! - `.create()?` → [`Writer`]: `push(row, col, value)` with rows non-decreasing (COO sorted by
//!   row), and/or `push_row(row, &values)` (dense rows), then `finish()?` → [`WriteSummary`]
//!   (tiles, bytes, ratio, seconds, per-codec counts);
//! - `.create_unsorted()?` → [`UnsortedWriter`]: `push` in any order (spilled to sorted runs next
//!   to the output; `.spill_cells(n)` bounds memory), then `finish()?`;
//! - `.write_array(view)?` for an in-memory matrix.
//!
//! Values are `u32` or `f32` and must match the dtype. Zero values are skipped. Symmetric input
//! may use either triangle; a cell given twice must agree. The output appears atomically
//! (temporary file in the target directory, fsync, rename); an existing file is never replaced
//! without `.overwrite(true)`; a dropped or failed writer leaves nothing behind.
//!
//! **Reading** — [`Reader::open(path)`](Reader::open) or
//! [`Reader::open_with(path, ReaderOptions)`](Reader::open_with) (`.cache_bytes(n)`, 0 disables,
//! default 256 MiB; `.verify_crc(bool)`, default on; `.registry(..)`;
//! `.allow_missing_codecs(true)` for `info` on files whose codecs are absent). The reader is
//! `Send + Sync`. Then:
//! - [`tile(i, j)`](Reader::tile) → [`TileData`] at its true shape (mirrored below the diagonal
//!   of symmetric files, zeros where nothing is stored);
//! - [`window(rows, cols)`](Reader::window) → dense [`TileData`] for `Range<u64>` windows;
//! - [`info()`](Reader::info) → [`Info`]; [`verify()`](Reader::verify) → [`VerifyReport`];
//! - [`stored_tiles()`](Reader::stored_tiles) (index entries) and [`tiles()`](Reader::tiles)
//!   (decoded); `header()`, `version()`, `dtype()`, `shape()`, `tile_size()`, `tile_grid()`,
//!   `symmetric()`, `cache_stats()`;
//! - [`genome()`](Reader::genome), [`weights(name)`](Reader::weights),
//!   [`weight_names()`](Reader::weight_names) for files with genome data (validated at open),
//!   and [`balanced_window(rows, cols, name, meaning)`](Reader::balanced_window) → float64
//!   `count · w_i · w_j`.
//!
//! **Several resolutions** (format revision collection-1, docs/format.md "Multi-resolution
//! collections") — one file may hold any number of resolutions of one genome, each a complete
//! single-resolution member:
//! - [`CollectionWriter::create(path, overwrite)`](CollectionWriter::create), then per
//!   resolution write an ordinary packed file with fixed bins (any writer or conversion; e.g.
//!   to [`scratch_path(R)`](CollectionWriter::scratch_path)) and
//!   [`add(R, file)`](CollectionWriter::add) it, then [`finish()`](CollectionWriter::finish)
//!   → [`CollectionSummary`]. Conversions write a plain single-resolution file when there is
//!   one resolution.
//! - [`Collection::open(path)`](Collection::open) (or `open_with`, `open_source`) →
//!   [`resolutions()`](Collection::resolutions), [`chroms()`](Collection::chroms),
//!   [`genome_at(R)`](Collection::genome_at), [`reader(R)`](Collection::reader) → [`Reader`],
//!   [`verify()`](Collection::verify) → [`CollectionReport`]. Over object storage, opening
//!   costs at most two requests and each further resolution at most one.
//! - [`GzcmFile::open`] opens either kind; [`open_resolution(path, Option<R>, options)`](open_resolution)
//!   is the one rule for "this file at this resolution" (a collection without a resolution is
//!   [`ContainerError::ResolutionRequired`], never a silent pick); [`split_resolution`] parses
//!   cooler's `FILE::/resolutions/R`. [`Reader::resolution`] is a single file's bin size.
//!   [`Reader::open`] on a collection is `ResolutionRequired` too.
//!
//! **Registry** — writer and reader take codecs from the registry they are given, else from a
//! snapshot of the process-wide one taken at `create`/`open` through
//! `gzcm_codecs::global_registry()`, the same route as `gzcm::get_codec`: the built-ins, every
//! `#[codec]` of a linked crate, and codecs registered at run time. That route is the default
//! cargo feature `builtin-codecs`; with `default-features = false` the container does not
//! depend on `gzcm-codecs`, and the default registry is `gzcm_core`'s process-wide one (linked
//! and run-time codecs only) — or give `.registry(..)` explicitly.
//!
//! **Layout** — [`format`](mod@format) is the file format as pure functions over bytes (no I/O); [`read`]
//! and the crate-private `write` use it and never each other. `scripts/module-graph
//! gzcm-container` prints the module imports and fails on a circle.
//!
//! **Scale** — `examples/scale.rs` writes a 200 000-bin symmetric map (83 574 tiles, 7.8 M
//! non-zeros): sorted input peaks at about 22 MiB resident; unsorted input adds its
//! spill buffer (`.spill_cells`, default 4 Mi cells ≈ 96 MiB).
//!
//! **Errors** — [`ContainerError`] (with [`FormatError`] for malformed files); every variant
//! carries typed fields, e.g. [`ContainerError::CrcMismatch`] names the tile.
//!
//! # Example
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use gzcm_container::{Reader, ReaderOptions, Writer};
//! use gzcm_core::{Registry, TileData};
//!
//! # let mut registry = Registry::empty();
//! # gzcm_codecs::register_builtins(&mut registry)?;
//! let registry = Arc::new(registry);
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("m.gzcm");
//! let mut writer = Writer::builder(&path, 40, 40)
//!     .tile_size(16)
//!     .symmetric(true)
//!     .codec("lz4")
//!     .registry(Arc::clone(&registry))
//!     .create()?;
//! writer.push(0, 3, 5u32)?;
//! writer.push(20, 39, 7u32)?;
//! let summary = writer.finish()?;
//! assert_eq!(summary.tiles_stored, 2);
//!
//! let reader = Reader::open_with(&path, ReaderOptions::new().registry(registry))?;
//! let TileData::U32(cells) = reader.window(0..40, 0..40)? else { unreachable!() };
//! assert_eq!((cells[[3, 0]], cells[[0, 3]], cells[[39, 20]]), (5, 5, 7));
//! assert!(reader.verify().is_ok());
//! # Ok(())
//! # }
//! ```

pub mod error;
pub mod format;
pub mod read;
mod registry;
pub mod resolution_uri;
mod write;

pub use error::ContainerError;
pub use format::collection::{
    ChromSize, CollectionError, CollectionGenome, CollectionHeader, MemberInputError, ResolutionEntry,
};
pub use format::error::{FormatError, GroupError, PackedIndexError};
pub use format::genome::{
    BalanceOptionsRecord, BalanceRecord, ExpectedRecord, ExpectedTableError, GenomeBlockError, RowProblem,
    StoredExpected, WeightRecord, weights_crc32c,
};
pub use format::geometry::{DEFAULT_TILE_SIZE, Grid, GridError, TileOrder};
pub use format::header::{
    BARE_PACKED_INDEX_DTYPE, CodecEntry, CodecRecord, GROUPED_INDEX_DTYPE, Header, Metadata,
    PACKED_INDEX_DTYPE,
};
pub use format::index::TileRecord;
pub use format::integrity::Integrity;
pub use gzcm_core::TileData;
pub use gzcm_genome::{
    Bins, Chrom, Genome, GenomeError, RegionError, ResolvedRegion, WeightMeaning, WeightVector,
};
pub use read::cache::{CacheStats, DEFAULT_CACHE_BYTES};
pub use read::collection::{Collection, CollectionReport, MemberReport};
pub use read::fetch::TileEntry;
pub use read::file::{GzcmFile, open_resolution, open_source_resolution};
pub use read::reader::{DEFAULT_COALESCE_GAP, Reader, ReaderOptions};
pub use read::source::{ByteSource, DEFAULT_FIRST_READ_BYTES, MappedFile};
pub use read::verify::{CodecUsage, Info, TileFailure, VerifyReport};
pub use resolution_uri::{ResolutionUriError, split_resolution};
pub use write::builder::WriterBuilder;
pub use write::collection::{CollectionSummary, CollectionWriter};
pub use write::encode::{CodecPicker, TileStats};
pub use write::report::{Progress, ProgressFn, WriteSummary};
pub use write::reweight::{ExpectedAt, StoreSummary, StoredWeight, WeightsAt, store_expected, store_weights};
pub use write::settings::{DEFAULT_CODEC, DEFAULT_VERSION};
pub use write::unsorted::UnsortedWriter;
pub use write::writer::Writer;
