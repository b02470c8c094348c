"""What a training window holds: the recipe (balancing, observed/expected, masked diagonals,
transform, clipping, NaN filling, dtype) and the per-process reader state that applies it.

The arithmetic per cell runs in one native pass (``_native.prepare_window``) over the decoded
window, with the weights and the expected of the window's chromosome handed over as slices.
The expected is had once per dataset (read from the file when a stored table matches, else
computed) and travels with the dataset to its workers, so no worker computes it again.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _native
from ._balance import DEFAULT_MEMORY
from ._errors import InvalidInputError, NoGenomeError, UnknownCodecError
from ._file import GzcmFile

__all__ = ["Recipe", "Level", "ReaderState", "TRANSFORMS"]

#: The transforms done natively; any callable works too (applied to the float32 window).
TRANSFORMS = ("log1p", "log")
_DTYPES = {np.dtype(np.float32), np.dtype(np.float16)}

Transform = Union[None, str, Callable[[np.ndarray], Any]]


@dataclass(frozen=True)
class Recipe:
    """What each window holds (see :class:`gzcm.GzcmDataset` for the meaning of each field)."""

    balance: Optional[str]
    oe: bool
    ignore_diags: int
    transform: Transform
    clip: Optional[Tuple[float, float]]
    clip_percentile: Optional[Tuple[float, float]]
    diagonal_offset: int
    nan_to: Optional[float]
    dtype: np.dtype

    @classmethod
    def checked(
        cls,
        *,
        balance: Union[bool, str],
        oe: bool,
        ignore_diags: int,
        transform: Transform,
        clip: Optional[Tuple[float, float]],
        clip_percentile: Optional[Tuple[float, float]],
        diagonal_offset: int,
        nan_to: Optional[float],
        dtype: Any,
    ) -> "Recipe":
        """The recipe of the datasets' options, or :class:`InvalidInputError` naming the bad one."""
        if balance is True:
            name: Optional[str] = "weight"
        elif balance is False or balance is None:
            name = None
        elif isinstance(balance, str) and balance:
            name = balance
        else:
            raise InvalidInputError(f"balance must be False, True or a weight name, got {balance!r}")
        if oe and name is None:
            raise InvalidInputError("oe=True divides balanced values by the expected: give balance=True or a weight name")
        if isinstance(ignore_diags, bool) or not isinstance(ignore_diags, (int, np.integer)) or ignore_diags < 0:
            raise InvalidInputError(f"ignore_diags must be an int >= 0, got {ignore_diags!r}")
        if isinstance(diagonal_offset, bool) or not isinstance(diagonal_offset, (int, np.integer)) or diagonal_offset < 0:
            raise InvalidInputError(f"diagonal_offset must be an int >= 0, got {diagonal_offset!r}")
        if transform is not None and not callable(transform) and transform not in TRANSFORMS:
            raise InvalidInputError(f"transform must be None, {', '.join(map(repr, TRANSFORMS))} or a callable, got {transform!r}")
        if clip is not None and clip_percentile is not None:
            raise InvalidInputError("give clip= or clip_percentile=, not both")
        clip = _pair(clip, "clip")
        clip_percentile = _pair(clip_percentile, "clip_percentile")
        if clip_percentile is not None and not 0 <= clip_percentile[0] <= clip_percentile[1] <= 100:
            raise InvalidInputError(f"clip_percentile needs 0 <= lo <= hi <= 100, got {clip_percentile}")
        if nan_to is not None and not isinstance(nan_to, (int, float, np.number)):
            raise InvalidInputError(f"nan_to must be a number or None, got {nan_to!r}")
        out = np.dtype(dtype)
        if out not in _DTYPES:
            raise InvalidInputError(f"dtype must be float32 or float16, got {out}")
        return cls(
            name, bool(oe), int(ignore_diags), transform, clip, clip_percentile, int(diagonal_offset),
            None if nan_to is None else float(nan_to), out,
        )

    @property
    def native_transform(self) -> str:
        """What the native pass applies (a callable runs afterwards, in Python)."""
        return self.transform if isinstance(self.transform, str) else "none"

    @property
    def finishes_in_python(self) -> bool:
        """Whether clipping and filling wait for a Python step (a callable transform or
        percentile clipping need the native pass's unclipped, unfilled values)."""
        return callable(self.transform) or self.clip_percentile is not None


def _pair(value: Any, name: str) -> Optional[Tuple[float, float]]:
    if value is None:
        return None
    try:
        lo, hi = (float(v) for v in value)
    except (TypeError, ValueError):
        raise InvalidInputError(f"{name} must be (lo, hi), got {value!r}") from None
    if not lo <= hi:
        raise InvalidInputError(f"{name} needs lo <= hi, got {value!r}")
    return lo, hi


@dataclass
class Level:
    """One resolution a dataset reads: its bins per chromosome and, for O/E, the expected of
    every diagonal of every chromosome (``expected[bin_start + distance]``)."""

    resolution: Optional[int]
    n_bins: int
    bin_ranges: Optional[List[Tuple[str, int, int]]]
    expected: Optional[np.ndarray] = None
    bin_size: Optional[int] = None
    starts: Optional[np.ndarray] = None
    ends: Optional[np.ndarray] = None
    chrom_starts: Optional[np.ndarray] = None

    def chrom_at(self, bin_id: int) -> int:
        """The index of the chromosome holding ``bin_id`` (the file has genomic coordinates)."""
        assert self.bin_ranges is not None
        if self.chrom_starts is None:
            self.chrom_starts = np.array([lo for _, lo, _ in self.bin_ranges], dtype=np.int64)
        return int(np.searchsorted(self.chrom_starts, bin_id, side="right") - 1)


def describe(file: GzcmFile, recipe: Recipe) -> Level:
    """The level of an open file: its chromosomes' bins and, for O/E, its expected."""
    genome = file._genome_or_none()
    n_bins = int(file.shape[0])
    if genome is None:
        if recipe.balance is not None:
            raise NoGenomeError(f"{file.path!r} has no genomic coordinates, so no balancing weights")
        return Level(file.resolution, n_bins, None)
    # Bins come chromosome after chromosome, so each one's bins are a run of chrom_index.
    index = np.asarray(genome.chrom_index)
    ids = np.arange(len(genome.chromnames))
    los, his = np.searchsorted(index, ids, side="left"), np.searchsorted(index, ids, side="right")
    ranges = [(name, int(lo), int(hi)) for name, lo, hi in zip(genome.chromnames, los, his)]
    level = Level(
        file.resolution, n_bins, ranges, bin_size=genome.binsize,
        starts=np.asarray(genome.start, dtype=np.int64), ends=np.asarray(genome.end, dtype=np.int64),
    )
    if recipe.balance is not None:
        file.weights(recipe.balance)  # NoGenomeError naming the vectors there are
    if recipe.oe:
        level.expected = _expected_by_bin(file, recipe, ranges, n_bins)
    return level


def _expected_by_bin(file: GzcmFile, recipe: Recipe, ranges: List[Tuple[str, int, int]], n_bins: int) -> np.ndarray:
    """cooltools' ``balanced.avg`` by chromosome and distance, as one float64 per bin (NaN
    where it is 0 or undefined), from the table stored in the file or computed now."""
    if "://" in file.path:
        raise InvalidInputError("oe=True needs the expected of a local file; compute and store it first")
    resolution = file.resolution if len(file.resolutions) > 1 else None
    _, columns = _native.expected(
        file.path, resolution, recipe.balance, recipe.ignore_diags, None, DEFAULT_MEMORY, False, False
    )
    expected = np.full(n_bins, np.nan)
    starts = {name: (lo, hi) for name, lo, hi in ranges}
    regions = np.asarray(columns["region1"], dtype=object)
    dist = np.asarray(columns["dist"], dtype=np.int64)
    avg = np.asarray(columns["balanced.avg"], dtype=np.float64)
    # The table's rows come chromosome after chromosome: one slice per run of a region name.
    change = np.flatnonzero(regions[1:] != regions[:-1]) + 1
    for a, b in zip(np.concatenate([[0], change]), np.concatenate([change, [len(regions)]])):
        if a == b or regions[a] not in starts:
            continue
        lo, hi = starts[regions[a]]
        d, values = dist[a:b], avg[a:b]
        keep = d < hi - lo
        expected[lo + d[keep]] = values[keep]
    expected[expected == 0] = np.nan
    return expected


@dataclass
class ReaderState:
    """A process's open readers and weights, one per resolution, opened on first use (never
    pickled: a worker opens its own)."""

    path: str
    resolutions: Sequence[Optional[int]]
    endpoint: Optional[str]
    cache_bytes: int
    _files: Dict[Optional[int], GzcmFile] = field(default_factory=dict)
    _weights: Dict[Tuple[Optional[int], str], np.ndarray] = field(default_factory=dict)
    _pid: int = -1

    def file(self, resolution: Optional[int]) -> GzcmFile:
        """The reader of ``resolution`` in this process."""
        if self._pid != os.getpid():
            self._files, self._weights, self._pid = {}, {}, os.getpid()
        found = self._files.get(resolution)
        if found is None:
            try:
                found = GzcmFile(self.path, endpoint=self.endpoint, resolution=resolution, cache_bytes=self.cache_bytes)
            except UnknownCodecError as error:
                raise worker_codec_error(error) from error
            self._files[resolution] = found
        return found

    def weights(self, resolution: Optional[int], name: str) -> np.ndarray:
        """Weight vector ``name`` of ``resolution`` (multiplicative, NaN for masked bins)."""
        key = (resolution, name)
        if key not in self._weights:
            self._weights[key] = np.ascontiguousarray(self.file(resolution).weights(name))
        return self._weights[key]

    def window(
        self,
        level: Level,
        recipe: Recipe,
        r0: int,
        c0: int,
        shape: Tuple[int, int],
        within: Optional[Tuple[int, int]] = None,
    ) -> Tuple[np.ndarray, np.ndarray, float]:
        """The window of ``shape`` at ``(r0, c0)`` of ``level`` prepared by ``recipe``:
        ``(values, mask, nonzero_fraction)``; cells outside the bins ``within`` (default: the
        matrix) are NaN (``nan_to``) and masked."""
        lo, hi = (0, level.n_bins) if within is None else within
        h, w = shape
        lo_r, hi_r, lo_c, hi_c = max(r0, lo), min(r0 + h, hi), max(c0, lo), min(c0 + w, hi)
        fill = np.nan if recipe.nan_to is None else recipe.nan_to
        if lo_r >= hi_r or lo_c >= hi_c:
            return np.full(shape, fill, dtype=recipe.dtype), np.zeros(shape, dtype=bool), 0.0
        values, mask, fraction = self._inside(level, recipe, lo_r, hi_r, lo_c, hi_c)
        if (lo_r, hi_r, lo_c, hi_c) == (r0, r0 + h, c0, c0 + w):
            return values, mask, fraction
        padded = np.full(shape, fill, dtype=recipe.dtype)
        padded_mask = np.zeros(shape, dtype=bool)
        padded[lo_r - r0 : hi_r - r0, lo_c - c0 : hi_c - c0] = values
        padded_mask[lo_r - r0 : hi_r - r0, lo_c - c0 : hi_c - c0] = mask
        return padded, padded_mask, fraction

    def _inside(
        self, level: Level, recipe: Recipe, r0: int, r1: int, c0: int, c1: int
    ) -> Tuple[np.ndarray, np.ndarray, float]:
        file = self.file(level.resolution)
        counts = file._reader.window(r0, r1, c0, c1)
        row_w = col_w = expected = None
        if recipe.balance is not None:
            weights = self.weights(level.resolution, recipe.balance)
            row_w, col_w = weights[r0:r1], weights[c0:c1]
        if recipe.oe:
            expected = _chrom_expected(level, r0, r1, c0, c1)
        python_finish = recipe.finishes_in_python
        values, mask, nonzero = _native.prepare_window(
            counts,
            row_w,
            col_w,
            expected,
            r0 - c0,
            recipe.diagonal_offset,
            recipe.native_transform,
            None if python_finish else recipe.clip,
            None if python_finish else recipe.nan_to,
        )
        if python_finish:
            values, mask = _finish(values, recipe)
        kept = _cells_off_diagonal(r0 - c0, r1 - r0, c1 - c0, recipe.diagonal_offset)
        fraction = nonzero / kept if kept else 0.0
        if values.dtype != recipe.dtype:
            values = values.astype(recipe.dtype)
        return values, mask, fraction


def _chrom_expected(level: Level, r0: int, r1: int, c0: int, c1: int) -> np.ndarray:
    """The expected by distance of the one chromosome holding the window (O/E is cis only)."""
    assert level.bin_ranges is not None and level.expected is not None
    chrom = level.chrom_at(r0)
    name, lo, hi = level.bin_ranges[chrom]
    if not (lo <= r0 and r1 <= hi and lo <= c0 and c1 <= hi):
        raise InvalidInputError(
            f"observed/expected is defined for cis windows only, but the window {r0}:{r1} × {c0}:{c1} "
            f"leaves {name} (bins {lo}:{hi}); use cis_only=True"
        )
    return level.expected[lo:hi]


def _finish(values: np.ndarray, recipe: Recipe) -> Tuple[np.ndarray, np.ndarray]:
    """The Python end of the recipe: a callable transform, clipping (fixed or by percentile of
    the window's finite values), the mask of finite cells, NaN filling."""
    if callable(recipe.transform):
        values = np.asarray(recipe.transform(values), dtype=np.float32)
    bounds = recipe.clip
    if recipe.clip_percentile is not None:
        finite = values[np.isfinite(values)]
        if finite.size:
            lo, hi = np.percentile(finite, recipe.clip_percentile)
            bounds = (float(lo), float(hi))
    if bounds is not None:
        values = np.clip(values, bounds[0], bounds[1])
    mask = np.isfinite(values)
    if recipe.nan_to is not None:
        values = np.where(mask, values, np.float32(recipe.nan_to)).astype(np.float32)
    return values, mask


@functools.lru_cache(maxsize=256)
def _cells_off_diagonal(shift: int, rows: int, cols: int, offset: int) -> int:
    """How many cells of a ``rows × cols`` window whose first row minus first column is
    ``shift`` lie at least ``offset`` from the diagonal."""
    if offset == 0:
        return rows * cols
    a = np.arange(rows)[:, None] + shift
    b = np.arange(cols)[None, :]
    return int((np.abs(a - b) >= offset).sum())


def worker_codec_error(error: UnknownCodecError) -> UnknownCodecError:
    """``error`` with how to register a codec in every worker process."""
    message = (
        f"{error.message}. Codecs registered with gzcm.register_codec exist only in the process "
        "that registered them; DataLoader workers started with 'spawn' (or 'forkserver') begin "
        "without them. Register the codec in each worker, e.g. "
        "DataLoader(dataset, num_workers=N, worker_init_fn=lambda _: gzcm.register_codec(...)) "
        "(use a module-level function: spawn pickles it); the dataset opens the file on its "
        "first item, after worker_init_fn has run"
    )
    return UnknownCodecError(message, error.name, error.available, error.suggestion)
