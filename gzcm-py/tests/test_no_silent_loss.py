"""convert_to_gzcm refuses to lose data without being asked: float64 values that float32 would
round, and symmetric=True on a matrix whose triangles differ."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

import gzcm


def test_lossy_float64_needs_an_explicit_float32(tmp_path: Path) -> None:
    m = np.zeros((4, 4))
    m[1, 2] = 0.1  # not a float32: stored as 0.10000000149, error 1.5e-9
    with pytest.raises(gzcm.InvalidInputError, match=r"cell \(1, 2\) is 0.1 in float64"):
        gzcm.convert_to_gzcm(m, tmp_path / "a.gzcm")
    assert not (tmp_path / "a.gzcm").exists()
    with pytest.raises(gzcm.InvalidInputError, match=r"cell \(1, 2\) is 0.1 in float64"):
        gzcm.convert_to_gzcm(sp.csr_matrix(m), tmp_path / "s.gzcm")
    gzcm.convert_to_gzcm(m, tmp_path / "b.gzcm", dtype="float32")
    with gzcm.open(tmp_path / "b.gzcm") as f:
        assert f.matrix(balance=False)[1, 2] == np.float32(0.1)


def test_tiny_float64_that_would_become_zero_is_refused(tmp_path: Path) -> None:
    m = np.zeros((3, 3))
    m[0, 2] = 1e-50
    with pytest.raises(gzcm.InvalidInputError, match=r"cell \(0, 2\) is 1e-50"):
        gzcm.convert_to_gzcm(m, tmp_path / "t.gzcm", symmetric=False)


def test_lossless_float64_converts_silently(tmp_path: Path) -> None:
    m = np.array([[1.0, 0.5, 0.0], [0.5, 2.25, 3.0], [0.0, 3.0, np.float32(0.1)]], dtype=np.float64)
    gzcm.convert_to_gzcm(m, tmp_path / "l.gzcm")
    with gzcm.open(tmp_path / "l.gzcm") as f:
        np.testing.assert_array_equal(f.matrix(balance=False)[:, :], m.astype(np.float32))


def test_symmetric_true_on_an_asymmetric_matrix_is_refused(tmp_path: Path) -> None:
    m = np.array([[1, 2, 0], [2, 1, 5], [0, 6, 1]], dtype=np.uint32)
    message = r"not symmetric: cell \(1, 2\) is 5 and cell \(2, 1\) is 6"
    with pytest.raises(gzcm.InvalidInputError, match=message):
        gzcm.convert_to_gzcm(m, tmp_path / "d.gzcm", symmetric=True)
    with pytest.raises(gzcm.InvalidInputError, match=message):
        gzcm.convert_to_gzcm(sp.coo_matrix(m), tmp_path / "s.gzcm", symmetric=True)
    gzcm.convert_to_gzcm(m, tmp_path / "ok.gzcm", symmetric=False)
    with gzcm.open(tmp_path / "ok.gzcm") as f:
        np.testing.assert_array_equal(f.matrix(balance=False)[:, :], m)
    # One triangle alone is a valid way to give a symmetric sparse matrix.
    gzcm.convert_to_gzcm(sp.triu(sp.coo_matrix(m)), tmp_path / "u.gzcm", symmetric=True)
