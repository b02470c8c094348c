"""cooler's pixel table over a ``.gzcm`` file: the stored non-zero cells (the upper triangle of a
symmetric map), numbered in row-major order, read by pixel number or by row range.

gzcm stores tiles, not a pixel list, so pixel numbers come from per-tile-row counts
(``_native.Reader.band_counts``: free from the index off the diagonal, diagonal tiles decoded
once) and a slice decodes only the tile rows it touches.
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Tuple

import numpy as np

from ._errors import CorruptTileError

__all__ = ["PixelIndex", "Listing"]

#: ``(bin1_id, bin2_id, values)`` of some pixels in row-major order, and the number of the first.
Listing = Tuple[np.ndarray, np.ndarray, np.ndarray, int]


class PixelIndex:
    """Pixel numbers of one open file (computed at the first use, then kept)."""

    def __init__(self, reader: Callable[[], Any]) -> None:
        # A getter, not the reader: after the file closes, reads must fail as every other read.
        self._reader_of = reader
        self._counts: Optional[Tuple[np.ndarray, np.ndarray]] = None

    @property
    def _reader(self) -> Any:
        return self._reader_of()

    def _bands(self) -> Tuple[np.ndarray, np.ndarray]:
        """``(tile_rows, ends)``: tile rows holding pixels, and the pixel number after each."""
        if self._counts is None:
            rows, counts = self._reader.band_counts()
            self._counts = (np.asarray(rows, dtype=np.int64), np.cumsum(np.asarray(counts, dtype=np.int64)))
        return self._counts

    def __len__(self) -> int:
        ends = self._bands()[1]
        return int(ends[-1]) if ends.size else 0

    def _listing(self, row0: int, row1: int) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        cols = int(self._reader.shape[1])
        bin1, bin2, values = self._reader.pixels(row0, row1, 0, cols, True)
        return np.asarray(bin1), np.asarray(bin2), np.asarray(values)

    def take(self, lo: int, hi: int) -> Listing:
        """Pixels number ``lo`` to ``hi`` (``0 <= lo <= hi <= len(self)``)."""
        tile_rows, ends = self._bands()
        if lo >= hi:
            return self._empty(lo)
        first = int(np.searchsorted(ends, lo, side="right"))
        last = int(np.searchsorted(ends, hi - 1, side="right"))
        size = int(self._reader.tile_size)
        row0 = int(tile_rows[first]) * size
        row1 = min((int(tile_rows[last]) + 1) * size, int(self._reader.shape[0]))
        bin1, bin2, values = self._listing(row0, row1)
        base = int(ends[first - 1]) if first else 0
        expected = int(ends[last]) - base
        if len(bin1) != expected:
            raise CorruptTileError(
                f"tile rows {tile_rows[first]}..{tile_rows[last]} hold {len(bin1)} non-zero cells, "
                f"but the tile index counts {expected}"
            )
        cut = slice(lo - base, hi - base)
        return bin1[cut], bin2[cut], values[cut], lo

    def rows(self, row0: int, row1: int) -> Listing:
        """The pixels whose ``bin1_id`` is in ``row0..row1``."""
        if row0 >= row1:
            return self._empty(0)
        tile_rows, ends = self._bands()
        size = int(self._reader.tile_size)
        band = row0 // size
        bin1, bin2, values = self._listing(band * size, row1)
        # Pixels before the band, plus the band's pixels in rows before row0.
        before = int(np.searchsorted(tile_rows, band, side="left"))
        skip = int(np.searchsorted(bin1, row0, side="left"))
        first = (int(ends[before - 1]) if before else 0) + skip
        return bin1[skip:], bin2[skip:], values[skip:], first

    def _empty(self, first: int) -> Listing:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.dtype(self._reader.dtype)), first
