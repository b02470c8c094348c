"""Observed/expected reads and stored expected tables, with cooler and cooltools as oracles.

- ``f.matrix(balance=True, oe=True)`` windows (``[…]`` and ``.fetch``) equal cooler's balanced
  window divided, in numpy, by the ``balanced.avg`` of
  ``cooltools.expected_cis(clr, smooth=False, ignore_diags=2)`` for each cell's diagonal (NaN
  where that is NaN or 0, or a weight is NaN), on shared ``.cool`` files.
- A window that touches a trans block is an ``InvalidInputError`` saying O/E is cis only.
- ``gzcm.expected(path, store=True)`` stores the table; it reads back, is used by O/E reads
  (same windows), needs ``force=True`` to be replaced, and is refused for raw counts.
- ``f.balance(...)`` and ``f.expected(store=True)`` on an open file store at its resolution and
  reopen it, so the same object reads what was stored.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import gzcm
from gzcm import _native

from conftest import balanced_cooler, require_module, shared_files

cooler = require_module("cooler", "it is the balancing oracle")
cooltools = require_module("cooltools", "it is the expected oracle")

COOLS = ["gm12878_chr22_250kb.cool", "yeast_10kb.cool", "yeast_duan2009_10kb.cool"]


def oracle(clr, expected, chrom: str, region=None, region2=None) -> np.ndarray:
    """cooler's balanced window over cooltools' balanced.avg of each cell's diagonal."""
    region = region or chrom
    balanced = clr.matrix(balance=True).fetch(region, region2 or region)
    table = expected[expected["region1"] == chrom].set_index("dist")["balanced.avg"].to_numpy(dtype=float)
    extent = clr.extent(chrom)[0]
    rows = np.arange(*clr.extent(region)) - extent
    cols = np.arange(*clr.extent(region2 or region)) - extent
    avg = table[np.abs(rows[:, None] - cols[None, :])]
    avg = np.where(avg == 0, np.nan, avg)
    with np.errstate(invalid="ignore", divide="ignore"):
        return balanced / avg


def assert_same(ours: np.ndarray, theirs: np.ndarray, what: str) -> None:
    assert ours.shape == theirs.shape, what
    mask = np.isnan(theirs)
    assert np.array_equal(np.isnan(ours), mask), f"{what}: NaN cells differ"
    np.testing.assert_allclose(ours[~mask], theirs[~mask], rtol=1e-6, err_msg=what)


@pytest.mark.parametrize("name", COOLS)
def test_oe_windows_equal_balanced_over_cooltools_expected(shared_data: Path, tmp_path: Path, name: str) -> None:
    (cool,) = shared_files(shared_data, name)
    clr = balanced_cooler(cool, tmp_path)
    expected = cooltools.expected_cis(clr, smooth=False, ignore_diags=2)
    path = tmp_path / "m.gzcm"
    gzcm.convert_to_gzcm(clr.uri, path, overwrite=True)
    with gzcm.open(path) as f:
        sel = f.matrix(balance=True, oe=True)
        for chrom in f.chromnames[:3]:
            ours = sel.fetch(chrom)
            assert_same(ours, oracle(clr, expected, chrom), f"{name} {chrom}")
            assert np.isnan(np.diagonal(ours)).all() and np.isnan(np.diagonal(ours, 1)).all(), "ignored diagonals"
            lo, hi = f.extent(chrom)
            mid = (lo + hi) // 2
            assert_same(sel[lo:mid, mid:hi], oracle(clr, expected, chrom)[: mid - lo, mid - lo :], f"{name} {chrom} slice")
        chrom = f.chromnames[0]
        size = f.chromsizes[chrom]
        a, b = f"{chrom}:0-{size // 2}", f"{chrom}:{size // 3}-{size}"
        assert_same(sel.fetch(a, b), oracle(clr, expected, chrom, a, b), f"{name} {a} × {b}")
        # balance="auto" on a file with `weight` balances; ignore_diags changes the NaN diagonals.
        auto = f.matrix(oe=True, ignore_diags=0).fetch(chrom)
        theirs0 = cooltools.expected_cis(clr, smooth=False, ignore_diags=0)
        assert_same(auto, oracle(clr, theirs0, chrom), f"{name} ignore_diags=0")


def test_oe_of_a_trans_window_is_a_clear_error(shared_data: Path, tmp_path: Path) -> None:
    (cool,) = shared_files(shared_data, "yeast_10kb.cool")
    path = tmp_path / "y.gzcm"
    gzcm.convert_to_gzcm(str(cool), path, overwrite=True)  # with cooler's `weight`
    with gzcm.open(path) as f:
        sel = f.matrix(balance=True, oe=True)
        first, second = f.chromnames[:2]
        with pytest.raises(gzcm.InvalidInputError, match=f"cis windows only.*rows span {first} and its columns {second}"):
            sel.fetch(first, second)
        lo, hi = f.extent(second)
        with pytest.raises(gzcm.InvalidInputError, match="cis windows only"):
            sel[lo - 3 : lo + 3, lo - 3 : lo + 3]
        with pytest.raises(gzcm.InvalidInputError, match="balance"):
            f.matrix(balance=False, oe=True)
        with pytest.raises(gzcm.InvalidInputError, match="dense"):
            f.matrix(balance=True, oe=True, sparse=True)


def test_a_stored_expected_round_trips_and_is_used(shared_data: Path, tmp_path: Path) -> None:
    (cool,) = shared_files(shared_data, "yeast_10kb.cool")
    clr = balanced_cooler(cool, tmp_path)
    path = tmp_path / "s.gzcm"
    gzcm.convert_to_gzcm(clr.uri, path, overwrite=True)
    computed = gzcm.expected(path)
    with gzcm.open(path) as f:
        assert f.stored_expected == []
        before = f.matrix(balance=True, oe=True).fetch("chrII")
    stored = gzcm.expected(path, store=True)
    with gzcm.open(path) as f:
        assert [(t["balance"], t["ignore_diags"]) for t in f.stored_expected] == [("weight", 2)]
        read = f.expected()
        windows = _native.ObservedExpected("weight", 2, 1 << 30)
        lo, hi = f.extent("chrII")
        after = windows.window(f._reader, lo, hi, lo, hi)
        assert windows.source == "stored"
        other = _native.ObservedExpected("weight", 1, 1 << 30)
        other.window(f._reader, lo, hi, lo, hi)
        assert other.source == "computed"
        assert f.verify()["ok"]
    for column in ("n_valid", "balanced.sum", "balanced.avg"):
        a, b = read[column].to_numpy(dtype=float), stored[column].to_numpy(dtype=float)
        assert np.array_equal(a, b, equal_nan=True), f"{column}: the stored table reads back exactly"
        np.testing.assert_allclose(a, computed[column].to_numpy(dtype=float), rtol=1e-12, equal_nan=True)
    assert_same(after, before, "O/E with the stored expected")
    expected = cooltools.expected_cis(clr, smooth=False, ignore_diags=2)
    assert_same(after, oracle(clr, expected, "chrII"), "O/E with the stored expected against cooltools")
    original = path.read_bytes()
    with pytest.raises(gzcm.InvalidInputError, match="force=True"):
        gzcm.expected(path, store=True)
    with pytest.raises(gzcm.InvalidInputError, match="raw counts"):
        gzcm.expected(path, store=True, balance=False)
    assert path.read_bytes() == original
    gzcm.expected(path, store=True, force=True)


def test_balance_and_store_through_an_open_file_reopen_it(shared_data: Path, tmp_path: Path) -> None:
    """``f.balance(...)`` and ``f.expected(store=True)`` write the file at the open resolution and
    reopen it: the new vector and table are read through the same object, and equal what
    ``gzcm.balance`` computes on a copy."""
    (cool,) = shared_files(shared_data, "yeast_10kb.cool")
    path = tmp_path / "m.gzcm"
    gzcm.convert_to_gzcm(str(cool), path, overwrite=True)
    copy = tmp_path / "copy.gzcm"
    shutil.copyfile(path, copy)
    gzcm.balance(copy, name="mine")
    with gzcm.open(copy) as g:
        reference = g.matrix(balance="mine").fetch("chrIII")
    with gzcm.open(path) as f:
        stats = f.balance(name="mine")
        assert stats["name"] == "mine" and stats["converged"]
        assert_same(f.matrix(balance="mine").fetch("chrIII"), reference, "f.balance reopens the file")
        assert f.stored_expected == []
        f.expected(balance="mine", store=True)
        assert [(t["balance"], t["ignore_diags"]) for t in f.stored_expected] == [("mine", 2)]
        assert f.verify()["ok"]
