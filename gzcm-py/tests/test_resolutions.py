"""Multi-resolution files from Python (issue 23): an `.mcool` converts whole, every resolution
reads back equal to cooler's, `gzcm.open(path, resolution=R)` and the URI form
`path::/resolutions/R` pick one, and a multi-resolution file is never read at a silently chosen
resolution (`ResolutionError` lists them, as cooler does for an `.mcool`).
"""

from __future__ import annotations

from pathlib import Path


import numpy as np
import pytest

import gzcm
from conftest import mcool_resolutions, require_module, shared_files

cooler = require_module("cooler", "it is the oracle")


def test_every_resolution_of_an_mcool_reads_back_equal_to_coolers(shared_data: Path, tmp_path: Path) -> None:
    (mcool,) = shared_files(shared_data, "yeast_10kb.mcool")
    out = tmp_path / "y.gzcm"
    summary = gzcm.convert_to_gzcm(mcool, out)
    listed = mcool_resolutions(mcool)
    assert summary["resolutions"] == listed == gzcm.resolutions(out) == [10_000, 20_000, 40_000]
    assert summary["bytes"] == out.stat().st_size
    for k, res in enumerate(listed):
        c = cooler.Cooler(f"{mcool}::/resolutions/{res}")
        # Both spellings: `resolution=` and cooler's URI form.
        opened = gzcm.open(out, resolution=res) if k % 2 else gzcm.open(f"{out}::/resolutions/{res}")
        with opened as f:
            assert (f.resolution, f.resolutions, f.binsize) == (res, listed, res)
            assert f.shape == tuple(c.shape)
            assert f.chromnames == list(c.chromnames)
            np.testing.assert_array_equal(f.matrix(balance=False)[:], c.matrix(balance=False)[:], err_msg=str(res))
            np.testing.assert_allclose(
                f.bins()[:]["weight"].to_numpy(), c.bins()[:]["weight"].to_numpy(), rtol=0, equal_nan=True
            )
            chrom = c.chromnames[3]
            np.testing.assert_allclose(
                f.matrix(balance=True).fetch(chrom), c.matrix(balance=True).fetch(chrom), rtol=1e-12, equal_nan=True
            )


def test_a_multi_resolution_file_needs_a_resolution_and_lists_them(shared_data: Path, tmp_path: Path) -> None:
    (mcool,) = shared_files(shared_data, "yeast_10kb.mcool")
    out = tmp_path / "y.gzcm"
    summary = gzcm.convert_to_gzcm(mcool, out, resolutions=[40_000, 10_000])
    assert summary["resolutions"] == [10_000, 40_000] and set(summary["members"]) == {10_000, 40_000}
    with pytest.raises(gzcm.ResolutionError, match=r"holds resolutions 10000, 40000"):
        gzcm.open(out)
    with pytest.raises(gzcm.ResolutionError, match=r"no resolution 20000; it holds 10000, 40000"):
        gzcm.open(out, resolution=20_000)
    with pytest.raises(gzcm.ResolutionError, match=r"different resolution"):
        gzcm.open(f"{out}::/resolutions/10000", resolution=40_000)
    with pytest.raises(gzcm.ResolutionError, match=r"not a resolution"):
        gzcm.open(f"{out}::/resolutions/ten")
    # ResolutionError is an InvalidInputError (a ValueError), as other bad arguments are.
    assert issubclass(gzcm.ResolutionError, gzcm.InvalidInputError)


def test_one_resolution_stays_a_single_file(shared_data: Path, tmp_path: Path) -> None:
    (mcool,) = shared_files(shared_data, "yeast_10kb.mcool")
    out = tmp_path / "one.gzcm"
    summary = gzcm.convert_to_gzcm(mcool, out, resolution=20_000)
    assert "members" not in summary and summary["nnz"] > 0
    assert gzcm.resolutions(out) == [20_000]
    with gzcm.open(out) as f, gzcm.open(out, resolution=20_000) as g:
        assert f.resolutions == [20_000] == g.resolutions
    with pytest.raises(gzcm.ResolutionError, match=r"no resolution 10000; it holds 20000"):
        gzcm.open(out, resolution=10_000)
    with pytest.raises(gzcm.InvalidInputError, match=r"resolutions"):
        gzcm.convert_to_gzcm(mcool, tmp_path / "x.gzcm", resolution=10_000, resolutions=[10_000])

