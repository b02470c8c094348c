"""gzcm: Hi-C contact matrices as compressed, randomly accessible tiles.

Write with :func:`convert_to_gzcm`, read with :func:`open` (``f.matrix()[r0:r1, c0:c1]``),
train with :class:`GzcmDataset`, extend with :func:`register_codec`.

>>> import gzcm
>>> gzcm.convert_to_gzcm(matrix, "m.gzcm", version=4, adaptive_codec=True)  # doctest: +SKIP
>>> with gzcm.open("m.gzcm") as f:  # doctest: +SKIP
...     window = f.matrix()[1000:1256, 1000:1256]
"""

from __future__ import annotations

from typing import Any

from . import _native
from ._codecs import Codec, get_codec, list_codecs, register_codec
from ._convert import convert_to_gzcm
from ._errors import (
    CodecError,
    CodecNameTakenError,
    CorruptTileError,
    FileNotFoundError,
    FormatError,
    GzcmError,
    GzcmIOError,
    InvalidCodecNameError,
    InvalidInputError,
    NoGenomeError,
    OutOfBoundsError,
    OutputExistsError,
    PermissionError,
    RegionTooLargeError,
    RegistryError,
    UnknownCodecError,
)
from ._file import DEFAULT_CACHE_BYTES, GzcmFile, MatrixSelector, open

__version__: str = _native.__version__

__all__ = [
    "Codec",
    "CodecError",
    "CodecNameTakenError",
    "CorruptTileError",
    "DEFAULT_CACHE_BYTES",
    "FileNotFoundError",
    "FormatError",
    "GzcmDataset",
    "GzcmError",
    "GzcmFile",
    "GzcmIOError",
    "GzcmRandomWindows",
    "InvalidCodecNameError",
    "InvalidInputError",
    "MatrixSelector",
    "NoGenomeError",
    "OutOfBoundsError",
    "OutputExistsError",
    "PermissionError",
    "RegionTooLargeError",
    "RegistryError",
    "UnknownCodecError",
    "convert_to_gzcm",
    "get_codec",
    "list_codecs",
    "open",
    "register_codec",
]


def __getattr__(name: str) -> Any:
    # The datasets import torch when it is installed: only pay for that when they are used.
    if name in ("GzcmDataset", "GzcmRandomWindows"):
        from . import dataset

        return getattr(dataset, name)
    raise AttributeError(f"module 'gzcm' has no attribute {name!r}")
