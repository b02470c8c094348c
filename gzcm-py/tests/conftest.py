"""Shared fixtures: the one lookup of the shared Hi-C data, of the gzcm CLI and of the peer
packages, and small synthetic matrices.

A test whose data, peer package (cooler, zstandard, lz4, scipy, moto) or server is missing skips
with a reason naming what is missing and where it was looked for. Under
`GZCM_REQUIRE_TEST_DATA=1` (CI: `scripts/test-all` sets it when `CI=true`) it fails instead, so
nothing passes by skipping. torch stays optional either way (`scripts/test-python --with-torch`).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType
from typing import List, NoReturn, Optional, Tuple

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]

#: Set to `1` to make every missing prerequisite a failure instead of a skip.
REQUIRE_VAR = "GZCM_REQUIRE_TEST_DATA"


def required() -> bool:
    """Whether a missing prerequisite fails the test (`GZCM_REQUIRE_TEST_DATA=1`)."""
    return os.environ.get(REQUIRE_VAR) == "1"


def unavailable(reason: str) -> NoReturn:
    """A test cannot run because of `reason` (what is missing, and where it was looked for):
    skip it, or fail it under `GZCM_REQUIRE_TEST_DATA=1`. Works at module level too."""
    if required():
        pytest.fail(f"{reason} ({REQUIRE_VAR}=1: a missing prerequisite fails instead of skipping)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def require_module(name: str, why: str) -> ModuleType:
    """`import name`, or `unavailable` naming the package and what it is for."""
    try:
        return importlib.import_module(name)
    except ImportError as e:
        unavailable(f"{name} is not importable ({e}); {why}")


def data_location() -> Tuple[Path, str]:
    """Where the shared data is looked for, and why there."""
    env = os.environ.get("GZCM_TEST_DATA")
    if env:
        return Path(env), "from $GZCM_TEST_DATA"
    return REPO.parent / "shared" / "data", "../shared/data beside the repository; set GZCM_TEST_DATA to look elsewhere"


def data_dir() -> Optional[Path]:
    """`$GZCM_TEST_DATA`, else `../shared/data` beside the repository; `None` when absent."""
    candidate, _ = data_location()
    return candidate if (candidate / "PROVENANCE.md").is_file() else None


def missing_data_reason() -> str:
    """Why `data_dir()` found nothing."""
    candidate, why = data_location()
    return f"no shared Hi-C data at {candidate} ({why})"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared data directory, or `unavailable` saying where it was looked for."""
    found = data_dir()
    if found is None:
        unavailable(missing_data_reason())
    return found


def shared_files(data: Path, *names: str) -> List[Path]:
    """`data / name` for each name, or `unavailable` naming the missing files and `data`."""
    missing = [name for name in names if not (data / name).is_file()]
    if missing:
        unavailable(f"{', '.join(missing)} not in the shared data directory {data}")
    return [data / name for name in names]


def mcool_resolutions(mcool: Path) -> List[int]:
    """Every `/resolutions/R` group of an `.mcool`, ascending, read with h5py (cooler's
    `fileops.list_coolers` skips a group without a `format` attribute, as the shared
    `yeast_10kb.mcool`'s 10 kb group is)."""
    h5py = require_module("h5py", "it lists an .mcool's resolutions")
    with h5py.File(mcool, "r") as h5:
        return sorted(int(name) for name in h5["resolutions"])


def balanced_cooler(cool: Path, tmp_path: Path):
    """``cooler.Cooler`` of ``cool``, balanced by cooler first (into a copy under ``tmp_path``)
    when it has no ``weight`` column: the balanced oracle for expected and O/E tests."""
    import shutil
    import warnings

    cooler = require_module("cooler", "it is the balancing oracle")
    clr = cooler.Cooler(str(cool))
    if "weight" in clr.bins().columns:
        return clr
    copy = tmp_path / cool.name
    shutil.copyfile(cool, copy)
    copy.chmod(0o644)
    clr = cooler.Cooler(str(copy))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cooler.balance_cooler(clr, store=True)
    return clr


def gzcm_bin() -> Path:
    """The gzcm CLI: `$GZCM_BIN`, else the workspace's `target/debug/gzcm`."""
    found = Path(os.environ.get("GZCM_BIN") or REPO / "target" / "debug" / "gzcm")
    if not found.is_file():
        unavailable(f"the gzcm CLI is not built ({found}); run `cargo build -p gzcm-cli` or set GZCM_BIN")
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
