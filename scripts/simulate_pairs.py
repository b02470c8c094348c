#!/usr/bin/env python3
"""Simulates a 4DN pairs file from a contact map, deterministically by seed.

    scripts/simulate_pairs.py MAP OUT.pairs[.gz] --pairs N [--seed S] [--mapq] [--sorted]

MAP is a ``.cool`` file (``FILE.mcool::/resolutions/R`` for one resolution of an ``.mcool``;
read with cooler) or a ``.gzcm`` file with genomic bins (read with the gzcm package). Its pixels
are sampled as a multinomial of N pairs with probabilities proportional to their counts, so the
pairs follow the map's distance decay, domains and trans contacts; each pair's two positions are
uniform within their bins, its two sides swapped with probability 1/2 (pairs arrive in both
triangles, as an aligner writes them), its strands random. The pairs are written in random order
(``--sorted``: chromosome and position order, as ``pairtools sort``), with a 4DN header: the
format line, ``#chromsize:`` lines for every chromosome, ``#columns:`` (with ``mapq1 mapq2``
under ``--mapq``, uniform in 0..60). A ``.gz`` output is gzip; ``--bgzip`` writes bgzip (BGZF).

Loading the output at the map's resolution gives back a map whose pixels sum to N and follow
the input's; the same seed always gives the same file.
"""

from __future__ import annotations

import argparse
import gzip
import struct
import sys
import zlib
from typing import IO, Tuple

import numpy as np

BLOCK = 1 << 20


def read_map(path: str) -> Tuple[list, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(chromsizes, bin chrom index, bin start, bin end, pixels (bin1, bin2, count))."""
    if path.split("::")[0].endswith(".gzcm"):
        import gzcm

        f = gzcm.open(path)
        chroms = f.chroms()[:]
        bins = f.bins()[:]
        pixels = f.pixels()[:]
    else:
        import cooler

        c = cooler.Cooler(path)
        chroms = c.chroms()[:]
        bins = c.bins()[["chrom", "start", "end"]][:]
        pixels = c.pixels()[:]
    names = [str(n) for n in chroms["name"]]
    chromsizes = list(zip(names, (int(x) for x in chroms["length"])))
    index = {name: i for i, name in enumerate(names)}
    bin_chrom = np.array([index[str(n)] for n in bins["chrom"]], dtype=np.int64)
    starts = bins["start"].to_numpy(dtype=np.int64)
    ends = bins["end"].to_numpy(dtype=np.int64)
    return (
        chromsizes,
        bin_chrom,
        starts,
        ends,
        np.stack(
            [
                pixels["bin1_id"].to_numpy(dtype=np.int64),
                pixels["bin2_id"].to_numpy(dtype=np.int64),
                pixels["count"].to_numpy(dtype=np.float64),
            ]
        ),
    )


def simulate(args: argparse.Namespace) -> int:
    chromsizes, bin_chrom, starts, ends, pixels = read_map(args.map)
    bin1, bin2, counts = pixels[0].astype(np.int64), pixels[1].astype(np.int64), pixels[2]
    counts = np.clip(np.nan_to_num(counts), 0, None)
    if counts.sum() <= 0:
        sys.exit(f"{args.map}: the map has no contacts to sample from")
    rng = np.random.default_rng(args.seed)
    draws = rng.multinomial(args.pairs, counts / counts.sum())
    rows = np.repeat(bin1, draws)
    cols = np.repeat(bin2, draws)
    n = rows.size
    order = np.arange(n) if args.sorted else rng.permutation(n)
    rows, cols = rows[order], cols[order]
    # 1-based positions, uniform within each bin.
    pos1 = starts[rows] + (rng.random(n) * (ends[rows] - starts[rows])).astype(np.int64) + 1
    pos2 = starts[cols] + (rng.random(n) * (ends[cols] - starts[cols])).astype(np.int64) + 1
    c1, c2 = bin_chrom[rows], bin_chrom[cols]
    if not args.sorted:
        swap = rng.random(n) < 0.5
        c1, c2 = np.where(swap, c2, c1), np.where(swap, c1, c2)
        pos1, pos2 = np.where(swap, pos2, pos1), np.where(swap, pos1, pos2)
    strands = np.array(["+", "-"])
    s1 = strands[rng.integers(0, 2, n)]
    s2 = strands[rng.integers(0, 2, n)]
    mapq = rng.integers(0, 61, (2, n)) if args.mapq else None
    names = np.array([name for name, _ in chromsizes])

    if args.bgzip:
        opener = BgzfWriter
    else:
        opener = gzip.open if args.out.endswith(".gz") else open  # type: ignore[assignment]
    with opener(args.out, "wt", newline="\n") as out:  # type: ignore[operator]
        write_header(out, chromsizes, args.mapq)
        for lo in range(0, n, BLOCK):
            hi = min(n, lo + BLOCK)
            columns = [
                np.char.add("r", np.arange(lo, hi).astype(str)),
                names[c1[lo:hi]],
                pos1[lo:hi].astype(str),
                names[c2[lo:hi]],
                pos2[lo:hi].astype(str),
                s1[lo:hi],
                s2[lo:hi],
            ]
            if mapq is not None:
                columns += [mapq[0, lo:hi].astype(str), mapq[1, lo:hi].astype(str)]
            out.write("\n".join("\t".join(fields) for fields in zip(*columns)))
            out.write("\n")
    print(f"wrote {n} pairs to {args.out}", file=sys.stderr)
    return 0


class BgzfWriter:
    """Text written as bgzip (BGZF) blocks, as `bgzip` and pairtools write them: gzip members of
    at most 64 KiB with their size in a `BC` extra field (SAM specification §4.1), then the
    empty end-of-file block."""

    BLOCK = 65280

    def __init__(self, path: str, mode: str = "wt", newline: str = "\n") -> None:
        self.out = open(path, "wb")
        self.pending = bytearray()

    def __enter__(self) -> "BgzfWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, text: str) -> int:
        self.pending += text.encode()
        while len(self.pending) >= self.BLOCK:
            self._block(bytes(self.pending[: self.BLOCK]))
            del self.pending[: self.BLOCK]
        return len(text)

    def _block(self, data: bytes) -> None:
        deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
        body = deflate.compress(data) + deflate.flush()
        size = 12 + 6 + len(body) + 8
        header = bytes([0x1F, 0x8B, 8, 4, 0, 0, 0, 0, 0, 0xFF, 6, 0, ord("B"), ord("C"), 2, 0])
        self.out.write(header + struct.pack("<H", size - 1) + body)
        self.out.write(struct.pack("<II", zlib.crc32(data), len(data)))

    def close(self) -> None:
        if self.pending:
            self._block(bytes(self.pending))
            self.pending.clear()
        self._block(b"")
        self.out.close()


def write_header(out: IO[str], chromsizes: list, mapq: bool) -> None:
    out.write("## pairs format v1.0\n")
    out.write("#shape: whole matrix\n")
    for name, length in chromsizes:
        out.write(f"#chromsize: {name} {length}\n")
    columns = "readID chr1 pos1 chr2 pos2 strand1 strand2" + (" mapq1 mapq2" if mapq else "")
    out.write(f"#columns: {columns}\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("map", help=".cool, FILE.mcool::/resolutions/R, or .gzcm with genomic bins")
    parser.add_argument("out", help="the pairs file to write (.gz: gzip)")
    parser.add_argument("--pairs", type=int, required=True, help="how many pairs")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--mapq", action="store_true", help="add mapq1/mapq2 columns")
    parser.add_argument("--bgzip", action="store_true", help="write bgzip (BGZF blocks) instead of gzip or plain text")
    parser.add_argument("--sorted", action="store_true", help="write in genome order, one triangle")
    args = parser.parse_args()
    if args.pairs < 0:
        parser.error("--pairs must be at least 0")
    return simulate(args)


if __name__ == "__main__":
    sys.exit(main())
