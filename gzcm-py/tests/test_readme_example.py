"""The Python examples proposed for the README, run exactly as written.

`FIRST_EXAMPLE` must run with only gzcm and numpy installed, so it runs in a child interpreter in
which pandas, scipy and torch cannot be imported. `COOLER_STYLE` is a cooler script with its one
line changed; it runs beside a copy-free link to a shared `.mcool`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FIRST_EXAMPLE = """\
import numpy as np
import gzcm

rng = np.random.default_rng(0)
counts = rng.poisson(20.0 / (1 + np.abs(np.subtract.outer(np.arange(2000), np.arange(2000)))))
counts = np.triu(counts) + np.triu(counts, 1).T                 # a symmetric contact map
gzcm.convert_to_gzcm(counts.astype(np.uint32), "m.gzcm")     # v4, a codec per region
with gzcm.open("m.gzcm") as f:                                  # thread-safe; decoding releases the GIL
    window = f.matrix(balance=False)[100:356, 200:456]          # dense ndarray, cooler-style slicing
    assert (window == counts[100:356, 200:456]).all()
    print(f.shape, f.dtype, f.codecs, f.stats()["ratio"], f.info["nnz"])
gzcm.register_codec("my-raw", lambda t: t.tobytes(),            # a codec written in Python
                    lambda b, shape, dtype: np.frombuffer(b, dtype).reshape(shape))
"""

COOLER_STYLE = """\
import gzcm                                               # was: import cooler

gzcm.convert_to_gzcm("yeast_10kb.mcool::/resolutions/40000", "yeast.gzcm")
c = gzcm.open("yeast.gzcm")                               # was: cooler.Cooler("yeast_10kb.mcool::/resolutions/40000")
print(c.info["nbins"], c.info["nnz"], c.binsize, c.chromnames[:3])
print(c.chromsizes["chrII"], c.extent("chrII"), c.offset("chrII:100,000-200,000"))
bins = c.bins()[:]                                        # chrom (categorical), start, end, weight
pixels = c.pixels(join=True)[:10]                         # chrom1 … end2, count (upper triangle)
balanced = c.matrix().fetch("chrII")                      # float64 count·w_i·w_j, NaN where masked
raw = c.matrix(balance=False)[0:100, 0:100]               # the stored counts
near = c.matrix(as_pixels=True, join=True).fetch("chrII:100,000-200,000")
"""

# Imports of these fail in the child interpreter (a `None` entry in sys.modules).
BLOCKED = ("pandas", "scipy", "torch")


def run(code: str, cwd: Path, blocked=()) -> subprocess.CompletedProcess:
    prelude = "".join(f"import sys; sys.modules[{name!r}] = None\n" for name in blocked)
    return subprocess.run([sys.executable, "-c", prelude + code], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_first_example_needs_only_numpy(tmp_path: Path) -> None:
    done = run(FIRST_EXAMPLE, tmp_path, BLOCKED)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("(2000, 2000) uint32"), done.stdout
    assert (tmp_path / "m.gzcm").is_file()


def test_cooler_style_example(shared_data: Path, tmp_path: Path) -> None:
    pytest.importorskip("pandas", reason="pandas is not installed (the tables need it)")
    mcool = shared_data / "yeast_10kb.mcool"
    if not mcool.exists():
        pytest.skip(f"{mcool.name} is not in the shared data")
    (tmp_path / mcool.name).symlink_to(mcool)
    done = run(COOLER_STYLE, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].endswith("40000 ['chrMito', 'chrI', 'chrII']"), done.stdout


def readme_block(starting: str) -> str:
    """The README's Python block whose code contains ``starting``, as written there."""
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for block in text.split("```python\n")[1:]:
        code = block.split("```", 1)[0]
        if starting in code:
            return code
    raise AssertionError(f"no README Python block contains {starting!r}")


def test_training_windows_example(shared_data: Path, tmp_path: Path) -> None:
    """The README's training-windows block, run as written (the shared data path swapped in)."""
    code = readme_block("gzcm.GzcmDataset(\n    \"yeast.gzcm\"")
    done = run(code.replace("../shared/data/", f"{shared_data}/"), tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[1:3] == ["(64,", "64)"] and lines[1:] == ["(3, 32, 32)", "250"], done.stdout
