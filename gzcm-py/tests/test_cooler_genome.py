"""Genomic coordinates against cooler: each shared `.cool` (and an `.mcool` resolution with a
`weight` column) is converted with `convert_to_gzcm`, then chromosomes, bins, `fetch(region)` and
balanced windows must equal `cooler.Cooler(uri)`'s, NaNs in the same places. One test converts
the same inputs with the `gzcm` CLI too and checks both give the same matrix, genome and weights.

The CLI binary is `$GZCM_BIN`, else the workspace's `target/debug/gzcm` (`scripts/test-python`
builds it); without it, or without cooler or a shared file, the tests skip with a reason (fail
under `GZCM_REQUIRE_TEST_DATA=1`).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import List

import numpy as np
import pytest

import gzcm
from conftest import gzcm_bin, require_module, shared_files

cooler = require_module("cooler", "it is the oracle")


def uris(data: Path) -> List[str]:
    """Every shared `.cool`, and the `.mcool` resolution that carries a `weight` column."""
    (mcool,) = shared_files(data, "gm12878_rao2014_2500kb.mcool")
    return [str(p) for p in sorted(data.glob("*.cool"))] + [f"{mcool}::/resolutions/2500000"]


def convert(uri: str, out: Path) -> Path:
    gzcm.convert_to_gzcm(uri, out)
    return out


def convert_with_cli(uri: str, out: Path) -> Path:
    done = subprocess.run([str(gzcm_bin()), "convert", uri, str(out)], capture_output=True, text=True)
    assert done.returncode == 0, f"gzcm convert {uri} failed:\n{done.stderr}"
    return out


def whole(c, name: str) -> str:
    """The chromosome, or its first 1500 bins when longer (a dense float64 fetch of a 10k-bin
    chromosome costs cooler most of a second and 800 MB; the windows elsewhere cover the rest)."""
    length = int(c.chromsizes[name])
    return name if length <= 1500 * c.binsize else f"{name}:0-{1500 * c.binsize}"


def regions(c, rng: np.random.Generator) -> List[str]:
    """A whole chromosome and two random spans (with and without thousands separators)."""
    chroms = list(c.chromnames)
    picked = [whole(c, chroms[0]), whole(c, chroms[-1])]
    for _ in range(2):
        name = chroms[int(rng.integers(len(chroms)))]
        length = int(c.chromsizes[name])
        start = int(rng.integers(0, max(1, length - 1)))
        end = int(rng.integers(start + 1, min(length, start + 300 * c.binsize) + 1))
        picked.append(f"{name}:{start}-{end}")
    return picked


def test_cooler_files_agree_in_genomic_terms(shared_data: Path, tmp_path: Path) -> None:
    found = uris(shared_data)
    assert found, "the shared data has no .cool files"
    rng = np.random.default_rng(9)
    balanced_checked = 0
    for k, uri in enumerate(found):
        c = cooler.Cooler(uri)
        name = Path(uri.split("::")[0]).name
        with gzcm.open(convert(uri, tmp_path / f"{k}.gzcm")) as f:
            assert f.chromnames == list(c.chromnames), name
            assert f.chromsizes.equals(c.chromsizes), name
            want_bins = c.bins()[:]
            got_bins = f.bins()[:]
            np.testing.assert_array_equal(np.asarray(got_bins["start"]), want_bins["start"].to_numpy(), err_msg=name)
            np.testing.assert_array_equal(np.asarray(got_bins["end"]), want_bins["end"].to_numpy(), err_msg=name)
            assert list(np.asarray(got_bins["chrom"], dtype=object)) == list(want_bins["chrom"].astype(str)), name

            oracle = c.matrix(balance=False)
            for region in regions(c, rng):
                chrom, _, span = region.partition(":")
                typed = region if not span else f"{chrom}:{int(span.split('-')[0]):,}-{int(span.split('-')[1]):,}"
                np.testing.assert_array_equal(f.fetch(typed), oracle.fetch(region), err_msg=f"{name} {region}")
            two = [whole(c, c.chromnames[0]), whole(c, c.chromnames[-1])]
            np.testing.assert_array_equal(f.fetch(*two), oracle.fetch(*two), err_msg=f"{name} {two}")

            if "weight" not in want_bins.columns:
                continue
            assert "weight" in f.weight_names, name
            np.testing.assert_array_equal(f.weights("weight"), want_bins["weight"].to_numpy(), err_msg=name)
            balanced = c.matrix(balance=True)
            n = f.shape[0]
            windows = [(0, min(n, 256), 0, min(n, 256)), (max(0, n - 300), n, 0, min(n, 200))]
            for r0, r1, c0, c1 in windows:
                got = f.matrix(balance=True)[r0:r1, c0:c1]
                assert got.dtype == np.float64
                np.testing.assert_allclose(
                    got, balanced[r0:r1, c0:c1], rtol=1e-12, equal_nan=True, err_msg=f"{name} [{r0}:{r1}, {c0}:{c1}]"
                )
            region = regions(c, rng)[-1]
            np.testing.assert_allclose(
                f.fetch(region, balance=True), balanced.fetch(region), rtol=1e-12, equal_nan=True, err_msg=name
            )
            balanced_checked += 1
    assert balanced_checked >= 1, "no converted file carried cooler's `weight` column"


def test_bad_regions_are_clear_errors(shared_data: Path, tmp_path: Path) -> None:
    (cool,) = shared_files(shared_data, "gm12878_chr22_250kb.cool")
    with gzcm.open(convert(str(cool), tmp_path / "c.gzcm")) as f:
        with pytest.raises(gzcm.InvalidInputError, match="the file's chromosomes are"):
            f.fetch("chrNope:1-5")
        with pytest.raises(ValueError, match="start-end"):
            f.fetch(f"{f.chromnames[0]}:a-b")
        with pytest.raises(gzcm.InvalidInputError, match="is not inside"):
            f.fetch(f"{f.chromnames[0]}:0-{10**12}")
        with pytest.raises(gzcm.NoGenomeError, match="no balancing weights called 'NOPE'"):
            f.matrix(balance="NOPE")


def test_cli_and_python_conversions_agree(shared_data: Path, tmp_path: Path) -> None:
    """The same input converted by `gzcm convert` and by `convert_to_gzcm`: one matrix, genome
    and set of weights (the pipeline is shared; this guards the two front ends' defaults)."""
    unsorted, hic = shared_files(shared_data, "yeast_duan2009_10kb.unsorted.cool", "yeast_10kb.hic")
    inputs = [str(unsorted), f"{hic}::/resolutions/40000"]
    for k, uri in enumerate(inputs):
        if uri.endswith(".hic::/resolutions/40000"):
            path = uri.split("::")[0]
            done = subprocess.run(
                [str(gzcm_bin()), "convert", path, "--resolution", "40000", str(tmp_path / f"cli{k}.gzcm")],
                capture_output=True,
                text=True,
            )
            assert done.returncode == 0, done.stderr
            gzcm.convert_to_gzcm(path, tmp_path / f"py{k}.gzcm", resolution=40000)
        else:
            convert_with_cli(uri, tmp_path / f"cli{k}.gzcm")
            convert(uri, tmp_path / f"py{k}.gzcm")
        with gzcm.open(tmp_path / f"cli{k}.gzcm") as a, gzcm.open(tmp_path / f"py{k}.gzcm") as b:
            assert (a.shape, a.dtype, a.symmetric) == (b.shape, b.dtype, b.symmetric), uri
            np.testing.assert_array_equal(a.matrix()[:, :], b.matrix()[:, :], err_msg=uri)
            assert a.chromnames == b.chromnames and a.chromsizes.equals(b.chromsizes), uri
            for column in ("chrom", "start", "end"):
                assert a.bins()[column][:].equals(b.bins()[column][:]), uri
            assert a.weight_names == b.weight_names, uri
            for name in a.weight_names:
                np.testing.assert_array_equal(a.weights(name), b.weights(name), err_msg=f"{uri} {name}")
