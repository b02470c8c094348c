//! One entry point: open any supported file from a path or cooler URI.

use std::path::{Path, PathBuf};

use crate::error::HicError;
use crate::source::HicSource;

/// Which balancing vectors to load.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum WeightSelection {
    /// Every vector the file has (cooler: every float column of `bins` but start/end;
    /// Juicer: every normalisation vector at the resolution).
    #[default]
    All,
    /// None.
    None,
    /// These, by name; a missing one is [`HicError::UnknownWeights`].
    Named(Vec<String>),
}

/// How to open a file.
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    /// The resolution in bp (required for `.hic` and for `.mcool` without `::/resolutions/R`,
    /// unless the file has only one).
    pub resolution: Option<u64>,
    /// Only this chromosome's intra-chromosomal matrix (bins renumbered from 0).
    pub chrom: Option<String>,
    /// Which balancing vectors to load.
    pub weights: WeightSelection,
}

/// The formats [`open`] recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A cooler file: HDF5 with a single resolution at the root (or at the URI's group).
    Cool,
    /// A multi-resolution cooler file (`/resolutions/<R>` groups).
    Mcool,
    /// A Juicer `.hic` file.
    Hic,
}

/// Splits `file.mcool::/resolutions/1000` into the path and the group inside the file.
#[must_use]
pub fn split_uri(spec: &str) -> (PathBuf, Option<String>) {
    match spec.split_once("::") {
        Some((path, group)) => (PathBuf::from(path), Some(group.to_owned())),
        None => (PathBuf::from(spec), None),
    }
}

/// Tells a file's kind from its first bytes (not its name).
///
/// # Errors
/// [`HicError::Io`] when it cannot be read; [`HicError::UnknownFormat`] for anything else.
pub fn detect(path: &Path) -> Result<FileKind, HicError> {
    use std::io::Read;
    let io = |source| HicError::Io { path: path.to_owned(), source };
    let mut head = [0u8; 8];
    let mut file = std::fs::File::open(path).map_err(io)?;
    let n = file.read(&mut head).map_err(io)?;
    if n >= 4 && &head[..4] == b"HIC\0" {
        return Ok(FileKind::Hic);
    }
    if n == 8 && head == *b"\x89HDF\r\n\x1a\n" {
        return crate::cool::kind(path);
    }
    Err(HicError::UnknownFormat { path: path.to_owned() })
}

/// Opens a `.cool`, `.mcool` (`file.mcool::/resolutions/R` or `options.resolution`) or `.hic`.
///
/// # Errors
/// Typed errors for unreadable, unsupported or corrupt files, and for a resolution, chromosome
/// or weight vector the file does not hold (each lists what it has).
pub fn open(spec: &str, options: &OpenOptions) -> Result<Box<dyn HicSource>, HicError> {
    let (path, group) = split_uri(spec);
    match detect(&path)? {
        FileKind::Hic => crate::juicer::open(&path, options),
        FileKind::Cool | FileKind::Mcool => crate::cool::open(&path, group.as_deref(), options),
    }
}

/// The resolutions (bin sizes in bp) a file holds, ascending: every `/resolutions/R` group of an
/// `.mcool`, every base-pair resolution of a `.hic`, the bin size of a `.cool` (none when its
/// bins vary in size). A cooler URI's group (`file.mcool::/resolutions/R`) is ignored: the
/// answer is about the file.
///
/// # Errors
/// As [`detect`], and the readers' errors for a damaged header.
pub fn resolutions(spec: &str) -> Result<Vec<u64>, HicError> {
    let (path, _) = split_uri(spec);
    match detect(&path)? {
        FileKind::Hic => crate::juicer::resolutions(&path),
        FileKind::Cool | FileKind::Mcool => crate::cool::file_resolutions(&path),
    }
}
