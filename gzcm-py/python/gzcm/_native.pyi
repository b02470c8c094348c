"""Type stubs of the native module ``gzcm._native`` (PyO3). Use the ``gzcm`` package API instead."""

from os import PathLike
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

__version__: str

def list_codecs() -> List[str]:
    """Every registered codec name, sorted."""

def get_codec(name: str) -> Codec:
    """The codec called ``name``; raises ``UnknownCodecError``."""

def register_python_codec(
    name: str,
    encode: Callable[[np.ndarray], bytes],
    decode: Callable[[bytes, Tuple[int, int], str], np.ndarray],
    shape_of: Optional[Callable[[bytes], Tuple[int, int]]] = None,
) -> None:
    """Registers a Python codec (self-describing when ``shape_of`` is given)."""

def balance(
    path: str,
    resolution: Optional[int],
    all_resolutions: bool,
    method: str,
    mode: str,
    name: Optional[str],
    ignore_diags: int,
    min_nnz: int,
    min_count: float,
    mad_max: float,
    tol: Optional[float],
    max_iters: Optional[int],
    blacklist: Optional[str],
    force: bool,
    memory: int,
) -> List[Dict[str, Any]]:
    """Balances ``path`` and stores the vector; one dict of statistics per resolution."""

def expected(
    path: str,
    resolution: Optional[int],
    balance: Optional[str],
    ignore_diags: int,
    view: Optional[str],
    memory: int,
    store: bool = False,
    force: bool = False,
) -> Tuple[List[str], Dict[str, Any]]:
    """The cis expected of ``path`` as (column order, columns): a matching stored table, else
    computed; with ``store``, computed and stored in the file (``force`` replaces one under the
    same key)."""

class ObservedExpected:
    """Observed/expected windows for one weight vector and ``ignore_diags``; the expected is
    had (stored, else computed with ``memory`` bytes of decoded tiles) at the first window."""

    def __init__(self, weights: str, ignore_diags: int, memory: int) -> None: ...
    @property
    def source(self) -> Optional[str]:
        """``"stored"`` or ``"computed"`` once a window was read, else ``None``."""
    def window(self, reader: "Reader", r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
        """The float64 window balanced ÷ expected of each cell's diagonal, NaN where undefined.
        Raises ``InvalidInputError`` for a window that touches a trans block."""

def convert_path(
    src: str,
    dst: Union[str, PathLike[str]],
    symmetric: Optional[bool],
    options: Dict[str, Any],
    resolution: Optional[int] = None,
    chrom: Optional[str] = None,
    weights: Union[str, Sequence[str], None] = None,
    bins: Union[str, PathLike[str], None] = None,
    resolutions: Optional[Sequence[int]] = None,
) -> Dict[str, Any]:
    """Converts anything ``gzcm convert`` reads: COO text, ``.npy``, ``synthetic:``, and
    ``.cool``, ``.mcool[::/resolutions/R]``, ``.hic`` (``resolution``, ``resolutions``,
    ``chrom``, ``weights`` apply to those; ``bins``, a ``.bins.tsv``, to COO text)."""

def load_pairs(
    src: Union[str, PathLike[str]],
    dst: Union[str, PathLike[str]],
    options: Dict[str, Any],
) -> Dict[str, Any]:
    """A pairs file (4DN .pairs, validPairs, bg2, COO; plain or gzip) into a .gzcm file at every
    resolution (``gzcm load``)."""

def zoomify(
    src: str,
    dst: Union[str, PathLike[str]],
    options: Dict[str, Any],
    resolutions: Optional[Sequence[int]] = None,
    nice: bool = False,
    base_multiples: bool = False,
) -> Dict[str, Any]:
    """The base and every coarser resolution into one multi-resolution file (``gzcm
    zoomify``); weights are not carried to coarser resolutions."""

def zoomify_plan(
    src: Union[str, PathLike[str]],
    resolutions: Optional[Sequence[int]] = None,
    nice: bool = False,
    base_multiples: bool = False,
) -> Tuple[int, List[int]]:
    """``(base resolution, coarser resolutions)`` of a ``.gzcm`` file with fixed genomic bins:
    the list checked against the base, or cooler's nice (1-2-5) or base-multiple (×2)
    progression up to the genome in one 256-bin tile."""

def prepare_window(
    counts: np.ndarray,
    row_weights: Optional[np.ndarray],
    col_weights: Optional[np.ndarray],
    expected: Optional[np.ndarray],
    diag_shift: int,
    diagonal_offset: int,
    transform: str,
    clip: Optional[Tuple[float, float]],
    nan_to: Optional[float],
) -> Tuple[np.ndarray, np.ndarray, int]:
    """One training window in one pass: ``counts`` balanced by the row and column weights,
    divided by ``expected[|row - col|]`` (``diag_shift`` = first row - first column), cells with
    ``|row - col| < diagonal_offset`` NaN, ``transform`` (``"none"``, ``"log1p"``, ``"log"``),
    ``clip`` as numpy's, non-finite cells set to ``nan_to``. Returns ``(float32 values, mask of
    finite cells before nan_to, count of finite non-zero cells before the transform outside
    the masked diagonals)``."""
    ...

def zoomify_levels(
    src: Union[str, PathLike[str]],
    outputs: Sequence[Tuple[int, Union[str, PathLike[str]]]],
    options: Dict[str, Any],
) -> List[Dict[str, Any]]:
    """Writes each coarser level (resolution, path) of a ``.gzcm`` file with fixed genomic
    bins to its own single-resolution file, summing bins within chromosomes as ``cooler
    zoomify`` does; weights are not carried to coarser resolutions."""

def convert_dense(
    values: np.ndarray,
    shape: Tuple[int, int],
    symmetric: bool,
    dst: Union[str, PathLike[str]],
    options: Dict[str, Any],
) -> Dict[str, Any]:
    """Converts row-major dense cells (1-D uint32/float32) of ``shape``."""

def convert_coo(
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    shape: Tuple[int, int],
    symmetric: bool,
    dst: Union[str, PathLike[str]],
    options: Dict[str, Any],
) -> Dict[str, Any]:
    """Converts COO triples (uint32 indices, uint32/float32 values)."""

def _panic_for_test(message: str) -> None:
    """Panics in Rust (tests check it surfaces as an exception)."""

class Codec:
    """A registered codec."""

    @property
    def name(self) -> str:
        """The registered name."""
    @property
    def wire(self) -> str:
        """``"opaque"`` or ``"self"``."""
    @property
    def origin(self) -> str:
        """The declaring crate, or ``"python"``."""
    def encode(self, array: np.ndarray, level: Optional[int] = None) -> bytes:
        """Encodes a 2-D uint32/float32 array into the codec's payload (no file framing)."""
    def decode(self, data: bytes, shape: Tuple[int, int], dtype: str) -> np.ndarray:
        """Decodes a payload into an array of ``shape`` and ``dtype``."""

def plot_data(
    reader: "Reader",
    name: str,
    range: Optional[str],
    range2: Optional[str],
    balance: Optional[str],
    oe: bool,
    ignore_diags: int,
    scale: str,
    vmin: Optional[float],
    vmax: Optional[float],
    percentile: Optional[Tuple[float, float]],
    cmap: Optional[str],
    pixels: int,
) -> Dict[str, Any]:
    """A window prepared for a heatmap (values, extent, colour limits and map, ticks, title)."""

def resolutions(path: str, endpoint: Optional[str] = None, timeout: Optional[float] = None) -> List[int]:
    """The resolutions a ``.gzcm`` file holds, ascending."""

class Reader:
    """An open ``.gzcm`` file."""

    def __init__(
        self,
        path: str,
        cache_bytes: int,
        endpoint: Optional[str] = None,
        timeout: Optional[float] = None,
        resolution: Optional[int] = None,
    ) -> None: ...
    @property
    def path(self) -> Path:
        """The path the file was opened from."""
    @property
    def resolutions(self) -> List[int]:
        """Every resolution of the file, ascending."""
    @property
    def resolution(self) -> Optional[int]:
        """The resolution read, when the bins are of one size."""
    @property
    def shape(self) -> Tuple[int, int]:
        """``(rows, cols)``."""
    @property
    def dtype(self) -> str:
        """``"uint32"`` or ``"float32"``."""
    @property
    def version(self) -> int:
        """Format version."""
    @property
    def tile_size(self) -> int:
        """Nominal tile edge."""
    @property
    def tile_grid(self) -> Tuple[int, int]:
        """Tile grid."""
    @property
    def symmetric(self) -> bool:
        """Upper triangle stored only."""
    @property
    def codecs(self) -> List[Tuple[str, str]]:
        """``(name, wire)`` of every codec used."""
    def header_json(self) -> str:
        """The JSON header."""
    def info(self) -> Dict[str, Any]:
        """Statistics."""
    def tile(self, i: int, j: int) -> np.ndarray:
        """Tile ``(i, j)``."""
    def window(self, r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
        """Dense window."""
    def balanced_window(
        self, r0: int, r1: int, c0: int, c1: int, name: str, divisive: bool = False
    ) -> Optional[np.ndarray]:
        """Dense window balanced with weights ``name``: float64 ``count · w[i] · w[j]`` (or
        ``count / (w[i] · w[j])`` with ``divisive``), NaN where a weight is NaN; ``None`` when the
        file has no vector ``name``."""
    def verify(self) -> Tuple[int, List[Tuple[int, int, str]]]:
        """``(tiles_checked, failures)``."""
    def cache_stats(self) -> Tuple[int, int, int]:
        """``(hits, misses, bytes)``."""
    def genome(self) -> Optional[Dict[str, Any]]:
        """The genome, or ``None``: ``chromnames``, ``chromsizes``, ``assembly``, ``binsize``
        (``None`` for variable bins) and the bin table ``chrom_index`` (int32), ``start``,
        ``end`` (int64) as 1-D arrays."""
    def weights(self, name: str) -> Optional[np.ndarray]:
        """Balancing weights ``name`` (1-D float64, NaN for masked bins), or ``None``."""
    def weight_names(self) -> List[str]:
        """Names of the stored weight vectors (empty without a genome)."""
    def stored_expected(self) -> List[Tuple[str, int, Optional[str]]]:
        """The stored cis expected tables: ``(weights, ignore_diags, writer)`` each."""
    def bin_range(self, region: str) -> Optional[Tuple[int, int]]:
        """Bins ``(start, end)`` overlapping ``region``, or ``None`` without a genome.

        Raises ``InvalidInputError`` for an unknown chromosome, bad coordinates or a span
        outside the chromosome."""
    def pixels(
        self, r0: int, r1: int, c0: int, c1: int, upper: bool
    ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The non-zero cells of ``rows r0..r1 × cols c0..c1`` in row-major order:
        ``(bin1_id int64, bin2_id int64, values)`` (values of the file's dtype). ``upper`` keeps
        only ``bin1_id <= bin2_id`` of a symmetric file (cooler's pixel table); otherwise the
        mirrored lower triangle is listed too. Raises ``OutOfBoundsError`` for a window outside
        the matrix."""
    def balanced_pixels(
        self, r0: int, r1: int, c0: int, c1: int, upper: bool, name: str, divisive: bool = False
    ) -> Optional[Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
        """As :meth:`pixels`, with a fourth array: each pixel balanced with weights ``name``
        (float64 ``count · w[bin1] · w[bin2]``, or divided with ``divisive``; NaN where a weight
        is NaN); ``None`` when the file has no vector ``name``."""
    def band_counts(self) -> Tuple[np.ndarray, np.ndarray]:
        """``(tile_rows uint32, counts uint64)``: the stored pixels (upper triangle of a
        symmetric file) of each tile row that holds any, ascending."""
