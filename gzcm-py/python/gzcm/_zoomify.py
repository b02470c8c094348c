"""``zoomify``: coarser resolutions of a ``.gzcm`` file, as ``cooler zoomify`` builds them."""

from __future__ import annotations

import os
from typing import Any, Dict, Optional, Sequence, Union

from . import _native

__all__ = ["zoomify"]


def zoomify(
    src: Union[str, "os.PathLike[str]"],
    dst: Union[str, "os.PathLike[str]"],
    *,
    resolutions: Optional[Sequence[int]] = None,
    nice: bool = False,
    base_multiples: bool = False,
    codec: Optional[str] = None,
    level: Optional[int] = None,
    version: Optional[int] = None,
    tile_size: Optional[int] = None,
    overwrite: bool = False,
) -> Dict[str, Any]:
    """Builds coarser resolutions of ``src`` and writes them, with it, into the
    multi-resolution ``.gzcm`` file ``dst`` (what ``gzcm zoomify`` does).

    ``src`` is a single-resolution ``.gzcm`` file with genomic bins of one size (converted
    from ``.cool``, ``.mcool`` or ``.hic``, or from COO text with ``bins=``), or
    ``"FILE::/resolutions/R"`` of a multi-resolution one. Bins are summed within chromosomes
    exactly as ``cooler zoomify`` sums them (at resolution R a chromosome has
    ``ceil(length / R)`` bins, its last one shorter), so every resolution's pixels equal
    cooler's.

    The resolutions are ``resolutions`` (bp, increasing, each a multiple of the base and coarser
    than it), or ``nice=True`` (base × 2, 5, 10, 20, 50, …, cooler's ``-r N``), or by default
    ``base_multiples`` (base × 2, 4, 8, …, cooler's ``-r B``), both up to the genome in one
    256-bin tile. ``codec``, ``level``, ``version`` (3 or 4) and ``tile_size`` apply to the
    coarser levels, with ``convert_to_gzcm``'s defaults.

    Integer counts stay integers (a sum beyond uint32 raises, never wraps); float counts are
    summed in float64 and stored as float32.

    Weights are not carried to coarser resolutions; balance them with `gzcm balance`. The base
    keeps its weight vectors, the coarser resolutions have none.

    Returns a dict: ``path``, ``bytes``, ``base``, ``resolutions`` (every resolution in the
    file, base first) and ``levels`` (per coarser level: ``resolution``, ``shape``, ``nnz``,
    ``tiles``, ``bytes``).

    Raises :class:`NoGenomeError` for a file without genomic bins of one size,
    :class:`InvalidInputError` for resolutions that do not fit the base (naming the first
    bad one), :class:`OutputExistsError` when ``dst`` exists without ``overwrite``, and
    :class:`InvalidInputError` when ``dst`` is ``src``.
    """
    options = {
        "version": version,
        "codec": codec,
        "level": level,
        "tile_size": tile_size,
        "overwrite": overwrite,
    }
    listed = None if resolutions is None else [int(r) for r in resolutions]
    return _native.zoomify(
        os.fspath(src), os.fspath(dst), options, resolutions=listed, nice=nice, base_multiples=base_multiples
    )
