//! Codecs written in Python, registered in the process-wide registry like built-ins.
//!
//! The registry holds plain function pointers (`CodecDescriptor::runtime::<C>`), so each Python
//! codec gets its own Rust type `PythonCodec<SLOT>`; the slot indexes a table of the Python
//! callables. [`SLOTS`] codecs can be registered per process. Every call takes the GIL.

use std::sync::{Arc, Mutex, PoisonError};

use gzcm::codec::ShapeReader;
use gzcm::codec::{Codec, EncodeOptions, TileDecoder, TileEncoder};
use gzcm::{CodecDescriptor, CodecError, Dtype, TileContext, TileData, TileShape, TileView};
use numpy::PyArray2;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::arrays::{array_to_tile, dtype_name};
use crate::errors::BindingError;

/// How many codecs can be registered from Python in one process.
pub(crate) const SLOTS: usize = 32;

/// The Python side of one registered codec.
struct PythonCallables {
    /// The registered name (leaked once per registration: codec errors carry `&'static str`).
    name: &'static str,
    encode: Py<PyAny>,
    decode: Py<PyAny>,
    shape_of: Option<Py<PyAny>>,
}

static TABLE: Mutex<Vec<Option<Arc<PythonCallables>>>> = Mutex::new(Vec::new());

fn callables(slot: usize) -> Option<Arc<PythonCallables>> {
    let table = TABLE.lock().unwrap_or_else(PoisonError::into_inner);
    table.get(slot).cloned().flatten()
}

/// A codec failure reported by Python code, with the Python exception's text.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct PythonFailure(String);

fn backend(codec: &'static str, message: String) -> CodecError {
    CodecError::Backend { codec, source: Box::new(PythonFailure(message)) }
}

fn unregistered() -> CodecError {
    CodecError::Corrupt { reason: "the Python codec for this slot is no longer registered" }
}

/// The codec type of slot `SLOT`.
struct PythonCodec<const SLOT: usize>;

impl<const SLOT: usize> Codec for PythonCodec<SLOT> {
    fn with_options(_: &EncodeOptions) -> Result<Self, CodecError> {
        Ok(PythonCodec)
    }

    fn supports(dtype: Dtype) -> bool {
        matches!(dtype, Dtype::U32 | Dtype::F32)
    }
}

impl<const SLOT: usize> TileEncoder for PythonCodec<SLOT> {
    fn encode(&self, tile: TileView<'_>, _: &TileContext, out: &mut Vec<u8>) -> Result<(), CodecError> {
        let codec = callables(SLOT).ok_or_else(unregistered)?;
        Python::with_gil(|py| {
            let array = match tile {
                TileView::U32(view) => PyArray2::from_owned_array(py, to_numpy_ndarray(view)).into_any(),
                TileView::F32(view) => PyArray2::from_owned_array(py, to_numpy_ndarray(view)).into_any(),
            };
            let result =
                codec.encode.bind(py).call1((array,)).map_err(|e| backend(codec.name, e.to_string()))?;
            let bytes = result.downcast::<PyBytes>().map_err(|_| {
                backend(codec.name, format!("encode must return bytes, returned {}", type_name(&result)))
            })?;
            out.extend_from_slice(bytes.as_bytes());
            Ok(())
        })
    }
}

impl<const SLOT: usize> TileDecoder for PythonCodec<SLOT> {
    fn decode(&self, payload: &[u8], shape: TileShape, dtype: Dtype) -> Result<TileData, CodecError> {
        let codec = callables(SLOT).ok_or_else(unregistered)?;
        Python::with_gil(|py| {
            let args = (PyBytes::new(py, payload), (shape.rows, shape.cols), dtype_name(dtype));
            let result = codec.decode.bind(py).call1(args).map_err(|e| backend(codec.name, e.to_string()))?;
            array_to_tile(&result, Some((shape, dtype)))
                .map_err(|e| backend(codec.name, format!("decode returned a bad array: {e}")))
        })
    }
}

/// `shape_of(payload)` of slot `SLOT`, for self-describing Python codecs.
fn shape_of<const SLOT: usize>(payload: &[u8]) -> Result<TileShape, CodecError> {
    let codec = callables(SLOT).ok_or_else(unregistered)?;
    Python::with_gil(|py| {
        let Some(shape_of) = &codec.shape_of else { return Err(unregistered()) };
        let result = shape_of
            .bind(py)
            .call1((PyBytes::new(py, payload),))
            .map_err(|e| backend(codec.name, e.to_string()))?;
        let (rows, cols): (i64, i64) = result.extract().map_err(|_| {
            backend(codec.name, "shape_of must return a (rows, cols) tuple of ints".to_owned())
        })?;
        let edge = |v: i64| u32::try_from(v).unwrap_or(0);
        TileShape::checked(edge(rows), edge(cols))
    })
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".to_owned())
}

/// Copies a tile view into the ndarray version the `numpy` crate speaks.
fn to_numpy_ndarray<T: Copy>(view: ndarray::ArrayView2<'_, T>) -> numpy::ndarray::Array2<T> {
    let (rows, cols) = view.dim();
    let cells: Vec<T> = view.iter().copied().collect();
    numpy::ndarray::Array2::from_shape_vec((rows, cols), cells)
        .unwrap_or_else(|_| unreachable!("a view's cell count matches its shape"))
}

/// A constructor of the descriptor of one slot.
type DescriptorFor = fn(&'static str, bool) -> Result<CodecDescriptor, gzcm::RegistryError>;

fn descriptor_for<const SLOT: usize>(
    name: &'static str,
    self_describing: bool,
) -> Result<CodecDescriptor, gzcm::RegistryError> {
    let reader: Option<ShapeReader> = if self_describing { Some(shape_of::<SLOT>) } else { None };
    CodecDescriptor::runtime::<PythonCodec<SLOT>>(name, "python", reader)
}

macro_rules! slot_table {
    ($($slot:literal)*) => { [$(descriptor_for::<$slot> as DescriptorFor),*] };
}

const DESCRIPTORS: [DescriptorFor; SLOTS] =
    slot_table!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31);

/// What `register` needs from Python.
pub(crate) struct PythonCodecSpec {
    /// The name to register.
    pub(crate) name: String,
    /// `encode(ndarray) -> bytes`.
    pub(crate) encode: Py<PyAny>,
    /// `decode(bytes, (rows, cols), dtype) -> ndarray`.
    pub(crate) decode: Py<PyAny>,
    /// `shape_of(bytes) -> (rows, cols)`: `Some` makes the codec self-describing.
    pub(crate) shape_of: Option<Py<PyAny>>,
}

/// Why a Python codec could not be registered.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RegisterError {
    /// The registry refused (bad or taken name).
    #[error(transparent)]
    Registry(#[from] gzcm::RegistryError),
    /// No slot is free.
    #[error(transparent)]
    Binding(#[from] BindingError),
}

/// Registers a Python codec in the process-wide registry.
pub(crate) fn register(spec: PythonCodecSpec) -> Result<(), RegisterError> {
    gzcm::codec::validate_codec_name(&spec.name)?;
    let mut table = TABLE.lock().unwrap_or_else(PoisonError::into_inner);
    let slot = match table.iter().position(Option::is_none) {
        Some(free) => free,
        None if table.len() < SLOTS => {
            table.push(None);
            table.len() - 1
        }
        None => return Err(BindingError::TooManyPythonCodecs { name: spec.name, limit: SLOTS }.into()),
    };
    // Leaked: codec errors name their codec as `&'static str`. One small string per registration.
    let name: &'static str = Box::leak(spec.name.into_boxed_str());
    let descriptor = DESCRIPTORS[slot](name, spec.shape_of.is_some())?;
    table[slot] = Some(Arc::new(PythonCallables {
        name,
        encode: spec.encode,
        decode: spec.decode,
        shape_of: spec.shape_of,
    }));
    if let Err(err) = gzcm::register_codec(descriptor) {
        table[slot] = None;
        return Err(err.into());
    }
    Ok(())
}
