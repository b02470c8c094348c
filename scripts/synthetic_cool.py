"""Writes a deterministic Hi-C-like `.cool` for benchmarks, with cooler's API.

    python scripts/synthetic_cool.py OUT.cool [--pixels N] [--seed S]

Four chromosomes (lengths not multiples of the 10 kb bin) hold a band of contacts along the
diagonal with distance decay: every cell (i, j), i <= j, of one chromosome with j - i below a
width chosen so the map has about N pixels (default 50 million) gets 1 + Poisson(40 /
(1 + j - i)^1.1) — non-zero everywhere in the band, like a deeply sequenced map — and a sparse
sprinkle of inter-chromosomal contacts. numpy's PCG64 seeded with S (default 2024): the same
command writes the same pixels. Pixels are generated and written in blocks of rows, so memory
stays at one block.
"""

from __future__ import annotations

import argparse
import math
from typing import Iterator

import cooler
import numpy as np
import pandas as pd

BINSIZE = 10_000
CHROMSIZES = {"chr1": 120_000_005, "chr2": 90_000_017, "chr3": 60_000_123, "chrX": 30_000_001}
BLOCK_ROWS = 512


def blocks(bins: pd.DataFrame, width: int, seed: int) -> Iterator[pd.DataFrame]:
    """The pixels, in row order, one block of rows at a time."""
    rng = np.random.default_rng(seed)
    # Each bin's chromosome end (one past its last bin): band cells never leave the chromosome.
    sizes = bins.groupby("chrom", observed=True, sort=False).size()
    ends = np.repeat(sizes.cumsum().to_numpy(), sizes.to_numpy())
    n = len(bins)
    offsets = np.arange(width)
    for start in range(0, n, BLOCK_ROWS):
        rows = np.arange(start, min(start + BLOCK_ROWS, n))
        i = np.repeat(rows, width)
        j = i + np.tile(offsets, len(rows))
        keep = j < ends[i]
        i, j = i[keep], j[keep]
        counts = 1 + rng.poisson(40.0 / (1.0 + (j - i)) ** 1.1)
        # Inter-chromosomal: about one contact per row, to later chromosomes.
        far_i = rows[rng.random(len(rows)) < 0.9]
        far_j = np.minimum(ends[far_i] + rng.integers(0, n, size=len(far_i)), n - 1)
        far = far_j >= ends[far_i]
        far_i, far_j = far_i[far], far_j[far]
        i = np.concatenate([i, far_i])
        j = np.concatenate([j, far_j])
        counts = np.concatenate([counts, np.ones(len(far_i), dtype=counts.dtype)])
        order = np.lexsort((j, i))
        frame = pd.DataFrame({"bin1_id": i[order], "bin2_id": j[order], "count": counts[order]})
        yield frame.drop_duplicates(["bin1_id", "bin2_id"])


def band_width(n: int, chroms: int, pixels: int) -> int:
    """The band width W giving about `pixels` band cells: each chromosome of n_c bins holds
    n_c·W − W(W−1)/2 of them, so n·W − chroms·W²/2 ≈ pixels."""
    return math.ceil((n - math.sqrt(n * n - 2 * chroms * pixels)) / chroms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--pixels", type=int, default=50_000_000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    bins = cooler.binnify(pd.Series(CHROMSIZES), BINSIZE)
    width = band_width(len(bins), len(CHROMSIZES), args.pixels)
    cooler.create_cooler(
        args.out, bins, blocks(bins, width, args.seed), dtypes={"count": np.int32}, ordered=True,
        symmetric_upper=True,
    )
    nnz = cooler.Cooler(args.out).info["nnz"]
    print(f"{args.out}: {len(bins)} bins of {BINSIZE} bp, {nnz} pixels (band width {width}, seed {args.seed})")


if __name__ == "__main__":
    main()
