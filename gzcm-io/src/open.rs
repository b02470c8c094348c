//! One entry point for every input: a path to COO text or `.npy` data, or a synthetic spec.

use std::path::Path;

use crate::coo::{CooOptions, CooSource};
use crate::error::SourceError;
use crate::npy::NpySource;
use crate::source::{CellStream, Shape, SourceInfo, TripleStream};
use crate::synthetic::SyntheticMap;
use crate::value::CellValue;

/// What the caller knows about an input; whatever is `None` is inferred (see each source).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OpenOptions {
    /// The matrix shape (COO text only; `.npy` and synthetic maps carry their own).
    pub shape: Option<Shape>,
    /// Whether the matrix is symmetric.
    pub symmetric: Option<bool>,
}

/// Any matrix source gzcm reads.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum MatrixSource {
    /// COO text, optionally gzip-compressed.
    Coo(CooSource),
    /// Dense `.npy`, optionally zstd-compressed.
    Npy(NpySource),
    /// A synthetic map from a `synthetic:N…` spec.
    Synthetic(SyntheticMap),
}

impl MatrixSource {
    /// Opens `input`: a `synthetic:` spec, a `.npy` file (recognised by its magic string, under
    /// zstd or not), or else COO text (under gzip or not).
    ///
    /// # Errors
    /// As [`CooSource::open`], [`NpySource::open`] and [`SyntheticMap::from_spec`]; a shape
    /// given for an input that carries its own and differs from it is [`SourceError::BadShape`].
    pub fn open(input: &str, options: OpenOptions) -> Result<Self, SourceError> {
        let source = if SyntheticMap::is_spec(input) {
            MatrixSource::Synthetic(SyntheticMap::from_spec(input)?)
        } else if looks_like_npy(Path::new(input))? {
            MatrixSource::Npy(NpySource::open(Path::new(input), options.symmetric)?)
        } else {
            let coo = CooOptions { shape: options.shape, symmetric: options.symmetric };
            return Ok(MatrixSource::Coo(CooSource::open(Path::new(input), coo)?));
        };
        check_declared(&source, options)?;
        Ok(source)
    }

    /// What the source holds.
    #[must_use]
    pub fn info(&self) -> &SourceInfo {
        match self {
            MatrixSource::Coo(s) => s.info(),
            MatrixSource::Npy(s) => s.info(),
            MatrixSource::Synthetic(s) => s.info(),
        }
    }

    /// The cells in the source's natural layout, converted to `T`. Each call reads anew.
    ///
    /// # Errors
    /// [`SourceError::Io`] when the input cannot be reopened; later errors arrive in the stream.
    pub fn cells<T: CellValue>(&self) -> Result<CellStream<T>, SourceError> {
        match self {
            MatrixSource::Coo(s) => s.cells(),
            MatrixSource::Npy(s) => s.cells(),
            MatrixSource::Synthetic(s) => Ok(s.cells()),
        }
    }

    /// The non-zero cells as triples whatever the layout (the upper triangle only for a
    /// symmetric source).
    ///
    /// # Errors
    /// As [`MatrixSource::cells`].
    pub fn triples<T: CellValue>(&self) -> Result<TripleStream<T>, SourceError> {
        Ok(self.cells()?.into_triples(self.info().symmetric))
    }
}

fn looks_like_npy(path: &Path) -> Result<bool, SourceError> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    Ok(name.ends_with(".npy") || name.ends_with(".npy.zst") || crate::npy::has_npy_magic(path)?)
}

fn check_declared(source: &MatrixSource, options: OpenOptions) -> Result<(), SourceError> {
    let info = source.info();
    if let Some(shape) = options.shape.filter(|&s| s != info.shape) {
        return Err(SourceError::BadShape {
            rows: shape.rows.into(),
            cols: shape.cols.into(),
            reason: "the input carries its own shape, which differs",
        });
    }
    if options.symmetric == Some(false) && matches!(source, MatrixSource::Synthetic(_)) {
        return Err(SourceError::BadShape {
            rows: info.shape.rows.into(),
            cols: info.shape.cols.into(),
            reason: "a synthetic map is always symmetric",
        });
    }
    Ok(())
}
