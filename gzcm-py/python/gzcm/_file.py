"""``gzcm.open`` and :class:`GzcmFile`: an open ``.gzcm`` file with cooler-style slicing."""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Optional, Tuple, Union

import numpy as np

from . import _native
from ._errors import InvalidInputError, NoGenomeError

__all__ = ["GzcmFile", "MatrixSelector", "open", "DEFAULT_CACHE_BYTES"]

#: The default tile-cache budget of :func:`open` (256 MiB).
DEFAULT_CACHE_BYTES = 256 << 20

PathLike = Union[str, "os.PathLike[str]"]


def _bounds(key: Any, size: int, axis: str) -> Tuple[int, int]:
    """Resolves an int or a slice along one axis to ``start <= end`` (numpy rules, step 1 only)."""
    if isinstance(key, slice):
        if key.step not in (None, 1):
            raise InvalidInputError(f"{axis} slice step must be 1, got {key.step!r}")
        start, stop, _ = key.indices(size)
        return start, max(start, stop)
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
        index = int(key)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(f"{axis} index {int(key)} is out of range for size {size}")
        return index, index + 1
    raise TypeError(f"{axis} index must be an int or a slice, got {type(key).__name__}")


class MatrixSelector:
    """``f.matrix()[r0:r1, c0:c1]`` → dense ``numpy.ndarray``, as ``cooler.Cooler.matrix()``.

    Bounds follow numpy: ``None`` and negative values are allowed, out-of-range bounds are
    clipped, an integer index keeps its axis (a 1-row window). A step other than 1 raises.
    """

    def __init__(self, file: "GzcmFile", balance: Union[bool, str] = False) -> None:
        self._file = file
        self._balance = balance

    @property
    def shape(self) -> Tuple[int, int]:
        """The matrix shape."""
        return self._file.shape

    def __getitem__(self, key: Any) -> np.ndarray:
        if not isinstance(key, tuple):
            key = (key, slice(None))
        if len(key) != 2:
            raise IndexError(f"a matrix takes 2 indices, got {len(key)}")
        rows, cols = self._file.shape
        r0, r1 = _bounds(key[0], rows, "row")
        c0, c1 = _bounds(key[1], cols, "column")
        if self._balance:
            name = "weight" if self._balance is True else str(self._balance)
            balanced = self._file._reader.balanced_region(r0, r1, c0, c1, name)
            if balanced is None:
                return self._file._weights(self._balance)  # raises NoGenomeError naming the vectors
            return balanced
        return self._file._reader.region(r0, r1, c0, c1)


class GzcmFile:
    """An open ``.gzcm`` file (see :func:`open`). Thread-safe; a context manager.

    Decoding releases the GIL, so several Python threads can read one file at once; decoded
    tiles are shared through a byte-bounded LRU cache.
    """

    def __init__(
        self, path: PathLike, *, cache_bytes: int = DEFAULT_CACHE_BYTES, endpoint: Optional[str] = None
    ) -> None:
        if cache_bytes < 0:
            raise InvalidInputError(f"cache_bytes must be >= 0, got {cache_bytes}")
        self._path = os.fspath(path)
        self._reader = _native.Reader(self._path, int(cache_bytes), endpoint)

    # -- the context manager -------------------------------------------------------------
    def __enter__(self) -> "GzcmFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Forgets the reader (the memory map closes once no window or thread uses it)."""
        self._reader = _ClosedReader(self._path)

    def __repr__(self) -> str:
        rows, cols = self.shape
        return f"<GzcmFile {self._path!r} v{self.version} {rows}×{cols} {self.dtype}>"

    # -- what the file is --------------------------------------------------------------
    @property
    def path(self) -> str:
        """The path the file was opened from."""
        return self._path

    @property
    def shape(self) -> Tuple[int, int]:
        """``(rows, cols)`` in bins."""
        return tuple(self._reader.shape)  # type: ignore[return-value]

    @property
    def dtype(self) -> np.dtype:
        """The cell type (``uint32`` or ``float32``)."""
        return np.dtype(self._reader.dtype)

    @property
    def version(self) -> int:
        """The format version (1 dense, 2 tiled, 3 compressed, 4 compressed + adaptive)."""
        return int(self._reader.version)

    @property
    def tile_shape(self) -> Tuple[int, int]:
        """The nominal tile shape ``(tile_size, tile_size)`` (edge tiles are smaller)."""
        size = int(self._reader.tile_size)
        return (size, size)

    @property
    def tile_grid(self) -> Tuple[int, int]:
        """``(tile_rows, tile_cols)``."""
        return tuple(self._reader.tile_grid)  # type: ignore[return-value]

    @property
    def symmetric(self) -> bool:
        """Whether only the upper triangle is stored (reads mirror it)."""
        return bool(self._reader.symmetric)

    @property
    def codecs(self) -> List[Tuple[str, str]]:
        """Every codec the file uses, as ``(name, wire)`` with wire ``"opaque"`` or ``"self"``."""
        return [tuple(c) for c in self._reader.codecs]  # type: ignore[misc]

    @property
    def header(self) -> Dict[str, Any]:
        """The file's JSON header."""
        return json.loads(self._reader.header_json())

    def info(self) -> Dict[str, Any]:
        """Statistics: shape, tiles stored, bytes, ratio and per-codec usage."""
        return dict(self._reader.info())

    def cache_stats(self) -> Dict[str, int]:
        """Tile-cache counters: ``hits``, ``misses``, ``bytes``."""
        hits, misses, size = self._reader.cache_stats()
        return {"hits": hits, "misses": misses, "bytes": size}

    # -- reading -------------------------------------------------------------------------
    def tile(self, i: int, j: int) -> np.ndarray:
        """Decodes tile ``(i, j)`` at its true shape."""
        if i < 0 or j < 0:
            raise IndexError(f"tile indices must be >= 0, got ({i}, {j})")
        return self._reader.tile(int(i), int(j))

    def matrix(self, balance: Union[bool, str] = False) -> MatrixSelector:
        """A selector: ``f.matrix()[r0:r1, c0:c1]`` is the dense window as a numpy array.

        ``balance=True`` (weights ``"weight"``) or a weight name (``"KR"``) gives float64
        ``count · w[i] · w[j]`` with NaN where a weight is NaN, as cooler does. It needs a file
        with genomic coordinates and raises :class:`NoGenomeError` otherwise.
        """
        if balance:
            self._weights(balance)  # fail now, not at the first window
        return MatrixSelector(self, balance)

    def verify(self) -> Dict[str, Any]:
        """Decodes and checks every stored tile.

        Returns ``{"ok": bool, "tiles_checked": int, "failures": [(tile_row, tile_col, message)]}``.
        """
        checked, failures = self._reader.verify()
        return {"ok": not failures, "tiles_checked": checked, "failures": list(failures)}

    # -- genomic coordinates (Hi-C formats) ---------------------------------------------------
    def _genome(self, what: str) -> Dict[str, Any]:
        genome = self._reader.genome()
        if genome is None:
            raise NoGenomeError(
                f"{self._path!r} has no genomic coordinates (no chromosomes or bins); {what} needs them"
            )
        return genome

    def _weights(self, balance: Union[bool, str]) -> np.ndarray:
        name = "weight" if balance is True else str(balance)
        self._genome(f"balance={balance!r}")
        weights = self._reader.weights(name)
        if weights is None:
            known = ", ".join(self.weight_names) or "none"
            raise NoGenomeError(
                f"{self._path!r} has no balancing weights called {name!r} (it has: {known})"
            )
        return np.asarray(weights, dtype=np.float64)

    @property
    def chromnames(self) -> List[str]:
        """Chromosome names, in file order (files with genomic coordinates only)."""
        return list(self._genome("chromnames")["chromnames"])

    @property
    def chromsizes(self) -> Dict[str, int]:
        """``{chromosome: length in bp}``, in file order (files with genomic coordinates only)."""
        genome = self._genome("chromsizes")
        return dict(zip(genome["chromnames"], (int(n) for n in genome["chromsizes"])))

    @property
    def binsize(self) -> Optional[int]:
        """The bin size in bp, or ``None`` for variable bins (files with genomic coordinates only)."""
        size = self._genome("binsize")["binsize"]
        return None if size is None else int(size)

    @property
    def weight_names(self) -> List[str]:
        """Names of the stored balancing vectors (``weight``, ``KR``, …); empty without a genome."""
        return list(self._reader.weight_names())

    def weights(self, name: str = "weight") -> np.ndarray:
        """The balancing vector ``name`` (float64, one value per bin, NaN for masked bins)."""
        return self._weights(name)

    def bins(self) -> Any:
        """The bin table: ``chrom``, ``start``, ``end`` and one column per weight vector.

        A ``pandas.DataFrame`` (``chrom`` categorical, as cooler) when pandas is importable,
        else a dict of numpy arrays (``chrom`` as an object array of names).
        """
        genome = self._genome("bins()")
        names = np.asarray(genome["chromnames"], dtype=object)
        index = np.asarray(genome["chrom_index"])
        columns: Dict[str, Any] = {
            "chrom": names[index],
            "start": np.asarray(genome["start"]),
            "end": np.asarray(genome["end"]),
        }
        for name in self.weight_names:
            columns[name] = self._weights(name)
        try:
            import pandas as pd  # type: ignore[import-not-found]
        except ImportError:
            return columns
        columns["chrom"] = pd.Categorical.from_codes(index, categories=list(genome["chromnames"]))
        return pd.DataFrame(columns)

    def _bin_range(self, region: str) -> Tuple[int, int]:
        if not isinstance(region, str):
            raise TypeError(f"a region is a string like 'chr1:1,000,000-2,000,000', got {type(region).__name__}")
        found = self._reader.bin_range(region)
        if found is None:
            self._genome(f"fetch({region!r})")
        return int(found[0]), int(found[1])

    def fetch(self, region: str, region2: Optional[str] = None, *, balance: Union[bool, str] = False) -> np.ndarray:
        """The dense window between two genomic regions, as ``cooler.Cooler.matrix().fetch``.

        Regions are ``"chr1"``, ``"chr1:1000000-2000000"`` or ``"chr1:1,000,000-2,000,000"``
        (bp, half-open; a bin is in when any base pair of it is). ``region2`` defaults to
        ``region``. ``balance=True`` (weights ``"weight"``) or a weight name gives float64
        ``count · w[i] · w[j]`` with NaN where a weight is NaN.

        Raises:
            NoGenomeError: the file has no genomic coordinates (or no such weights).
            InvalidInputError: an unknown chromosome (the message lists the file's), bad
                coordinates, or a span outside the chromosome.
        """
        r0, r1 = self._bin_range(region)
        c0, c1 = (r0, r1) if region2 is None else self._bin_range(region2)
        return self.matrix(balance=balance)[r0:r1, c0:c1]


class _ClosedReader:
    """Stands in for the native reader after :meth:`GzcmFile.close`."""

    def __init__(self, path: str) -> None:
        self._path = path

    def __getattr__(self, name: str) -> Any:
        raise ValueError(f"I/O operation on closed gzcm file {self._path!r}")


def open(  # noqa: A001
    path: PathLike, *, cache_bytes: int = DEFAULT_CACHE_BYTES, endpoint: Optional[str] = None
) -> GzcmFile:
    """Opens a ``.gzcm`` file for reading: a local path, or an object-store URL
    (``s3://bucket/key.gzcm``, ``gs://``, ``az://``, ``http(s)://``) read in place with ranged
    requests.

    Args:
        path: the file or URL.
        cache_bytes: budget of the decoded-tile LRU cache in bytes (0 disables it).
        endpoint: the object store's endpoint, e.g. ``http://127.0.0.1:9000`` (default:
            ``$GZCM_ENDPOINT``, else the store's environment such as ``$AWS_ENDPOINT_URL``).
            Credentials come from the environment (``AWS_ACCESS_KEY_ID``, …).

    Raises:
        FileNotFoundError: the file does not exist.
        FormatError: it is not a valid ``.gzcm`` file.
        UnknownCodecError: it needs a codec this process has not registered.
    """
    return GzcmFile(path, cache_bytes=cache_bytes, endpoint=endpoint)
