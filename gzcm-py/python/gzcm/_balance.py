"""Balancing and expected computed by gzcm (the ``gzcm-balance`` crate).

``balance(path, ...)`` computes a balancing vector and stores it in the file, atomically: the
file is re-laid into a temporary next to it (tile payloads copied, not re-encoded) and renamed
over it. It is a module-level function on a path, not a method of :class:`GzcmFile`, because
files are opened read-only; reopen the file to read the new vector. ``expected(path, ...)`` and
``GzcmFile.expected(...)`` return cooltools' ``expected_cis`` table as a pandas DataFrame;
``store=True`` also keeps it in the file (atomically, as ``balance``), where observed/expected
reads (``f.matrix(balance=True, oe=True)``) and later ``expected`` calls find it.
"""

from __future__ import annotations

import os
import warnings
from typing import Any, Dict, List, Optional, Union

from . import _native
from ._tables import require_pandas

PathLike = Union[str, "os.PathLike[str]"]

#: Default memory budget (per-bin vectors, then decoded tiles): 1 GiB.
DEFAULT_MEMORY = 1 << 30

#: Column order of cooltools' ``expected_cis(..., smooth=False)``.
_EXPECTED_ORDER = [
    "region1",
    "region2",
    "dist",
    "dist_bp",
    "contact_frequency",
    "n_total",
    "n_valid",
    "count.sum",
    "balanced.sum",
    "count.avg",
    "balanced.avg",
]


class ConvergenceWarning(UserWarning):
    """An iterative method stopped before its stopping rule was met: ICE reached ``max_iters``
    before the variance of the marginals fell below ``tol``; SCALE ran out of iterations (or of
    rows it may mask) before Juicer's rule (vector change below ``tol``, row sums within
    ``5 * tol`` of 1) held. The vector is stored all the same, with ``converged=False``."""


def balance(
    path: PathLike,
    *,
    resolution: Optional[int] = None,
    all_resolutions: bool = False,
    method: str = "ice",
    mode: str = "genome-wide",
    name: Optional[str] = None,
    ignore_diags: int = 2,
    min_nnz: int = 10,
    min_count: float = 0,
    mad_max: float = 5,
    tol: Optional[float] = None,
    max_iters: Optional[int] = None,
    blacklist: Optional[PathLike] = None,
    force: bool = False,
    memory: int = DEFAULT_MEMORY,
) -> Union[Dict[str, Any], List[Dict[str, Any]]]:
    """Balances the contact map of a ``.gzcm`` file and stores the vector in it.

    ICE follows ``cooler.balance_cooler`` (same filters, defaults and stopping rule;
    ``mode="cis"`` is ``cis_only=True``, ``mode="trans"`` is ``trans_only=True``); ``"vc"`` and
    ``"vc_sqrt"`` are Juicer's coverage vectors, exact; ``"scale"`` is Juicer's SCALE as Juicer
    Tools 1.22 computes it (``mode="cis"`` gives Juicer's per-chromosome ``SCALE``,
    ``"genome-wide"`` its ``GW_SCALE``, ``"trans"`` its ``INTER_SCALE``). Weights are
    multiplicative, as cooler's ``weight``: balanced = count · w_i · w_j, NaN for masked bins
    (Juicer's divisors are ``1 / w``).

    Args:
        path: the file (written in place, atomically).
        resolution: the member of a multi-resolution file.
        all_resolutions: balance every member of a multi-resolution file.
        method: ``"ice"``, ``"vc"``, ``"vc_sqrt"`` or ``"scale"``.
        mode: ``"genome-wide"``, ``"cis"`` or ``"trans"``.
        name: the vector's name (default ``"weight"`` for ICE, ``"VC"``, ``"VC_SQRT"``,
            ``"SCALE"``).
        ignore_diags, min_nnz, min_count, mad_max: ICE's filters (cooler's).
        tol, max_iters: the stopping rule; ``None`` is the method's default: cooler's ``1e-5``
            and ``200`` for ICE, Juicer's ``5e-4`` and ``100`` for SCALE (``max_iters`` is then
            the limit of one stage, three times as many in all).
        blacklist: a BED file of regions whose bins are masked (ICE, SCALE).
        force: replace a vector of the same name.
        memory: the memory budget in bytes: the per-bin vectors first (a map whose
            vectors alone exceed it is refused), then decoded tiles kept between passes.

    Returns:
        The statistics (``name``, ``method``, ``mode``, ``converged``,
        ``unconverged_chroms`` (cis mode), ``tol``, ``iterations``, ``scale``, ``var``,
        ``masked_bins``, ``n_bins``, ``seconds``, ``weights``): one dict, or
        a list of them (one per resolution) with ``all_resolutions=True``. A vector that did not
        converge is stored (``converged`` is recorded with it) and a
        :class:`ConvergenceWarning` is issued.

    Raises:
        InvalidInputError: a name that exists without ``force``, every bin masked, an empty
            map, bad options.
        NoGenomeError: the file has no chromosomes and bins.
    """
    stats = _native.balance(
        os.fspath(path),
        resolution,
        all_resolutions,
        method,
        mode,
        name,
        int(ignore_diags),
        int(min_nnz),
        float(min_count),
        float(mad_max),
        None if tol is None else float(tol),
        None if max_iters is None else int(max_iters),
        None if blacklist is None else os.fspath(blacklist),
        force,
        int(memory),
    )
    for one in stats:
        if not one["converged"]:
            at = "" if one["resolution"] is None else f" at {one['resolution']} bp"
            where = one["unconverged_chroms"]
            where = f" on chromosome(s) {', '.join(where)}" if where else ""
            if one["method"] == "scale":
                rule = f"Juicer's stopping rule, tol {one['tol']}, not met{where}"
            else:
                rule = f"variance {one['var']}, tol {one['tol']}{where}"
            warnings.warn(
                f"`{one['name']}`{at} did not converge in {one['iterations']} iterations "
                f"({rule}); it is stored with converged=False",
                ConvergenceWarning,
                stacklevel=2,
            )
    return stats if all_resolutions else stats[0]


def expected(
    path: PathLike,
    *,
    resolution: Optional[int] = None,
    balance: Union[str, bool, None] = "weight",
    ignore_diags: int = 2,
    view: Optional[PathLike] = None,
    memory: int = DEFAULT_MEMORY,
    store: bool = False,
    force: bool = False,
) -> Any:
    """The cis expected of a ``.gzcm`` file: cooltools' ``expected_cis(clr, smooth=False)``.

    A table stored in the file (``store=True`` earlier, or ``gzcm expected --store``) for the
    same weight vector (unchanged since) and ``ignore_diags`` is read instead of computed.

    Args:
        path: the file.
        resolution: the member of a multi-resolution file.
        balance: the weight vector (``"weight"`` by default); ``False``/``None`` for raw
            counts (every bin valid, no ``balanced.*`` columns).
        ignore_diags: diagonals whose sums are NaN.
        view: a BED file of regions (chrom, start, end, name), e.g. arms.
        memory: the memory budget in bytes for the per-bin vectors (a map whose vectors
            exceed it is refused); tiles are decoded as the one pass goes, never kept.
        store: compute the table per chromosome and store it in the file (written in place,
            atomically: tile payloads are copied, not re-encoded), keyed by ``balance`` and
            ``ignore_diags``; not with raw counts or a ``view``. Reopen an open file to see it.
        force: with ``store``, replace a table stored under the same key.

    Returns:
        A pandas DataFrame with columns ``region1, region2, dist, dist_bp, contact_frequency,
        n_total, n_valid, count.sum, balanced.sum, count.avg, balanced.avg``.

    Raises:
        InvalidInputError: ``store`` with raw counts or a view, or a table under the same key
            without ``force``.
    """
    pandas = require_pandas("expected()")
    weight = balance if isinstance(balance, str) else ("weight" if balance is True else None)
    _, columns = _native.expected(
        os.fspath(path),
        resolution,
        weight,
        int(ignore_diags),
        None if view is None else os.fspath(view),
        int(memory),
        bool(store),
        bool(force),
    )
    order = [c for c in _EXPECTED_ORDER if c in columns]
    return pandas.DataFrame({c: columns[c] for c in order})
