//! Writing matrices out: `.tsv` triples (as `cooler dump`) and dense `.npy` regions, to any
//! writer or atomically to a file.

mod atomic;
mod npy;
mod tsv;

use std::path::Path;

pub use atomic::AtomicFile;
pub use npy::{write_npy, write_npy_header, write_npy_preamble, write_npy_rows};
pub use tsv::{write_tsv_line, write_tsv_region};

/// An output format, chosen from a file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OutputFormat {
    /// `bin1<TAB>bin2<TAB>value` lines.
    Tsv,
    /// A dense `.npy` array.
    Npy,
}

impl OutputFormat {
    /// The format for a path: `.npy` is dense, anything else (`.tsv`, `.txt`, none) is TSV.
    #[must_use]
    pub fn for_path(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("npy") => OutputFormat::Npy,
            _ => OutputFormat::Tsv,
        }
    }
}
