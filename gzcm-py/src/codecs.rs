//! `list_codecs`, `get_codec` and `register_codec`: the registry from Python.

use gzcm::codec::EncodeOptions;
use gzcm::{CodecDescriptor, TileContext, TileShape};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::arrays::{array_to_tile, parse_dtype, tile_to_array};
use crate::errors::{BindingError, binding_error, registry_error};
use crate::pycodec::{PythonCodecSpec, RegisterError, register};

/// The names of every registered codec, sorted (the same list as `gzcm codecs`).
#[pyfunction]
pub(crate) fn list_codecs() -> Vec<String> {
    gzcm::list_codecs()
}

/// The codec called `name`; raises `UnknownCodecError` for an unknown name.
#[pyfunction]
pub(crate) fn get_codec(py: Python<'_>, name: &str) -> PyResult<CodecHandle> {
    let descriptor = gzcm::get_codec(name).map_err(|e| registry_error(py, &e))?;
    Ok(CodecHandle { descriptor })
}

/// Registers a codec written in Python (see `gzcm.register_codec`).
#[pyfunction]
#[pyo3(signature = (name, encode, decode, shape_of=None))]
pub(crate) fn register_python_codec(
    py: Python<'_>,
    name: String,
    encode: Py<PyAny>,
    decode: Py<PyAny>,
    shape_of: Option<Py<PyAny>>,
) -> PyResult<()> {
    register(PythonCodecSpec { name, encode, decode, shape_of }).map_err(|e| match e {
        RegisterError::Registry(e) => registry_error(py, &e),
        RegisterError::Binding(e) => binding_error(py, &e),
    })
}

/// One registered codec: its name, wire format, and raw encode/decode of a tile payload.
#[pyclass(frozen, name = "Codec", module = "gzcm._native")]
pub(crate) struct CodecHandle {
    descriptor: CodecDescriptor,
}

#[pymethods]
impl CodecHandle {
    /// The registered name.
    #[getter]
    fn name(&self) -> &str {
        self.descriptor.name()
    }

    /// `"opaque"` (the writer adds an 8-byte shape header) or `"self"` (the payload carries it).
    #[getter]
    fn wire(&self) -> &'static str {
        self.descriptor.wire().as_str()
    }

    /// The crate (or `"python"`) that declared the codec.
    #[getter]
    fn origin(&self) -> &'static str {
        self.descriptor.origin()
    }

    /// Encodes a 2-D uint32/float32 array into the codec's payload (no file framing).
    #[pyo3(signature = (array, level=None))]
    fn encode<'py>(
        &self,
        py: Python<'py>,
        array: &Bound<'py, PyAny>,
        level: Option<i32>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let tile = array_to_tile(array, None)
            .map_err(|e| binding_error(py, &BindingError::InvalidArgument(e.to_string())))?;
        let options = level.map(EncodeOptions::with_level).unwrap_or_default();
        let descriptor = self.descriptor.clone();
        let encoded = py.allow_threads(move || {
            let encoder = descriptor.encoder(&options)?;
            let mut out = Vec::new();
            encoder.encode(tile.view(), &TileContext::default(), &mut out)?;
            Ok::<_, gzcm::CodecError>(out)
        });
        let encoded = encoded.map_err(|e| codec_error(py, &self.descriptor, e))?;
        Ok(PyBytes::new(py, &encoded))
    }

    /// Decodes a payload into an array of `shape` (`(rows, cols)`) and `dtype`.
    fn decode<'py>(
        &self,
        py: Python<'py>,
        data: &[u8],
        shape: (u32, u32),
        dtype: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let invalid = |message: String| binding_error(py, &BindingError::InvalidArgument(message));
        let dtype = parse_dtype(dtype).ok_or_else(|| invalid(format!("unsupported dtype `{dtype}`")))?;
        let shape = TileShape::checked(shape.0, shape.1).map_err(|e| invalid(e.to_string()))?;
        let descriptor = self.descriptor.clone();
        let data = data.to_vec();
        let decoded = py.allow_threads(move || descriptor.decoder()?.decode(&data, shape, dtype));
        let tile = decoded.map_err(|e| codec_error(py, &self.descriptor, e))?;
        tile_to_array(py, tile)
    }

    fn __repr__(&self) -> String {
        format!("<gzcm codec {:?} wire={}>", self.descriptor.name(), self.descriptor.wire())
    }
}

fn codec_error(py: Python<'_>, descriptor: &CodecDescriptor, source: gzcm::CodecError) -> PyErr {
    let error = gzcm::TileError::Codec { codec: descriptor.name().to_owned(), source };
    crate::errors::tile_error(py, &error)
}
