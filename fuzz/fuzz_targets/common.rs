//! Shared by the targets: the built-in registry and a scratch file per process.
#![allow(dead_code, reason = "each target uses part of these helpers")]

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use gzcm_core::Registry;

/// The built-in codecs, registered once.
pub fn registry() -> Arc<Registry> {
    static REGISTRY: OnceLock<Arc<Registry>> = OnceLock::new();
    Arc::clone(REGISTRY.get_or_init(|| {
        let mut registry = Registry::empty();
        gzcm_codecs::register_builtins(&mut registry).expect("built-ins register");
        Arc::new(registry)
    }))
}

/// Writes `data` to this process's scratch file (in memory-backed /dev/shm when present) and
/// returns its path; the readers under test take paths.
pub fn scratch_file(name: &str, data: &[u8]) -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let shm = std::path::Path::new("/dev/shm");
        if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.expect("scratch dir")
    });
    let path = dir.path().join(name);
    std::fs::write(&path, data).expect("scratch write");
    path
}
