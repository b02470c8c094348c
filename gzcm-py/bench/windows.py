#!/usr/bin/env python3
"""Window-read benchmark: gzcm (zstd and the best-size codec) vs cooler, plus DataLoader rates.

For every shared `.cool` with a `.npy` twin (PROVENANCE.md), converts the twin to `.gzcm` twice
(zstd; and v4 adaptive with size-only weights, i.e. the best-size codec per region), then reads
256×256 windows at 25 seeded random origins on one open handle — gzcm with its default tile
cache, cooler with `matrix(balance=False)` — and reports the median over repeats of the time per
window. Then DataLoader windows/s with 0 and 2 workers (skipped without torch).

    GZCM_TEST_DATA=/work/shared/data python gzcm-py/bench/windows.py [--repeats 5]

Needs gzcm (pip install ./gzcm-py), numpy, cooler; torch for the DataLoader part.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

import gzcm

WINDOW = 256
ORIGINS = 25


def data_dir() -> Path:
    env = os.environ.get("GZCM_TEST_DATA")
    path = Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "data"
    if not (path / "PROVENANCE.md").is_file():
        raise SystemExit(f"shared data not found at {path}; set GZCM_TEST_DATA")
    return path


def origins(n: int, seed: int = 7) -> list:
    rng = np.random.default_rng(seed)
    hi = max(1, n - WINDOW + 1)
    return list(zip(rng.integers(0, hi, ORIGINS).tolist(), rng.integers(0, hi, ORIGINS).tolist()))


def time_windows(read, points, repeats: int) -> float:
    """Median seconds per window over `repeats` passes, each on a fresh handle."""
    per_pass = []
    for _ in range(repeats):
        handle = read()
        start = time.perf_counter()
        for r, c in points:
            handle[r : r + WINDOW, c : c + WINDOW]
        per_pass.append((time.perf_counter() - start) / len(points))
    return statistics.median(per_pass)


def twin(cool: Path):
    base = cool.name.replace(".cool", "")
    for suffix in (".npy", ".npy.zst"):
        if cool.with_name(base + suffix).exists():
            return cool.with_name(base + suffix)
    return None


def bench_matrices(directory: Path, work: Path, repeats: int) -> None:
    import cooler

    print(f"{ORIGINS} windows of {WINDOW}x{WINDOW} at seeded random origins, median of {repeats} passes (ms/window)")
    header = f"{'matrix':<28}{'cooler':>9}{'gzcm zstd':>11}{'speed-up':>10}{'gzcm best':>11}{'speed-up':>10}  sizes (cool / zstd / best, KB; best codecs)"
    print(header)
    for cool in sorted(directory.glob("*.cool")):
        if ".unsorted." in cool.name or twin(cool) is None:
            continue
        source = str(twin(cool))
        zstd_path = work / f"{cool.stem}.zstd.gzcm"
        best_path = work / f"{cool.stem}.best.gzcm"
        gzcm.convert_to_gzcm(source, zstd_path, codec="zstd", dtype="uint32", symmetric=True, overwrite=True)
        best = gzcm.convert_to_gzcm(
            source, best_path, version=4, adaptive_codec=True, picker_weights=(0, 1, 0),
            dtype="uint32", symmetric=True, overwrite=True,
        )
        clr = cooler.Cooler(str(cool))
        n = clr.shape[0]
        points = origins(n)
        t_cool = time_windows(lambda: cooler.Cooler(str(cool)).matrix(balance=False), points, repeats)
        t_zstd = time_windows(lambda: gzcm.open(zstd_path).matrix(balance=False), points, repeats)
        t_best = time_windows(lambda: gzcm.open(best_path).matrix(balance=False), points, repeats)
        sizes = f"{cool.stat().st_size // 1024} / {zstd_path.stat().st_size // 1024} / {best_path.stat().st_size // 1024}"
        print(
            f"{cool.stem:<28}{t_cool * 1e3:>9.2f}{t_zstd * 1e3:>11.2f}{t_cool / t_zstd:>9.1f}x"
            f"{t_best * 1e3:>11.2f}{t_cool / t_best:>9.1f}x  {sizes}; {','.join(sorted(best['codecs']))}"
        )


def bench_dataloader(directory: Path, work: Path) -> None:
    try:
        import torch
    except ImportError:
        print("DataLoader: skipped (torch is not installed; scripts/test-python --with-torch installs it)")
        return
    source = directory / "yeast_10kb.npy"
    path = work / "dl.gzcm"
    gzcm.convert_to_gzcm(str(source), path, dtype="uint32", symmetric=True, overwrite=True)
    dataset = gzcm.GzcmDataset(path, window=WINDOW, stride=32, as_tensor=True)
    for workers in (0, 2):
        loader = torch.utils.data.DataLoader(dataset, batch_size=16, num_workers=workers)
        start = time.perf_counter()
        count = sum(batch.shape[0] for batch in loader)
        elapsed = time.perf_counter() - start
        print(f"DataLoader yeast_10kb {WINDOW}x{WINDOW} stride 32, {workers} workers: {count / elapsed:,.0f} windows/s ({count} windows)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    directory = data_dir()
    with tempfile.TemporaryDirectory() as tmp:
        bench_matrices(directory, Path(tmp), args.repeats)
        bench_dataloader(directory, Path(tmp))


if __name__ == "__main__":
    main()
