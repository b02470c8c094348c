//! cooler `.cool` / `.mcool` files (HDF5).
//!
//! SCAFFOLD: the cooler helper replaces this module.

use std::path::Path;

use crate::error::HicError;
use crate::open::{FileKind, OpenOptions};
use crate::source::HicSource;

pub(crate) fn kind(path: &Path) -> Result<FileKind, HicError> {
    Err(HicError::Cool { path: path.to_owned(), detail: "cooler reader not built yet".into() })
}

pub(crate) fn open(
    path: &Path,
    _group: Option<&str>,
    _options: &OpenOptions,
) -> Result<Box<dyn HicSource>, HicError> {
    Err(HicError::Cool { path: path.to_owned(), detail: "cooler reader not built yet".into() })
}
