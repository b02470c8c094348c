"""gzcm's zoomify equals `cooler zoomify`, pixel for pixel, at every resolution.

For every shared base-resolution `.cool` and for synthetic ones written here with cooler's API
(chromosome lengths that are not multiples of the bin size; integer and float counts; a
symmetric-upper and a square, asymmetric map), cooler coarsens the `.cool` into an `.mcool`
(`cooler.zoomify_cooler`) while gzcm converts it and coarsens the `.gzcm`; the pixels
(bin1_id, bin2_id, count) and the bins of every resolution must be identical. The resolution
progressions (`nice`, `base_multiples`) must match those of the `cooler zoomify` command.

Each coarse level is read from its own single-resolution file through `gzcm.open`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import numpy as np
import pytest

import gzcm
from gzcm import _native

from conftest import require_module, unavailable

cooler = require_module("cooler", "it is the oracle")
pd = require_module("pandas", "gzcm's pixel tables are DataFrames")
h5py = require_module("h5py", "it lists an .mcool's resolutions")

#: The options `zoomify_levels` takes: the policy's defaults.
DEFAULTS = {"version": None, "codec": None, "level": None, "tile_size": None, "overwrite": False}


def base_cools(data: Path) -> List[Path]:
    """Every shared single-resolution `.cool` (the unsorted copy's pixels break cooler's
    bin1 index, which `cooler zoomify` reads chunks by; its sorted twin is covered)."""
    files = [p for p in sorted(data.glob("*.cool")) if not p.name.endswith(".unsorted.cool")]
    if not files:
        unavailable(f"no .cool files in the shared data directory {data}")
    return files


def gzcm_levels(cool: Path, resolutions: List[int], tmp: Path) -> Dict[int, Path]:
    """Converts `cool` and coarsens it; the single-resolution file of each resolution."""
    base = tmp / (cool.stem + ".gzcm")
    gzcm.convert_to_gzcm(str(cool), base, overwrite=True)
    outputs = [(r, tmp / f"{cool.stem}.{r}.gzcm") for r in resolutions]
    levels = _native.zoomify_levels(base, outputs, dict(DEFAULTS, overwrite=True))
    assert [level["resolution"] for level in levels] == resolutions
    return dict(outputs)


def cooler_levels(cool: Path, resolutions: List[int], tmp: Path) -> Path:
    """`cooler.zoomify_cooler` of `cool` at its base and `resolutions`, as an `.mcool`."""
    base = cooler.Cooler(str(cool)).binsize
    mcool = tmp / (cool.stem + ".mcool")
    cooler.zoomify_cooler(str(cool), str(mcool), [base, *resolutions], chunksize=10_000_000)
    return mcool


def pixels_of_cooler(uri: str) -> pd.DataFrame:
    table = cooler.Cooler(uri).pixels()[:]
    return table[["bin1_id", "bin2_id", "count"]].sort_values(["bin1_id", "bin2_id"], ignore_index=True)


def pixels_of_gzcm(path: Path) -> pd.DataFrame:
    with gzcm.open(path) as f:
        table = f.pixels()[:]
    return table[["bin1_id", "bin2_id", "count"]].sort_values(["bin1_id", "bin2_id"], ignore_index=True)


def assert_same_level(mcool: Path, resolution: int, level: Path, exact: bool = True) -> None:
    uri = f"{mcool}::resolutions/{resolution}"
    want, got = pixels_of_cooler(uri), pixels_of_gzcm(level)
    label = f"{level.name} at {resolution}"
    assert len(got) == len(want), f"{label}: {len(got)} pixels, cooler has {len(want)}"
    np.testing.assert_array_equal(got["bin1_id"].to_numpy(), want["bin1_id"].to_numpy(), err_msg=label)
    np.testing.assert_array_equal(got["bin2_id"].to_numpy(), want["bin2_id"].to_numpy(), err_msg=label)
    if exact:
        np.testing.assert_array_equal(
            got["count"].to_numpy(np.float64), want["count"].to_numpy(np.float64), err_msg=label
        )
    else:
        # cooler sums float64, gzcm stores float32: equal to float32 precision.
        np.testing.assert_allclose(
            got["count"].to_numpy(np.float64), want["count"].to_numpy(np.float64), rtol=2e-7, err_msg=label
        )
    oracle = cooler.Cooler(uri)
    with gzcm.open(level) as f:
        assert f.binsize == resolution == oracle.binsize, label
        bins = f.bins()[:]
        want_bins = oracle.bins()[:]
        assert list(bins["chrom"].astype(str)) == list(want_bins["chrom"].astype(str)), label
        np.testing.assert_array_equal(bins["start"].to_numpy(), want_bins["start"].to_numpy(), err_msg=label)
        np.testing.assert_array_equal(bins["end"].to_numpy(), want_bins["end"].to_numpy(), err_msg=label)
        assert "weight" not in bins.columns, f"{label}: weights are not carried to coarser resolutions"


def zoom_and_compare(cool: Path, factors: List[int], tmp: Path, exact: bool = True) -> None:
    base = cooler.Cooler(str(cool)).binsize
    resolutions = [base * k for k in factors]
    levels = gzcm_levels(cool, resolutions, tmp)
    mcool = cooler_levels(cool, resolutions, tmp)
    for resolution in resolutions:
        assert_same_level(mcool, resolution, levels[resolution], exact)


def test_every_shared_cool_zooms_as_cooler_does(shared_data: Path, tmp_path: Path) -> None:
    for cool in base_cools(shared_data):
        # Factors 2 and 3 cut tiles unevenly; 10 and 64 reach coarse maps.
        zoom_and_compare(cool, [2, 3, 10, 64], tmp_path)


def synthetic_cool(path: Path, symmetric: bool, floats: bool, seed: int) -> Path:
    """A Hi-C-like `.cool` at 10 kb whose chromosome lengths are not multiples of 10 kb."""
    chromsizes = pd.Series({"chrA": 1_234_567, "chrB": 654_321, "chrC": 99_999, "chrD": 5})
    bins = cooler.binnify(chromsizes, 10_000)
    n = len(bins)
    rng = np.random.default_rng(seed)
    i, j = np.triu_indices(n) if symmetric else np.indices((n, n)).reshape(2, -1)
    expected = 50.0 / (1.0 + np.abs(i - j)) ** 1.2
    counts = rng.poisson(expected)
    keep = counts > 0
    i, j, counts = i[keep], j[keep], counts[keep]
    if floats:
        # Quarter steps: exact in float32, so both sides' sums are exact too.
        counts = counts * 0.25 + rng.integers(0, 4, size=counts.size) * 0.25
    pixels = pd.DataFrame({"bin1_id": i, "bin2_id": j, "count": counts})
    dtypes = {"count": np.float64 if floats else np.int32}
    cooler.create_cooler(str(path), bins, pixels, dtypes=dtypes, symmetric_upper=symmetric, ordered=True)
    return path


@pytest.mark.parametrize(
    "symmetric,floats", [(True, False), (False, False), (True, True)], ids=["upper", "square", "float"]
)
def test_a_synthetic_cool_with_short_last_bins_zooms_as_cooler_does(
    tmp_path: Path, symmetric: bool, floats: bool
) -> None:
    cool = synthetic_cool(tmp_path / "synthetic.cool", symmetric, floats, seed=23)
    assert cooler.Cooler(str(cool)).storage_mode == ("symmetric-upper" if symmetric else "square")
    zoom_and_compare(cool, [2, 5, 7, 10, 100], tmp_path, exact=True)


def cooler_cli() -> List[str]:
    found = shutil.which("cooler", path=str(Path(sys.executable).parent))
    if found is None:
        unavailable(f"the cooler command is not installed beside {sys.executable}")
    return [found]


@pytest.mark.parametrize("style,flag", [("N", "nice"), ("B", "base_multiples")])
def test_progressions_are_those_of_cooler_zoomify(shared_data: Path, tmp_path: Path, style: str, flag: str) -> None:
    for name in ("yeast_10kb.cool", "gm12878_rao2014_2500kb.cool"):
        cool = shared_data / name
        if not cool.is_file():
            unavailable(f"{name} not in the shared data directory {shared_data}")
        mcool = tmp_path / f"{cool.stem}.{style}.mcool"
        subprocess.run([*cooler_cli(), "zoomify", str(cool), "-r", style, "-o", str(mcool)], check=True)
        # The group names: `list_coolers` misses a base copied from a cooler of schema v2.
        with h5py.File(mcool, "r") as h5:
            want = sorted(int(r) for r in h5["resolutions"])
        base = tmp_path / f"{cool.stem}.gzcm"
        gzcm.convert_to_gzcm(str(cool), base, overwrite=True)
        got_base, got = _native.zoomify_plan(base, **{flag: True})
        assert [got_base, *got] == want, f"{name} {style}"


def test_bad_requests_raise_typed_errors(shared_data: Path, tmp_path: Path) -> None:
    base = tmp_path / "yeast.gzcm"
    gzcm.convert_to_gzcm(str(shared_data / "yeast_10kb.cool"), base)
    with pytest.raises(gzcm.InvalidInputError, match="25000 is not a multiple of the base resolution 10000"):
        _native.zoomify_levels(base, [(25_000, tmp_path / "x.gzcm")], DEFAULTS)
    with pytest.raises(gzcm.InvalidInputError, match="20000 follows 40000"):
        _native.zoomify_plan(base, resolutions=[40_000, 20_000])
    with pytest.raises(gzcm.InvalidInputError, match="is the input"):
        _native.zoomify_levels(base, [(20_000, base)], dict(DEFAULTS, overwrite=True))
    plain = tmp_path / "plain.gzcm"
    gzcm.convert_to_gzcm(np.eye(20, dtype=np.uint32), plain)
    with pytest.raises(gzcm.NoGenomeError, match="zoomify needs genomic bins; convert with --bins or from a .cool"):
        _native.zoomify_levels(plain, [(2, tmp_path / "y.gzcm")], DEFAULTS)


def test_zoomify_writes_the_base_and_every_level_into_one_file(shared_data: Path, tmp_path: Path) -> None:
    base = tmp_path / "yeast.gzcm"
    gzcm.convert_to_gzcm(str(shared_data / "yeast_10kb.cool"), base)
    written = gzcm.zoomify(base, tmp_path / "zoom.gzcm", resolutions=[20_000, 50_000])
    assert written["resolutions"] == [10_000, 20_000, 50_000] and written["base"] == 10_000
    assert written["bytes"] == (tmp_path / "zoom.gzcm").stat().st_size
    # The same levels as the per-resolution files compared with cooler above.
    apart = _native.zoomify_levels(base, [(20_000, tmp_path / "a.gzcm"), (50_000, tmp_path / "b.gzcm")], DEFAULTS)
    assert [level["nnz"] for level in written["levels"]] == [level["nnz"] for level in apart]
    doc = " ".join(gzcm.zoomify.__doc__.split())
    assert "Weights are not carried to coarser resolutions; balance them with `gzcm balance`" in doc
    assert gzcm.zoomify(base, tmp_path / "nice.gzcm", nice=True)["resolutions"] == [10_000, 20_000]
    assert gzcm.zoomify(base, tmp_path / "b.zoom.gzcm")["resolutions"] == [10_000, 20_000, 40_000]
    with pytest.raises(gzcm.OutputExistsError):
        gzcm.zoomify(base, tmp_path / "zoom.gzcm", resolutions=[20_000])
    with pytest.raises(gzcm.InvalidInputError, match="one of resolutions"):
        gzcm.zoomify(base, tmp_path / "x.gzcm", resolutions=[20_000], nice=True)
    with pytest.raises(gzcm.UnknownCodecError, match="unknown codec `nope`"):
        gzcm.zoomify(base, tmp_path / "x.gzcm", codec="nope")
