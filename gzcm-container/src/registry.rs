//! The codec registry a reader or writer uses when it is given none.

use std::sync::Arc;

use gzcm_core::Registry;

/// A snapshot of the process-wide registry, taken at `open`/`create`. With the default
/// `builtin-codecs` feature it goes through `gzcm_codecs::global_registry()`, the same route
/// as `gzcm::get_codec`: the built-ins, every `#[codec]` of a linked crate, and codecs
/// registered at run time. Without the feature it is `gzcm_core`'s process-wide registry as
/// it stands: the linked codecs and those registered at run time.
pub(crate) fn default_registry() -> Arc<Registry> {
    #[cfg(feature = "builtin-codecs")]
    let registry = gzcm_codecs::global_registry();
    #[cfg(not(feature = "builtin-codecs"))]
    let registry = gzcm_core::registry::with_global(Registry::clone);
    Arc::new(registry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_a_snapshot_of_the_process_wide_registry() {
        let lz4 = gzcm_codecs::builtin_descriptors().into_iter().find(|d| d.name() == "lz4").unwrap();
        // With `builtin-codecs` it is there already; without, it arrives like any run-time codec.
        let _ = gzcm_core::register_codec(lz4);
        assert!(default_registry().get("lz4").is_ok());
    }
}
