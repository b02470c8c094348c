"""PyTorch-style datasets of training windows of a ``.gzcm`` file.

:class:`GzcmDataset` is map-style (``len``, ``dataset[i]``; works with ``DistributedSampler``),
:class:`GzcmRandomWindows` iterable (seeded random origins, sharded over ranks and workers).
Both are ``torch.utils.data`` datasets when torch is importable and plain classes with the same
interface otherwise.

A window is read straight from the compressed file in each worker and prepared there: balanced,
divided by the expected (O/E), masked near the diagonal, transformed, clipped, NaN-filled, cast,
by one native pass per window; placed inside chromosomes, near the diagonal or away from
held-out chromosomes; augmented by reverse-complement flips and shifts; stacked over several
resolutions. The datasets pickle as their parameters, origins and (for O/E) expected, never a
reader: each process opens its own readers on its first item, so ``DataLoader(num_workers>0)``
works under fork and spawn, and a ``worker_init_fn`` that registers Python codecs runs before a
worker opens the file.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np

from ._errors import InvalidInputError
from ._origins import Block, Placement, blocks, draw, shard, tile
from ._training import Level, ReaderState, Recipe, describe

__all__ = ["GzcmDataset", "GzcmRandomWindows", "TORCH_AVAILABLE", "worker_share"]

#: Whether torch is importable (the datasets then subclass its dataset classes).
TORCH_AVAILABLE = importlib.util.find_spec("torch") is not None

if TORCH_AVAILABLE:
    import torch
    from torch.utils.data import Dataset as _MapBase
    from torch.utils.data import IterableDataset as _IterBase
else:  # duck-typed stand-ins with the same interface
    torch = None  # type: ignore[assignment]

    class _MapBase:  # type: ignore[no-redef]
        """Stands in for ``torch.utils.data.Dataset``."""

    class _IterBase:  # type: ignore[no-redef]
        """Stands in for ``torch.utils.data.IterableDataset``."""


REGIONS = ("all", "diagonal", "near-diagonal")
#: How ``resolutions=`` stacks: the same centre, ``window`` bins at each resolution (Orca's
#: zoom), or the same span in bp resampled to ``window`` bins.
SCALE_MODES = ("centre", "span")
PathLike = Union[str, "os.PathLike[str]"]
#: A genomic axis: ``(chrom, start, end)`` in bp (an axis over several chromosomes names them
#: ``"chrA|chrB"``, from the start on the first to the end on the last).
Axis = Tuple[str, int, int]

#: The default tile-cache budget of each process's reader (64 MiB): what bounds a worker's
#: memory beyond the weights, bins and expected (a few floats per bin).
DATASET_CACHE_BYTES = 64 << 20


def worker_share() -> Tuple[int, int]:
    """``(worker id, number of workers)`` of the calling DataLoader worker; ``(0, 1)`` outside
    one or without torch."""
    if torch is not None:
        info = torch.utils.data.get_worker_info()
        if info is not None:
            return int(info.id), int(info.num_workers)
    return 0, 1


class _Windows:
    """What both datasets share: options, levels, blocks, items."""

    def _setup(
        self,
        path: PathLike,
        window: int,
        *,
        region: str,
        along_diagonal: bool,
        max_distance: Optional[int],
        cis_only: bool,
        chroms: Optional[Sequence[str]],
        exclude: Optional[Sequence[str]],
        balance: Union[bool, str],
        oe: bool,
        ignore_diags: int,
        transform: Any,
        clip: Optional[Tuple[float, float]],
        clip_percentile: Optional[Tuple[float, float]],
        diagonal_offset: int,
        nan_to: Optional[float],
        dtype: Any,
        return_mask: bool,
        return_coords: bool,
        sequence_fn: Optional[Callable[[str, int, int], Any]],
        flip: bool,
        shift: int,
        seed: int,
        resolution: Optional[int],
        resolutions: Optional[Sequence[int]],
        scale_mode: str,
        min_valid_fraction: float,
        as_tensor: bool,
        endpoint: Optional[str],
        cache_bytes: int,
    ) -> None:
        if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
            raise InvalidInputError(f"window must be an int >= 1, got {window!r}")
        if region not in REGIONS:
            raise InvalidInputError(f"region must be one of {REGIONS}, got {region!r}")
        if not 0.0 <= float(min_valid_fraction) <= 1.0:
            raise InvalidInputError(f"min_valid_fraction must be in [0, 1], got {min_valid_fraction!r}")
        if isinstance(shift, bool) or not isinstance(shift, (int, np.integer)) or shift < 0:
            raise InvalidInputError(f"shift must be an int >= 0 bins, got {shift!r}")
        self.path = os.fspath(path)
        self.window = int(window)
        self.as_tensor = bool(as_tensor)
        self.endpoint = endpoint
        raw = (
            resolutions is None and balance is False and not oe and (transform is None or callable(transform)) and clip is None
            and clip_percentile is None and diagonal_offset == 0 and nan_to is None and dtype is None
        )
        # Nothing asked of the window but a callable: the counts as stored, the callable applied
        # to the output (as before the recipe options existed).
        self._raw = raw
        self._output_transform = transform if raw else None
        self.recipe = Recipe.checked(
            balance=balance, oe=oe, ignore_diags=ignore_diags, transform=None if raw else transform,
            clip=clip, clip_percentile=clip_percentile, diagonal_offset=diagonal_offset, nan_to=nan_to,
            dtype=np.float32 if dtype is None else dtype,
        )
        self.return_mask = bool(return_mask)
        self.return_coords = bool(return_coords)
        self.sequence_fn = sequence_fn
        self.flip = bool(flip)
        self.shift = int(shift)
        self.seed = int(seed)
        self.epoch = 0
        self.min_valid_fraction = float(min_valid_fraction)
        if resolutions is not None:
            if resolution is not None:
                raise InvalidInputError("give resolution= or resolutions=, not both")
            if len(resolutions) < 1:
                raise InvalidInputError("resolutions= needs at least one resolution")
            chosen: List[Optional[int]] = [int(r) for r in resolutions]
        else:
            chosen = [None if resolution is None else int(resolution)]
        self.resolutions = chosen if resolutions is not None else None
        if scale_mode not in SCALE_MODES:
            raise InvalidInputError(f"scale_mode must be one of {SCALE_MODES}, got {scale_mode!r}")
        self.scale_mode = scale_mode
        self._state = ReaderState(self.path, chosen, endpoint, int(cache_bytes))
        self.levels = [describe(self._state.file(r), self.recipe) for r in chosen]
        if len(self.levels) > 1 and any(level.bin_ranges is None or level.bin_size is None for level in self.levels):
            raise InvalidInputError("resolutions= needs a file with fixed-size genomic bins at each resolution")
        base = self.levels[0]
        self.placement = Placement.of(region, along_diagonal, max_distance, self.window)
        self.blocks: List[Block] = blocks(
            base.n_bins, base.bin_ranges, cis_only=cis_only, chroms=chroms, exclude=exclude
        )
        if (self.return_coords or sequence_fn is not None) and base.bin_ranges is None:
            raise InvalidInputError("return_coords and sequence_fn need a file with genomic coordinates")

    # -- pickling: parameters, origins and expected travel; readers never do ------------------
    def __getstate__(self) -> Dict[str, Any]:
        state = dict(self.__dict__)
        state["_state"] = ReaderState(self.path, self._state.resolutions, self.endpoint, self._state.cache_bytes)
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        self.__dict__.update(state)

    def set_epoch(self, epoch: int) -> None:
        """Sets the epoch: it seeds the augmentation (and, for :class:`GzcmRandomWindows`, the
        origins and shard order). Call it before iterating each epoch, as
        ``DistributedSampler.set_epoch``; with ``persistent_workers=True`` the workers keep the
        copy they started with."""
        self.epoch = int(epoch)

    # -- one item -----------------------------------------------------------------------------
    def _prepared(self, r: int, c: int) -> Tuple[Any, np.ndarray, float]:
        """The window at base-level origin ``(r, c)``: values, mask, non-zero fraction (the
        first level's); several resolutions stack into ``(R, H, W)``."""
        w = self.window
        if self._raw:
            counts = self._state.file(self.levels[0].resolution)._reader.window(r, r + w, c, c + w)
            return counts, np.ones(counts.shape, dtype=bool), np.count_nonzero(counts) / counts.size
        values, mask, fraction = self._state.window(self.levels[0], self.recipe, r, c, (w, w))
        if len(self.levels) == 1:
            return values, mask, fraction
        stacks = [(values, mask)]
        base = self.levels[0]
        same_chrom = base.chrom_at(r) == base.chrom_at(r + w - 1) == base.chrom_at(c) == base.chrom_at(c + w - 1)
        for level in self.levels[1:]:
            assert level.bin_ranges is not None
            _, lo, hi = level.bin_ranges[base.chrom_at(r)]
            within = (lo, hi) if same_chrom else None
            if self.scale_mode == "centre":
                rr, cc = self._centre_bin(level, r), self._centre_bin(level, c)
                v, m, _ = self._state.window(level, self.recipe, rr, cc, (w, w), within)
            else:
                rows, cols = self._span_bins(level, r), self._span_bins(level, c)
                r0, c0 = int(rows[0]), int(cols[0])
                shape = (int(rows[-1]) + 1 - r0, int(cols[-1]) + 1 - c0)
                v, m, _ = self._state.window(level, self.recipe, r0, c0, shape, within)
                pick = np.ix_(rows - r0, cols - c0)
                v, m = v[pick], m[pick]
            stacks.append((v, m))
        return np.stack([v for v, _ in stacks]), np.stack([m for _, m in stacks]), fraction

    def _centre_bin(self, level: Level, first: int) -> int:
        """The first bin at ``level`` of the window centred where the base window starting at
        bin ``first`` is (same chromosome, same centre in bp)."""
        base = self.levels[0]
        assert base.bin_size is not None and level.bin_size is not None and level.bin_ranges is not None
        chrom = base.chrom_at(first)
        name, lo, _ = base.bin_ranges[chrom]
        centre_bp = (first - lo) * base.bin_size + self.window * base.bin_size // 2
        _, level_lo, _ = level.bin_ranges[chrom]
        return level_lo + centre_bp // level.bin_size - self.window // 2

    def _span_bins(self, level: Level, first: int) -> np.ndarray:
        """For each bin of the base window starting at bin ``first``, the bin of ``level``
        holding its centre (the same span in bp, resampled nearest-neighbour)."""
        base = self.levels[0]
        assert base.bin_size is not None and level.bin_size is not None
        assert base.bin_ranges is not None and level.bin_ranges is not None
        chrom = base.chrom_at(first)
        _, lo, _ = base.bin_ranges[chrom]
        _, level_lo, level_hi = level.bin_ranges[chrom]
        centres = (first - lo + np.arange(self.window)) * base.bin_size + base.bin_size // 2
        return np.minimum(level_lo + centres // level.bin_size, level_hi - 1)

    def _shifted(self, r: int, c: int, by: int) -> Tuple[int, int]:
        """``(r + by, c + by)`` kept inside the block holding ``(r, c)``."""
        w = self.window
        for r0, r1, c0, c1 in self.blocks:
            if r0 <= r <= r1 - w and c0 <= c <= c1 - w:
                lo = max(r0 - r, c0 - c)
                hi = min(r1 - w - r, c1 - w - c)
                by = min(max(by, lo), hi)
                return r + by, c + by
        return r, c

    def _axis(self, lo: int, hi: int) -> Axis:
        """Bins ``lo..hi`` of the base level as ``(chrom, start, end)``."""
        segments = self._segments(lo, hi)
        names = "|".join(name for name, _, _ in segments)
        return names, segments[0][1], segments[-1][2]

    def _segments(self, lo: int, hi: int) -> List[Axis]:
        """Bins ``lo..hi`` as one ``(chrom, start, end)`` per chromosome they cover."""
        base = self.levels[0]
        assert base.bin_ranges is not None
        found = []
        for name, c0, c1 in base.bin_ranges[base.chrom_at(lo) : base.chrom_at(hi - 1) + 1]:
            a, b = max(lo, c0), min(hi, c1)
            if a < b:
                assert base.starts is not None and base.ends is not None
                found.append((name, int(base.starts[a]), int(base.ends[b - 1])))
        return found

    def _sequence(self, lo: int, hi: int) -> Any:
        assert self.sequence_fn is not None
        parts = [self.sequence_fn(*segment) for segment in self._segments(lo, hi)]
        if len(parts) == 1:
            return parts[0]
        return "".join(parts) if all(isinstance(p, str) for p in parts) else np.concatenate(parts)

    def _item(self, index: int, r: int, c: int, min_valid: float = 0.0) -> Any:
        """Item ``index`` (window at ``(r, c)`` before augmentation); ``None`` when its
        non-zero fraction is below ``min_valid``."""
        flipped = False
        if self.flip or self.shift:
            rng = np.random.default_rng([self.seed, self.epoch, index])
            if self.shift:
                r, c = self._shifted(r, c, int(rng.integers(-self.shift, self.shift + 1)))
            flipped = self.flip and bool(rng.random() < 0.5)
        values, mask, fraction = self._prepared(r, c)
        if fraction < min_valid:
            return None
        if flipped:
            values, mask = _anti_transpose(values), _anti_transpose(mask)
        return self._output(index, r, c, values, mask, flipped)

    def _output(self, index: int, r: int, c: int, values: Any, mask: np.ndarray, flipped: bool) -> Any:
        as_out = functools.partial(_as_output, as_tensor=self.as_tensor)
        if not (self.return_mask or self.return_coords or self.flip or self.sequence_fn is not None):
            out = as_out(values)
            return self._output_transform(out) if self._output_transform is not None else out
        w = self.window
        rows, cols = (r, r + w), (c, c + w)
        if flipped:  # the flipped window's rows are the original columns, reversed
            rows, cols = cols, rows
        sample: Dict[str, Any] = {"matrix": as_out(values), "index": index, "origin": (r, c)}
        if self._output_transform is not None:
            sample["matrix"] = self._output_transform(sample["matrix"])
        if self.return_mask:
            sample["mask"] = as_out(mask)
        if self.return_coords:
            sample["row"] = self._axis(*rows)
            sample["col"] = self._axis(*cols)
        if self.flip:
            sample["flipped"] = flipped
        if self.sequence_fn is not None:
            row_seq = self._sequence(*rows)
            sample["sequence"] = (row_seq, row_seq if rows == cols else self._sequence(*cols))
        return sample


def _anti_transpose(array: np.ndarray) -> np.ndarray:
    """``array`` (or each of a stack) mirrored across its anti-diagonal: ``out[i, j] =
    in[n-1-j, n-1-i]``, what reverse-complementing both loci does to a contact window."""
    return np.ascontiguousarray(np.swapaxes(array[..., ::-1, ::-1], -1, -2))


def _as_output(window: Any, *, as_tensor: bool) -> Any:
    if as_tensor:
        if torch is None:
            raise InvalidInputError("as_tensor=True needs torch, which is not installed")
        return torch.from_numpy(np.ascontiguousarray(window))
    return window


_OPTIONS_DOC = """
    What a window holds (applied in this order, in one native pass per window):
        balance: ``False`` (the stored counts), ``True`` (the ``weight`` vector) or a weight
            name: ``count · w[i] · w[j]``, NaN at masked bins, as cooler's ``matrix(balance=…)``.
        oe: divide by the cis expected of each cell's diagonal (cooltools' ``balanced.avg`` of
            ``expected_cis(smooth=False, ignore_diags=ignore_diags)``): the table stored in the
            file when one matches, else computed once when the dataset is made (it then travels
            to the workers with the dataset). Needs ``balance`` and cis windows (``cis_only``).
        ignore_diags: with ``oe``, diagonals the expected leaves out (their cells are NaN).
        diagonal_offset: cells with ``|i - j| < diagonal_offset`` (matrix bins) are NaN.
        transform: ``"log1p"``, ``"log"`` (``log 0 = -inf``), or a callable applied to the
            float32 window. When nothing else is asked (no balance, O/E, clip, offset, nan_to,
            dtype) a callable gets the stored counts, after ``as_tensor``, as before.
        clip: ``(lo, hi)`` as ``numpy.clip`` (``±inf`` go to the bounds, NaN stays NaN).
        clip_percentile: ``(lo, hi)`` percentiles of the window's finite values to clip to.
        nan_to: the value of every cell that is not finite (``None`` keeps NaN / ``-inf``).
        dtype: ``float32`` (default once anything above is asked) or ``float16``; with none of
            them the window keeps the file's dtype.
        return_mask: also return ``mask``, ``True`` where the value was finite before ``nan_to``.

    Where windows come from:
        cis_only: windows inside one chromosome. chroms: only these chromosomes; exclude: not
            these (a holdout split). Off ``cis_only``, each run of consecutive chosen chromosomes
            pairs with each other run.
        along_diagonal: origins ``(r, c)`` with ``0 <= c - r <= max_distance`` bins (default 0:
            centred on the diagonal); ``region`` is the older spelling of two placements.
        min_valid_fraction: skip windows whose share of finite, non-zero cells (before the
            transform, outside the masked diagonals) is below this.

    Augmentation (seeded by ``(seed, epoch, index)``: the same item is the same each epoch
    until :meth:`set_epoch`):
        flip: with probability 1/2 the window is mirrored across its anti-diagonal (the loci
            reverse-complemented); the item says ``flipped`` so the sequence can follow.
        shift: the origin moves along the diagonal by a uniform ``-shift..shift`` bins (kept
            inside its chromosome / block).

    Multi-scale:
        resolution: the resolution to read from a multi-resolution file.
        resolutions: several; origins are bins of the first, and each item is ``(R, H, W)``:
            at each resolution the ``window``-bin window centred on the same locus (Orca's
            zoom: coarser levels cover more bp; NaN past a chromosome's end), each balanced /
            O/E with its own weights and expected. Coordinates are the first resolution's.
        scale_mode: ``"centre"`` (the above) or ``"span"``: at each resolution the same span in
            bp as the first resolution's window, resampled to ``window`` bins (each bin takes
            the value of the coarser bin holding its centre).

    Items: the window (numpy, or ``torch.Tensor`` with ``as_tensor``), unless ``return_mask``,
    ``return_coords``, ``flip`` or ``sequence_fn`` asks for more: then a dict with ``matrix``,
    ``index``, ``origin`` (bins) and, as asked, ``mask``, ``row`` and ``col`` (``(chrom,
    start, end)`` in bp of each axis, after any flip), ``flipped``, and ``sequence`` (what
    ``sequence_fn(chrom, start, end)`` returns for the row and the column axis). A dict
    collates in ``DataLoader`` as usual.

    Each process opens its own reader, with a ``cache_bytes`` tile cache (64 MiB by default):
    with the weights, bins and expected (a few floats per bin) that bounds a worker's memory.
    Under the ``spawn`` start method the dataset is pickled to each worker, so a callable
    ``transform`` or ``sequence_fn`` must be picklable (a module-level function, not a lambda).
"""


class GzcmDataset(_Windows, _MapBase):
    """Training windows of a ``.gzcm`` file at fixed origins (tiled every ``stride`` bins from
    each block's corner; row-major within a block). Map-style: works with any sampler,
    ``DistributedSampler`` included.

    Args:
        path: the file (or an object-store URL, read in place; ``endpoint`` as
            :func:`gzcm.open`).
        window: window edge in bins.
        stride: step between origins (default: ``window``, i.e. non-overlapping).
        region: ``"all"``, ``"diagonal"`` (origins ``(k, k)``) or ``"near-diagonal"``
            (``|r - c| <= window``).
        as_tensor: return ``torch.Tensor`` instead of ``numpy.ndarray`` (needs torch).

    The other options (what a window holds, placement, augmentation, resolutions, items) are
    described below. Only whole windows are produced. With ``min_valid_fraction``, every
    candidate window is read once when the dataset is made (in the calling process) to keep
    the valid ones.
    """

    def __init__(
        self,
        path: PathLike,
        *,
        window: int = 256,
        stride: Optional[int] = None,
        region: str = "all",
        along_diagonal: bool = False,
        max_distance: Optional[int] = None,
        cis_only: bool = False,
        chroms: Optional[Sequence[str]] = None,
        exclude: Optional[Sequence[str]] = None,
        balance: Union[bool, str] = False,
        oe: bool = False,
        ignore_diags: int = 2,
        transform: Any = None,
        clip: Optional[Tuple[float, float]] = None,
        clip_percentile: Optional[Tuple[float, float]] = None,
        diagonal_offset: int = 0,
        nan_to: Optional[float] = None,
        dtype: Any = None,
        return_mask: bool = False,
        return_coords: bool = False,
        sequence_fn: Optional[Callable[[str, int, int], Any]] = None,
        flip: bool = False,
        shift: int = 0,
        seed: int = 0,
        resolution: Optional[int] = None,
        resolutions: Optional[Sequence[int]] = None,
        scale_mode: str = "centre",
        min_valid_fraction: float = 0.0,
        as_tensor: bool = False,
        endpoint: Optional[str] = None,
        cache_bytes: int = DATASET_CACHE_BYTES,
    ) -> None:
        self._setup(
            path, window, region=region, along_diagonal=along_diagonal, max_distance=max_distance,
            cis_only=cis_only, chroms=chroms, exclude=exclude, balance=balance, oe=oe,
            ignore_diags=ignore_diags, transform=transform, clip=clip, clip_percentile=clip_percentile,
            diagonal_offset=diagonal_offset, nan_to=nan_to, dtype=dtype, return_mask=return_mask,
            return_coords=return_coords, sequence_fn=sequence_fn, flip=flip, shift=shift, seed=seed,
            resolution=resolution, resolutions=resolutions, scale_mode=scale_mode,
            min_valid_fraction=min_valid_fraction,
            as_tensor=as_tensor, endpoint=endpoint, cache_bytes=cache_bytes,
        )
        stride = self.window if stride is None else stride
        if isinstance(stride, bool) or not isinstance(stride, (int, np.integer)) or stride < 1:
            raise InvalidInputError(f"stride must be an int >= 1, got {stride!r}")
        self.stride = int(stride)
        self.region = region
        origins = tile(self.blocks, self.window, self.stride, self.placement)
        if not origins:
            n = self.levels[0].n_bins
            raise InvalidInputError(f"window {self.window} fits nowhere in the {n}×{n} matrix with these options")
        if self.min_valid_fraction > 0:
            origins = [o for o in origins if self._prepared(*o)[2] >= self.min_valid_fraction]
        self.origins: List[Tuple[int, int]] = origins

    def __len__(self) -> int:
        return len(self.origins)

    def origin(self, index: int) -> Tuple[int, int]:
        """The ``(row, col)`` origin (bins) of window ``index``, before any shift."""
        return self.origins[index]

    def __getitem__(self, index: int) -> Any:
        if index < 0:
            index += len(self.origins)
        if not 0 <= index < len(self.origins):
            raise IndexError(f"window {index} is out of range for {len(self.origins)} windows")
        r, c = self.origins[index]
        return self._item(index, r, c)


class GzcmRandomWindows(_Windows, _IterBase):
    """``n`` training windows per epoch at seeded random origins (uniform over every allowed
    origin), for one rank of a distributed run.

    The epoch's origins are drawn from ``(seed, epoch)``: the same seed gives the same windows
    in the same order. They are dealt round-robin to the ``world_size`` ranks, and within a
    rank to its DataLoader workers (``torch.utils.data.get_worker_info``), so over every rank
    and worker each window comes exactly once per epoch. Call :meth:`set_epoch` each epoch.

    Args:
        path: the file (or object-store URL).
        window: window edge in bins.
        n: windows per epoch (over all ranks).
        seed: seeds the origins and the augmentation.
        rank, world_size: this process's share of a distributed run.
        epoch: the first epoch.
        drop_last: read only the first ``n - n % world_size`` windows, so every rank reads as
            many (DistributedDataParallel waits for every rank at each step).
        as_tensor: return ``torch.Tensor`` (needs torch).

    The other options are those of :class:`GzcmDataset`, described below.
    ``min_valid_fraction`` is applied as the windows are read: a rejected window is skipped,
    so a rank may yield fewer than its share.
    """

    def __init__(
        self,
        path: PathLike,
        window: int,
        n: int,
        seed: int = 0,
        *,
        rank: int = 0,
        world_size: int = 1,
        epoch: int = 0,
        drop_last: bool = False,
        region: str = "all",
        along_diagonal: bool = False,
        max_distance: Optional[int] = None,
        cis_only: bool = False,
        chroms: Optional[Sequence[str]] = None,
        exclude: Optional[Sequence[str]] = None,
        balance: Union[bool, str] = False,
        oe: bool = False,
        ignore_diags: int = 2,
        transform: Any = None,
        clip: Optional[Tuple[float, float]] = None,
        clip_percentile: Optional[Tuple[float, float]] = None,
        diagonal_offset: int = 0,
        nan_to: Optional[float] = None,
        dtype: Any = None,
        return_mask: bool = False,
        return_coords: bool = False,
        sequence_fn: Optional[Callable[[str, int, int], Any]] = None,
        flip: bool = False,
        shift: int = 0,
        resolution: Optional[int] = None,
        resolutions: Optional[Sequence[int]] = None,
        scale_mode: str = "centre",
        min_valid_fraction: float = 0.0,
        as_tensor: bool = False,
        endpoint: Optional[str] = None,
        cache_bytes: int = DATASET_CACHE_BYTES,
    ) -> None:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise InvalidInputError(f"n must be an int >= 0, got {n!r}")
        shard(0, rank=rank, world_size=world_size)  # checks rank and world_size
        self._setup(
            path, window, region=region, along_diagonal=along_diagonal, max_distance=max_distance,
            cis_only=cis_only, chroms=chroms, exclude=exclude, balance=balance, oe=oe,
            ignore_diags=ignore_diags, transform=transform, clip=clip, clip_percentile=clip_percentile,
            diagonal_offset=diagonal_offset, nan_to=nan_to, dtype=dtype, return_mask=return_mask,
            return_coords=return_coords, sequence_fn=sequence_fn, flip=flip, shift=shift, seed=seed,
            resolution=resolution, resolutions=resolutions, scale_mode=scale_mode,
            min_valid_fraction=min_valid_fraction,
            as_tensor=as_tensor, endpoint=endpoint, cache_bytes=cache_bytes,
        )
        self.n = int(n)
        self.rank = int(rank)
        self.world_size = int(world_size)
        self.drop_last = bool(drop_last)
        self.set_epoch(epoch)

    def set_epoch(self, epoch: int) -> None:
        """Sets the epoch: the origins are drawn again from ``(seed, epoch)``."""
        super().set_epoch(epoch)
        rng = np.random.default_rng([self.seed, self.epoch])
        self.origins: List[Tuple[int, int]] = draw(self.blocks, self.window, self.n, rng, self.placement)

    def __len__(self) -> int:
        return self.n

    def indices(self, worker: int = 0, num_workers: int = 1) -> List[int]:
        """The epoch's window indices ``worker`` of ``num_workers`` of this rank reads, in order
        (ranks read ``n // world_size`` or one more; exactly that with ``drop_last``)."""
        n = self.n - self.n % self.world_size if self.drop_last else self.n
        return shard(
            n, rank=self.rank, world_size=self.world_size, worker=worker, num_workers=num_workers,
            seed=self.seed, epoch=self.epoch,
        )

    def __iter__(self) -> Iterator[Any]:
        return self.items(*worker_share())

    def items(self, worker: int = 0, num_workers: int = 1) -> Iterator[Any]:
        """The epoch's items of worker ``worker`` of ``num_workers`` of this rank (what
        iterating yields inside that DataLoader worker)."""
        for index in self.indices(worker, num_workers):
            r, c = self.origins[index]
            item = self._item(index, r, c, self.min_valid_fraction)
            if item is not None:
                yield item


# The options both datasets share, documented once and appended to each class's docstring.
GzcmDataset.__doc__ = (GzcmDataset.__doc__ or "") + _OPTIONS_DOC
GzcmRandomWindows.__doc__ = (GzcmRandomWindows.__doc__ or "") + _OPTIONS_DOC
