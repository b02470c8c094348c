"""PyTorch-style datasets of windows of a ``.gzcm`` file.

:class:`GzcmDataset` is map-style (``len``, ``dataset[i]``), :class:`GzcmRandomWindows` iterable.
Both are ``torch.utils.data`` datasets when torch is importable and plain classes with the same
interface otherwise. They pickle as ``(path, parameters, shape)`` and open the file lazily in
each process, on the first item, so ``DataLoader(num_workers>0)`` works under fork and spawn
with no reader state crossing processes, and a ``worker_init_fn`` that registers Python codecs
runs before a worker opens the file (unpickling never opens it).
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any, Callable, Iterator, List, Optional, Tuple, Union

import numpy as np

from ._errors import InvalidInputError, UnknownCodecError
from ._file import GzcmFile

__all__ = ["GzcmDataset", "GzcmRandomWindows", "TORCH_AVAILABLE"]

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
PathLike = Union[str, "os.PathLike[str]"]


def _as_output(window: np.ndarray, transform: Optional[Callable[[Any], Any]], as_tensor: bool) -> Any:
    if as_tensor:
        if torch is None:
            raise InvalidInputError("as_tensor=True needs torch, which is not installed")
        window = torch.from_numpy(window)
    return transform(window) if transform is not None else window


class _LazyFile:
    """Opens the file on first use in each process; never pickles the reader."""

    def __init__(self, path: str, endpoint: Optional[str] = None) -> None:
        self.path = path
        self.endpoint = endpoint
        self._file: Optional[GzcmFile] = None
        self._pid = -1

    def get(self) -> GzcmFile:
        if self._file is None or self._pid != os.getpid():
            try:
                self._file = GzcmFile(self.path, endpoint=self.endpoint)
            except UnknownCodecError as error:
                raise _worker_codec_error(error) from error
            self._pid = os.getpid()
        return self._file


def _worker_codec_error(error: UnknownCodecError) -> UnknownCodecError:
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


class GzcmDataset(_MapBase):
    """Square windows of a ``.gzcm`` file, in a fixed order (row-major over window origins).

    Args:
        path: the file.
        window: window edge in bins.
        stride: step between window origins (default: ``window``, i.e. non-overlapping).
        region: ``"all"`` (every origin), ``"diagonal"`` (windows centred on the diagonal,
            origins ``(k, k)``), or ``"near-diagonal"`` (origins within one window of the diagonal).
        transform: applied to each window (after ``as_tensor``).
        as_tensor: return ``torch.Tensor`` instead of ``numpy.ndarray`` (needs torch).
        endpoint: object-store endpoint when ``path`` is a URL (see :func:`gzcm.open`); each
            worker process opens its own reader on first use.

    Only whole windows are produced; a matrix smaller than ``window`` raises.
    """

    def __init__(
        self,
        path: PathLike,
        *,
        window: int = 256,
        stride: Optional[int] = None,
        region: str = "all",
        transform: Optional[Callable[[Any], Any]] = None,
        as_tensor: bool = False,
        endpoint: Optional[str] = None,
    ) -> None:
        self._configure(os.fspath(path), window, stride, region, transform, as_tensor, endpoint, None)

    def _configure(
        self,
        path: str,
        window: int,
        stride: Optional[int],
        region: str,
        transform: Optional[Callable[[Any], Any]],
        as_tensor: bool,
        endpoint: Optional[str],
        shape: Optional[Tuple[int, int]],
    ) -> None:
        """Checks and stores the parameters; opens the file for its shape unless given."""
        if window < 1:
            raise InvalidInputError(f"window must be >= 1, got {window}")
        stride = window if stride is None else stride
        if stride < 1:
            raise InvalidInputError(f"stride must be >= 1, got {stride}")
        if region not in REGIONS:
            raise InvalidInputError(f"region must be one of {REGIONS}, got {region!r}")
        self.path = path
        self.window = int(window)
        self.stride = int(stride)
        self.region = region
        self.transform = transform
        self.as_tensor = bool(as_tensor)
        self.endpoint = endpoint
        self._lazy = _LazyFile(self.path, endpoint)
        self._shape = shape if shape is not None else self._lazy.get().shape
        self.origins = self._origins(*self._shape)

    def _origins(self, rows: int, cols: int) -> List[Tuple[int, int]]:
        w, s = self.window, self.stride
        if rows < w or cols < w:
            raise InvalidInputError(f"window {w} is larger than the {rows}×{cols} matrix")
        starts_r = range(0, rows - w + 1, s)
        starts_c = range(0, cols - w + 1, s)
        if self.region == "diagonal":
            return [(k, k) for k in starts_r if k + w <= cols]
        if self.region == "near-diagonal":
            return [(r, c) for r in starts_r for c in starts_c if abs(r - c) <= w]
        return [(r, c) for r in starts_r for c in starts_c]

    def __reduce__(self) -> Any:
        params = (self.window, self.stride, self.region, self.transform, self.as_tensor, self.endpoint)
        return (_rebuild_dataset, (self.path, params, self._shape))

    def __len__(self) -> int:
        return len(self.origins)

    def origin(self, index: int) -> Tuple[int, int]:
        """The ``(row, col)`` origin of window ``index``."""
        return self.origins[index]

    def __getitem__(self, index: int) -> Any:
        if index < 0:
            index += len(self.origins)
        if not 0 <= index < len(self.origins):
            raise IndexError(f"window {index} is out of range for {len(self.origins)} windows")
        r, c = self.origins[index]
        w = self.window
        window = self._lazy.get().matrix(balance=False)[r : r + w, c : c + w]
        return _as_output(window, self.transform, self.as_tensor)


def _rebuild_dataset(path: str, params: Tuple[Any, ...], shape: Tuple[int, int]) -> GzcmDataset:
    """Unpickles a dataset without opening its file (that waits for the first item)."""
    dataset = GzcmDataset.__new__(GzcmDataset)
    dataset._configure(path, *params, shape)
    return dataset


class GzcmRandomWindows(_IterBase):
    """``n`` windows at seeded random origins: the same sequence for the same ``seed``.

    Under a ``DataLoader`` with workers, worker ``k`` of ``K`` yields windows ``k, k+K, ...``,
    so together the workers yield each window once. ``path`` may be an object-store URL
    (``s3://…``), read in place as by :class:`GzcmDataset`, with ``endpoint`` as there.
    """

    def __init__(
        self,
        path: PathLike,
        window: int,
        n: int,
        seed: int = 0,
        *,
        transform: Optional[Callable[[Any], Any]] = None,
        as_tensor: bool = False,
        endpoint: Optional[str] = None,
    ) -> None:
        self._configure(os.fspath(path), window, n, seed, transform, as_tensor, endpoint, None)

    def _configure(
        self,
        path: str,
        window: int,
        n: int,
        seed: int,
        transform: Optional[Callable[[Any], Any]],
        as_tensor: bool,
        endpoint: Optional[str],
        shape: Optional[Tuple[int, int]],
    ) -> None:
        """Checks and stores the parameters; opens the file for its shape unless given."""
        if window < 1 or n < 0:
            raise InvalidInputError(f"need window >= 1 and n >= 0, got window={window}, n={n}")
        self.path = path
        self.window = int(window)
        self.n = int(n)
        self.seed = int(seed)
        self.transform = transform
        self.as_tensor = bool(as_tensor)
        self.endpoint = endpoint
        self._lazy = _LazyFile(self.path, endpoint)
        self._shape = shape if shape is not None else self._lazy.get().shape
        rows, cols = self._shape
        if rows < window or cols < window:
            raise InvalidInputError(f"window {window} is larger than the {rows}×{cols} matrix")
        rng = np.random.default_rng(self.seed)
        self.origins = list(
            zip(
                rng.integers(0, rows - window + 1, size=self.n).tolist(),
                rng.integers(0, cols - window + 1, size=self.n).tolist(),
            )
        )

    def __reduce__(self) -> Any:
        return (
            _rebuild_random,
            (self.path, (self.window, self.n, self.seed, self.transform, self.as_tensor, self.endpoint), self._shape),
        )

    def __len__(self) -> int:
        return self.n

    def __iter__(self) -> Iterator[Any]:
        worker, workers = 0, 1
        if torch is not None:
            info = torch.utils.data.get_worker_info()
            if info is not None:
                worker, workers = info.id, info.num_workers
        file = self._lazy.get()
        w = self.window
        for r, c in self.origins[worker::workers]:
            yield _as_output(file.matrix(balance=False)[r : r + w, c : c + w], self.transform, self.as_tensor)


def _rebuild_random(path: str, params: Tuple[Any, ...], shape: Tuple[int, int]) -> GzcmRandomWindows:
    """Unpickles a dataset without opening its file (that waits for the first window)."""
    dataset = GzcmRandomWindows.__new__(GzcmRandomWindows)
    dataset._configure(path, *params, shape)
    return dataset
