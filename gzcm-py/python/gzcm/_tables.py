"""The tables gzcm shows as cooler does: chromosomes, bins and pixels as ``pandas`` objects
with cooler's columns and dtypes. pandas is optional for the package; every table needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional

import numpy as np

from ._errors import MissingDependencyError

__all__ = ["GenomeTables", "require_pandas", "count_column", "pixel_frame", "bin_frame", "chrom_frame"]

_INT32_MAX = np.iinfo(np.int32).max


def require_pandas(what: str) -> Any:
    """The ``pandas`` module, or :class:`MissingDependencyError` saying ``what`` needs it."""
    try:
        import pandas
    except ImportError:
        raise MissingDependencyError(
            f"{what} returns pandas objects: install pandas (`pip install pandas`)", package="pandas"
        ) from None
    return pandas


@dataclass(frozen=True)
class GenomeTables:
    """A file's genomic coordinates as numpy columns (read once per open file)."""

    chromnames: List[str]
    chromsizes: np.ndarray
    assembly: Optional[str]
    binsize: Optional[int]
    chrom_index: np.ndarray
    start: np.ndarray
    end: np.ndarray

    @classmethod
    def from_native(cls, genome: Dict[str, Any]) -> "GenomeTables":
        """From the dict ``_native.Reader.genome()`` returns."""
        size = genome["binsize"]
        lengths = np.asarray(genome["chromsizes"], dtype=np.int64)
        # bp as cooler stores them (int32); int64 only for a genome whose coordinates do not fit.
        bp = np.int32 if lengths.size == 0 or int(lengths.max()) <= _INT32_MAX else np.int64
        return cls(
            chromnames=list(genome["chromnames"]),
            chromsizes=lengths.astype(bp),
            assembly=genome["assembly"],
            binsize=None if size is None else int(size),
            chrom_index=np.asarray(genome["chrom_index"]),
            start=np.asarray(genome["start"]).astype(bp),
            end=np.asarray(genome["end"]).astype(bp),
        )

    @property
    def nbins(self) -> int:
        """Bins on each axis."""
        return len(self.start)

    def chrom_column(self, pd: Any, bins: np.ndarray) -> Any:
        """The chromosomes of ``bins``: categorical, ordered as the file's chromosomes."""
        return pd.Categorical.from_codes(self.chrom_index[bins], categories=self.chromnames, ordered=True)


def count_column(values: np.ndarray) -> np.ndarray:
    """Cell values as cooler's ``count`` column: int32 for integer maps (int64 only when a count
    does not fit), float64 for float maps."""
    values = np.asarray(values)
    if values.dtype.kind == "f":
        return values.astype(np.float64)
    fits = values.size == 0 or int(values.max()) <= _INT32_MAX
    return values.astype(np.int32 if fits else np.int64)


def chrom_frame(pd: Any, genome: GenomeTables, lo: int, hi: int) -> Any:
    """Rows ``lo:hi`` of the chromosome table: ``name``, ``length`` (int32, as cooler)."""
    return pd.DataFrame(
        {"name": np.array(genome.chromnames[lo:hi], dtype=str), "length": genome.chromsizes[lo:hi]},
        index=np.arange(lo, hi),
    )


def bin_frame(pd: Any, genome: GenomeTables, weights: Dict[str, np.ndarray], lo: int, hi: int) -> Any:
    """Rows ``lo:hi`` of the bin table: ``chrom`` (categorical), ``start``, ``end`` (int32) and one
    float64 column per weight vector."""
    rows = np.arange(lo, hi)
    columns: Dict[str, Any] = {
        "chrom": genome.chrom_column(pd, rows),
        "start": genome.start[lo:hi],
        "end": genome.end[lo:hi],
    }
    for name, values in weights.items():
        columns[name] = np.asarray(values[lo:hi], dtype=np.float64)
    return pd.DataFrame(columns, index=rows)


def pixel_frame(
    pd: Any,
    bin1: np.ndarray,
    bin2: np.ndarray,
    counts: np.ndarray,
    *,
    index: Optional[np.ndarray] = None,
    extra: Optional[Dict[str, np.ndarray]] = None,
    join: Optional[GenomeTables] = None,
) -> Any:
    """Pixels as cooler lists them: ``bin1_id``, ``bin2_id`` (int64), ``count`` and the ``extra``
    columns; with ``join`` the bin ids are replaced by ``chrom1``, ``start1``, ``end1``,
    ``chrom2``, ``start2``, ``end2`` (cooler's ``join=True``)."""
    bin1 = np.asarray(bin1, dtype=np.int64)
    bin2 = np.asarray(bin2, dtype=np.int64)
    columns: Dict[str, Any] = {}
    if join is None:
        columns["bin1_id"] = bin1
        columns["bin2_id"] = bin2
    else:
        for suffix, bins in (("1", bin1), ("2", bin2)):
            columns["chrom" + suffix] = join.chrom_column(pd, bins)
            columns["start" + suffix] = join.start[bins]
            columns["end" + suffix] = join.end[bins]
    columns["count"] = count_column(counts)
    columns.update(extra or {})
    return pd.DataFrame(columns, index=index)
