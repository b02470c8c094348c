//! Rust errors as Python exceptions.
//!
//! The exception classes live in `gzcm/_errors.py` (Python can give a class several bases, e.g.
//! `UnknownCodecError(GzcmError, KeyError)`); this module picks the class for each Rust error
//! and builds the instance with the Rust message.

use std::io;
use std::path::Path;

use gzcm::{RegistryError, TileError};
use gzcm_container::ContainerError;
use gzcm_convert::load::LoadError;
use gzcm_convert::{BinsError, ConvertError, ZoomifyError};
use gzcm_hic::HicError;
use gzcm_io::SourceError;
use gzcm_pairs::PairsError;
use gzcm_picker::PickerError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

/// Errors of the binding layer itself (everything else comes from the Rust crates).
#[derive(Debug, thiserror::Error)]
pub(crate) enum BindingError {
    /// Every Python codec slot is taken.
    #[error(
        "cannot register codec `{name}`: at most {limit} codecs can be registered from Python per process"
    )]
    TooManyPythonCodecs {
        /// The refused name.
        name: String,
        /// The slot count.
        limit: usize,
    },
    /// An argument is out of range or of the wrong kind.
    #[error("{0}")]
    InvalidArgument(String),
}

/// Builds an instance of `gzcm._errors.<class>` with `args`, as a raisable `PyErr`.
fn raise<'py>(py: Python<'py>, class: &str, args: Bound<'py, PyTuple>) -> PyErr {
    let built = py
        .import("gzcm._errors")
        .and_then(|module| module.getattr(class))
        .and_then(|class| class.call1(args));
    match built {
        Ok(instance) => PyErr::from_value(instance),
        Err(err) => err,
    }
}

/// The `gzcm` exception `class` (from `gzcm._errors`) with `message`.
pub(crate) fn raise_msg(py: Python<'_>, class: &str, message: String) -> PyErr {
    match PyTuple::new(py, [message]) {
        Ok(args) => raise(py, class, args),
        Err(err) => err,
    }
}

/// An OS error on `path` as the matching `OSError` subclass (with `errno` and `filename`).
///
/// An error the OS did not report (gzcm's own "already exists", "is a directory") carries the
/// POSIX number of its kind; one with no such number is raised with the message alone, so
/// Python never prints a meaningless `[Errno 0]`.
fn os_error(py: Python<'_>, error: &io::Error, path: &Path, message: String) -> PyErr {
    let class = match error.kind() {
        io::ErrorKind::NotFound => "GzcmFileNotFoundError",
        io::ErrorKind::PermissionDenied => "GzcmPermissionError",
        io::ErrorKind::AlreadyExists => "OutputExistsError",
        _ => "GzcmIOError",
    };
    let Some(errno) = error.raw_os_error().or_else(|| errno_of(error.kind())) else {
        return raise_msg(py, class, message);
    };
    let path = path.display().to_string();
    match (errno, message, path).into_pyobject(py) {
        Ok(args) => raise(py, class, args),
        Err(err) => err,
    }
}

/// The POSIX error number of an error kind gzcm raises without an OS error behind it.
fn errno_of(kind: io::ErrorKind) -> Option<i32> {
    match kind {
        io::ErrorKind::NotFound => Some(2),          // ENOENT
        io::ErrorKind::PermissionDenied => Some(13), // EACCES
        io::ErrorKind::AlreadyExists => Some(17),    // EEXIST
        io::ErrorKind::NotADirectory => Some(20),    // ENOTDIR
        io::ErrorKind::IsADirectory => Some(21),     // EISDIR
        _ => None,
    }
}

/// A container (reader/writer) error.
pub(crate) fn container_error(py: Python<'_>, error: &ContainerError) -> PyErr {
    let message = error.to_string();
    let class = match error {
        ContainerError::Io { path, source, .. } => return os_error(py, source, path, message),
        ContainerError::Registry(registry) => return registry_error(py, registry),
        ContainerError::Format { .. } => "FormatError",
        ContainerError::CodecSetup { .. } => "CodecError",
        ContainerError::Tile { source, .. } => match source.as_ref() {
            TileError::Registry(registry) => return registry_error(py, registry),
            _ => "CorruptTileError",
        },
        ContainerError::CrcMismatch { .. }
        | ContainerError::NnzMismatch { .. }
        | ContainerError::AsymmetricTile { .. } => "CorruptTileError",
        ContainerError::WindowTooLarge { .. } => "RegionTooLargeError",
        ContainerError::ResolutionRequired { .. }
        | ContainerError::ResolutionNotFound { .. }
        | ContainerError::ResolutionUri(_) => "ResolutionError",
        ContainerError::TileOutOfGrid { .. } | ContainerError::WindowOutOfBounds { .. } => "OutOfBoundsError",
        ContainerError::OutputExists { path } => {
            let exists = io::Error::from(io::ErrorKind::AlreadyExists);
            return os_error(py, &exists, path, message);
        }
        _ => "InvalidInputError",
    };
    raise_msg(py, class, message)
}

/// A balancing or expected error: the file's own errors as [`container_error`] raises them,
/// an unreadable BED file as an `OSError`, a file without a genome as `NoGenomeError`,
/// everything else as `InvalidInputError`.
pub(crate) fn balance_error(py: Python<'_>, error: &gzcm_balance::BalanceError) -> PyErr {
    use gzcm_balance::BalanceError;
    match error {
        BalanceError::Container(error) => container_error(py, error),
        BalanceError::Io { path, source } => os_error(py, source, path, error.to_string()),
        BalanceError::NoGenome { .. } => raise_msg(py, "NoGenomeError", error.to_string()),
        _ => raise_msg(py, "InvalidInputError", error.to_string()),
    }
}

/// An observed/expected error: a trans window (`InvalidInputError`), a window outside the
/// matrix (`OutOfBoundsError`), or why the expected could not be had.
pub(crate) fn oe_error(py: Python<'_>, error: &gzcm_balance::ObservedExpectedError) -> PyErr {
    use gzcm_balance::ObservedExpectedError;
    match error {
        ObservedExpectedError::Expected(error) => balance_error(py, error),
        ObservedExpectedError::Container(error) => container_error(py, error),
        ObservedExpectedError::OutOfBounds { .. } => raise_msg(py, "OutOfBoundsError", error.to_string()),
        _ => raise_msg(py, "InvalidInputError", error.to_string()),
    }
}

/// A registry error: unknown codec (with `.name`, `.available`, `.suggestion`), taken name, …
pub(crate) fn registry_error(py: Python<'_>, error: &RegistryError) -> PyErr {
    let message = error.to_string();
    match error {
        RegistryError::UnknownCodec { name, available, suggestion } => {
            match (message, name.clone(), available.clone(), suggestion.clone()).into_pyobject(py) {
                Ok(args) => raise(py, "UnknownCodecError", args),
                Err(err) => err,
            }
        }
        RegistryError::NameTaken { .. } | RegistryError::Conflict { .. } => {
            raise_msg(py, "CodecNameTakenError", message)
        }
        RegistryError::InvalidName { .. } => raise_msg(py, "InvalidCodecNameError", message),
        _ => raise_msg(py, "RegistryError", message),
    }
}

/// A stored-tile (framing or codec) error.
pub(crate) fn tile_error(py: Python<'_>, error: &TileError) -> PyErr {
    match error {
        TileError::Registry(registry) => registry_error(py, registry),
        other => raise_msg(py, "CodecError", other.to_string()),
    }
}

/// An input (source) error: a missing file is `FileNotFoundError`, a malformed one `InvalidInputError`.
pub(crate) fn source_error(py: Python<'_>, error: &SourceError) -> PyErr {
    let message = error.to_string();
    if let SourceError::Io { path, source } = error {
        return os_error(py, source, path, message);
    }
    raise_msg(py, "InvalidInputError", message)
}

/// An adaptive-picker error.
pub(crate) fn picker_error(py: Python<'_>, error: &PickerError) -> PyErr {
    match error {
        PickerError::Registry(registry) => registry_error(py, registry),
        other => raise_msg(py, "InvalidInputError", other.to_string()),
    }
}

/// A Hi-C input error: a missing file is `FileNotFoundError`, anything else about the file (not
/// a Hi-C file, corrupt, an absent resolution, chromosome or weight vector) `InvalidInputError`.
pub(crate) fn hic_error(py: Python<'_>, error: &HicError, message: String) -> PyErr {
    if let HicError::Io { path, source } = error {
        return os_error(py, source, path, message);
    }
    raise_msg(py, "InvalidInputError", message)
}

/// A conversion-pipeline error, by what it wraps.
pub(crate) fn convert_error(py: Python<'_>, error: &ConvertError) -> PyErr {
    // The whole chain: `cannot open input `x`: x.mcool: no resolution 7; resolutions in the file: …`.
    let message = chain(error);
    match error {
        ConvertError::Source(e) | ConvertError::OpenSource { source: e, .. } => match e {
            SourceError::Io { path, source } => os_error(py, source, path, message),
            _ => raise_msg(py, "InvalidInputError", message),
        },
        ConvertError::OpenHic { source, .. } | ConvertError::Hic(source) => hic_error(py, source, message),
        ConvertError::Bins(BinsError::Io { path, source }) => os_error(py, source, path, message),
        ConvertError::Container(e) => container_error(py, e),
        ConvertError::Picker(e) => picker_error(py, e),
        ConvertError::Registry(e) => registry_error(py, e),
        ConvertError::CodecSetup(e) => tile_error(py, e),
        ConvertError::CodecCannotStore { .. } => raise_msg(py, "CodecError", message),
        _ => raise_msg(py, "InvalidInputError", message),
    }
}

/// A zoomify error: a base without fixed genomic bins is `NoGenomeError`; a resolution list
/// that does not fit the base, or a sum the cell type cannot hold, `InvalidInputError`.
pub(crate) fn zoomify_error(py: Python<'_>, error: &ZoomifyError) -> PyErr {
    match error {
        ZoomifyError::Convert(e) => convert_error(py, e),
        ZoomifyError::NoGenome { .. } | ZoomifyError::VariableBins { .. } => {
            raise_msg(py, "NoGenomeError", error.to_string())
        }
        _ => raise_msg(py, "InvalidInputError", error.to_string()),
    }
}

/// A load error: a missing or unreadable pairs or chromosome sizes file is the matching
/// `OSError`; a bad line, header, format or setting `InvalidInputError`.
pub(crate) fn load_error(py: Python<'_>, error: &LoadError) -> PyErr {
    match error {
        LoadError::Pairs(PairsError::Io { path, source, .. }) => os_error(py, source, path, chain(error)),
        LoadError::Convert(e) => convert_error(py, e),
        LoadError::Zoomify(e) => zoomify_error(py, e),
        _ => raise_msg(py, "InvalidInputError", chain(error)),
    }
}

/// An error and its causes, `: `-separated, skipping a cause its parent already quotes.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(next) = cause {
        let message = next.to_string();
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        cause = next.source();
    }
    text
}

/// A binding-layer error.
pub(crate) fn binding_error(py: Python<'_>, error: &BindingError) -> PyErr {
    let class = match error {
        BindingError::TooManyPythonCodecs { .. } => "RegistryError",
        BindingError::InvalidArgument(_) => "InvalidInputError",
    };
    raise_msg(py, class, error.to_string())
}

/// A genomic region that does not fit the file's genome (unknown chromosome, bad syntax, out of
/// range) as `InvalidInputError`, a `ValueError`.
pub(crate) fn region_error(py: Python<'_>, error: &gzcm_container::RegionError) -> PyErr {
    raise_msg(py, "InvalidInputError", error.to_string())
}

/// Any error the conversion path can report, kept typed until the GIL is held again.
#[derive(Debug, thiserror::Error)]
pub(crate) enum AnyError {
    /// From the container.
    #[error(transparent)]
    Container(#[from] ContainerError),
    /// From an input source.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// From the picker.
    #[error(transparent)]
    Picker(#[from] PickerError),
    /// From the registry.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// From the conversion pipeline (boxed: it is the largest).
    #[error(transparent)]
    Convert(Box<ConvertError>),
    /// From a zoomify (boxed, as a conversion error: it may hold one).
    #[error(transparent)]
    Zoomify(Box<ZoomifyError>),
    /// From loading pairs (boxed, as a conversion error: it may hold one).
    #[error(transparent)]
    Load(Box<LoadError>),
    /// From this crate.
    #[error(transparent)]
    Binding(#[from] BindingError),
}

impl From<LoadError> for AnyError {
    fn from(error: LoadError) -> Self {
        AnyError::Load(Box::new(error))
    }
}

impl From<ZoomifyError> for AnyError {
    fn from(error: ZoomifyError) -> Self {
        AnyError::Zoomify(Box::new(error))
    }
}

impl From<ConvertError> for AnyError {
    fn from(error: ConvertError) -> Self {
        AnyError::Convert(Box::new(error))
    }
}

impl AnyError {
    /// The Python exception for this error.
    pub(crate) fn into_py_err(self, py: Python<'_>) -> PyErr {
        match &self {
            AnyError::Container(e) => container_error(py, e),
            AnyError::Source(e) => source_error(py, e),
            AnyError::Picker(e) => picker_error(py, e),
            AnyError::Registry(e) => registry_error(py, e),
            AnyError::Convert(e) => convert_error(py, e),
            AnyError::Zoomify(e) => zoomify_error(py, e),
            AnyError::Load(e) => load_error(py, e),
            AnyError::Binding(e) => binding_error(py, e),
        }
    }
}
