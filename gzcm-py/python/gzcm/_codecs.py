"""The codec registry from Python: list, look up, and register codecs written in Python."""

from __future__ import annotations

from typing import Callable, List, Optional, Tuple

import numpy as np

from . import _native
from ._errors import InvalidInputError

__all__ = ["Codec", "list_codecs", "get_codec", "register_codec"]

#: A codec handle: ``.name``, ``.wire``, ``.origin``, ``.encode(array)``, ``.decode(data, shape, dtype)``.
Codec = _native.Codec


def list_codecs() -> List[str]:
    """Every registered codec name, sorted (the same list as ``gzcm codecs``)."""
    return list(_native.list_codecs())


def get_codec(name: str) -> "_native.Codec":
    """The codec called ``name``.

    Raises:
        UnknownCodecError: (a ``KeyError``) with ``.name``, ``.available`` and a did-you-mean
            suggestion in its message.
    """
    return _native.get_codec(name)


def register_codec(
    name: str,
    encode: Callable[[np.ndarray], bytes],
    decode: Callable[[bytes, Tuple[int, int], str], np.ndarray],
    *,
    wire: str = "opaque",
    shape_of: Optional[Callable[[bytes], Tuple[int, int]]] = None,
) -> None:
    """Registers a codec written in Python, used by this process's writers and readers like a built-in.

    Args:
        name: the codec name (``[a-z][a-z0-9_.-]*``, at most 32 bytes); a taken name raises
            :class:`CodecNameTakenError`.
        encode: ``encode(tile) -> bytes`` for a 2-D ``uint32``/``float32`` array.
        decode: ``decode(payload, (rows, cols), dtype_name) -> ndarray`` of that shape and dtype.
        wire: ``"opaque"`` (the writer prepends the 8-byte shape header) or ``"self"`` (the
            payload carries the shape itself; nothing is prepended).
        shape_of: for ``wire="self"``, ``shape_of(payload) -> (rows, cols)`` read from the
            payload's own header. Required then, refused otherwise.

    The callables run with the GIL held, from the writer's worker threads too.
    """
    if wire not in ("opaque", "self"):
        raise InvalidInputError(f"wire must be 'opaque' or 'self', got {wire!r}")
    if wire == "self" and shape_of is None:
        raise InvalidInputError("wire='self' needs shape_of(payload) -> (rows, cols)")
    if wire == "opaque" and shape_of is not None:
        raise InvalidInputError("shape_of is only for wire='self' codecs")
    for label, fn in (("encode", encode), ("decode", decode), ("shape_of", shape_of)):
        if fn is not None and not callable(fn):
            raise InvalidInputError(f"{label} must be callable")
    _native.register_python_codec(name, encode, decode, shape_of)
