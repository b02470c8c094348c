"""`convert_to_gzcm` reads the Hi-C files users have: every shared `.cool`, every `.mcool`
resolution and every `.hic` resolution converts, and windows of the result equal cooler's
(`cooler.Cooler(uri).matrix(balance=False)`, and `balance=True` against `balance=` here). A
`.hic` is compared with the `.mcool` of the same name at the same resolution (cooler does not
read `.hic`). Bad inputs raise the right exception class.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Tuple

import numpy as np
import pytest

import gzcm
from conftest import data_dir, mcool_resolutions, missing_data_reason, require_module, shared_files, unavailable

cooler = require_module("cooler", "it is the oracle")

DATA = data_dir()


def cool_cases() -> List[Tuple[str, Optional[int]]]:
    """(uri, resolution=) pairs: each `.cool`, and each `.mcool` resolution both ways."""
    if DATA is None:
        return []
    cases: List[Tuple[str, Optional[int]]] = [(str(p), None) for p in sorted(DATA.glob("*.cool"))]
    for mcool in sorted(DATA.glob("*.mcool")):
        for k, r in enumerate(cooler.fileops.list_coolers(str(mcool))):
            res = int(r.rsplit("/", 1)[-1])
            # Alternate the two spellings: the URI form and `resolution=`.
            cases.append((f"{mcool}::{r}", None) if k % 2 == 0 else (str(mcool), res))
    return cases


def hic_cases() -> List[Tuple[Path, Path]]:
    if DATA is None:
        return []
    return [(h, h.with_suffix(".mcool")) for h in sorted(DATA.glob("*.hic")) if h.with_suffix(".mcool").exists()]


def windows(n: int, rng: np.random.Generator) -> List[Tuple[int, int, int, int]]:
    """The top-left block, a block far from the diagonal, and one random square."""
    size = int(rng.integers(1, min(n, 200) + 1))
    r, c = (int(v) for v in rng.integers(0, n - size + 1, size=2))
    return [(0, min(n, 256), 0, min(n, 256)), (max(0, n - 150), n, 0, min(n, 150)), (r, r + size, c, c + size)]


def oracle_uri(uri: str, resolution: Optional[int]) -> str:
    return uri if resolution is None else f"{uri}::/resolutions/{resolution}"


# Without the data, one case that reports it (a skip, or a failure under GZCM_REQUIRE_TEST_DATA=1).
@pytest.mark.parametrize("uri,resolution", cool_cases() or [(None, None)])
def test_cool_and_mcool_windows_equal_coolers(uri: str, resolution: Optional[int], tmp_path: Path) -> None:
    if uri is None:
        unavailable(missing_data_reason())
    out = tmp_path / "x.gzcm"
    summary = gzcm.convert_to_gzcm(uri, out, resolution=resolution)
    assert summary["nnz"] > 0
    c = cooler.Cooler(oracle_uri(uri, resolution))
    raw, bins = c.matrix(balance=False), c.bins()[:]
    rng = np.random.default_rng(len(uri) + (resolution or 0))
    with gzcm.open(out) as f:
        assert f.shape == tuple(c.shape)
        assert f.chromnames == list(c.chromnames)
        np.testing.assert_array_equal(f.bins()["start"][:].to_numpy(), bins["start"].to_numpy())
        for r0, r1, c0, c1 in windows(f.shape[0], rng):
            np.testing.assert_array_equal(f.matrix(balance=False)[r0:r1, c0:c1], raw[r0:r1, c0:c1], err_msg=f"[{r0}:{r1}, {c0}:{c1}]")
        if "weight" not in bins.columns:
            return
        assert "weight" in f.weight_names
        balanced = c.matrix(balance=True)
        for r0, r1, c0, c1 in windows(f.shape[0], rng)[:2]:
            np.testing.assert_allclose(
                f.matrix(balance=True)[r0:r1, c0:c1], balanced[r0:r1, c0:c1], rtol=1e-12, equal_nan=True
            )
        chrom = f.chromnames[-1]
        np.testing.assert_allclose(f.fetch(chrom, balance=True), balanced.fetch(chrom), rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize("hic,mcool", hic_cases() or [(None, None)])
def test_hic_resolutions_equal_the_mcool_through_cooler(hic: Path, mcool: Path, tmp_path: Path) -> None:
    if hic is None:
        unavailable(missing_data_reason())
    rng = np.random.default_rng(5)
    # The whole .hic converts into one multi-resolution file holding the .mcool's resolutions.
    out = tmp_path / "all.gzcm"
    summary = gzcm.convert_to_gzcm(hic, out)
    expected = mcool_resolutions(mcool)
    assert summary["resolutions"] == expected == gzcm.resolutions(out)
    for res in expected:
        assert summary["members"][res]["nnz"] > 0, res
        c = cooler.Cooler(f"{mcool}::/resolutions/{res}")
        raw = c.matrix(balance=False)
        with gzcm.open(out, resolution=res) as f:
            assert f.resolutions == expected and f.resolution == res
            assert f.shape == tuple(c.shape), res
            assert f.chromnames == list(c.chromnames), res
            for r0, r1, c0, c1 in windows(f.shape[0], rng):
                np.testing.assert_array_equal(f.matrix(balance=False)[r0:r1, c0:c1], raw[r0:r1, c0:c1], err_msg=f"{res} [{r0}:{r1}]")


def test_hic_options_chrom_and_weights(shared_data: Path, tmp_path: Path) -> None:
    (mcool,) = shared_files(shared_data, "yeast_10kb.mcool")
    c = cooler.Cooler(f"{mcool}::/resolutions/40000")
    chrom = c.chromnames[1]
    out = tmp_path / "one.gzcm"
    gzcm.convert_to_gzcm(mcool, out, resolution=40000, chrom=chrom, weights="none")
    with gzcm.open(out) as f:
        assert f.chromnames == [chrom]
        assert f.weight_names == []
        np.testing.assert_array_equal(f.matrix()[:, :], c.matrix(balance=False).fetch(chrom))
    gzcm.convert_to_gzcm(mcool, out, resolution=40000, weights=["weight"], overwrite=True)
    with gzcm.open(out) as f:
        assert f.weight_names == ["weight"]
    with pytest.raises(gzcm.InvalidInputError, match="no weight vector `KR`"):
        gzcm.convert_to_gzcm(mcool, tmp_path / "kr.gzcm", resolution=40000, weights=["KR"])
    with pytest.raises(gzcm.InvalidInputError, match="no chromosome `chrNope`"):
        gzcm.convert_to_gzcm(mcool, tmp_path / "nope.gzcm", resolution=40000, chrom="chrNope")


def test_coo_with_a_bins_file_carries_the_genome(shared_data: Path, tmp_path: Path) -> None:
    coo, bins = shared_files(shared_data, "gm12878_chr22_250kb.coo.tsv", "gm12878_chr22_250kb.bins.tsv")
    out = tmp_path / "coo.gzcm"
    gzcm.convert_to_gzcm(coo, out, bins=bins)
    with gzcm.open(out) as f:
        assert f.chromnames == ["chr22"]
        assert f.shape[0] == len(f.bins()["start"])


def test_bad_inputs_raise_the_right_class(shared_data: Path, tmp_path: Path) -> None:
    mcool, cool, npy = shared_files(shared_data, "yeast_10kb.mcool", "yeast_10kb.cool", "yeast_10kb.npy")
    with pytest.raises(gzcm.InvalidInputError, match=r"no resolution 7; resolutions in the file: 10000, 20000, 40000"):
        gzcm.convert_to_gzcm(mcool, tmp_path / "a.gzcm", resolution=7)
    with pytest.raises(gzcm.InvalidInputError, match=r"resolutions in the file: 10000, 20000, 40000"):
        gzcm.convert_to_gzcm(f"{mcool}::/resolutions/7", tmp_path / "a.gzcm")
    with pytest.raises(FileNotFoundError):
        gzcm.convert_to_gzcm(tmp_path / "missing.cool", tmp_path / "b.gzcm")
    with pytest.raises(gzcm.FileNotFoundError):
        gzcm.convert_to_gzcm(f"{tmp_path / 'missing.mcool'}::/resolutions/10000", tmp_path / "b.gzcm")
    data = cool.read_bytes()
    corrupt = tmp_path / "corrupt.cool"
    corrupt.write_bytes(data[: len(data) // 2])
    with pytest.raises(gzcm.InvalidInputError):
        gzcm.convert_to_gzcm(corrupt, tmp_path / "c.gzcm")
    flipped = bytearray(data)
    for k in range(4096, len(flipped), 997):
        flipped[k] ^= 0x5A
    corrupt.write_bytes(bytes(flipped))
    with pytest.raises(gzcm.GzcmError):
        gzcm.convert_to_gzcm(corrupt, tmp_path / "d.gzcm")
    with pytest.raises(gzcm.InvalidInputError, match="apply to .cool, .mcool and .hic"):
        gzcm.convert_to_gzcm(npy, tmp_path / "e.gzcm", resolution=10000)
    assert not list(tmp_path.glob("*.gzcm"))


def test_adaptive_codec_on_a_cool_file_keeps_genome_and_cells(shared_data: Path, tmp_path: Path) -> None:
    (cool,) = shared_files(shared_data, "yeast_duan2009_10kb.cool")
    out = tmp_path / "adaptive.gzcm"
    summary = gzcm.convert_to_gzcm(cool, out, version=4, adaptive_codec=True)
    assert summary["version"] == 4 and summary["picked"], summary
    c = cooler.Cooler(str(cool))
    with gzcm.open(out) as f:
        assert f.chromnames == list(c.chromnames)
        np.testing.assert_array_equal(f.matrix(balance=False)[:, :], c.matrix(balance=False)[:, :])

