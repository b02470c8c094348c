"""Cooler-style selectors: ``sel[…]`` slices by bins (or table rows), ``sel.fetch(region)`` by
genomic region, as ``cooler``'s ``RangeSelector2D`` and ``RangeSelector1D`` do.

A selector reads nothing until it is sliced: it holds a *slicer* (bin or row bounds → result)
and a *fetcher* (region → bounds).
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional, Sequence, Tuple, Union

import numpy as np

from ._errors import InvalidInputError

__all__ = ["MatrixSelector", "TableSelector", "Region"]

#: A genomic region: ``"chr1"``, ``"chr1:1,000,000-2,000,000"``, or ``(chrom, start, end)`` with
#: ``start``/``end`` in bp or ``None`` (the chromosome's start or end).
Region = Union[str, Tuple[str, Optional[int], Optional[int]]]

Fields = Union[None, str, List[str]]


def bounds(key: Any, size: int, axis: str) -> Tuple[int, int]:
    """Resolves an int or a slice along one axis to ``start <= end`` (numpy rules, step 1 only)."""
    if isinstance(key, slice):
        if key.step not in (None, 1):
            raise InvalidInputError(f"{axis} slice step must be 1, got {key.step!r}")
        start, stop, _ = key.indices(size)
        return start, max(start, stop)
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
        index = int(key)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError(f"{axis} index {int(key)} is out of range for size {size}")
        return index, index + 1
    raise TypeError(f"{axis} index must be an int or a slice, got {type(key).__name__}")


class MatrixSelector:
    """``f.matrix()[r0:r1, c0:c1]`` and ``f.matrix().fetch(region, region2)``, as cooler's.

    Bounds follow numpy: ``None`` and negative values are allowed, out-of-range bounds are
    clipped, an integer index keeps its axis (a 1-row window). A step other than 1 raises
    :class:`~gzcm.InvalidInputError`. What a window is (dense array, sparse matrix or pixel
    table, balanced or not) was chosen by :meth:`gzcm.GzcmFile.matrix`.
    """

    def __init__(
        self,
        shape: Tuple[int, int],
        slicer: Callable[[int, int, int, int], Any],
        fetcher: Callable[[Region, Optional[Region]], Tuple[int, int, int, int]],
    ) -> None:
        self._shape = shape
        self._slice = slicer
        self._fetch = fetcher

    @property
    def shape(self) -> Tuple[int, int]:
        """The matrix shape ``(rows, cols)`` in bins."""
        return self._shape

    def __len__(self) -> int:
        return self._shape[0]

    def __getitem__(self, key: Any) -> Any:
        if not isinstance(key, tuple):
            key = (key, slice(None))
        elif len(key) == 1:
            key = (key[0], slice(None))
        if len(key) != 2:
            raise IndexError(f"a matrix takes 2 indices, got {len(key)}")
        rows, cols = self._shape
        r0, r1 = bounds(key[0], rows, "row")
        c0, c1 = bounds(key[1], cols, "column")
        return self._slice(r0, r1, c0, c1)

    def fetch(self, region: Region, region2: Optional[Region] = None) -> Any:
        """The window between two genomic regions (``region2`` defaults to ``region``).

        Regions are ``"chr1"``, ``"chr1:1000000-2000000"``, ``"chr1:1,000,000-2,000,000"`` or
        ``(chrom, start, end)`` (bp, half-open; a bin is in when any base pair of it is).

        Raises:
            NoGenomeError: the file has no genomic coordinates.
            InvalidInputError: an unknown chromosome (the message lists the file's), bad
                coordinates, or a span outside the chromosome.
        """
        r0, r1, c0, c1 = self._fetch(region, region2)
        return self._slice(r0, r1, c0, c1)


class TableSelector:
    """``f.bins()[…]``, ``f.pixels()[…]``, ``f.chroms()[…]``: a table read by row ranges, as
    cooler's ``RangeSelector1D``.

    ``sel[lo:hi]`` (or ``sel[i]``) is a ``pandas.DataFrame`` of those rows, indexed by row
    number; ``sel["col"]`` or ``sel[["a", "b"]]`` is a selector of those columns (a single name
    then gives a ``pandas.Series``); ``sel.fetch(region)`` gives the rows of a genomic region.
    """

    def __init__(
        self,
        fields: Fields,
        slicer: Callable[[int, int], Any],
        fetcher: Optional[Callable[[Region], Tuple[int, int]]],
        nrows: Callable[[], int],
        what: str,
    ) -> None:
        self._fields = fields
        self._slice_all = slicer
        self._fetch = fetcher
        self._nrows = nrows
        self._what = what

    @property
    def shape(self) -> Tuple[int]:
        """``(rows,)``."""
        return (self._nrows(),)

    def __len__(self) -> int:
        return self._nrows()

    @property
    def columns(self) -> Any:
        """The column names (a ``pandas.Index``)."""
        return self._slice(0, 0).columns

    @property
    def dtypes(self) -> Any:
        """The column dtypes (a ``pandas.Series``)."""
        return self._slice(0, 0).dtypes

    def keys(self) -> List[str]:
        """The column names."""
        return list(self.columns)

    def __contains__(self, key: object) -> bool:
        return key in self.columns

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, (str, list)):
            return TableSelector(key, self._slice_all, self._fetch, self._nrows, self._what)
        if isinstance(key, tuple):
            if len(key) != 1:
                raise IndexError(f"a table takes 1 index, got {len(key)}")
            key = key[0]
        lo, hi = bounds(key, self._nrows(), "row")
        return self._slice(lo, hi)

    def fetch(self, region: Region) -> Any:
        """The rows of a genomic region (see :meth:`MatrixSelector.fetch` for the forms)."""
        if self._fetch is None:
            raise InvalidInputError(f"{self._what} has no fetch(region); slice it by rows instead")
        lo, hi = self._fetch(region)
        return self._slice(lo, hi)

    def _slice(self, lo: int, hi: int) -> Any:
        table = self._slice_all(lo, hi)
        if self._fields is None:
            return table
        missing = [f for f in _as_list(self._fields) if f not in table.columns]
        if missing:
            raise KeyError(f"{self._what} has no column {missing[0]!r}; it has {list(table.columns)}")
        return table[self._fields]


def _as_list(fields: Union[str, Sequence[str]]) -> List[str]:
    return [fields] if isinstance(fields, str) else list(fields)
