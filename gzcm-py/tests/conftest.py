"""Shared fixtures: the shared Hi-C data directory and small synthetic matrices."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]


def data_dir() -> Optional[Path]:
    """`$GZCM_TEST_DATA`, else `../shared/data` beside the repository; `None` when absent."""
    env = os.environ.get("GZCM_TEST_DATA")
    candidate = Path(env) if env else REPO.parent / "shared" / "data"
    return candidate if (candidate / "PROVENANCE.md").is_file() else None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data directory, or a skip saying why it is missing."""
    found = data_dir()
    if found is None:
        pytest.skip("shared Hi-C data not found: set GZCM_TEST_DATA or put it at ../shared/data")
    return found


def contact_map(n: int, seed: int = 1, symmetric: bool = True, dtype=np.uint32) -> np.ndarray:
    """A Hi-C-like matrix: counts decaying away from the diagonal, some empty stretches."""
    rng = np.random.default_rng(seed)
    i, j = np.indices((n, n))
    expected = 200.0 / (1.0 + np.abs(i - j)) ** 1.1
    counts = rng.poisson(expected).astype(np.float64)
    counts[rng.random((n, n)) < 0.05] = 0
    if symmetric:
        counts = np.triu(counts) + np.triu(counts, 1).T
    return counts.astype(dtype)


@pytest.fixture
def small_map() -> np.ndarray:
    """A 300×300 symmetric uint32 map (two tile rows at tile_size 256, one partial)."""
    return contact_map(300)
