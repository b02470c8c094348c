//! The codec registry a reader or writer uses when it is given none.

use std::sync::Arc;

use gzcm_core::Registry;

/// A snapshot of the process-wide registry, taken at `open`/`create`, through
/// `gzcm_codecs::global_registry()`: the same route as `gzcm::get_codec`, with the built-ins,
/// every `#[codec]` of a linked crate, and codecs registered at run time.
pub(crate) fn default_registry() -> Arc<Registry> {
    Arc::new(gzcm_codecs::global_registry())
}
