//! Errors of the Hi-C readers.

use std::path::PathBuf;

/// Everything that can go wrong opening or reading a `.cool`, `.mcool` or `.hic` file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HicError {
    /// The file could not be opened or read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The file is none of the formats this crate reads.
    #[error("{}: not a .cool, .mcool or .hic file (no HDF5 signature, no HIC magic)", path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// A resolution was asked for (or needed) that the file does not hold.
    #[error("{}: {}; resolutions in the file: {}", path.display(), match requested {
        Some(r) => format!("no resolution {r}"),
        None => "a multi-resolution file needs a resolution (--resolution R or FILE::/resolutions/R)".to_owned(),
    }, join(available))]
    Resolution {
        /// The file.
        path: PathBuf,
        /// What was asked for (`None`: nothing was, and the file has several).
        requested: Option<u64>,
        /// Every resolution the file holds, ascending.
        available: Vec<u64>,
    },
    /// A chromosome was asked for that the file does not hold.
    #[error("{}: no chromosome `{name}`; chromosomes in the file: {}", path.display(), available.join(", "))]
    UnknownChrom {
        /// The file.
        path: PathBuf,
        /// What was asked for.
        name: String,
        /// Every chromosome in the file, in file order.
        available: Vec<String>,
    },
    /// A weight vector was asked for that the file does not hold.
    #[error("{}: no weight vector `{name}`; vectors in the file: {}", path.display(), if available.is_empty() { "none".to_owned() } else { available.join(", ") })]
    UnknownWeights {
        /// The file.
        path: PathBuf,
        /// What was asked for.
        name: String,
        /// Every vector available.
        available: Vec<String>,
    },
    /// A weight column of `bins` does not hold one value per bin.
    #[error("{}: weight column bins/{name} has {len} values for {bins} bins", path.display())]
    WeightLength {
        /// The file.
        path: PathBuf,
        /// The column.
        name: String,
        /// Its number of values.
        len: u64,
        /// The number of bins.
        bins: u64,
    },
    /// A cooler (HDF5) file is malformed or uses something this reader does not support.
    #[error("{}: {detail}", path.display())]
    Cool {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where.
        detail: String,
    },
    /// A Juicer `.hic` file is malformed.
    #[error("{}: {detail}", path.display())]
    Juicer {
        /// The file.
        path: PathBuf,
        /// What is wrong, and where (with the byte offset when known).
        detail: String,
    },
    /// A Juicer `.hic` file of a version this reader does not read.
    #[error("{}: .hic version {version} is not supported (this reader reads versions 8 and 9)", path.display())]
    JuicerVersion {
        /// The file.
        path: PathBuf,
        /// The version in the file's header.
        version: i32,
    },
    /// The file's chromosomes, bins or weight vectors do not form a consistent genome.
    #[error("{}: {source}", path.display())]
    Genome {
        /// The file.
        path: PathBuf,
        /// What is inconsistent (boxed: the error stays small on the success path).
        #[source]
        source: Box<gzcm_genome::GenomeError>,
    },
}

impl HicError {
    /// A [`HicError::Genome`] for `path`.
    pub(crate) fn genome(path: &std::path::Path, source: gzcm_genome::GenomeError) -> HicError {
        HicError::Genome { path: path.to_owned(), source: Box::new(source) }
    }
}

fn join(values: &[u64]) -> String {
    if values.is_empty() {
        return "none".to_owned();
    }
    values.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
}
