//! Integration tests of gzcm-io: one binary, one module per source or sink.

/// Shared helpers: temp files, compression, data discovery.
mod util;

/// COO text: parsing, gzip, shape and symmetry inference, malformed lines.
mod coo;
/// `.npy`: headers, dtypes, zstd, sizes, symmetry.
mod npy;
/// Real matrices from the shared data directory (skipped when absent).
mod real_data;
/// Sinks: `.tsv` and `.npy` output, atomic files.
mod sink;
/// The synthetic generator: determinism, structure, scale.
mod synthetic;
