"""``GzcmFile.plot``: the heatmap's values are the matrix the file reads (balanced, aggregated
as block means), matplotlib draws them, and a missing matplotlib or a bad option is a clear
error. matplotlib comes from scripts/test-python's optional list; under
GZCM_REQUIRE_TEST_DATA=1 its absence fails the tests that need it."""

from __future__ import annotations

import io
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import gzcm
from conftest import require_module, shared_files


@pytest.fixture
def yeast(shared_data: Path, tmp_path: Path) -> Path:
    (cool,) = shared_files(shared_data, "yeast_10kb.cool")
    path = tmp_path / "y.gzcm"
    gzcm.convert_to_gzcm(str(cool), path, overwrite=True)  # with cooler's `weight`
    return path


def pyplot():
    matplotlib = require_module("matplotlib", "it draws GzcmFile.plot")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def block_means(matrix: np.ndarray, step: int) -> np.ndarray:
    """Means of step × step blocks over the defined (non-NaN) cells, NaN where none is."""
    rows, cols = (-(-n // step) for n in matrix.shape)
    padded = np.full((rows * step, cols * step), np.nan)
    padded[: matrix.shape[0], : matrix.shape[1]] = matrix
    blocks = padded.reshape(rows, step, cols, step).swapaxes(1, 2).reshape(rows, cols, -1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "mean of empty slice": all-NaN blocks
        return np.nanmean(blocks, axis=2)


def test_the_heatmap_shows_the_balanced_matrix(yeast: Path) -> None:
    plt = pyplot()
    with gzcm.open(yeast) as f:
        truth = f.matrix(balance=True).fetch("chrIV")
        fig, ax = plt.subplots()
        image = f.plot("chrIV", ax=ax, balance=True)
        shown = np.ma.filled(image.get_array(), np.nan)
        assert shown.shape == truth.shape and image.gzcm["step"] == 1
        np.testing.assert_array_equal(np.isnan(shown), np.isnan(truth))
        np.testing.assert_allclose(shown[~np.isnan(shown)], truth[~np.isnan(truth)], rtol=1e-12)
        assert "y.gzcm · 10 kb bins · balanced (weight)" == ax.get_title()
        assert image.gzcm["resolution"] == 10000 and image.get_extent()[0] > 0
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        assert buffer.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
        plt.close(fig)


def test_a_large_window_is_aggregated_into_block_means(yeast: Path) -> None:
    plt = pyplot()
    with gzcm.open(yeast) as f:
        truth = f.matrix(balance=True).fetch("chrII")
        image = f.plot(("chrII", None, None), balance="weight", size=20, colorbar=False)
        step = image.gzcm["step"]
        assert step == -(-truth.shape[0] // 20) and step > 1
        shown = np.ma.filled(image.get_array(), np.nan)
        expected = block_means(truth, step)
        np.testing.assert_array_equal(np.isnan(shown), np.isnan(expected))
        np.testing.assert_allclose(shown[~np.isnan(shown)], expected[~np.isnan(expected)], rtol=1e-9)
        whole = f.plot(size=50, scale="linear", cmap="Reds", colorbar=False)
        assert whole.axes.get_xlabel() == "genome" and whole.gzcm["scale"] == "linear"
        plt.close("all")


def test_bad_options_are_clear_errors(yeast: Path) -> None:
    pyplot()
    with gzcm.open(yeast) as f:
        with pytest.raises(gzcm.InvalidInputError, match="no colour map `jet`"):
            f.plot("chrI", cmap="jet")
        with pytest.raises(gzcm.InvalidInputError, match="no chromosome `chr99`"):
            f.plot("chr99")
        with pytest.raises(gzcm.InvalidInputError, match="cis windows only"):
            f.plot("chrI", "chrII", oe=True)
        with pytest.raises(gzcm.InvalidInputError, match="no scale"):
            f.plot("chrI", scale="cubic")
        with pytest.raises(gzcm.InvalidInputError, match="between 1 and 4096"):
            f.plot("chrI", size=10**6)


def test_without_matplotlib_plot_says_what_to_install(yeast: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("matplotlib", "matplotlib.pyplot", "matplotlib.colors"):
        monkeypatch.setitem(sys.modules, name, None)
    with gzcm.open(yeast) as f:
        with pytest.raises(gzcm.MissingDependencyError, match="pip install matplotlib") as raised:
            f.plot("chrI")
    assert raised.value.package == "matplotlib"
