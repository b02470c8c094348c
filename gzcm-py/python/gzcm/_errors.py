"""The exception hierarchy: every error gzcm raises is a :class:`GzcmError`.

Each class also derives from the built-in exception a Python user would expect
(``FileNotFoundError``, ``KeyError``, ``ValueError``, ...), so both ``except gzcm.GzcmError``
and ``except FileNotFoundError`` work. The native module raises these by name.
"""

from __future__ import annotations

from typing import Optional, Sequence

__all__ = [
    "GzcmError",
    "GzcmIOError",
    "FileNotFoundError",
    "PermissionError",
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
]

_BuiltinFileNotFoundError = FileNotFoundError
_BuiltinPermissionError = PermissionError


class GzcmError(Exception):
    """Base class of every gzcm error."""


class GzcmIOError(GzcmError, OSError):
    """The operating system refused a read or write (``errno`` and ``filename`` are set)."""


class FileNotFoundError(GzcmIOError, _BuiltinFileNotFoundError):  # noqa: A001 - deliberate
    """A file to read does not exist (also a built-in ``FileNotFoundError``)."""


class PermissionError(GzcmIOError, _BuiltinPermissionError):  # noqa: A001 - deliberate
    """The operating system denied access (also a built-in ``PermissionError``)."""


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


class OutOfBoundsError(GzcmError, IndexError):
    """A tile or window lies outside the matrix."""


class RegionTooLargeError(GzcmError, MemoryError):
    """A requested window is too large to hold in memory."""


class NoGenomeError(GzcmError):
    """The file carries no genomic coordinates (chromosomes, bins, balancing weights)."""
