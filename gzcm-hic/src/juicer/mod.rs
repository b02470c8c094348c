//! Juicer `.hic` files.
//!
//! SCAFFOLD: the Juicer helper replaces this module.

use std::path::Path;

use crate::error::HicError;
use crate::open::OpenOptions;
use crate::source::HicSource;

pub(crate) fn open(path: &Path, _options: &OpenOptions) -> Result<Box<dyn HicSource>, HicError> {
    Err(HicError::Juicer { path: path.to_owned(), detail: ".hic reader not built yet".into() })
}
