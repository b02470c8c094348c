//! The viewer page's static files ([`Assets`]): read once at start from one directory (its
//! regular files with plain names, not its subdirectories), then served from memory by exact
//! name. A request never names a path on disk, so nothing outside that directory can be read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The largest file served (the viewer bundle is a few MiB).
pub const MAX_ASSET_BYTES: u64 = 64 << 20;

/// Why the page's directory could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AssetsError {
    /// The directory or a file in it could not be read.
    #[error("cannot read the viewer page's files in `{}`: {source}", path.display())]
    Io {
        /// The directory or file.
        path: PathBuf,
        /// What failed.
        #[source]
        source: std::io::Error,
    },
    /// The directory has no `index.html`.
    #[error("`{}` has no index.html; build the viewer page with scripts/web-build", dir.display())]
    NoIndex {
        /// The directory.
        dir: PathBuf,
    },
}

/// One file: its content type and bytes.
#[derive(Debug)]
pub struct Asset {
    /// The `Content-Type` it is served with.
    pub content_type: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The page's files, by name.
#[derive(Debug)]
pub struct Assets {
    files: HashMap<String, Asset>,
}

/// Whether `name` is a plain file name served: ASCII letters, digits, `.`, `-`, `_`, not
/// starting with a dot.
fn plain(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_')
}

/// The content type of a file by its extension.
fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, e)| e) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("ttf") => "font/ttf",
        _ => "application/octet-stream",
    }
}

impl Assets {
    /// Reads the regular files of `dir` (not following links, not descending) with plain
    /// names of at most [`MAX_ASSET_BYTES`].
    ///
    /// # Errors
    /// [`AssetsError::Io`]; [`AssetsError::NoIndex`] without `index.html`.
    pub fn load(dir: &Path) -> Result<Assets, AssetsError> {
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| AssetsError::Io { path, source }
        };
        let mut files = HashMap::new();
        for entry in std::fs::read_dir(dir).map_err(io(dir))? {
            let entry = entry.map_err(io(dir))?;
            let meta = entry.metadata().map_err(io(&entry.path()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !meta.file_type().is_file() || !plain(&name) || meta.len() > MAX_ASSET_BYTES {
                continue;
            }
            let bytes = std::fs::read(entry.path()).map_err(io(&entry.path()))?;
            files.insert(name.clone(), Asset { content_type: content_type(&name), bytes });
        }
        if !files.contains_key("index.html") {
            return Err(AssetsError::NoIndex { dir: dir.to_owned() });
        }
        Ok(Assets { files })
    }

    /// The file named exactly `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Asset> {
        self.files.get(name)
    }

    /// How many files are served.
    #[must_use]
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file is served (never, once loaded: `index.html` is required).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}
