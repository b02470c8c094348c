//! Choosing and running the codec for each tile: by name through a registry (framing by the
//! declared wire format), by type (framing fixed at compile time), or per tile through a picker
//! (the hook the v4 codec picker of SPEC §7 plugs into).

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use gzcm_core::{
    CodecHandle, CodecMeta, Dtype, EncodeOptions, Registry, ShapeSource, TileCells, TileContext, TileError,
    TileShape, WireFormat, encode_stored_typed_cells_with,
};

use crate::error::{ContainerError, Result};

/// What a per-tile codec picker sees about a tile before it is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TileStats {
    /// Tile row.
    pub tile_row: u32,
    /// Tile column.
    pub tile_col: u32,
    /// True shape (edge tiles are smaller).
    pub shape: TileShape,
    /// Non-zero cells.
    pub nnz: u32,
    /// Whether the matrix is symmetric.
    pub symmetric: bool,
    /// Cell type.
    pub dtype: Dtype,
}

impl TileStats {
    /// Stats of tile `(tile_row, tile_col)` (for pickers and their tests).
    #[must_use]
    pub fn new(
        tile_row: u32,
        tile_col: u32,
        shape: TileShape,
        nnz: u32,
        symmetric: bool,
        dtype: Dtype,
    ) -> Self {
        TileStats { tile_row, tile_col, shape, nnz, symmetric, dtype }
    }

    /// Tiles between this tile and the diagonal: `|tile_col - tile_row|`.
    #[must_use]
    pub fn diagonal_distance(&self) -> u32 {
        self.tile_row.abs_diff(self.tile_col)
    }

    /// Fraction of non-zero cells, in `0.0..=1.0`.
    #[must_use]
    #[expect(clippy::cast_precision_loss, reason = "a density needs no more than f64 precision")]
    pub fn density(&self) -> f64 {
        f64::from(self.nnz) / self.shape.cells().max(1) as f64
    }
}

/// Picks a codec name for each tile (v4's per-tile codec choice, recorded with the header's
/// `regions`; SPEC §7).
pub type CodecPicker = Arc<dyn Fn(&TileStats) -> String + Send + Sync>;

/// A codec ready to encode and frame tiles.
pub(crate) trait TileStorer: Send + Sync {
    fn name(&self) -> &str;
    fn wire(&self) -> WireFormat;
    fn supports(&self, dtype: Dtype) -> bool;
    /// Encodes and frames the tile given by its cells, opaque payloads as `source` says.
    fn store(
        &self,
        source: ShapeSource,
        tile: TileCells<'_>,
        context: &TileContext,
        out: &mut Vec<u8>,
    ) -> Result<(), TileError>;
}

impl TileStorer for CodecHandle {
    fn name(&self) -> &str {
        self.descriptor().name()
    }
    fn wire(&self) -> WireFormat {
        self.descriptor().wire()
    }
    fn supports(&self, dtype: Dtype) -> bool {
        self.descriptor().supports(dtype)
    }
    fn store(
        &self,
        source: ShapeSource,
        tile: TileCells<'_>,
        context: &TileContext,
        out: &mut Vec<u8>,
    ) -> Result<(), TileError> {
        self.encode_cells_stored_with(source, tile, context, out)
    }
}

/// A codec given by type: framing comes from `C::Wire`, never from a run-time value.
pub(crate) struct Typed<C>(pub(crate) C);

impl<C: CodecMeta + Send + Sync> TileStorer for Typed<C> {
    fn name(&self) -> &str {
        C::NAME
    }
    fn wire(&self) -> WireFormat {
        <C::Wire as gzcm_core::wire::Wire>::FORMAT
    }
    fn supports(&self, dtype: Dtype) -> bool {
        C::supports(dtype)
    }
    fn store(
        &self,
        source: ShapeSource,
        tile: TileCells<'_>,
        context: &TileContext,
        out: &mut Vec<u8>,
    ) -> Result<(), TileError> {
        encode_stored_typed_cells_with(&self.0, source, tile, context, out)
    }
}

/// How the writer chooses codecs.
#[derive(Clone)]
pub(crate) enum CodecChoice {
    /// One codec by registry name.
    Named(String),
    /// One codec by type.
    Typed(Arc<dyn TileStorer>),
    /// A name per tile.
    Picker(CodecPicker),
}

impl CodecChoice {
    /// How the choice reads in a message: the codec's name, or `a per-tile codec picker`.
    pub(crate) fn describe(&self) -> String {
        match self {
            CodecChoice::Named(name) => format!("`{name}`"),
            CodecChoice::Typed(storer) => format!("`{}`", storer.name()),
            CodecChoice::Picker(_) => "a per-tile codec picker".to_owned(),
        }
    }
}

impl std::fmt::Debug for CodecChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodecChoice::Named(name) => write!(f, "Named({name:?})"),
            CodecChoice::Typed(storer) => write!(f, "Typed({:?})", storer.name()),
            CodecChoice::Picker(_) => f.write_str("Picker(..)"),
        }
    }
}

/// The codecs of one write: a fixed codec resolved once at creation (each tile then takes it
/// without a lookup), or a per-tile picker whose names are resolved once each and cached.
pub(crate) enum CodecSet {
    /// One codec for every tile.
    Fixed(Arc<dyn TileStorer>),
    /// A codec name per tile.
    PerTile(PickedCodecs),
}

/// The codecs a per-tile picker names, resolved on first use.
pub(crate) struct PickedCodecs {
    picker: CodecPicker,
    registry: Arc<Registry>,
    options: EncodeOptions,
    per_codec: HashMap<String, EncodeOptions>,
    dtype: Dtype,
    resolved: RwLock<HashMap<String, Arc<dyn TileStorer>>>,
}

impl CodecSet {
    /// Resolves a fixed codec now, so an unknown name fails before any input is read.
    pub(crate) fn new(
        choice: CodecChoice,
        registry: Arc<Registry>,
        options: EncodeOptions,
        per_codec: HashMap<String, EncodeOptions>,
        dtype: Dtype,
    ) -> Result<Self> {
        match choice {
            CodecChoice::Named(name) => {
                let options = per_codec.get(&name).unwrap_or(&options);
                Ok(CodecSet::Fixed(resolve(&registry, &name, options, dtype)?))
            }
            CodecChoice::Typed(storer) => {
                check_dtype(storer.as_ref(), dtype)?;
                Ok(CodecSet::Fixed(storer))
            }
            CodecChoice::Picker(picker) => Ok(CodecSet::PerTile(PickedCodecs {
                picker,
                registry,
                options,
                per_codec,
                dtype,
                resolved: RwLock::new(HashMap::new()),
            })),
        }
    }

    /// The codec for a tile.
    pub(crate) fn for_tile(&self, stats: &TileStats) -> Result<Arc<dyn TileStorer>> {
        match self {
            CodecSet::Fixed(storer) => Ok(Arc::clone(storer)),
            CodecSet::PerTile(picked) => picked.resolve(&(picked.picker)(stats)),
        }
    }
}

impl PickedCodecs {
    fn resolve(&self, name: &str) -> Result<Arc<dyn TileStorer>> {
        let cached = self.resolved.read().unwrap_or_else(PoisonError::into_inner).get(name).cloned();
        if let Some(storer) = cached {
            return Ok(storer);
        }
        let options = self.per_codec.get(name).unwrap_or(&self.options);
        let storer = resolve(&self.registry, name, options, self.dtype)?;
        self.resolved
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(name.to_owned(), Arc::clone(&storer));
        Ok(storer)
    }
}

/// Looks `name` up once and builds its encoder, checking that it stores `dtype`.
fn resolve(
    registry: &Registry,
    name: &str,
    options: &EncodeOptions,
    dtype: Dtype,
) -> Result<Arc<dyn TileStorer>> {
    let handle = CodecHandle::from_registry(registry, name, options)
        .map_err(|source| ContainerError::encoder_setup(name, source))?;
    check_dtype(&handle, dtype)?;
    Ok(Arc::new(handle))
}

fn check_dtype(storer: &dyn TileStorer, dtype: Dtype) -> Result<()> {
    if storer.supports(dtype) {
        Ok(())
    } else {
        Err(ContainerError::option(
            "codec",
            format!("codec `{}` does not store {dtype} tiles; pick another codec", storer.name()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Arc<Registry> {
        let mut registry = Registry::empty();
        gzcm_codecs::register_builtins(&mut registry).unwrap();
        Arc::new(registry)
    }

    #[test]
    fn stats_describe_the_tile() {
        let stats = TileStats {
            tile_row: 2,
            tile_col: 5,
            shape: TileShape::new(10, 20),
            nnz: 50,
            symmetric: true,
            dtype: Dtype::U32,
        };
        assert_eq!(stats.diagonal_distance(), 3);
        assert!((stats.density() - 0.25).abs() < 1e-12);
    }

    #[test]
    fn unknown_names_fail_at_creation_and_pickers_resolve_lazily() {
        let set =
            |choice| CodecSet::new(choice, registry(), EncodeOptions::default(), HashMap::new(), Dtype::F32);
        let err = set(CodecChoice::Named("zstf".into())).err().unwrap();
        assert!(err.to_string().contains("did you mean `zstd`"), "{err}");
        let picker: CodecPicker =
            Arc::new(|s: &TileStats| if s.tile_row == 0 { "lz4".into() } else { "nope".into() });
        let set = set(CodecChoice::Picker(picker)).unwrap();
        let mut stats = TileStats {
            tile_row: 0,
            tile_col: 0,
            shape: TileShape::new(4, 4),
            nnz: 1,
            symmetric: false,
            dtype: Dtype::F32,
        };
        assert_eq!(set.for_tile(&stats).unwrap().name(), "lz4");
        stats.tile_row = 1;
        assert!(matches!(set.for_tile(&stats), Err(ContainerError::Registry(_))));
    }
}
