#!/usr/bin/env python3
"""Training-window benchmark (issue 26): 256² balanced log(O/E) windows with diagonal offset 2,
gzcm's GzcmDataset against a cooler-based dataset doing the same transform on the same windows.

The cooler side is the way Orca's loader works: the expected (cooltools ``expected_cis``,
``ignore_diags=2``) computed once up front, then at training time one ``cooler.Cooler`` handle
per worker, ``matrix(balance=True)`` per window, divided by the expected of each diagonal in
numpy, diagonals 0-1 masked, ``log``, non-finite cells set to 0, float32. gzcm does the same
with ``GzcmDataset(balance=True, oe=True, transform="log", diagonal_offset=2, nan_to=0.0)``.

The windows are a full epoch over the shared map ``mouse_mm9_chr1_20kb`` (the only shared map
with chromosomes longer than 256 bins), balanced by cooler first: cis windows along the
diagonal every 64 bins, column offsets 0-256 bins. Rates are windows per second with 0 workers
(the calling process) and 2 workers (worker processes started with ``spawn`` and timed once
they are up, as persistent DataLoader workers; each unpickles the dataset and opens its own
reader inside the timed run), per worker and for the whole epoch; memory is each
worker's resident set after its share (``VmRSS``) and its growth over the worker's start (the
reader state, caches and windows).

    GZCM_TEST_DATA=/path/to/shared/data python gzcm-py/bench/training.py [--cooler-windows 120]

Needs gzcm, numpy, cooler and cooltools (cooler is imported at the top, so a spawned worker has
it loaded before its clock starts, as gzcm is).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any, List, Sequence, Tuple

import cooler
import numpy as np

import gzcm

WINDOW = 256
OFFSET = 2
STRIDE = 64
MAX_DISTANCE = 256


def data_dir() -> Path:
    env = os.environ.get("GZCM_TEST_DATA")
    path = Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "data"
    if not (path / "PROVENANCE.md").is_file():
        raise SystemExit(f"shared data not found at {path}; set GZCM_TEST_DATA")
    return path


def rss_mib() -> float:
    """This process's resident set in MiB (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class CoolerOEWindows:
    """The cooler-based dataset: one handle per process, opened on first use."""

    def __init__(self, uri: str, origins: Sequence[Tuple[int, int]], expected: np.ndarray) -> None:
        self.uri = uri
        self.origins = list(origins)
        self.expected = expected  # balanced.avg by distance, NaN where 0 or ignored
        self._clr: Any = None
        self._pid = -1

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_clr"], state["_pid"] = None, -1
        return state

    def __len__(self) -> int:
        return len(self.origins)

    def __getitem__(self, index: int) -> np.ndarray:
        if self._clr is None or self._pid != os.getpid():
            self._clr, self._pid = cooler.Cooler(self.uri), os.getpid()
        r, c = self.origins[index]
        window = self._clr.matrix(balance=True)[r : r + WINDOW, c : c + WINDOW]
        distance = np.abs(np.arange(r, r + WINDOW)[:, None] - np.arange(c, c + WINDOW)[None, :])
        with np.errstate(invalid="ignore", divide="ignore"):
            values = np.log(window / self.expected[distance])
        values[distance < OFFSET] = np.nan
        return np.where(np.isfinite(values), values, 0.0).astype(np.float32)


def ready(_: int) -> int:
    """A no-op task: the pool's workers have started once it returns."""
    return os.getpid()


def run_share(dataset: Any, indices: List[int]) -> Tuple[int, float, float, float, int]:
    """Reads ``indices`` of ``dataset`` in this process: (windows, seconds, RSS at start, RSS
    after (MiB), pid)."""
    before = rss_mib()
    start = time.perf_counter()
    for i in indices:
        dataset[i]
    seconds = time.perf_counter() - start
    return len(indices), seconds, before, rss_mib(), os.getpid()


def measure(name: str, dataset: Any, indices: List[int], workers: int) -> Tuple[float, float]:
    """Prints and returns (windows/s per worker, windows/s of the whole run)."""
    if workers == 0:
        n, seconds, before, after, _ = run_share(dataset, indices)
        rate = n / seconds
        print(f"  {name:<7} 0 workers: {n} windows in {seconds:.2f} s = {rate:,.1f} windows/s; RSS {after:.0f} MiB")
        return rate, rate
    shares = [indices[k::workers] for k in range(workers)]
    start = time.perf_counter()
    with mp.get_context("spawn").Pool(workers) as pool:
        pool.map(ready, range(workers))  # the workers are up (interpreter, gzcm, cooler)
        started = time.perf_counter() - start
        start = time.perf_counter()
        results = pool.starmap(run_share, [(dataset, share) for share in shares], chunksize=1)
        wall = time.perf_counter() - start
    total = sum(r[0] for r in results)
    per_worker = [r[0] / r[1] for r in results]
    memory = ", ".join(f"{r[3]:.0f} MiB (+{r[3] - r[2]:.0f}, pid {r[4]})" for r in results)
    print(
        f"  {name:<7} {workers} workers: {total} windows in {wall:.2f} s = {total / wall:,.1f} windows/s "
        f"(workers started in {started:.2f} s before); per worker {', '.join(f'{p:,.1f}' for p in per_worker)} "
        f"windows/s; RSS per worker after its share {memory}"
    )
    return float(np.mean(per_worker)), total / wall


def expected_by_distance(clr: Any, chrom: str) -> np.ndarray:
    import cooltools

    table = cooltools.expected_cis(clr, smooth=False, ignore_diags=OFFSET)
    avg = table[table["region1"] == chrom].set_index("dist")["balanced.avg"].to_numpy(dtype=float)
    return np.where(avg == 0, np.nan, avg)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cooler-windows", type=int, default=120, help="windows read through cooler per run")
    args = parser.parse_args()

    source = data_dir() / "mouse_mm9_chr1_20kb.cool"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cool = work / source.name
        shutil.copyfile(source, cool)
        cool.chmod(0o644)
        clr = cooler.Cooler(str(cool))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()
            cooler.balance_cooler(clr, store=True)
        print(f"mouse_mm9_chr1_20kb: {clr.shape[0]} bins; balanced by cooler in {time.perf_counter() - start:.1f} s")
        path = work / "m.gzcm"
        gzcm.convert_to_gzcm(str(cool), path, overwrite=True)

        start = time.perf_counter()
        ours = gzcm.GzcmDataset(
            path, window=WINDOW, stride=STRIDE, cis_only=True, along_diagonal=True, max_distance=MAX_DISTANCE,
            balance=True, oe=True, transform="log", diagonal_offset=OFFSET, nan_to=0.0,
        )
        made = time.perf_counter() - start
        start = time.perf_counter()
        expected = expected_by_distance(clr, clr.chromnames[0])
        theirs = CoolerOEWindows(str(cool), ours.origins, expected)
        their_made = time.perf_counter() - start
        print(
            f"epoch: {len(ours)} windows of {WINDOW}², stride {STRIDE}, column offsets 0-{MAX_DISTANCE}; "
            f"dataset made (expected computed) in {made:.2f} s by gzcm, {their_made:.2f} s by cooltools"
        )
        worst = max(float(np.max(np.abs(ours[i] - theirs[i]))) for i in range(0, len(ours), max(1, len(ours) // 10)))
        print(f"same windows: largest |gzcm - cooler| over 10 windows = {worst:.2e}")

        every = list(range(len(ours)))
        rng = np.random.default_rng(5)
        sample = sorted(rng.choice(len(ours), size=min(args.cooler_windows, len(ours)), replace=False).tolist())
        for workers in (0, 2):
            print(f"num_workers={workers}:")
            gz_worker, gz_epoch = measure("gzcm", ours, every, workers)
            co_worker, co_epoch = measure("cooler", theirs, sample, workers)
            print(
                f"  gzcm / cooler: {gz_worker / co_worker:.1f}× per worker, {gz_epoch / co_epoch:.1f}× whole run; "
                f"full epoch ({len(ours)} windows): gzcm {len(ours) / gz_epoch:.1f} s, cooler "
                f"{len(ours) / co_epoch:.1f} s (extrapolated from {len(sample)} windows)"
            )


if __name__ == "__main__":
    main()
