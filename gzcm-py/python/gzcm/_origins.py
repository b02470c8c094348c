"""Where training windows come from: the blocks of the matrix windows may lie in (whole map,
chromosomes, a chosen or held-out set of them), their origins (fixed tiling or seeded random
draws, near the diagonal or anywhere), and the share of them each rank and worker reads.

Pure Python and numpy (no file access): the datasets of :mod:`gzcm.dataset` use it, and the
tests check it without torch by simulating rank and worker ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import numpy as np

from ._errors import InvalidInputError

__all__ = ["Block", "Placement", "blocks", "tile", "draw", "shard"]

#: A rectangle of the matrix windows may lie in: ``(row_lo, row_hi, col_lo, col_hi)`` in bins.
Block = Tuple[int, int, int, int]

@dataclass(frozen=True)
class Placement:
    """Where a window's origin may be relative to the diagonal: ``lo <= col - row <= hi``."""

    lo: Optional[int]
    hi: Optional[int]

    @classmethod
    def of(cls, region: str, along_diagonal: bool, max_distance: Optional[int], window: int) -> "Placement":
        """The placement of the datasets' ``region``/``along_diagonal``/``max_distance`` options."""
        if along_diagonal:
            if region != "all":
                raise InvalidInputError("give region= or along_diagonal=True, not both")
            distance = 0 if max_distance is None else int(max_distance)
            if distance < 0:
                raise InvalidInputError(f"max_distance must be >= 0 bins, got {max_distance}")
            return cls(0, distance)
        if max_distance is not None:
            raise InvalidInputError("max_distance needs along_diagonal=True")
        if region == "diagonal":
            return cls(0, 0)
        if region == "near-diagonal":
            return cls(-window, window)
        return cls(None, None)

    def bounds(self, block: Block, window: int) -> Tuple[int, int]:
        """The ``col - row`` range of origins inside ``block`` this placement allows."""
        r0, r1, c0, c1 = block
        lo = c0 - (r1 - window)
        hi = (c1 - window) - r0
        if self.lo is not None:
            lo = max(lo, self.lo)
        if self.hi is not None:
            hi = min(hi, self.hi)
        return lo, hi


def blocks(
    n_bins: int,
    bin_ranges: Optional[Sequence[Tuple[str, int, int]]],
    *,
    cis_only: bool,
    chroms: Optional[Sequence[str]],
    exclude: Optional[Sequence[str]],
) -> List[Block]:
    """The blocks windows may lie in.

    ``bin_ranges`` is ``(name, bin_start, bin_end)`` per chromosome (``None`` for a file without
    genomic coordinates, where only the whole matrix is a block). ``cis_only`` gives one block
    per chosen chromosome; otherwise each run of consecutive chosen chromosomes on either axis
    pairs with each other run (the whole matrix when every chromosome is chosen).
    """
    if bin_ranges is None:
        if cis_only or chroms is not None or exclude:
            raise InvalidInputError("cis_only, chroms and exclude need a file with genomic coordinates")
        return [(0, n_bins, 0, n_bins)]
    names = [name for name, _, _ in bin_ranges]
    for asked in list(chroms or []) + list(exclude or []):
        if asked not in names:
            raise InvalidInputError(f"unknown chromosome {asked!r}; the file has {', '.join(names)}")
    wanted = set(names if chroms is None else chroms) - set(exclude or [])
    chosen = [(lo, hi) for name, lo, hi in bin_ranges if name in wanted and hi > lo]
    if not chosen:
        raise InvalidInputError("no chromosome is left after chroms= and exclude=")
    if cis_only:
        return [(lo, hi, lo, hi) for lo, hi in chosen]
    runs: List[Tuple[int, int]] = []
    for lo, hi in chosen:
        if runs and runs[-1][1] == lo:
            runs[-1] = (runs[-1][0], hi)
        else:
            runs.append((lo, hi))
    return [(a0, a1, b0, b1) for a0, a1 in runs for b0, b1 in runs]


def tile(block_list: Sequence[Block], window: int, stride: int, placement: Placement) -> List[Tuple[int, int]]:
    """Origins every ``stride`` bins from each block's corner (whole windows only), in the
    order rows then columns within each block, blocks in order."""
    found: List[Tuple[int, int]] = []
    for block in block_list:
        r0, r1, c0, c1 = block
        lo, hi = placement.bounds(block, window)
        for r in range(r0, r1 - window + 1, stride):
            first = max(c0, r + lo)
            last = min(c1 - window, r + hi)
            if first > last:
                continue
            start = c0 + -(-(first - c0) // stride) * stride  # the first grid column >= first
            found.extend((r, c) for c in range(start, last + 1, stride))
    return found


def _counts_by_offset(block: Block, window: int, placement: Placement) -> Tuple[np.ndarray, np.ndarray]:
    """Every allowed ``col - row`` offset of ``block`` and how many origins have it."""
    r0, r1, c0, c1 = block
    lo, hi = placement.bounds(block, window)
    if lo > hi:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    offsets = np.arange(lo, hi + 1, dtype=np.int64)
    first = np.maximum(r0, c0 - offsets)
    last = np.minimum(r1 - window, c1 - window - offsets)
    return offsets, np.clip(last - first + 1, 0, None)


def draw(
    block_list: Sequence[Block], window: int, n: int, rng: np.random.Generator, placement: Placement
) -> List[Tuple[int, int]]:
    """``n`` origins drawn uniformly (with replacement) among every allowed origin of every
    block, by ``rng``."""
    tables = [_counts_by_offset(block, window, placement) for block in block_list]
    totals = np.array([counts.sum() for _, counts in tables], dtype=np.float64)
    if totals.sum() == 0:
        raise InvalidInputError(f"no {window}-bin window fits the chosen blocks and placement")
    chosen_blocks = rng.choice(len(block_list), size=n, p=totals / totals.sum())
    found: List[Tuple[int, int]] = []
    for b in chosen_blocks.tolist():
        r0, r1, c0, c1 = block_list[b]
        offsets, counts = tables[b]
        d = int(offsets[rng.choice(len(offsets), p=counts / counts.sum())])
        first, last = max(r0, c0 - d), min(r1 - window, c1 - window - d)
        r = int(rng.integers(first, last + 1))
        found.append((r, r + d))
    return found


def shard(
    n: int,
    *,
    rank: int = 0,
    world_size: int = 1,
    worker: int = 0,
    num_workers: int = 1,
    seed: int = 0,
    epoch: int = 0,
    shuffle: bool = False,
) -> List[int]:
    """The item indices of one worker of one rank, in the order it reads them.

    The epoch's order (``0..n`` or, with ``shuffle``, a permutation seeded by ``(seed, epoch)``)
    is dealt to the ranks round-robin, then each rank's share to its workers round-robin: over
    every rank and worker each index comes exactly once, and the same arguments give the same
    order. Ranks get ``n // world_size`` or one more.
    """
    if world_size < 1 or not 0 <= rank < world_size:
        raise InvalidInputError(f"need 0 <= rank < world_size, got rank={rank}, world_size={world_size}")
    if num_workers < 1 or not 0 <= worker < num_workers:
        raise InvalidInputError(f"need 0 <= worker < num_workers, got {worker} of {num_workers}")
    order = np.random.default_rng([seed, epoch]).permutation(n) if shuffle else np.arange(n)
    return order[rank::world_size][worker::num_workers].tolist()
