#!/usr/bin/env python3
"""Estimates how small any per-cell model of a sparse Hi-C map can code it (issue 12, goal 1).

    python3 scripts/size-floor.py [NAME ...]      (default: mouse_mm9_chr1_20kb)

Reads `NAME.coo.tsv.gz` (or `.coo.tsv`) from $GZCM_TEST_DATA or ../shared/data and, for its
upper triangle, prints code lengths in bytes under increasingly rich models whose fits are
*free* (no side information is charged) and, where marked, non-causal (each cell is predicted
from the cells around it on every side, leaving itself out). No real coder can beat these
figures by much: a coder must pay for its model and can only look at cells already decoded.

- band (|i - j| < TILE): Poisson code length of the counts under
  - `decay x coverage`: mean = s(|i - j|) * b_i * b_j, fitted by iterative proportional fitting;
  - `+ local enrichment`: that mean times the observed / expected ratio of a w x w box around the
    cell (leave-one-out), the best w. This captures domains, loops and stripes;
  - at the best means, each mean bucket's own frequency table of counts (what any count
    distribution other than Poisson could gain).
- far (|i - j| >= TILE, where a sparse map's cells are mostly zero and its counts mostly 1):
  - positions of the non-zero cells as Bernoulli events under a constant density per
    TILE x TILE tile (what a per-tile coder that knows the density pays), under decay x
    coverage, and under decay x coverage x the leave-one-out enrichment of a B x B block
    (compartments), the best B, then each odds bucket's own frequency of non-zeros;
  - the counts of those cells: zero-order entropy.

The floor is the best band figure plus the best far figures; the script compares it with 0.45
and 0.5 of the map's `.cool` size. Needs numpy and scipy.
"""

import gzip
import math
import os
import sys
from pathlib import Path

try:
    import numpy as np
    from scipy.ndimage import uniform_filter
    from scipy.special import gammaln
except ImportError as missing:
    sys.exit(f"size-floor.py needs numpy and scipy ({missing}); e.g. pip install numpy scipy")

TILE = 256
DEFAULT = ["mouse_mm9_chr1_20kb"]


def data_dir():
    env = os.environ.get("GZCM_TEST_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def load_upper(path):
    """(i, j, count) of the upper triangle, from a COO text file (`#` lines skipped)."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt") as f:
            table = np.loadtxt(f, comments="#", dtype=np.int64, ndmin=2)
    except (OSError, ValueError, EOFError) as bad:
        sys.exit(f"{path}: not a COO text of whole-number (row, column, count) lines: {bad}")
    if table.shape[0] == 0 or table.shape[1] < 3:
        sys.exit(f"{path}: expected lines of three columns (row, column, count)")
    if (table[:, :3] < 0).any():
        sys.exit(f"{path}: negative row, column or count")
    i, j, v = table[:, 0], table[:, 1], table[:, 2]
    lower = i > j
    i, j = np.where(lower, j, i), np.where(lower, i, j)
    keep = v > 0
    return i[keep], j[keep], v[keep].astype(np.float64)


def band_expected(n, bi, bj, bv):
    """s[d] and b such that s[|i-j|] * b_i * b_j fits the band's counts (row and distance sums)."""
    d = bj - bi
    b = np.ones(n)
    degree = np.bincount(bi, weights=bv, minlength=n) + np.bincount(bj, weights=bv * (d > 0), minlength=n)
    per_distance = np.bincount(d, weights=bv, minlength=TILE)
    s = np.zeros(TILE)
    for _ in range(50):
        pairs = np.array([(b[: n - k] * b[k:]).sum() if k < n else 0.0 for k in range(TILE)])
        s = np.where(pairs > 0, per_distance / np.maximum(pairs, 1e-300), 0.0)
        expected = np.zeros(n)
        for k in range(min(TILE, n)):
            expected[: n - k] += s[k] * b[k:]
            if k > 0:
                expected[k:] += s[k] * b[: n - k]
        b = np.where(expected > 0, degree / np.maximum(expected, 1e-300), 0.0)
        b /= b[b > 0].mean()
    return s, b


def poisson_bytes(mu, counts):
    """Poisson code length of `counts` under means `mu`, in bytes."""
    mu = np.maximum(mu, 1e-12)
    nats = mu.sum() - (counts * np.log(mu)).sum() + gammaln(counts + 1).sum()
    return nats / math.log(2) / 8


def poisson_entropy_bytes(mu):
    """Σ H(Poisson(mu)) in bytes: what counts drawn from exactly these means would cost."""
    mu = np.maximum(mu, 1e-12)
    large = mu > 40
    bits = (0.5 * np.log2(2 * math.pi * math.e * mu[large])).sum()
    small = mu[~large]
    k = np.arange(0, 121)
    for start in range(0, len(small), 65536):
        m = small[start : start + 65536, None]
        logp = k[None, :] * np.log(m) - m - gammaln(k[None, :] + 1)
        bits -= (np.exp(logp) * logp).sum() / math.log(2)
    return bits / 8


def band_floor(n, i, j, v):
    band = (j - i) < TILE
    bi, bj, bv = i[band], j[band], v[band]
    s, b = band_expected(n, bi, bj, bv)
    # Every band cell in (row, distance) coordinates.
    observed = np.zeros((n, TILE))
    observed[bi, bj - bi] = bv
    expected = np.zeros((n, TILE))
    valid = np.zeros((n, TILE), dtype=bool)
    for k in range(min(TILE, n)):
        expected[: n - k, k] = s[k] * b[: n - k] * b[k:]
        valid[: n - k, k] = True
    plain = poisson_bytes(expected[valid], observed[valid])
    rows = [("decay x coverage", plain)]
    best, best_mu = plain, expected
    entropy = poisson_entropy_bytes(expected[valid])
    for w in (5, 9, 15):
        near_o = uniform_filter(observed, w, mode="constant") * w * w - observed
        near_e = uniform_filter(expected, w, mode="constant") * w * w - expected
        prior = 0.1 * w * w
        mu = expected * (near_o + prior) / (near_e + prior)
        got = poisson_bytes(mu[valid], observed[valid])
        rows.append((f"+ local enrichment, {w}x{w} box (non-causal)", got))
        if got < best:
            best, best_mu = got, mu
    if best < plain:
        got = empirical_bytes(mean_bucket(best_mu[valid]), observed[valid])
        rows.append(("  same means, any count distribution per mean (free tables)", got))
        best = min(best, got)
    return int(band.sum()), rows, best, entropy


def mean_bucket(mu):
    """Eighth-of-a-doubling buckets of the means (a coder's contexts, as fine as they get)."""
    return np.floor(np.log2(np.maximum(mu, 1e-12)) * 8).astype(np.int64)


def empirical_bytes(bucket, counts):
    """Code length (bytes) of `counts` under their own frequency table per bucket: the most a
    per-cell coder gains over Poisson from a better count distribution at the same means."""
    counts = counts.astype(np.int64)
    keys = (bucket - bucket.min()) * (counts.max() + 1) + counts
    _, joint = np.unique(keys, return_counts=True)
    _, per_bucket = np.unique(bucket, return_counts=True)
    bits = -(joint * np.log2(joint)).sum() + (per_bucket * np.log2(per_bucket)).sum()
    return bits / 8


def bernoulli_bytes(p_nonzero_cells, sum_p_all_cells):
    """Bernoulli code length (bytes) of the non-zero positions, p small: -Σ_nz log p + Σ_zero p."""
    p = np.clip(p_nonzero_cells, 1e-12, 0.999)
    bits = -np.log2(p).sum() + (sum_p_all_cells - p.sum()) / math.log(2)
    return bits / 8


def autocorrelation(x):
    """a[d] = Σ_i x_i x_{i+d}."""
    n = len(x)
    f = np.fft.rfft(x, 2 * n)
    return np.fft.irfft(f * np.conj(f), 2 * n)[:n]


def empirical_positions_bytes(n, kernel, b, block, ratio, fi, fj):
    """Code length (bytes) of the far non-zero positions when every far cell's odds
    `kernel[j - i] * b_i * b_j * ratio[block]` only choose its bucket (eighths of a doubling),
    and each bucket codes its cells under the bucket's own frequency of non-zeros."""
    order = np.argsort(fi, kind="stable")
    rows_sorted, cols_sorted = fi[order], fj[order]
    starts = np.searchsorted(rows_sorted, np.arange(n + 1))
    cells = np.zeros(4096)
    nonzero = np.zeros(4096)
    for r in range(n - TILE):
        c = np.arange(r + TILE, n)
        p = kernel[c - r] * b[r] * b[c] * ratio[r // block, c // block]
        bucket = np.clip(np.floor(np.log2(np.maximum(p, 1e-300)) * 8) + 2048, 0, 4095).astype(np.int64)
        cells += np.bincount(bucket, minlength=4096)
        hits = cols_sorted[starts[r] : starts[r + 1]] - r - TILE
        nonzero += np.bincount(bucket[hits], minlength=4096)
    bits = 0.0
    for k, m in zip(nonzero, cells):
        if 0 < k < m:
            q = k / m
            bits += m * -(q * math.log2(q) + (1 - q) * math.log2(1 - q))
    return bits / 8


def distance_class(d):
    return np.minimum((np.log2(np.maximum(d, 1)) * 8).astype(np.int64), 255)


def far_floor(n, i, j, v):
    far = (j - i) >= TILE
    fi, fj, fv = i[far], j[far], v[far]
    nnz = len(fi)
    rows = []
    if nnz == 0:
        return 0, rows, 0.0, 0.0, 0.0
    # Constant density per tile.
    tiles = (n + TILE - 1) // TILE
    nonzero = np.zeros((tiles, tiles))
    np.add.at(nonzero, (fi // TILE, fj // TILE), 1)
    per_tile = 0.0
    for ti in range(tiles):
        r = np.arange(ti * TILE, min(n, (ti + 1) * TILE))
        for tj in range(ti, tiles):
            c = np.arange(tj * TILE, min(n, (tj + 1) * TILE))
            cells = ((c[None, :] - r[:, None]) >= TILE).sum()
            k = nonzero[ti, tj]
            if cells and 0 < k < cells:
                p = k / cells
                per_tile += cells * -(p * math.log2(p) + (1 - p) * math.log2(1 - p))
    rows.append(("constant density per tile", per_tile / 8))
    density = nnz / ((n - TILE) * (n - TILE + 1) / 2)
    # Decay x coverage on the non-zero indicator: p = s[class(d)] b_i b_j.
    cls = distance_class(np.arange(n))
    classes = cls.max() + 1
    degree = np.bincount(fi, minlength=n) + np.bincount(fj, minlength=n)
    per_class = np.bincount(distance_class(fj - fi), minlength=classes)
    b = np.ones(n)
    s = np.zeros(classes)
    for _ in range(30):
        pairs = autocorrelation(b)
        pairs[:TILE] = 0
        class_pairs = np.bincount(cls, weights=pairs, minlength=classes)
        s = np.where(class_pairs > 0, per_class / np.maximum(class_pairs, 1e-300), 0.0)
        kernel = s[cls]
        kernel[:TILE] = 0
        full = np.concatenate([kernel, [0.0], kernel[:0:-1]])
        expected = np.fft.irfft(np.fft.rfft(b, 2 * n) * np.fft.rfft(full, 2 * n), 2 * n)[:n]
        b = np.where(expected > 0, degree / np.maximum(expected, 1e-300), 0.0)
        b /= b[b > 0].mean()
    pairs = autocorrelation(b)
    pairs[:TILE] = 0
    sum_p = (np.bincount(cls, weights=pairs, minlength=classes) * s).sum()
    p_cells = s[distance_class(fj - fi)] * b[fi] * b[fj]
    coverage = bernoulli_bytes(p_cells, sum_p)
    rows.append(("decay x coverage", coverage))
    best = min(per_tile / 8, coverage)
    # Times the leave-one-out enrichment of the cell's block.
    kernel = s[cls]
    kernel[:TILE] = 0
    best_blocks = None
    for block in (20, 40, 80):
        blocks = (n + block - 1) // block
        obs = np.zeros((blocks, blocks))
        np.add.at(obs, (fi // block, fj // block), 1)
        exp_ = np.zeros((blocks, blocks))
        for r in range(n - TILE):
            c = np.arange(r + TILE, n)
            exp_[r // block] += np.bincount(c // block, weights=kernel[c - r] * b[r] * b[c], minlength=blocks)
        prior = 4.0
        bi_, bj_ = fi // block, fj // block
        loo = (obs[bi_, bj_] - 1 + prior) / (exp_[bi_, bj_] + prior)
        sum_all = (exp_ * (obs + prior) / (exp_ + prior)).sum()
        got = bernoulli_bytes(p_cells * loo, sum_all)
        rows.append((f"+ {block}x{block}-bin block enrichment (non-causal)", got))
        if got < best:
            best, best_blocks = got, (block, (obs + prior) / (exp_ + prior))
    if best_blocks is not None:
        got = empirical_positions_bytes(n, kernel, b, *best_blocks, fi, fj)
        rows.append(("  same odds, own frequency of non-zeros per odds (free tables)", got))
        best = min(best, got)
    _, counts = np.unique(fv, return_counts=True)
    p = counts / counts.sum()
    values = float(-(counts * np.log2(p)).sum() / 8)
    return nnz, rows, best, values, density


def main():
    names = sys.argv[1:] or DEFAULT
    data = data_dir()
    if not data.is_dir():
        print(f"skipped: no shared data at {data} (set GZCM_TEST_DATA)")
        return
    for name in names:
        path = next((data / f"{name}{ext}" for ext in (".coo.tsv.gz", ".coo.tsv") if (data / f"{name}{ext}").exists()), None)
        if path is None:
            print(f"{name}: skipped, no {name}.coo.tsv(.gz) in {data}")
            continue
        i, j, v = load_upper(path)
        n = int(max(i.max(), j.max())) + 1
        print(f"## {name}: {n} bins, {len(i)} non-zero cells in the upper triangle")
        band_nnz, band_rows, band_best, entropy = band_floor(n, i, j, v)
        print(f"band |i-j| < {TILE}: {band_nnz} non-zero cells")
        print(f"  {'Poisson counts drawn from decay x coverage would cost':64s} {entropy:12,.0f} bytes")
        if band_rows[0][1] > 1.1 * entropy:
            print("  (overdispersed: the counts vary far more than Poisson noise around these means,")
            print("   so the Poisson figures below are not a floor for this map)")
        for label, got in band_rows:
            print(f"  {label:64s} {got:12,.0f} bytes")
        far_nnz, far_rows, far_best, values, density = far_floor(n, i, j, v)
        print(f"far |i-j| >= {TILE}: {far_nnz} non-zero cells (density {density:.4f})")
        if density > 0.05:
            print("  (not a sparse map: the Bernoulli position model below is not a floor here)")
        for label, got in far_rows:
            print(f"  {label:64s} {got:12,.0f} bytes (positions)")
        print(f"  {'counts, zero-order entropy':64s} {values:12,.0f} bytes")
        if band_rows[0][1] > 1.1 * entropy or density > 0.05:
            print("no floor: the models above do not describe this map (see the notes above)")
            continue
        floor = band_best + far_best + values
        print(f"floor (best band + best far + counts), payloads only: {floor:,.0f} bytes")
        cool = data / f"{name}.cool"
        if cool.exists():
            size = cool.stat().st_size
            print(
                f".cool {size:,} bytes: floor = {floor / size:.3f}x; "
                f"0.45x = {0.45 * size:,.0f} bytes, 0.5x = {0.5 * size:,.0f} bytes"
            )


if __name__ == "__main__":
    main()
