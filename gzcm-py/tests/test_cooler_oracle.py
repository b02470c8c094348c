"""`f.matrix()[...]` equals `cooler.Cooler(p).matrix(balance=False)[...]` on every shared `.cool`.

gzcm does not read `.cool` yet, so each file is compared against a conversion of the same
matrix from its shared COO text or `.npy` twin (PROVENANCE.md: same base name; the
`.unsorted.cool` holds the same matrix as its sorted sibling).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import gzcm

from conftest import require_module, unavailable

cooler = require_module("cooler", "it is the oracle")


def twin(cool: Path) -> Path:
    base = cool.name.replace(".unsorted.cool", "").replace(".cool", "")
    # `.npy` first: it carries the shape (COO text ends at the last non-empty bin).
    for suffix in (".npy", ".npy.zst", ".coo.tsv.gz", ".coo.tsv"):
        candidate = cool.with_name(base + suffix)
        if candidate.exists():
            return candidate
    unavailable(f"no COO or .npy twin of {cool.name} in {cool.parent}")


def cool_files(directory: Path):
    return sorted(directory.glob("*.cool"))


def test_every_shared_cool_matches(shared_data: Path, tmp_path: Path) -> None:
    files = cool_files(shared_data)
    assert files, "the shared data has no .cool files"
    rng = np.random.default_rng(2024)
    for cool in files:
        source = twin(cool)
        out = tmp_path / (cool.name + ".gzcm")
        gzcm.convert_to_gzcm(str(source), out, dtype="uint32", symmetric=True)
        oracle = cooler.Cooler(str(cool)).matrix(balance=False)
        with gzcm.open(out) as f:
            n = f.shape[0]
            assert f.shape == tuple(oracle.shape), cool.name
            windows = [(0, min(n, 256), 0, min(n, 256)), (n - min(n, 300), n, 0, min(n, 200))]
            for _ in range(8):
                size = int(rng.integers(1, min(n, 400) + 1))
                r, c = rng.integers(0, n - size + 1, size=2)
                windows.append((int(r), int(r) + size, int(c), int(c) + size))
            for r0, r1, c0, c1 in windows:
                got = f.matrix()[r0:r1, c0:c1]
                want = oracle[r0:r1, c0:c1]
                np.testing.assert_array_equal(got, want, err_msg=f"{cool.name} [{r0}:{r1}, {c0}:{c1}]")
