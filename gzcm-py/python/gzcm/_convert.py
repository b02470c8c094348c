"""``convert_to_gzcm``: a path, a numpy array or a scipy.sparse matrix into a ``.gzcm`` file."""

from __future__ import annotations

import os
import sys
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _native
from ._errors import InvalidInputError

__all__ = ["convert_to_gzcm"]

_U32_MAX = np.iinfo(np.uint32).max


def _progress_callback(enabled: bool) -> Optional[Callable[[int, int], None]]:
    """A per-band callback drawing a tqdm bar when tqdm is installed, else a line on stderr."""
    if not enabled:
        return None
    try:
        from tqdm import tqdm  # type: ignore[import-not-found]
    except ImportError:
        tqdm = None
    state: Dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if tqdm is not None:
            bar = state.get("bar")
            if bar is None:
                bar = state["bar"] = tqdm(total=total, unit="band", desc="gzcm")
            bar.update(done - bar.n)
            if done >= total:
                bar.close()
        else:
            end = "\n" if done >= total else ""
            print(f"\rgzcm: {done}/{total} bands", end=end, file=sys.stderr, flush=True)

    return update


def _writer_dtype(values: np.ndarray, dtype: Optional[str]) -> np.dtype:
    if dtype is not None:
        wanted = np.dtype(dtype)
        if wanted not in (np.dtype(np.uint32), np.dtype(np.float32)):
            raise InvalidInputError(f"dtype must be uint32 or float32, got {dtype!r}")
        return wanted
    if values.dtype.kind in "biu":
        return np.dtype(np.uint32)
    return np.dtype(np.float32)


def _cast_values(
    values: np.ndarray,
    target: np.dtype,
    explicit: bool,
    cell: Callable[[int], Tuple[int, ...]],
) -> np.ndarray:
    """Casts cell values to the stored type, refusing what would not round-trip.

    A float32 target that changes a value (float64 precision, or a tiny value becoming 0) is
    refused unless the caller asked for float32 (``explicit``); ``cell(k)`` names the matrix
    cell of flat value ``k`` in the message.
    """
    if values.dtype == target:
        return np.ascontiguousarray(values)
    if values.dtype.kind not in "biuf":
        raise InvalidInputError(f"cells must be numbers, got dtype {values.dtype}")
    if target == np.uint32:
        if values.size and (values.min() < 0 or values.max() > _U32_MAX):
            raise InvalidInputError("uint32 cells must lie within 0..=4294967295")
        if values.dtype.kind == "f" and not np.all(np.mod(values, 1) == 0):
            raise InvalidInputError("dtype='uint32' needs whole numbers; pass dtype='float32' for fractions")
    cast = values.astype(target)
    if target == np.float32 and not explicit:
        with np.errstate(invalid="ignore"):
            changed = ~((cast.astype(values.dtype) == values) | (np.isnan(cast) & np.isnan(values)))
        if changed.any():
            k = int(np.flatnonzero(changed.reshape(-1))[0])
            was, now = values.reshape(-1)[k].item(), float(cast.reshape(-1)[k])
            raise InvalidInputError(
                f"cell {cell(k)} is {was!r} in {values.dtype} but {now!r} in float32 "
                f"(error {abs(was - now):.3g}); gzcm stores float32: pass dtype='float32' to accept "
                "the rounding"
            )
    return np.ascontiguousarray(cast)


def _names(names: Union[str, Sequence[str]]) -> List[str]:
    """A list of names, given as one comma-separated string or a sequence."""
    if isinstance(names, str):
        return [name.strip() for name in names.split(",")]
    return [str(name) for name in names]


def _is_sparse(src: Any) -> bool:
    module = type(src).__module__ or ""
    return module.startswith("scipy.sparse") and hasattr(src, "tocoo")


def convert_to_gzcm(
    src: Union[str, "os.PathLike[str]", np.ndarray, Any],
    dst: Union[str, "os.PathLike[str]"],
    *,
    version: Optional[int] = None,
    codec: Optional[str] = None,
    level: Optional[int] = None,
    adaptive_codec: Optional[bool] = None,
    codec_candidates: Optional[Sequence[str]] = None,
    picker_goal: Optional[str] = None,
    picker_weights: Optional[Sequence[float]] = None,
    tile_size: Union[int, str, None] = None,
    dtype: Optional[str] = None,
    symmetric: Optional[bool] = None,
    overwrite: bool = False,
    progress: bool = False,
    resolution: Optional[int] = None,
    chrom: Optional[str] = None,
    weights: Union[str, Sequence[str]] = "all",
    bins: Union[str, "os.PathLike[str]", None] = None,
    resolutions: Optional[Sequence[int]] = None,
) -> Dict[str, Any]:
    """Writes a new ``.gzcm`` file.

    Args:
        src: a path (anything ``gzcm convert`` reads: a cooler ``.cool``, a ``.mcool`` with
            ``resolution=`` or as ``"file.mcool::/resolutions/R"``, a Juicer ``.hic`` with
            ``resolution=``, COO text, ``.npy``/``.npy.zst``, a ``synthetic:`` spec, or a
            ``.gzcm`` file, re-encoded with its genome and weights), a 2-D
            numpy array, or a scipy.sparse matrix (COO/CSR/...; its non-zero triples are
            streamed, never densified). Hi-C files are told apart by content and stored with
            their chromosomes, bins and balancing weights, so ``f.chromnames``, ``f.bins()``,
            ``f.fetch(...)`` and ``balance=`` work on the result.
        dst: the output path; written atomically. It may not be ``src`` (the same file, through
            links, or the file of ``"file.mcool::/resolutions/R"``), even with ``overwrite``.
        version: format version 1–4; default 4 with the adaptive choice, 3 when ``codec`` is
            given.
        codec: one codec for every tile (version 3 unless ``version`` says otherwise); default:
            none, a codec per region (``adaptive_codec``), or zstd when ``version`` is given.
            Versions 1 and 2 store tiles uncompressed and refuse a codec; ``adaptive_codec=True``
            chooses the codecs itself and refuses one too.
        level: compression level for the codecs that have one (zstd: 1..=22); with
            ``adaptive_codec``, for every candidate that accepts it.
        adaptive_codec: choose a codec per region by measuring candidates on sample tiles
            (writes version 4), as ``gzcm convert`` does with the same defaults. Default
            (``None``): chosen unless ``codec`` or ``version`` is given; ``False`` writes version
            3 zstd.
        codec_candidates: the adaptive choice's candidate codecs; default: the goal's
            (``"balanced"``: rans, shuffle_zstd and zstd; the others: every registered codec
            that stores the dtype).
        picker_goal: what the adaptive choice optimises: ``"balanced"`` (default: the smallest
            candidate whose decode is within 1.5× of zstd's), ``"smallest"`` or ``"fastest"``.
        tile_size: tile edge in bins (16..=4096; default 256), or ``"auto"``: 256, raised to 512 or 1024 for
            a large sparse map whose non-zero count is known (``.cool``, ``.hic``, COO text), as
            ``gzcm convert --tile-size auto`` does (smaller ``rans``/``cmc`` files, slower
            windows; the summary's ``tile_size`` says which was used).
        dtype: ``"uint32"`` or ``"float32"``; default: the source's (integers → uint32, floats →
            float32). Arrays of another float type (float64) convert silently only when every
            value is exactly a float32; otherwise :class:`InvalidInputError` names the first
            value that would change, and ``dtype="float32"`` accepts the rounding.
        symmetric: whether to store only the upper triangle; default: inferred. ``True`` on a
            matrix that differs from its transpose raises :class:`InvalidInputError` naming
            the first differing cell (a triangle would be lost).
        picker_weights: adaptive criterion weights ``(decode, size, encode)``, summing to 1,
            replacing the goal's (and its decode budget); default: the goal's.
        overwrite: replace an existing ``dst``.
        progress: show a progress bar (tqdm when installed).
        resolution: Hi-C inputs: keep only this resolution (in bp). Without it (and without
            ``::/resolutions/R`` in ``src``), a ``.mcool`` or ``.hic`` input keeps every
            resolution it has, in one multi-resolution ``.gzcm`` file (read it with
            ``gzcm.open(dst, resolution=R)``). A resolution the file lacks raises
            :class:`InvalidInputError` listing the file's resolutions.
        resolutions: Hi-C inputs: keep these resolutions (a subset of the file's), in one
            multi-resolution file; not together with ``resolution``.
        chrom: Hi-C inputs: store only this chromosome's intra-chromosomal matrix.
        weights: Hi-C inputs: the balancing vectors to store: ``"all"``, ``"none"``, or a list
            of names (``["weight", "KR"]``, or one string ``"weight,KR"``).
        bins: COO text input: a ``.bins.tsv`` (``chrom start end [weights...]`` per bin) giving
            the matrix genomic coordinates.

    Returns:
        A summary: ``bytes``, ``tiles``, ``codecs`` (tiles per codec), ``seconds``, ``ratio``,
        ``nnz``, ``picked`` (adaptive winners), ... For a multi-resolution file: ``path``,
        ``bytes``, ``seconds``, ``resolutions`` and ``members`` (resolution → that summary).

    Raises:
        FileNotFoundError: ``src`` does not exist.
        InvalidInputError: ``src`` is malformed (a corrupt ``.cool``, bad COO text), or names a
            resolution, chromosome or weight vector the file does not hold, or a Hi-C argument
            is given for an input that is not a Hi-C file; ``dst`` is ``src``; or the
            arguments do not fit together (e.g. ``adaptive_codec=True`` with ``version=3``, or a
            picker argument with ``codec``); the message names the parameters.
        OutputExistsError: ``dst`` exists and ``overwrite`` is false.
    """
    if isinstance(tile_size, str) and tile_size != "auto":
        raise InvalidInputError(f"tile_size must be a number of bins (16..=4096) or 'auto', got {tile_size!r}")
    criteria = None if picker_weights is None else tuple(float(w) for w in picker_weights)
    if criteria is not None and len(criteria) != 3:
        raise InvalidInputError(f"picker_weights needs 3 numbers (decode, size, encode), got {len(criteria)}")
    options = {
        "version": None if version is None else int(version),
        "codec": None if codec is None else str(codec),
        "level": None if level is None else int(level),
        "adaptive": None if adaptive_codec is None else bool(adaptive_codec),
        "codec_candidates": None if codec_candidates is None else _names(codec_candidates),
        "picker_goal": None if picker_goal is None else str(picker_goal),
        "picker_weights": criteria,
        "tile_size": None if tile_size is None or tile_size == "auto" else int(tile_size),
        "tile_size_auto": tile_size == "auto",
        "dtype": None if dtype is None else np.dtype(dtype).name,
        "overwrite": bool(overwrite),
        "progress": _progress_callback(progress),
    }
    dst = os.fspath(dst)
    hic = {"resolution": resolution, "resolutions": resolutions, "chrom": chrom, "weights": weights, "bins": bins}
    if isinstance(src, (str, os.PathLike)):
        if not isinstance(weights, str):
            weights = [str(name) for name in weights]
        return _native.convert_path(
            os.fspath(src),
            dst,
            symmetric,
            options,
            resolution=None if resolution is None else int(resolution),
            chrom=None if chrom is None else str(chrom),
            weights=weights,
            bins=None if bins is None else os.fspath(bins),
            resolutions=None if resolutions is None else [int(r) for r in resolutions],
        )
    given = [name for name, value in hic.items() if value is not None and value != "all"]
    if given:
        raise InvalidInputError(f"{', '.join(given)} apply to path inputs (.cool, .mcool, .hic; bins to COO text)")
    if _is_sparse(src):
        return _convert_sparse(src, dst, symmetric, dtype, options)
    if isinstance(src, np.ndarray):
        return _convert_dense(src, dst, symmetric, dtype, options)
    raise TypeError(f"src must be a path, a numpy array or a scipy.sparse matrix, got {type(src).__name__}")


def _check_shape(shape: Sequence[int]) -> None:
    if len(shape) != 2:
        raise InvalidInputError(f"a matrix must be 2-D, got shape {tuple(shape)}")
    if min(shape) < 1 or max(shape) > _U32_MAX:
        raise InvalidInputError(f"matrix shape {tuple(shape)} is out of range (1..=4294967295 per axis)")


def _convert_dense(src: np.ndarray, dst: str, symmetric: Optional[bool], dtype: Optional[str], options: Dict[str, Any]) -> Dict[str, Any]:
    _check_shape(src.shape)
    target = _writer_dtype(src, dtype)
    def cell(k: int) -> Tuple[int, ...]:
        return tuple(int(i) for i in np.unravel_index(k, src.shape))

    cells = _cast_values(src, target, dtype is not None, cell)
    if symmetric is None:
        symmetric = cells.shape[0] == cells.shape[1] and bool(np.array_equal(cells, cells.T))
    elif symmetric:
        _check_symmetric_dense(src)
    options["dtype"] = target.name
    rows, cols = cells.shape
    return _native.convert_dense(cells.reshape(-1), (rows, cols), bool(symmetric), dst, options)


def _convert_sparse(src: Any, dst: str, symmetric: Optional[bool], dtype: Optional[str], options: Dict[str, Any]) -> Dict[str, Any]:
    import scipy.sparse as sp

    _check_shape(src.shape)
    coo = sp.coo_matrix(src)
    coo.sum_duplicates()
    rows_n, cols_n = coo.shape
    if symmetric is None:
        symmetric = rows_n == cols_n and (abs(coo - coo.T) > 0).nnz == 0
    if symmetric:
        coo = _upper_triangle(coo)
    target = _writer_dtype(coo.data, dtype)
    values = _cast_values(coo.data, target, dtype is not None, lambda k: (int(coo.row[k]), int(coo.col[k])))
    options["dtype"] = target.name
    return _native.convert_coo(
        np.ascontiguousarray(coo.row, dtype=np.uint32),
        np.ascontiguousarray(coo.col, dtype=np.uint32),
        values,
        (rows_n, cols_n),
        bool(symmetric),
        dst,
        options,
    )


def _upper_triangle(coo: Any) -> Any:
    """The upper triangle of a matrix declared symmetric, given as upper, lower or both triangles."""
    import scipy.sparse as sp

    if coo.shape[0] != coo.shape[1]:
        raise InvalidInputError(f"a symmetric matrix must be square, got shape {coo.shape}")
    upper = sp.triu(coo, k=0, format="coo")
    lower = sp.tril(coo, k=-1, format="coo")
    if lower.nnz == 0:
        return upper
    strict_upper = sp.triu(coo, k=1, format="coo")
    if strict_upper.nnz == 0:
        return sp.coo_matrix(upper + lower.T)
    differ = sp.coo_matrix(abs(strict_upper - lower.T) > 0)
    if differ.nnz:
        order = np.lexsort((differ.col, differ.row))
        r, c = int(differ.row[order[0]]), int(differ.col[order[0]])
        dense = coo.tocsr()
        raise InvalidInputError(
            f"symmetric=True but the matrix is not symmetric: cell ({r}, {c}) is {dense[r, c].item()!r} "
            f"and cell ({c}, {r}) is {dense[c, r].item()!r}; pass symmetric=False to store both triangles"
        )
    return upper


def _check_symmetric_dense(cells: np.ndarray) -> None:
    """Refuses ``symmetric=True`` for a matrix that differs from its transpose, naming the first
    differing cell of the upper triangle in row-major order (only the upper one would be kept)."""
    if cells.shape[0] != cells.shape[1]:
        raise InvalidInputError(f"a symmetric matrix must be square, got shape {cells.shape}")
    same = cells == cells.T
    if cells.dtype.kind == "f":
        same |= np.isnan(cells) & np.isnan(cells.T)
    differ = np.triu(~same, k=1)
    if differ.any():
        r, c = (int(i) for i in np.argwhere(differ)[0])
        raise InvalidInputError(
            f"symmetric=True but the matrix is not symmetric: cell ({r}, {c}) is {cells[r, c].item()!r} "
            f"and cell ({c}, {r}) is {cells[c, r].item()!r}; pass symmetric=False to store both triangles"
        )
