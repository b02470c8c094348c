"""One GzcmFile shared by 8 Python threads reads what a single thread reads."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

import gzcm

from conftest import contact_map


def test_eight_threads_share_one_file(tmp_path: Path) -> None:
    matrix = contact_map(700, seed=21)
    out = tmp_path / "t.gzcm"
    gzcm.convert_to_gzcm(matrix, out, version=4, tile_size=64)
    errors: list = []
    with gzcm.open(out, cache_bytes=1 << 20) as f:  # a small cache: eviction under contention

        def worker(seed: int) -> None:
            rng = np.random.default_rng(seed)
            try:
                for _ in range(40):
                    r, c = rng.integers(0, 700 - 100, size=2)
                    got = f.matrix()[r : r + 100, c : c + 100]
                    if not np.array_equal(got, matrix[r : r + 100, c : c + 100]):
                        errors.append(f"thread {seed}: window ({r}, {c}) differs")
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(repr(exc))

        threads = [threading.Thread(target=worker, args=(s,)) for s in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
