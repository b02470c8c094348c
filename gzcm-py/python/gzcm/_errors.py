"""The exception hierarchy: every error gzcm raises is a :class:`GzcmError`.

Each class also derives from the built-in exception a Python user would expect
(``FileNotFoundError``, ``KeyError``, ``ValueError``, ...), so both ``except gzcm.GzcmError``
and ``except FileNotFoundError`` work. The native module raises these by name.

The two classes that also derive from a built-in of the same meaning are named
:class:`GzcmFileNotFoundError` and :class:`GzcmPermissionError`; ``gzcm.FileNotFoundError`` and
``gzcm.PermissionError`` remain as aliases of them, outside ``__all__``, so that
``from gzcm import *`` does not shadow the built-ins.
"""

from __future__ import annotations

from typing import Optional, Sequence

__all__ = [
    "GzcmError",
    "GzcmIOError",
    "GzcmFileNotFoundError",
    "GzcmPermissionError",
    "OutputExistsError",
    "FormatError",
    "CorruptTileError",
    "CodecError",
    "RegistryError",
    "UnknownCodecError",
    "CodecNameTakenError",
    "InvalidCodecNameError",
    "InvalidInputError",
    "OutOfBoundsError",
    "RegionTooLargeError",
    "NoGenomeError",
    "MissingDependencyError",
]

_BuiltinFileNotFoundError = FileNotFoundError
_BuiltinPermissionError = PermissionError


class GzcmError(Exception):
    """Base class of every gzcm error."""


class GzcmIOError(GzcmError, OSError):
    """The operating system refused a read or write (``errno`` and ``filename`` are set)."""


class GzcmFileNotFoundError(GzcmIOError, _BuiltinFileNotFoundError):
    """A file to read does not exist (also a built-in ``FileNotFoundError``).

    Also importable as ``gzcm.FileNotFoundError`` (an alias kept out of ``__all__``).
    """


class GzcmPermissionError(GzcmIOError, _BuiltinPermissionError):
    """The operating system denied access (also a built-in ``PermissionError``).

    Also importable as ``gzcm.PermissionError`` (an alias kept out of ``__all__``).
    """


#: Alias of :class:`GzcmFileNotFoundError` (not in ``__all__``: it would shadow the built-in).
FileNotFoundError = GzcmFileNotFoundError  # noqa: A001 - deliberate, see the module docstring
#: Alias of :class:`GzcmPermissionError` (not in ``__all__``: it would shadow the built-in).
PermissionError = GzcmPermissionError  # noqa: A001 - deliberate, see the module docstring


class OutputExistsError(GzcmIOError, FileExistsError):
    """The output exists and ``overwrite=True`` was not given."""


class FormatError(GzcmError):
    """The file is not a valid ``.gzcm`` file (bad magic, lying header, truncated index, ...)."""


class CorruptTileError(GzcmError):
    """A stored tile fails its checksum, does not decode, or disagrees with the index."""


class CodecError(GzcmError):
    """A codec refused a tile or an option."""


class RegistryError(GzcmError):
    """The codec registry refused a lookup or a registration."""


class UnknownCodecError(RegistryError, KeyError):
    """No codec of that name is registered.

    Attributes:
        name: the name asked for.
        available: every registered name, sorted.
        suggestion: the closest registered name, or ``None``.
    """

    def __init__(
        self,
        message: str,
        name: str = "",
        available: Sequence[str] = (),
        suggestion: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.name = name
        self.available = sorted(available)
        self.suggestion = suggestion

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class CodecNameTakenError(RegistryError, ValueError):
    """A different codec already holds the name."""


class InvalidCodecNameError(RegistryError, ValueError):
    """The name breaks the codec naming rule (``[a-z][a-z0-9_.-]*``, at most 32 bytes)."""


class InvalidInputError(GzcmError, ValueError):
    """The input or an argument is invalid (malformed source, bad option, out-of-range cell, ...)."""


class ResolutionError(InvalidInputError):
    """A multi-resolution file was read without choosing a resolution, or a resolution the file
    lacks was asked for; the message lists the file's resolutions (``gzcm.resolutions(path)``
    returns them)."""


class OutOfBoundsError(GzcmError, IndexError):
    """A tile or window lies outside the matrix."""


class RegionTooLargeError(GzcmError, MemoryError):
    """A requested window is too large to hold in memory."""


class NoGenomeError(GzcmError):
    """The file carries no genomic coordinates (chromosomes, bins, balancing weights)."""


class MissingDependencyError(GzcmError, ImportError):
    """An optional package a call needs is not installed (pandas for tables, scipy for
    ``sparse=True``). ``package`` names it; the message says how to install it."""

    def __init__(self, message: str, package: str = "") -> None:
        super().__init__(message)
        self.package = package
