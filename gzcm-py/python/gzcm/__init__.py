"""gzcm: Hi-C contact matrices as compressed, randomly accessible tiles.

Write with :func:`convert_to_gzcm` (coarser resolutions with :func:`zoomify`; from pairs,
every resolution at once, with :func:`load_pairs`), read with :func:`open`
(``f.matrix()[r0:r1, c0:c1]``), train with :class:`GzcmDataset`, extend with
:func:`register_codec`. An open file reads as
``cooler.Cooler`` does (``matrix()``, ``pixels()``, ``bins()``, ``chroms()``, ``info``, …), so a
cooler script changes ``cooler.Cooler(p)`` into ``gzcm.open(p)``.

>>> import gzcm
>>> gzcm.convert_to_gzcm(matrix, "m.gzcm")  # v4, a codec per region  # doctest: +SKIP
>>> with gzcm.open("m.gzcm") as f:  # doctest: +SKIP
...     window = f.matrix()[1000:1256, 1000:1256]

``from gzcm import *`` is safe: ``open``, ``FileNotFoundError`` and ``PermissionError`` (which
would shadow built-ins) are attributes of the module but not in ``__all__``; the error classes'
own names are :class:`GzcmFileNotFoundError` and :class:`GzcmPermissionError`.
"""

from __future__ import annotations

from typing import Any

from . import _native
from ._balance import ConvergenceWarning, balance, expected
from ._codecs import Codec, get_codec, list_codecs, register_codec
from ._convert import convert_to_gzcm
from ._errors import (
    CodecError,
    CodecNameTakenError,
    CorruptTileError,
    FileNotFoundError,
    FormatError,
    GzcmError,
    GzcmFileNotFoundError,
    GzcmIOError,
    GzcmPermissionError,
    InvalidCodecNameError,
    InvalidInputError,
    MissingDependencyError,
    NoGenomeError,
    OutOfBoundsError,
    OutputExistsError,
    PermissionError,
    RegionTooLargeError,
    RegistryError,
    ResolutionError,
    UnknownCodecError,
)
from ._load import load_pairs
from ._file import DEFAULT_CACHE_BYTES, GzcmFile, MatrixSelector, TableSelector, open, resolutions
from ._zoomify import zoomify

__version__: str = _native.__version__

# Not here, though importable: `open`, `FileNotFoundError`, `PermissionError` (they would shadow
# built-ins under `from gzcm import *`).
__all__ = [
    "Codec",
    "CodecError",
    "CodecNameTakenError",
    "ConvergenceWarning",
    "CorruptTileError",
    "DEFAULT_CACHE_BYTES",
    "FormatError",
    "GzcmDataset",
    "GzcmError",
    "GzcmFile",
    "GzcmFileNotFoundError",
    "GzcmIOError",
    "GzcmPermissionError",
    "GzcmRandomWindows",
    "InvalidCodecNameError",
    "InvalidInputError",
    "MatrixSelector",
    "MissingDependencyError",
    "NoGenomeError",
    "OutOfBoundsError",
    "OutputExistsError",
    "RegionTooLargeError",
    "RegistryError",
    "ResolutionError",
    "TableSelector",
    "UnknownCodecError",
    "balance",
    "convert_to_gzcm",
    "expected",
    "get_codec",
    "list_codecs",
    "load_pairs",
    "register_codec",
    "zoomify",
]


def __getattr__(name: str) -> Any:
    # The datasets import torch when it is installed: only pay for that when they are used.
    if name in ("GzcmDataset", "GzcmRandomWindows"):
        from . import dataset

        return getattr(dataset, name)
    raise AttributeError(f"module 'gzcm' has no attribute {name!r}")
