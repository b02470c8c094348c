"""``load_pairs``: read pairs into a ``.gzcm`` file at every resolution, as ``gzcm load`` does."""

from __future__ import annotations

import os
import re
from typing import Any, Dict, Optional, Sequence, Union

from . import _native
from ._errors import InvalidInputError

__all__ = ["load_pairs"]

_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def _bytes(memory: Union[int, str, None]) -> Optional[int]:
    """``memory`` as bytes: an int, or a string such as ``"512M"`` or ``"1G"`` (powers of 1024)."""
    if memory is None or isinstance(memory, int):
        return memory
    match = re.fullmatch(r"\s*(\d+)\s*([KMGT]?)(?:i?B)?\s*", str(memory), flags=re.IGNORECASE)
    if not match:
        raise InvalidInputError(f"memory={memory!r} is not a byte count such as 512M or 1G")
    return int(match.group(1)) * _UNITS[match.group(2).upper()]


def load_pairs(
    src: Union[str, "os.PathLike[str]"],
    dst: Union[str, "os.PathLike[str]"],
    *,
    resolutions: Optional[Sequence[int]] = None,
    base: Optional[int] = None,
    nice: bool = False,
    chromsizes: Union[str, "os.PathLike[str]", None] = None,
    assembly: Optional[str] = None,
    format: Optional[str] = None,  # noqa: A002 - the CLI's --format
    min_mapq: Optional[int] = None,
    max_distance: Optional[int] = None,
    skip_bad_lines: bool = False,
    memory: Union[int, str, None] = None,
    codec: Optional[str] = None,
    level: Optional[int] = None,
    version: Optional[int] = None,
    tile_size: Optional[int] = None,
    tile_groups: bool = True,
    overwrite: bool = False,
) -> Dict[str, Any]:
    """Loads the pairs file ``src`` into a new ``.gzcm`` file ``dst`` at every resolution, in
    one pass over the pairs (what ``gzcm load`` does; ``cooler cload pairs`` followed by
    ``cooler zoomify``, with the same pixels).

    ``src`` is a 4DN ``.pairs`` file (its ``#chromsize:`` lines give the genome, its
    ``#columns:`` line the columns), HiC-Pro ``validPairs``, bedGraph2 (``chrom1 start1 end1
    chrom2 start2 end2 count``) or gzcm's COO text (``row col value`` in base bins), plain or
    gzip/bgzip; ``format`` (``"pairs"``, ``"validpairs"``, ``"bg2"``, ``"coo"``) when its header
    and name do not tell. Each pair adds 1 to the pixel of its two positions' bins, folded onto
    the upper triangle, in any order.

    Resolutions: ``resolutions=[1000, 5000, 10000, …]`` (the finest is the base, the others
    multiples of it), or ``base=R`` with cooler's progressions (base × 2, 4, 8, … by default;
    ``nice=True`` for × 2, 5, 10, …). With one resolution ``dst`` is a single-resolution file,
    else a multi-resolution one (open it with ``gzcm.open(dst, resolution=R)``).

    ``chromsizes`` is a ``name<TAB>length`` file (default: the header's), ``assembly`` the name to
    store. ``min_mapq`` drops pairs where either side's ``mapq1``/``mapq2`` is below it;
    ``max_distance`` keeps only intra-chromosomal pairs at most that many bp apart. ``memory``
    (bytes, or ``"1G"``; default 1 GiB) bounds the sort buffer; more pairs spill to sorted runs
    next to ``dst``. ``codec``, ``level``, ``version`` and ``tile_size`` are as for
    ``convert_to_gzcm`` (the codec defaults to ``shuffle_zstd``). The sparse tiles of each row
    are stored together in tile groups (format revision groups-1); ``tile_groups=False`` stores
    every tile under a record of its own, which gzcm builds from before the revision can read
    (``gzcm load --no-tile-groups``).

    Returns a dict: ``path``, ``bytes``, ``format``, ``resolutions``, ``base_pixels``, ``runs``,
    and what became of the lines: ``lines``, ``loaded``, ``contacts``, ``zero_counts``,
    ``below_min_mapq``, ``beyond_max_distance``, ``skipped`` (by class) and ``first_skipped``.

    Raises :class:`InvalidInputError` naming the line number and text of the first line that
    cannot be loaded (unparseable, a chromosome not in the sizes, a position past its end)
    unless ``skip_bad_lines=True`` (then they are counted in ``skipped``);
    :class:`GzcmFileNotFoundError` for a missing input; :class:`OutputExistsError` when ``dst``
    exists without ``overwrite``. Nothing is left behind on error.
    """
    options = {
        "resolutions": None if resolutions is None else [int(r) for r in resolutions],
        "base": None if base is None else int(base),
        "nice": bool(nice),
        "format": format,
        "chromsizes": None if chromsizes is None else os.fspath(chromsizes),
        "assembly": assembly,
        "min_mapq": min_mapq,
        "max_distance": max_distance,
        "skip_bad_lines": bool(skip_bad_lines),
        "memory": _bytes(memory),
        "codec": codec,
        "level": level,
        "version": version,
        "tile_size": tile_size,
        "tile_groups": bool(tile_groups),
        "overwrite": bool(overwrite),
    }
    return _native.load_pairs(os.fspath(src), os.fspath(dst), options)
