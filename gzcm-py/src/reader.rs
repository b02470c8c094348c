//! `_native.Reader`: an open `.gzcm` file. The Python class `gzcm.GzcmFile` wraps it.
//!
//! The Rust reader is `Send + Sync` and every decode runs with the GIL released, so one
//! `Reader` serves many Python threads at once.

use std::sync::OnceLock;

use gzcm_container::{ContainerError, Genome, Reader, ReaderOptions, TileData, WeightMeaning};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::arrays::{dtype_name, matrix_to_array, tile_to_array};
use crate::errors::{container_error, region_error};
use crate::pixels::{Pixels, StoredTiles, Window, band_counts, window_pixels};

/// An open `.gzcm` file (memory-mapped, with a byte-bounded tile cache).
#[pyclass(frozen, name = "Reader", module = "gzcm._native")]
pub(crate) struct PyReader {
    pub(crate) reader: Reader,
    /// The resolutions of the file the reader belongs to (a multi-resolution file has several).
    resolutions: Vec<u64>,
    /// Which tiles hold cells, gathered at the first pixel listing.
    stored: OnceLock<StoredTiles>,
}

#[pymethods]
impl PyReader {
    /// Opens `path` (a local path or an `s3://`, `gs://`, `az://`, `http(s)://` URL, optionally
    /// followed by `::/resolutions/R`) at `resolution` (needed for a multi-resolution file) with
    /// a tile cache of `cache_bytes` (0 disables it); `endpoint` overrides the object store's
    /// endpoint (else `GZCM_ENDPOINT`, else the store's environment); `timeout` is the most one
    /// remote operation may take, in seconds (else `GZCM_TIMEOUT`, else 60).
    #[new]
    #[pyo3(signature = (path, cache_bytes, endpoint=None, timeout=None, resolution=None))]
    fn open(
        py: Python<'_>,
        path: String,
        cache_bytes: usize,
        endpoint: Option<String>,
        timeout: Option<f64>,
        resolution: Option<u64>,
    ) -> PyResult<Self> {
        // The reader's default registry is the process-wide one (codecs registered from Python
        // included, as of this open).
        let options = ReaderOptions::new().cache_bytes(cache_bytes);
        let remote = remote_options(py, &path, endpoint, timeout)?;
        let opened = py.allow_threads(|| {
            let (location, resolution) = gzcm_remote::resolve(&path, resolution)?;
            let file = gzcm_remote::open_file(location, &remote, options)?;
            let resolutions = file.resolutions();
            Ok::<_, ContainerError>((file.into_reader(resolution)?, resolutions))
        });
        let (reader, resolutions) = opened.map_err(|e| container_error(py, &e))?;
        Ok(PyReader { reader, resolutions, stored: OnceLock::new() })
    }

    /// Every resolution of the file the reader was opened from, ascending (a single-resolution
    /// file with genomic bins: its bin size; without: none).
    #[getter]
    fn resolutions(&self) -> Vec<u64> {
        self.resolutions.clone()
    }

    /// The resolution read (the bin size), when the file has genomic bins of one size.
    #[getter]
    fn resolution(&self) -> Option<u64> {
        self.reader.resolution()
    }

    /// The path the file was opened from.
    #[getter]
    fn path(&self) -> std::path::PathBuf {
        self.reader.path().to_path_buf()
    }

    /// `(rows, cols)` in bins.
    #[getter]
    fn shape(&self) -> (u64, u64) {
        self.reader.shape()
    }

    /// The cell type, as a numpy dtype name.
    #[getter]
    fn dtype(&self) -> &'static str {
        dtype_name(self.reader.dtype())
    }

    /// The format version (1–4).
    #[getter]
    fn version(&self) -> u32 {
        self.reader.version()
    }

    /// The nominal tile edge in bins.
    #[getter]
    fn tile_size(&self) -> u32 {
        self.reader.tile_size()
    }

    /// `(tile_rows, tile_cols)`: the tile grid.
    #[getter]
    fn tile_grid(&self) -> (u32, u32) {
        self.reader.tile_grid()
    }

    /// Whether only the upper triangle is stored.
    #[getter]
    fn symmetric(&self) -> bool {
        self.reader.symmetric()
    }

    /// Every codec the file uses, as `(name, wire)`.
    #[getter]
    fn codecs(&self) -> Vec<(String, String)> {
        self.reader.header().codecs.iter().map(|c| (c.name.clone(), c.wire.clone())).collect()
    }

    /// The JSON header, as text.
    fn header_json(&self, py: Python<'_>) -> PyResult<String> {
        let json = self.reader.header().to_json().map_err(|e| container_error(py, &e))?;
        Ok(String::from_utf8_lossy(&json).into_owned())
    }

    /// Statistics: tiles, bytes, ratio, per-codec usage (see `GzcmFile.info`).
    fn info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let info = py.allow_threads(|| self.reader.info());
        let dict = PyDict::new(py);
        dict.set_item("version", info.version)?;
        dict.set_item("shape", info.shape)?;
        dict.set_item("dtype", dtype_name(self.reader.dtype()))?;
        dict.set_item("tile_size", info.tile_size)?;
        dict.set_item("tile_grid", info.tile_grid)?;
        dict.set_item("symmetric", info.symmetric)?;
        dict.set_item("tiles_stored", info.tiles_stored)?;
        dict.set_item("tile_groups", info.tile_groups)?;
        dict.set_item("tiles_total", info.tiles_total)?;
        dict.set_item("nnz", info.nnz)?;
        dict.set_item("file_bytes", info.file_bytes)?;
        dict.set_item("payload_bytes", info.payload_bytes)?;
        dict.set_item("dense_bytes", info.dense_bytes)?;
        dict.set_item("ratio", info.ratio)?;
        let codecs = PyList::empty(py);
        for usage in &info.codecs {
            let entry = PyDict::new(py);
            entry.set_item("name", &usage.name)?;
            entry.set_item("wire", usage.wire.as_str())?;
            entry.set_item("available", usage.available)?;
            entry.set_item("tiles", usage.tiles)?;
            entry.set_item("bytes", usage.bytes)?;
            codecs.append(entry)?;
        }
        dict.set_item("codecs", codecs)?;
        Ok(dict)
    }

    /// Decodes tile `(i, j)` at its true shape (mirrored below the diagonal of symmetric files).
    fn tile<'py>(&self, py: Python<'py>, i: u32, j: u32) -> PyResult<Bound<'py, PyAny>> {
        let tile = py.allow_threads(|| self.reader.tile(i, j)).map_err(|e| container_error(py, &e))?;
        tile_to_array(py, tile)
    }

    /// The dense window `rows r0..r1 × cols c0..c1`.
    fn window<'py>(
        &self,
        py: Python<'py>,
        r0: u64,
        r1: u64,
        c0: u64,
        c1: u64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let region =
            py.allow_threads(|| self.reader.window(r0..r1, c0..c1)).map_err(|e| container_error(py, &e))?;
        tile_to_array(py, region)
    }

    /// The window `rows r0..r1 × cols c0..c1` balanced with the weight vector `name`: float64
    /// `count · w[i] · w[j]`, NaN where a weight is NaN (cooler's `matrix(balance=name)`), or
    /// `count / (w[i] · w[j])` with `divisive` (cooler's `divisive_weights=True`); `None` when the
    /// file has no vector by that name.
    #[pyo3(signature = (r0, r1, c0, c1, name, divisive=false))]
    #[allow(clippy::too_many_arguments)]
    fn balanced_window<'py>(
        &self,
        py: Python<'py>,
        r0: u64,
        r1: u64,
        c0: u64,
        c1: u64,
        name: &str,
        divisive: bool,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let meaning = if divisive { WeightMeaning::Divisive } else { WeightMeaning::Multiplicative };
        let balanced = py
            .allow_threads(|| self.reader.balanced_window(r0..r1, c0..c1, name, meaning))
            .map_err(|e| container_error(py, &e))?;
        balanced.map(|array| matrix_to_array(py, array)).transpose()
    }

    /// The cis expected tables stored in the file (`gzcm expected --store`): one
    /// `(weights, ignore_diags, writer)` each.
    fn stored_expected(&self) -> Vec<(String, u64, Option<String>)> {
        let tables = self.reader.stored_expected().iter();
        tables.map(|t| (t.balance.clone(), t.ignore_diags, t.writer.clone())).collect()
    }

    /// Decodes and checks every stored tile: `(tiles_checked, [(tile_row, tile_col, message)])`.
    fn verify(&self, py: Python<'_>) -> (u64, Vec<(u32, u32, String)>) {
        let report = py.allow_threads(|| self.reader.verify());
        let failures =
            report.failures.iter().map(|f| (f.tile_row, f.tile_col, f.error.to_string())).collect();
        (report.tiles_checked, failures)
    }

    /// Cache statistics: `(hits, misses, bytes)`.
    fn cache_stats(&self) -> (u64, u64, u64) {
        let stats = self.reader.cache_stats();
        (stats.hits, stats.misses, stats.bytes as u64)
    }

    /// The genome, or `None` when the file carries none: a dict with `chromnames` (list),
    /// `chromsizes` (list of bp), `assembly` (str or None), `binsize` (int, or None for variable
    /// bins) and the bin table as 1-D arrays `chrom_index` (int32), `start`, `end` (int64).
    fn genome<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(genome) = self.reader.genome() else {
            return Ok(None);
        };
        let table = py.allow_threads(|| BinTable::of(genome));
        let dict = PyDict::new(py);
        let chroms = genome.chroms();
        dict.set_item("chromnames", chroms.iter().map(|c| c.name.as_str()).collect::<Vec<_>>())?;
        dict.set_item("chromsizes", chroms.iter().map(|c| c.length).collect::<Vec<_>>())?;
        dict.set_item("assembly", genome.assembly())?;
        dict.set_item("binsize", genome.resolution())?;
        dict.set_item("chrom_index", PyArray1::from_vec(py, table.chrom))?;
        dict.set_item("start", PyArray1::from_vec(py, table.start))?;
        dict.set_item("end", PyArray1::from_vec(py, table.end))?;
        Ok(Some(dict))
    }

    /// The balancing weights called `name` as a 1-D float64 array (NaN for masked bins), or
    /// `None` when the file has none by that name.
    fn weights<'py>(&self, py: Python<'py>, name: &str) -> Option<Bound<'py, PyArray1<f64>>> {
        self.reader.weights(name).map(|w| PyArray1::from_slice(py, w))
    }

    /// The names of the file's weight vectors (empty without a genome).
    fn weight_names(&self) -> Vec<String> {
        self.reader.weight_names().into_iter().map(str::to_owned).collect()
    }

    /// The bins `(start, end)` that overlap `region` (`chr1`, `chr1:1,000,000-2,000,000`), or
    /// `None` when the file has no genome. Raises `InvalidInputError` for a bad region.
    fn bin_range(&self, py: Python<'_>, region: &str) -> PyResult<Option<(u64, u64)>> {
        let Some(genome) = self.reader.genome() else {
            return Ok(None);
        };
        let bins = genome.bin_range(region).map_err(|e| region_error(py, &e))?;
        Ok(Some((bins.start, bins.end)))
    }

    /// The non-zero cells of `rows r0..r1 × cols c0..c1` in row-major order, as cooler's pixel
    /// table lists them: `(bin1_id int64, bin2_id int64, values)` with values of the file's
    /// dtype. `upper` keeps only cells with `bin1_id <= bin2_id` of a symmetric file (what
    /// cooler stores); without it the mirrored lower triangle is listed too.
    fn pixels<'py>(
        &self,
        py: Python<'py>,
        r0: u64,
        r1: u64,
        c0: u64,
        c1: u64,
        upper: bool,
    ) -> PyResult<Bound<'py, PyTuple>> {
        match self.listed(py, Window { rows: r0..r1, cols: c0..c1, upper })? {
            Listed::U32(pixels) => pixels_tuple(py, pixels, None),
            Listed::F32(pixels) => pixels_tuple(py, pixels, None),
        }
    }

    /// As `pixels`, with a fourth array: each pixel balanced with the weight vector `name`
    /// (float64 `count · w[bin1] · w[bin2]`, or `count / (w[bin1] · w[bin2])` with `divisive`;
    /// NaN where a weight is NaN), by `gzcm_genome::balance::pixels`. `None` when the file has no
    /// vector `name`.
    #[pyo3(signature = (r0, r1, c0, c1, upper, name, divisive=false))]
    #[allow(clippy::too_many_arguments)]
    fn balanced_pixels<'py>(
        &self,
        py: Python<'py>,
        r0: u64,
        r1: u64,
        c0: u64,
        c1: u64,
        upper: bool,
        name: &str,
        divisive: bool,
    ) -> PyResult<Option<Bound<'py, PyTuple>>> {
        let Some(stored) = self.reader.weights(name) else { return Ok(None) };
        let meaning = if divisive { WeightMeaning::Divisive } else { WeightMeaning::Multiplicative };
        let weights: Vec<f64> = stored.iter().map(|&w| meaning.convert(w)).collect();
        let tuple = match self.listed(py, Window { rows: r0..r1, cols: c0..c1, upper })? {
            Listed::U32(pixels) => {
                let balanced =
                    gzcm_genome::balance::pixels(&pixels.bin1, &pixels.bin2, &pixels.values, &weights);
                pixels_tuple(py, pixels, Some(balanced))
            }
            Listed::F32(pixels) => {
                let balanced =
                    gzcm_genome::balance::pixels(&pixels.bin1, &pixels.bin2, &pixels.values, &weights);
                pixels_tuple(py, pixels, Some(balanced))
            }
        };
        tuple.map(Some)
    }

    /// How many stored pixels (cooler's count: the upper triangle of a symmetric file) each
    /// tile row holds, for the tile rows that hold any: `(tile_rows uint32, counts uint64)`,
    /// ascending. Off-diagonal tiles are counted from the index; diagonal tiles (and the tiles
    /// of dense v1/v2 files) are decoded.
    fn band_counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let counts = py.allow_threads(|| band_counts(&self.reader)).map_err(|e| container_error(py, &e))?;
        let (rows, counts): (Vec<u32>, Vec<u64>) = counts.into_iter().unzip();
        PyTuple::new(py, [PyArray1::from_vec(py, rows).into_any(), PyArray1::from_vec(py, counts).into_any()])
    }
}

/// The pixels of a window, of the file's cell type.
enum Listed {
    U32(Pixels<u32>),
    F32(Pixels<f32>),
}

impl PyReader {
    /// The non-zero cells of `window`, decoded with the GIL released.
    fn listed(&self, py: Python<'_>, window: Window) -> PyResult<Listed> {
        let listed = py.allow_threads(|| {
            let stored = self.stored.get_or_init(|| StoredTiles::of(&self.reader));
            match self.reader.dtype() {
                gzcm::Dtype::F32 => window_pixels(&self.reader, stored, &window, |t| match t {
                    TileData::F32(a) => Some(a.view()),
                    TileData::U32(_) => None,
                })
                .map(Listed::F32),
                _ => window_pixels(&self.reader, stored, &window, |t| match t {
                    TileData::U32(a) => Some(a.view()),
                    TileData::F32(_) => None,
                })
                .map(Listed::U32),
            }
        });
        listed.map_err(|e| container_error(py, &e))
    }
}

/// `(bin1_id, bin2_id, values[, balanced])` as numpy arrays (moved, not copied).
fn pixels_tuple<T: numpy::Element>(
    py: Python<'_>,
    pixels: Pixels<T>,
    balanced: Option<Vec<f64>>,
) -> PyResult<Bound<'_, PyTuple>> {
    let mut arrays = vec![
        PyArray1::from_vec(py, pixels.bin1).into_any(),
        PyArray1::from_vec(py, pixels.bin2).into_any(),
        PyArray1::from_vec(py, pixels.values).into_any(),
    ];
    arrays.extend(balanced.map(|b| PyArray1::from_vec(py, b).into_any()));
    PyTuple::new(py, arrays)
}

/// The bin table as columns.
struct BinTable {
    chrom: Vec<i32>,
    start: Vec<i64>,
    end: Vec<i64>,
}

impl BinTable {
    /// Every bin of `genome`, in order.
    fn of(genome: &Genome) -> BinTable {
        let n = usize::try_from(genome.n_bins()).unwrap_or(0);
        let mut table = BinTable {
            chrom: Vec::with_capacity(n),
            start: Vec::with_capacity(n),
            end: Vec::with_capacity(n),
        };
        for bin in 0..genome.n_bins() {
            let Some((index, span)) = genome.bin(bin) else { break };
            table.chrom.push(i32::try_from(index).unwrap_or(i32::MAX));
            table.start.push(i64::try_from(span.start).unwrap_or(i64::MAX));
            table.end.push(i64::try_from(span.end).unwrap_or(i64::MAX));
        }
        table
    }
}

/// The object-store options of one open: the environment's, overridden by `endpoint` and
/// `timeout` (seconds).
fn remote_options(
    py: Python<'_>,
    path: &str,
    endpoint: Option<String>,
    timeout: Option<f64>,
) -> PyResult<gzcm_remote::RemoteOptions> {
    let setting = |e: gzcm_remote::RemoteError| container_error(py, &e.into_container(path));
    let mut remote = gzcm_remote::RemoteOptions::from_env().map_err(setting)?;
    if let Some(endpoint) = endpoint {
        remote = remote.endpoint(endpoint);
    }
    if let Some(seconds) = timeout {
        let timeout = gzcm_remote::parse_timeout("timeout", &seconds.to_string()).map_err(setting)?;
        remote = remote.timeout(timeout);
    }
    Ok(remote)
}

/// The resolutions a `.gzcm` file holds, ascending (read from its header alone), like cooler's
/// `fileops.list_coolers` for an `.mcool`.
#[pyfunction]
#[pyo3(signature = (path, endpoint=None, timeout=None))]
pub(crate) fn resolutions(
    py: Python<'_>,
    path: String,
    endpoint: Option<String>,
    timeout: Option<f64>,
) -> PyResult<Vec<u64>> {
    let remote = remote_options(py, &path, endpoint, timeout)?;
    let listed = py.allow_threads(|| {
        let (location, _) = gzcm_remote::resolve(&path, None)?;
        Ok::<_, ContainerError>(
            gzcm_remote::open_file(location, &remote, ReaderOptions::new())?.resolutions(),
        )
    });
    listed.map_err(|e| container_error(py, &e))
}
