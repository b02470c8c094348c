"""``gzcm.open`` and :class:`GzcmFile`: an open ``.gzcm`` file read as ``cooler.Cooler`` reads
a ``.cool`` file (``matrix()``, ``pixels()``, ``bins()``, ``chroms()``, ``info``, ``extent``, …).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import numpy as np

from . import _native
from ._balance import DEFAULT_MEMORY
from ._errors import InvalidInputError, MissingDependencyError, NoGenomeError
from ._pixels import PixelIndex
from ._selectors import MatrixSelector, Region, TableSelector
from ._tables import GenomeTables, bin_frame, chrom_frame, count_column, pixel_frame, require_pandas

__all__ = ["GzcmFile", "MatrixSelector", "TableSelector", "open", "DEFAULT_CACHE_BYTES"]

#: The default tile-cache budget of :func:`open` (256 MiB).
DEFAULT_CACHE_BYTES = 256 << 20

PathLike = Union[str, "os.PathLike[str]"]

#: Weight names cooler reads as divisive by default (``count / (w_i · w_j)``). gzcm stores every
#: vector multiplicatively (these are inverted at conversion), so its default product already
#: equals cooler's default for them.
_COOLER_DIVISIVE_WEIGHTS = frozenset({"KR", "VC", "VC_SQRT"})


@dataclass(frozen=True)
class _Weighting:
    """A resolved ``balance=`` choice: the weight vector, and whether to use ``1 / w``."""

    name: str
    invert: bool


def _balanced_window(file: "GzcmFile", r0: int, r1: int, c0: int, c1: int, weighting: _Weighting) -> np.ndarray:
    """The dense balanced window ``count · w[i] · w[j]`` (``count / (w[i] · w[j])`` when inverted;
    float64, NaN where a weight is NaN), as cooler computes it, by the extension's one balancing
    routine (``gzcm_genome::balance``)."""
    window = file._reader.balanced_window(r0, r1, c0, c1, weighting.name, weighting.invert)
    if window is None:
        raise NoGenomeError(f"{file._path}: no weight vector {weighting.name!r}")
    return window


def _scipy_coo_matrix() -> Any:
    try:
        from scipy.sparse import coo_matrix
    except ImportError:
        raise MissingDependencyError(
            "matrix(sparse=True) returns a scipy.sparse.coo_matrix: install scipy (`pip install scipy`)",
            package="scipy",
        ) from None
    return coo_matrix


class GzcmFile:
    """An open ``.gzcm`` file (see :func:`open`). Thread-safe; a context manager.

    It reads as ``cooler.Cooler`` does: ``matrix()``, ``pixels()``, ``bins()`` and ``chroms()``
    are selectors (``[…]`` by bins or rows, ``.fetch(region)`` by genomic region), ``info`` is
    cooler's metadata dict, and ``binsize``, ``chromnames``, ``chromsizes``, ``offset`` and
    ``extent`` mean what they mean there. The tables need pandas; genomic coordinates need a file
    converted from ``.cool``, ``.mcool`` or ``.hic`` (others raise :class:`NoGenomeError`).

    Decoding releases the GIL, so several Python threads can read one file at once; decoded
    tiles are shared through a byte-bounded LRU cache.
    """

    def __init__(
        self,
        path: PathLike,
        *,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
        endpoint: Optional[str] = None,
        timeout: Optional[float] = None,
        resolution: Optional[int] = None,
    ) -> None:
        if cache_bytes < 0:
            raise InvalidInputError(f"cache_bytes must be >= 0, got {cache_bytes}")
        self._path = os.fspath(path)
        seconds = None if timeout is None else float(timeout)
        chosen = None if resolution is None else int(resolution)
        self._open_args = (int(cache_bytes), endpoint, seconds, chosen)
        self._reader = _native.Reader(self._path, *self._open_args)
        self._genome_read = False
        self._genome_tables: Optional[GenomeTables] = None
        self._pixel_index = PixelIndex(lambda: self._reader)

    # -- the context manager -------------------------------------------------------------
    def __enter__(self) -> "GzcmFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Forgets the reader (the memory map closes once no window or thread uses it)."""
        self._reader = _ClosedReader(self._path)
        self._genome_read = False
        self._genome_tables = None
        self._pixel_index = PixelIndex(lambda: self._reader)

    def __repr__(self) -> str:
        rows, cols = self.shape
        return f"<GzcmFile {self._path!r} v{self.version} {rows}×{cols} {self.dtype}>"

    # -- what the file is --------------------------------------------------------------
    @property
    def resolutions(self) -> List[int]:
        """Every resolution (bin size in bp) of the file this was opened from, ascending: several
        for a multi-resolution file, the bin size of a single-resolution one with genomic bins,
        none otherwise. Open another with ``gzcm.open(path, resolution=R)``."""
        return list(self._reader.resolutions)

    @property
    def resolution(self) -> Optional[int]:
        """The resolution read (the bin size in bp), when the bins are of one size."""
        return self._reader.resolution

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
    def storage_mode(self) -> str:
        """cooler's name for the layout: ``"symmetric-upper"`` or ``"square"``."""
        return "symmetric-upper" if self.symmetric else "square"

    @property
    def codecs(self) -> List[Tuple[str, str]]:
        """Every codec the file uses, as ``(name, wire)`` with wire ``"opaque"`` or ``"self"``."""
        return [tuple(c) for c in self._reader.codecs]  # type: ignore[misc]

    @property
    def header(self) -> Dict[str, Any]:
        """The file's JSON header."""
        return json.loads(self._reader.header_json())

    @property
    def info(self) -> Dict[str, Any]:
        """File information as ``cooler.Cooler.info`` gives it.

        Always: ``format`` (``"gzcm"``), ``format-version``, ``storage-mode``, ``nbins`` (rows),
        ``nnz`` (stored pixels as cooler counts them: the upper triangle of a symmetric map;
        counted from the tile index, decoding only diagonal tiles, once per open file) and
        ``generated-by`` when the file names its writer. With genomic coordinates also
        ``bin-type`` (``"fixed"``/``"variable"``), ``bin-size`` (``None`` for variable bins),
        ``nchroms`` and ``genome-assembly`` (``"unknown"`` when not recorded). cooler's ``sum``
        is left out: it would decode every tile. Storage figures are in :meth:`stats`.
        """
        info: Dict[str, Any] = {
            "format": "gzcm",
            "format-version": self.version,
            "storage-mode": self.storage_mode,
            "nbins": self.shape[0],
            "nnz": len(self._pixel_index),
        }
        writer = self.header.get("metadata", {}).get("writer")
        if writer:
            info["generated-by"] = writer
        genome = self._genome_or_none()
        if genome is not None:
            info["bin-type"] = "variable" if genome.binsize is None else "fixed"
            info["bin-size"] = genome.binsize
            info["nchroms"] = len(genome.chromnames)
            info["genome-assembly"] = genome.assembly or "unknown"
        return info

    def stats(self) -> Dict[str, Any]:
        """Storage statistics: shape, tiles stored, bytes, ratio and per-codec usage.

        ``nnz`` is the number of stored pixels as cooler counts them, the same as
        ``info["nnz"]``: for a symmetric map, the non-zero cells of the upper triangle
        (``bin1 <= bin2``). ``stored_cells`` is the non-zero cells the tiles hold, where a
        diagonal tile of a symmetric map holds both halves (so it counts off-diagonal cells
        near the diagonal twice). ``tiles_stored`` counts tiles under index records of their own;
        ``tile_groups`` the records that each hold many sparse tiles of a row (format revision
        groups-1, written by :func:`load_pairs` and :func:`zoomify`).
        """
        stats = dict(self._reader.info())
        stats["stored_cells"] = stats["nnz"]
        stats["nnz"] = len(self._pixel_index)
        return stats

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

    def matrix(
        self,
        field: Optional[str] = None,
        balance: Union[bool, str] = "auto",
        sparse: bool = False,
        as_pixels: bool = False,
        join: bool = False,
        ignore_index: bool = True,
        divisive_weights: Optional[bool] = None,
        chunksize: int = 10_000_000,
        oe: bool = False,
        ignore_diags: int = 2,
    ) -> MatrixSelector:
        """A selector of the contact matrix, as ``cooler.Cooler.matrix``: ``f.matrix()[r0:r1,
        c0:c1]`` by bins, ``f.matrix().fetch("chr1:1,000,000-2,000,000", "chrX")`` by region.

        Args:
            field: ``None`` or ``"count"`` (a ``.gzcm`` file holds one value per cell).
            balance: ``True`` for the weights ``"weight"``, a weight name (``"KR"``), or
                ``False`` for the stored counts. The default ``"auto"`` is cooler's default
                (``True``) on a file that has a ``weight`` vector and ``False`` on one that has
                not (cooler would raise there); ``"auto"`` is therefore not usable as a weight
                name. Balanced values are float64 ``count · w[i] · w[j]``, NaN where a weight
                is NaN, as cooler computes them.
            sparse: a ``scipy.sparse.coo_matrix`` of the window (both triangles, as cooler)
                instead of a dense array. Needs scipy.
            as_pixels: a ``pandas.DataFrame`` of the stored pixels in the window instead
                (``bin1_id``, ``bin2_id``, ``count``, plus ``balanced`` when balancing); for a
                symmetric map only the upper triangle, as cooler stores it. Needs pandas.
            join: with ``as_pixels``, replace the bin ids by ``chrom1``, ``start1``, ``end1``,
                ``chrom2``, ``start2``, ``end2`` (no effect otherwise, as in cooler).
            ignore_index: must stay ``True`` with ``as_pixels``: gzcm has no pixel-table row ids
                to put in the index (a ``RangeIndex`` is used, as cooler's default).
            divisive_weights: as cooler: ``None`` reads ``KR``, ``VC`` and ``VC_SQRT`` as
                divisive and other vectors as multiplicative; ``True``/``False`` force one
                reading. (gzcm stores every vector multiplicatively, converted at import, so
                the results equal cooler's on the source file.)
            chunksize: accepted for compatibility (a positive int); gzcm reads by tiles, so it
                changes nothing in the result.
            oe: observed/expected (dense windows only): each balanced value divided by the cis
                expected of its diagonal, cooltools' ``balanced.avg`` of
                ``expected_cis(clr, smooth=False, ignore_diags=ignore_diags)`` for the
                chromosome holding it; NaN where undefined (masked bins, ignored diagonals, an
                expected of 0). Needs balancing (``balance="auto"`` on a file with ``weight``,
                ``True`` or a name). The expected is the one stored in the file
                (:func:`gzcm.expected` with ``store=True``) when it matches the weights and
                ``ignore_diags``, else computed once, at the selector's first window. Cis
                only: a window that touches a trans block raises :class:`InvalidInputError`.
            ignore_diags: with ``oe``, the diagonals the expected leaves out (their cells are
                NaN); cooltools' default 2.

        Dense windows of unbalanced counts keep the file's dtype (``uint32`` or ``float32``;
        cooler gives int32/float64); sparse and pixel counts use cooler's int32 / float64.

        Raises:
            InvalidInputError: an unsupported ``field``, ``ignore_index=False`` with
                ``as_pixels``, or a bad ``balance``/``divisive_weights``/``chunksize`` value;
                ``oe`` without balancing, with ``sparse``/``as_pixels`` or with weights read
                against their default (``divisive_weights``).
            NoGenomeError: balancing or ``join`` on a file without genomic coordinates, or no
                weight vector of that name.
            MissingDependencyError: pandas (``as_pixels``) or scipy (``sparse``) is missing.
        """
        if field not in (None, "count"):
            raise InvalidInputError(f"field {field!r}: a .gzcm file holds one value per cell, 'count'")
        if isinstance(chunksize, bool) or not isinstance(chunksize, (int, np.integer)) or chunksize < 1:
            raise InvalidInputError(f"chunksize must be a positive int, got {chunksize!r}")
        weighting = self._weighting(balance, divisive_weights)
        slicer: Callable[[int, int, int, int], Any]
        if oe:
            return MatrixSelector(self.shape, self._oe_slicer(weighting, sparse, as_pixels, ignore_diags), self._window_of)
        if as_pixels:
            if not ignore_index:
                raise InvalidInputError(
                    "ignore_index=False is not supported: a .gzcm file has no pixel-table row ids"
                )
            pd = require_pandas("matrix(as_pixels=True)")
            genome = self._genome("matrix(as_pixels=True, join=True)") if join else None

            def slicer(r0: int, r1: int, c0: int, c1: int) -> Any:
                extra = {}
                if weighting is None:
                    bin1, bin2, values = self._reader.pixels(r0, r1, c0, c1, True)
                else:
                    bin1, bin2, values, extra["balanced"] = self._balanced_pixels(r0, r1, c0, c1, True, weighting)
                return pixel_frame(pd, bin1, bin2, values, extra=extra, join=genome)

        elif sparse:
            coo_matrix = _scipy_coo_matrix()

            def slicer(r0: int, r1: int, c0: int, c1: int) -> Any:
                if weighting is None:
                    bin1, bin2, values = self._reader.pixels(r0, r1, c0, c1, False)
                    data = count_column(values)
                else:
                    bin1, bin2, _, data = self._balanced_pixels(r0, r1, c0, c1, False, weighting)
                return coo_matrix((data, (bin1 - r0, bin2 - c0)), shape=(r1 - r0, c1 - c0))

        elif weighting is not None:

            def slicer(r0: int, r1: int, c0: int, c1: int) -> Any:
                return _balanced_window(self, r0, r1, c0, c1, weighting)

        else:

            def slicer(r0: int, r1: int, c0: int, c1: int) -> Any:
                return self._reader.window(r0, r1, c0, c1)

        return MatrixSelector(self.shape, slicer, self._window_of)

    def _oe_slicer(
        self, weighting: Optional[_Weighting], sparse: bool, as_pixels: bool, ignore_diags: Any
    ) -> Callable[[int, int, int, int], np.ndarray]:
        """The slicer of ``matrix(oe=True)``: dense observed/expected windows by the
        extension's ``gzcm_balance::ObservedExpected`` (the expected had once, at the first
        window, and kept)."""
        if weighting is None:
            raise InvalidInputError(
                "oe=True divides balanced values by the expected: balance with balance=True or a "
                f"weight name (this file's vectors: {', '.join(self.weight_names) or 'none'})"
            )
        if weighting.invert:
            raise InvalidInputError(
                "oe=True reads the weights as stored (the expected is computed with them); drop divisive_weights"
            )
        if sparse or as_pixels:
            raise InvalidInputError("oe=True gives dense windows; sparse=True and as_pixels=True are not supported with it")
        if isinstance(ignore_diags, bool) or not isinstance(ignore_diags, (int, np.integer)) or ignore_diags < 0:
            raise InvalidInputError(f"ignore_diags must be an int >= 0, got {ignore_diags!r}")
        windows = _native.ObservedExpected(weighting.name, int(ignore_diags), 1 << 30)

        def slicer(r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
            return windows.window(self._reader, r0, r1, c0, c1)

        return slicer

    def pixels(self, join: bool = False) -> TableSelector:
        """cooler's pixel table: the stored non-zero cells in row-major order (for a symmetric map
        the upper triangle, ``bin1_id <= bin2_id``), as ``cooler.Cooler.pixels``.

        ``f.pixels()[lo:hi]`` is a ``pandas.DataFrame`` of pixels ``lo..hi`` (``bin1_id``,
        ``bin2_id`` int64, ``count`` int32 — float64 for float maps — indexed by pixel number);
        ``f.pixels().fetch(region)`` gives the pixels whose ``bin1_id`` lies in the region.
        ``join=True`` replaces the bin ids by ``chrom1``, ``start1``, ``end1``, ``chrom2``,
        ``start2``, ``end2``. Pixel numbers come from the tile index (diagonal tiles are decoded
        once to count their upper triangle); a slice decodes only the tile rows it touches.

        Raises:
            MissingDependencyError: pandas is not installed.
            NoGenomeError: ``join=True`` or ``fetch`` on a file without genomic coordinates.
        """
        pd = require_pandas("pixels()")
        genome = self._genome("pixels(join=True)") if join else None
        index = self._pixel_index

        def slicer(lo: int, hi: int) -> Any:
            bin1, bin2, values, first = index.take(lo, hi)
            rows = np.arange(first, first + len(bin1))
            return pixel_frame(pd, bin1, bin2, values, index=rows, join=genome)

        def fetcher(region: Region) -> Tuple[int, int]:
            r0, r1 = self.extent(region)
            bin1, _, _, first = index.rows(r0, r1)
            return first, first + len(bin1)

        return TableSelector(None, slicer, fetcher, lambda: len(index), "pixels()")

    def _member_resolution(self) -> Optional[int]:
        """The resolution to name when writing: this one, for a multi-resolution file."""
        return self._reader.resolution if len(self._reader.resolutions) > 1 else None

    def _reopen(self) -> None:
        """Opens the file again (after a vector or table was stored in it, atomically: the old
        reader still maps the replaced file)."""
        self._reader = _native.Reader(self._path, *self._open_args)
        self._genome_read = False
        self._genome_tables = None
        self._pixel_index = PixelIndex(lambda: self._reader)

    def balance(
        self,
        *,
        method: str = "ice",
        mode: str = "genome-wide",
        name: Optional[str] = None,
        ignore_diags: int = 2,
        min_nnz: int = 10,
        min_count: float = 0,
        mad_max: float = 5,
        tol: Optional[float] = None,
        max_iters: Optional[int] = None,
        blacklist: Optional[PathLike] = None,
        force: bool = False,
        memory: int = DEFAULT_MEMORY,
    ) -> Dict[str, Any]:
        """Balances this file's contact map (at its resolution) and stores the vector in it, as
        :func:`gzcm.balance` does with the same options, then reopens the file, so
        ``matrix(balance=name)`` reads the new vector. Local files only.

        Returns:
            The vector's statistics (see :func:`gzcm.balance`).
        """
        from ._balance import balance

        stats = balance(
            self._path,
            resolution=self._member_resolution(),
            method=method,
            mode=mode,
            name=name,
            ignore_diags=ignore_diags,
            min_nnz=min_nnz,
            min_count=min_count,
            mad_max=mad_max,
            tol=tol,
            max_iters=max_iters,
            blacklist=blacklist,
            force=force,
            memory=memory,
        )
        self._reopen()
        return stats  # type: ignore[return-value]

    def expected(
        self,
        *,
        balance: Union[str, bool, None] = "weight",
        ignore_diags: int = 2,
        view: Optional[PathLike] = None,
        store: bool = False,
        force: bool = False,
    ) -> Any:
        """The cis expected (contacts by distance) per chromosome, or per region of ``view``
        (a BED file), as cooltools' ``expected_cis(clr, smooth=False)`` DataFrame; a table
        stored in the file for the same weights and ``ignore_diags`` is read instead. With
        ``store=True`` it is computed and stored in the file (``force=True`` replaces one under
        the same key) and the file is reopened, so O/E reads and ``stored_expected`` see it.
        See :func:`gzcm.expected`. Local files only.
        """
        from ._balance import expected

        table = expected(
            self._path,
            resolution=self._member_resolution(),
            balance=balance,
            ignore_diags=ignore_diags,
            view=view,
            store=store,
            force=force,
        )
        if store:
            self._reopen()
        return table

    def plot(
        self,
        region: Any = None,
        region2: Any = None,
        *,
        ax: Any = None,
        balance: Union[bool, str] = False,
        oe: bool = False,
        ignore_diags: int = 2,
        scale: str = "log",
        vmin: Optional[float] = None,
        vmax: Optional[float] = None,
        percentile: Optional[Tuple[float, float]] = None,
        cmap: Optional[str] = None,
        size: int = 800,
        colorbar: bool = True,
    ) -> Any:
        """A heatmap of ``region`` (rows; ``region2`` the columns) on matplotlib, as ``gzcm plot``
        draws it: the same values, colour limits, ticks and title, computed by the extension.

        Args:
            region: ``"chr2:10M-60M"``, ``"chr2"``, chromosomes ``"1-5"``, ``(chrom, start, end)``;
                ``None`` is the whole genome.
            ax: the matplotlib axes to draw on (default: a new figure's).
            balance: ``True`` (``weight``, else the first vector) or a vector's name; masked bins
                are drawn grey.
            oe: observed/expected (one chromosome; implies ``balance``), ``ignore_diags`` as
                :meth:`matrix`.
            scale: ``"log"`` or ``"linear"``.
            vmin, vmax, percentile: colour limits, fixed or as percentiles ``(low, high)`` of the
                values shown (default the 1st and 99.5th; symmetric about 1 for ``oe``).
            cmap: ``fall`` (default), ``Reds``, ``Greys``, ``viridis``, ``RdBu_r`` (``oe`` default).
            size: the most cells a side (1 to 4096): a larger window is aggregated while it is
                read (each cell the mean of its bins), so whole-genome views need no dense matrix.
            colorbar: add a colour bar.

        Returns:
            The ``AxesImage``; its ``gzcm`` attribute holds the resolution, bins per cell
            (``step``), the values shown and the colour limits.

        Raises:
            MissingDependencyError: matplotlib is not installed.
            InvalidInputError: a bad region, colour map, scale or limit; a trans ``oe`` window.
            NoGenomeError: the file has no genomic coordinates.
        """
        from ._plot import plot

        return plot(
            self,
            region,
            region2,
            ax=ax,
            balance=balance,
            oe=oe,
            ignore_diags=ignore_diags,
            scale=scale,
            vmin=vmin,
            vmax=vmax,
            percentile=percentile,
            cmap=cmap,
            size=size,
            colorbar=colorbar,
        )

    @property
    def stored_expected(self) -> List[Dict[str, Any]]:
        """The cis expected tables stored in the file (``expected(store=True)``, ``gzcm
        expected --store``): one ``{"balance", "ignore_diags", "writer"}`` dict each."""
        return [
            {"balance": name, "ignore_diags": diags, "writer": writer}
            for name, diags, writer in self._reader.stored_expected()
        ]

    def verify(self) -> Dict[str, Any]:
        """Decodes and checks every stored tile.

        Returns ``{"ok": bool, "tiles_checked": int, "failures": [(tile_row, tile_col, message)]}``.
        """
        checked, failures = self._reader.verify()
        return {"ok": not failures, "tiles_checked": checked, "failures": list(failures)}

    # -- genomic coordinates (Hi-C formats) ---------------------------------------------------
    def _genome_or_none(self) -> Optional[GenomeTables]:
        if not self._genome_read:
            native = self._reader.genome()
            self._genome_tables = None if native is None else GenomeTables.from_native(native)
            self._genome_read = True
        return self._genome_tables

    def _genome(self, what: str) -> GenomeTables:
        genome = self._genome_or_none()
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

    def _weighting(self, balance: Any, divisive_weights: Any) -> Optional[_Weighting]:
        """Resolves ``balance=`` and ``divisive_weights=`` (see :meth:`matrix`); checks the
        weights exist now rather than at the first window."""
        if divisive_weights is not None and not isinstance(divisive_weights, (bool, np.bool_)):
            raise InvalidInputError(f"divisive_weights must be None, True or False, got {divisive_weights!r}")
        if isinstance(balance, str):
            name: Optional[str] = balance
            if balance == "auto":
                name = "weight" if "weight" in self.weight_names else None
        elif balance is None or isinstance(balance, (bool, np.bool_)):
            name = "weight" if balance else None
        else:
            raise InvalidInputError(f"balance must be True, False, 'auto' or a weight name, got {balance!r}")
        if name is None:
            return None
        self._weights(name)
        divisive_by_default = name in _COOLER_DIVISIVE_WEIGHTS
        invert = divisive_weights is not None and bool(divisive_weights) != divisive_by_default
        return _Weighting(name, invert)

    def _balanced_pixels(
        self, r0: int, r1: int, c0: int, c1: int, upper: bool, weighting: _Weighting
    ) -> Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Pixels of a window with their balanced values, by the extension's one balancing
        routine (``gzcm_genome::balance``)."""
        listed = self._reader.balanced_pixels(r0, r1, c0, c1, upper, weighting.name, weighting.invert)
        if listed is None:
            self._weights(weighting.name)  # raises NoGenomeError naming the vectors there are
            raise NoGenomeError(f"{self._path}: no weight vector {weighting.name!r}")
        return listed

    def _cooler_column(self, name: str) -> np.ndarray:
        """Weight vector ``name`` as a ``.cool`` bin table holds it (divisive for cooler's
        divisive names, see :data:`_COOLER_DIVISIVE_WEIGHTS`)."""
        weights = self._weights(name)
        return 1.0 / weights if name in _COOLER_DIVISIVE_WEIGHTS else weights

    @property
    def chromnames(self) -> List[str]:
        """Chromosome names, in file order (files with genomic coordinates only)."""
        return list(self._genome("chromnames").chromnames)

    @property
    def chromsizes(self) -> Any:
        """Chromosome lengths in bp as cooler gives them: a ``pandas.Series`` named ``length``
        (int32), indexed by chromosome ``name`` in file order. Needs pandas."""
        genome = self._genome("chromsizes")
        pd = require_pandas("chromsizes")
        names = pd.Index(genome.chromnames, dtype=object, name="name")
        return pd.Series(genome.chromsizes, index=names, name="length")

    @property
    def binsize(self) -> Optional[int]:
        """The bin size in bp, or ``None`` for variable bins (files with genomic coordinates only)."""
        return self._genome("binsize").binsize

    @property
    def weight_names(self) -> List[str]:
        """Names of the stored balancing vectors (``weight``, ``KR``, …); empty without a genome."""
        return list(self._reader.weight_names())

    def weights(self, name: str = "weight") -> np.ndarray:
        """The balancing vector ``name`` (float64, one value per bin, NaN for masked bins)."""
        return self._weights(name)

    def chroms(self) -> TableSelector:
        """cooler's chromosome table: ``f.chroms()[:]`` is a ``pandas.DataFrame`` with ``name``
        and ``length`` (int32). Needs pandas and genomic coordinates."""
        genome = self._genome("chroms()")
        pd = require_pandas("chroms()")
        return TableSelector(
            None, lambda lo, hi: chrom_frame(pd, genome, lo, hi), None, lambda: len(genome.chromnames), "chroms()"
        )

    def bins(self) -> TableSelector:
        """cooler's bin table: ``f.bins()[lo:hi]`` (or ``.fetch(region)``) is a ``pandas.DataFrame``
        with ``chrom`` (categorical, ordered as the file's chromosomes), ``start``, ``end``
        (int32) and one float64 column per weight vector, indexed by bin. Needs pandas and
        genomic coordinates.

        Weight columns hold what a ``.cool`` file holds: ``KR``, ``VC`` and ``VC_SQRT`` in the
        divisive form cooler expects (``1 / w`` of gzcm's multiplicative :meth:`weights`), the
        others as stored."""
        genome = self._genome("bins()")
        pd = require_pandas("bins()")
        weights = {name: self._cooler_column(name) for name in self.weight_names}
        return TableSelector(
            None, lambda lo, hi: bin_frame(pd, genome, weights, lo, hi), self.extent, lambda: genome.nbins, "bins()"
        )

    def extent(self, region: Region) -> Tuple[int, int]:
        """The bins ``(start, end)`` that overlap ``region``, as ``cooler.Cooler.extent``.

        ``region`` is ``"chr1"``, ``"chr1:1,000,000-2,000,000"`` or ``(chrom, start, end)`` with
        ``start``/``end`` in bp or ``None`` (half-open; a bin is in when any base pair of it is).

        Raises:
            NoGenomeError: the file has no genomic coordinates.
            InvalidInputError: an unknown chromosome (the message lists the file's), bad
                coordinates, or a span outside the chromosome.
        """
        text = self._region_text(region)
        found = self._reader.bin_range(text)
        if found is None:
            self._genome(f"the region {text!r}")
        return int(found[0]), int(found[1])

    def offset(self, region: Region) -> int:
        """The first bin of ``region`` (see :meth:`extent`), as ``cooler.Cooler.offset``."""
        return self.extent(region)[0]

    def _region_text(self, region: Region) -> str:
        if isinstance(region, str):
            return region
        if not (isinstance(region, tuple) and len(region) == 3 and isinstance(region[0], str)):
            raise TypeError(
                f"a region is 'chr1:1,000,000-2,000,000' or (chrom, start, end), got {region!r}"
            )
        chrom, start, end = region
        if start is None and end is None:
            return chrom
        genome = self._genome(f"the region {region!r}")
        if chrom not in genome.chromnames:
            return chrom  # the native parser names the file's chromosomes in its error
        length = int(genome.chromsizes[genome.chromnames.index(chrom)])
        return f"{chrom}:{0 if start is None else int(start)}-{length if end is None else int(end)}"

    def _window_of(self, region: Region, region2: Optional[Region] = None) -> Tuple[int, int, int, int]:
        r0, r1 = self.extent(region)
        c0, c1 = (r0, r1) if region2 is None else self.extent(region2)
        return r0, r1, c0, c1

    def fetch(self, region: Region, region2: Optional[Region] = None, *, balance: Union[bool, str] = False) -> np.ndarray:
        """Shorthand for ``f.matrix(balance=balance).fetch(region, region2)`` (note the default
        ``balance=False``, as before ``matrix()`` followed cooler's default); kept for scripts
        written against earlier gzcm releases. Prefer ``f.matrix(...).fetch(...)``."""
        return self.matrix(balance=balance).fetch(region, region2)


class _ClosedReader:
    """Stands in for the native reader after :meth:`GzcmFile.close`."""

    def __init__(self, path: str) -> None:
        self._path = path

    def __getattr__(self, name: str) -> Any:
        raise ValueError(f"I/O operation on closed gzcm file {self._path!r}")


def open(  # noqa: A001
    path: PathLike,
    *,
    cache_bytes: int = DEFAULT_CACHE_BYTES,
    endpoint: Optional[str] = None,
    timeout: Optional[float] = None,
    resolution: Optional[int] = None,
) -> GzcmFile:
    """Opens a ``.gzcm`` file for reading: a local path, or an object-store URL
    (``s3://bucket/key.gzcm``, ``gs://``, ``az://``, ``http(s)://``) read in place with ranged
    requests.

    A multi-resolution file is read at one resolution: ``resolution=R``, or cooler's URI form
    ``"file.gzcm::/resolutions/R"``; without one, :class:`ResolutionError` lists them (as
    cooler does for an ``.mcool``). :func:`resolutions` lists them too.

    Args:
        path: the file or URL, optionally followed by ``::/resolutions/R``.
        resolution: the resolution (bin size in bp) to read from a multi-resolution file.
        cache_bytes: budget of the decoded-tile LRU cache in bytes (0 disables it).
        endpoint: the object store's endpoint, e.g. ``http://127.0.0.1:9000`` (default:
            ``$GZCM_ENDPOINT``, else the store's environment such as ``$AWS_ENDPOINT_URL``).
            Credentials come from the environment (``AWS_ACCESS_KEY_ID``, …).
        timeout: the most one object-store operation may take, retries included, in seconds
            (default: ``$GZCM_TIMEOUT``, else 60); a dead or stalled server fails after it.

    Raises:
        FileNotFoundError: the file does not exist.
        FormatError: it is not a valid ``.gzcm`` file.
        UnknownCodecError: it needs a codec this process has not registered.
        ResolutionError: a multi-resolution file without ``resolution``, or a resolution the
            file lacks.
    """
    return GzcmFile(path, cache_bytes=cache_bytes, endpoint=endpoint, timeout=timeout, resolution=resolution)


def resolutions(
    path: PathLike,
    *,
    endpoint: Optional[str] = None,
    timeout: Optional[float] = None,
) -> List[int]:
    """The resolutions (bin sizes in bp) a ``.gzcm`` file holds, ascending, read from its
    header alone (like cooler's ``fileops.list_coolers`` for an ``.mcool``): several for a
    multi-resolution file, the bin size of a single-resolution file with genomic bins, none
    otherwise. ``endpoint`` and ``timeout`` are as for :func:`open`."""
    seconds = None if timeout is None else float(timeout)
    return list(_native.resolutions(os.fspath(path), endpoint, seconds))
