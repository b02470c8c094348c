"""cooler's quick-start calls against `gzcm.open` on the same data: for each shared `.cool` (and
an `.mcool` resolution), `c = cooler.Cooler(uri)` and `g = gzcm.open(convert_to_gzcm(uri))` must
give the same `info` (the keys gzcm supports), chromosome, bin and pixel tables (dtypes
included), matrix windows (raw, balanced, sparse, as pixels), extents and offsets.

The synthetic tests check the pixel table against numpy on files without a genome, at a small
tile size so that slices cross many tile rows, and the options gzcm refuses.
"""

from __future__ import annotations

import builtins
import sys
from pathlib import Path
from typing import List

import numpy as np
import pytest

import gzcm

from conftest import contact_map

cooler = pytest.importorskip("cooler", reason="cooler is not installed (it is the oracle)")
pd = pytest.importorskip("pandas", reason="pandas is not installed (cooler depends on it)")

#: The `info` keys gzcm gives as cooler does (`sum` is left out: it would decode every tile;
#: `storage-mode`, absent from older `.cool` files, is compared through `storage_mode`).
INFO_KEYS = ("nbins", "nnz", "bin-type", "bin-size", "nchroms")


def uris(data: Path) -> List[str]:
    found = [str(p) for p in sorted(data.glob("*.cool"))]
    mcool = data / "gm12878_rao2014_2500kb.mcool"
    if mcool.exists():
        found.append(f"{mcool}::/resolutions/2500000")
    return found


def span(c, chrom: str, bins: int, rng: np.random.Generator) -> str:
    """A random span of about `bins` bins inside `chrom`, typed with thousands separators."""
    length = int(c.chromsizes[chrom])
    start = int(rng.integers(0, max(1, length - 1)))
    end = int(min(length, start + bins * c.binsize))
    return f"{chrom}:{start:,}-{end:,}"


def assert_same_frame(got, want, what: str, ordered: bool = True) -> None:
    """`got` equals `want`; unless `ordered`, as sets of rows (gzcm lists pixels row-major, a
    `.cool` file with an unsorted pixel table in its own order within each row)."""
    if not ordered:
        keys = [k for k in ("bin1_id", "bin2_id", "chrom1", "start1", "chrom2", "start2") if k in got.columns]
        got = got.sort_values(keys, kind="stable").reset_index(drop=True)
        want = want.sort_values(keys, kind="stable").reset_index(drop=True)
    # cooler returns the bin-id dtype each file was written with: int64 from current cooler,
    # int32 in some older files (mouse_mm9_chr1_20kb). gzcm always gives int64.
    ids = {col: np.int64 for col in ("bin1_id", "bin2_id") if col in want.columns and want[col].dtype == np.int32}
    pd.testing.assert_frame_equal(got, want.astype(ids), check_exact=False, rtol=1e-6, obj=what)


def test_cooler_quick_start_calls_agree(shared_data: Path, tmp_path: Path) -> None:
    found = uris(shared_data)
    assert found, "the shared data has no .cool files"
    rng = np.random.default_rng(21)
    balanced_checked = 0
    for k, uri in enumerate(found):
        name = Path(uri.split("::")[0]).name
        out = tmp_path / f"{k}.gzcm"
        gzcm.convert_to_gzcm(uri, out)
        c = cooler.Cooler(uri)
        with gzcm.open(out) as g:
            for key in INFO_KEYS:
                assert g.info[key] == c.info[key], f"{name} info[{key!r}]"
            assert g.chromnames == c.chromnames, name
            pd.testing.assert_series_equal(g.chromsizes, c.chromsizes, obj=f"{name} chromsizes")
            assert g.binsize == c.binsize, name
            assert g.storage_mode == c.storage_mode == g.info["storage-mode"], name

            assert_same_frame(g.chroms()[:], c.chroms()[:], f"{name} chroms()[:]")
            with pytest.raises(gzcm.InvalidInputError, match="no fetch"):
                g.chroms().fetch(c.chromnames[0])
            want_bins = c.bins()[:]
            assert_same_frame(g.bins()[:], want_bins, f"{name} bins()[:]")
            assert_same_frame(g.bins()[10:20], c.bins()[10:20], f"{name} bins()[10:20]")
            pd.testing.assert_series_equal(g.bins()["start"][5:9], c.bins()["start"][5:9], obj=f"{name} bins()['start']")

            # yeast_duan2009_10kb.unsorted.cool stores each row's pixels out of column order: its
            # pixel numbers are not gzcm's (row-major), so its pixel slices are compared whole.
            ordered = "unsorted" not in name
            n, nnz = c.info["nbins"], c.info["nnz"]
            assert len(g.pixels()) == nnz and len(g.bins()) == n and len(g.chroms()) == c.info["nchroms"], name
            if ordered:
                assert_same_frame(g.pixels()[:1000], c.pixels()[:1000], f"{name} pixels()[:1000]")
                lo = int(rng.integers(0, max(1, nnz - 5000)))
                assert_same_frame(g.pixels()[lo : lo + 5000], c.pixels()[lo : lo + 5000], f"{name} pixels()[{lo}:+5000]")
                assert_same_frame(g.pixels()[nnz - 7 :], c.pixels()[nnz - 7 :], f"{name} last pixels")
                assert_same_frame(
                    g.pixels(join=True)[lo : lo + 50], c.pixels(join=True)[lo : lo + 50], f"{name} pixels(join=True)"
                )
            else:
                assert_same_frame(g.pixels()[:], c.pixels()[:], f"{name} pixels()[:]", ordered=False)

            chroms = c.chromnames
            regions = [chroms[0] if c.chromsizes[chroms[0]] <= 1500 * c.binsize else span(c, chroms[0], 1500, rng)]
            regions += [span(c, chroms[-1], 300, rng), span(c, chroms[len(chroms) // 2], 40, rng)]
            for region in regions:
                plain = region.replace(",", "")
                assert g.extent(region) == c.extent(plain), f"{name} extent({region})"
                assert g.offset(region) == c.offset(plain), f"{name} offset({region})"
                assert_same_frame(g.bins().fetch(region), c.bins().fetch(plain), f"{name} bins().fetch({region})")
                got_px, want_px = g.pixels().fetch(region), c.pixels().fetch(plain)
                assert_same_frame(got_px, want_px, f"{name} pixels().fetch({region})", ordered)
                np.testing.assert_array_equal(
                    g.matrix(balance=False).fetch(region), c.matrix(balance=False).fetch(plain), err_msg=f"{name} {region}"
                )
            chrom, start, end = chroms[-1], 0, int(c.chromsizes[chroms[-1]])
            assert g.extent((chrom, start, None)) == c.extent((chrom, start, None)), name
            assert g.extent((chrom, None, end)) == c.extent((chrom, None, end)), name

            windows = [(0, min(n, 256), 0, min(n, 256)), (max(0, n - 300), n, 0, min(n, 200))]
            size = int(rng.integers(1, min(n, 300) + 1))
            r, col = (int(v) for v in rng.integers(0, n - size + 1, size=2))
            windows.append((r, r + size, col, col + size))
            raw = c.matrix(balance=False)
            for r0, r1, c0, c1 in windows:
                where = f"{name} [{r0}:{r1}, {c0}:{c1}]"
                np.testing.assert_array_equal(g.matrix(balance=False)[r0:r1, c0:c1], raw[r0:r1, c0:c1], err_msg=where)
                sparse_g = g.matrix(balance=False, sparse=True)[r0:r1, c0:c1]
                sparse_c = c.matrix(balance=False, sparse=True)[r0:r1, c0:c1]
                assert sparse_g.shape == sparse_c.shape and sparse_g.nnz == sparse_c.nnz, where
                assert sparse_g.dtype == sparse_c.dtype, where
                np.testing.assert_array_equal(sparse_g.toarray(), sparse_c.toarray(), err_msg=where)
                assert_same_frame(
                    g.matrix(balance=False, as_pixels=True)[r0:r1, c0:c1],
                    c.matrix(balance=False, as_pixels=True)[r0:r1, c0:c1],
                    f"{where} as_pixels",
                    ordered,
                )

            pixels_region = regions[1], regions[2]
            assert_same_frame(
                g.matrix(balance=False, as_pixels=True, join=True).fetch(*pixels_region),
                c.matrix(balance=False, as_pixels=True, join=True).fetch(*(r.replace(",", "") for r in pixels_region)),
                f"{name} as_pixels join fetch{pixels_region}",
                ordered,
            )

            if "weight" not in want_bins.columns:
                with pytest.raises(gzcm.NoGenomeError, match="no balancing weights called 'weight'"):
                    g.matrix(balance=True)
                np.testing.assert_array_equal(g.matrix()[0:50, 0:50], raw[0:50, 0:50], err_msg=f"{name} auto = raw")
                continue
            balanced = c.matrix(balance=True)
            for r0, r1, c0, c1 in windows:
                where = f"{name} balanced [{r0}:{r1}, {c0}:{c1}]"
                got = g.matrix(balance=True)[r0:r1, c0:c1]
                want = balanced[r0:r1, c0:c1]
                assert got.dtype == np.float64, where
                np.testing.assert_array_equal(np.isnan(got), np.isnan(want), err_msg=f"{where}: NaN mask")
                np.testing.assert_allclose(got, want, rtol=1e-6, equal_nan=True, err_msg=where)
                sparse = g.matrix(sparse=True)[r0:r1, c0:c1].toarray()
                np.testing.assert_allclose(
                    sparse, c.matrix(sparse=True)[r0:r1, c0:c1].toarray(), rtol=1e-6, equal_nan=True, err_msg=where
                )
            region = regions[1]
            # The default is cooler's (balanced) on a file with a `weight` vector.
            got, want = g.matrix().fetch(region), c.matrix().fetch(region.replace(",", ""))
            np.testing.assert_array_equal(np.isnan(got), np.isnan(want), err_msg=f"{name} {region}: NaN mask")
            np.testing.assert_allclose(got, want, rtol=1e-6, equal_nan=True, err_msg=f"{name} matrix().fetch({region})")
            assert_same_frame(
                g.matrix(as_pixels=True, join=True).fetch(region),
                c.matrix(as_pixels=True, join=True).fetch(region.replace(",", "")),
                f"{name} matrix(as_pixels=True, join=True).fetch({region})",
                ordered,
            )
            balanced_checked += 1
    assert balanced_checked >= 1, "no converted file carried cooler's `weight` column"


def test_divisive_weights_read_as_cooler_reads_them(shared_data: Path, tmp_path: Path) -> None:
    cool = shared_data / "gm12878_rao2014_2500kb.cool"
    if not cool.exists():
        pytest.skip(f"{cool.name} is not in the shared data")
    c = cooler.Cooler(str(cool))
    out = tmp_path / "g.gzcm"
    gzcm.convert_to_gzcm(str(cool), out, weights="all")
    chrom = c.chromnames[1]
    with gzcm.open(out) as g:
        for column in [w for w in ("KR", "VC", "weight") if w in g.weight_names]:
            for divisive in (None, True, False):
                got = g.matrix(balance=column, divisive_weights=divisive).fetch(chrom)
                want = c.matrix(balance=column, divisive_weights=divisive).fetch(chrom)
                np.testing.assert_allclose(got, want, rtol=1e-9, equal_nan=True, err_msg=f"{column} divisive={divisive}")


@pytest.mark.parametrize("symmetric", [True, False])
@pytest.mark.parametrize("version", [1, 3, 4])
def test_pixels_equal_numpy_across_tile_rows(tmp_path: Path, symmetric: bool, version: int) -> None:
    m = contact_map(150, seed=3, symmetric=symmetric)
    m[40:47, :] = 0  # a few empty rows, and an empty tile row at tile size 16
    m[:, 40:47] = 0
    m[96:112, :] = 0
    m[:, 96:112] = 0
    out = tmp_path / "m.gzcm"
    gzcm.convert_to_gzcm(m, out, version=version, tile_size=16, symmetric=symmetric)
    stored = np.triu(m) if symmetric else m
    rows, cols = np.nonzero(stored)
    rng = np.random.default_rng(version)
    with gzcm.open(out) as g:
        assert len(g.pixels()) == len(rows) == g.info["nnz"]
        full = g.pixels()[:]
        assert list(full.columns) == ["bin1_id", "bin2_id", "count"]
        assert [str(t) for t in full.dtypes] == ["int64", "int64", "int32"]
        np.testing.assert_array_equal(full["bin1_id"], rows)
        np.testing.assert_array_equal(full["bin2_id"], cols)
        np.testing.assert_array_equal(full["count"], stored[rows, cols])
        np.testing.assert_array_equal(full.index, np.arange(len(rows)))
        for _ in range(10):
            lo, hi = sorted(int(v) for v in rng.integers(0, len(rows) + 1, size=2))
            part = g.pixels()[lo:hi]
            np.testing.assert_array_equal(part.index, np.arange(lo, hi))
            np.testing.assert_array_equal(part["bin2_id"], cols[lo:hi])
        assert g.pixels()[5]["bin2_id"].tolist() == [cols[5]]
        assert g.pixels()[0:0].empty
        pd.testing.assert_series_equal(g.pixels()["count"][3:9], full["count"][3:9])

        r0, r1, c0, c1 = 10, 90, 30, 140
        window = g.matrix(balance=False, as_pixels=True)[r0:r1, c0:c1]
        box = np.zeros_like(stored)
        box[r0:r1, c0:c1] = stored[r0:r1, c0:c1]
        wr, wc = np.nonzero(box)
        np.testing.assert_array_equal(window["bin1_id"], wr)
        np.testing.assert_array_equal(window["bin2_id"], wc)
        sparse = g.matrix(balance=False, sparse=True)[r0:r1, c0:c1]
        np.testing.assert_array_equal(sparse.toarray(), m[r0:r1, c0:c1])
        np.testing.assert_array_equal(g.matrix()[r0:r1, c0:c1], m[r0:r1, c0:c1])  # no genome: raw


def test_float_maps_count_as_float64(tmp_path: Path) -> None:
    m = contact_map(60).astype(np.float32) / 4
    gzcm.convert_to_gzcm(m, tmp_path / "f.gzcm", tile_size=16)
    with gzcm.open(tmp_path / "f.gzcm") as g:
        px = g.pixels()[:]
        assert px["count"].dtype == np.float64
        rows, cols = np.nonzero(np.triu(m))
        np.testing.assert_array_equal(px["count"], m[rows, cols].astype(np.float64))
        assert g.matrix(sparse=True)[:, :].dtype == np.float64


def test_unsupported_options_are_refused(tmp_path: Path, small_map: np.ndarray) -> None:
    out = tmp_path / "m.gzcm"
    gzcm.convert_to_gzcm(small_map, out, tile_size=128)
    with gzcm.open(out) as g:
        with pytest.raises(gzcm.InvalidInputError, match="field 'balanced'"):
            g.matrix(field="balanced")
        with pytest.raises(gzcm.InvalidInputError, match="ignore_index=False"):
            g.matrix(as_pixels=True, ignore_index=False)
        with pytest.raises(gzcm.InvalidInputError, match="chunksize"):
            g.matrix(chunksize=0)
        with pytest.raises(gzcm.InvalidInputError, match="divisive_weights"):
            g.matrix(divisive_weights="yes")
        with pytest.raises(gzcm.InvalidInputError, match="balance must be"):
            g.matrix(balance=1.5)
        with pytest.raises(gzcm.NoGenomeError):
            g.chroms()
        with pytest.raises(gzcm.NoGenomeError):
            g.pixels(join=True)
        with pytest.raises(gzcm.NoGenomeError):
            g.pixels().fetch("chr1")
        with pytest.raises(gzcm.NoGenomeError):
            g.extent("chr1")
        with pytest.raises(gzcm.NoGenomeError):
            g.matrix(as_pixels=True, join=True)
        with pytest.raises(gzcm.OutOfBoundsError):
            g._reader.pixels(0, 301, 0, 10, True)
        assert g.matrix(balance=False, chunksize=5).shape == (300, 300)


def test_tables_without_pandas_name_the_missing_package(monkeypatch, tmp_path: Path, small_map: np.ndarray) -> None:
    out = tmp_path / "m.gzcm"
    gzcm.convert_to_gzcm(small_map, out)
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now raises ImportError
    monkeypatch.setitem(sys.modules, "scipy.sparse", None)
    with gzcm.open(out) as g:
        for call in (g.pixels, lambda: g.matrix(as_pixels=True)):
            with pytest.raises(gzcm.MissingDependencyError, match="install pandas") as caught:
                call()
            assert isinstance(caught.value, ImportError) and caught.value.package == "pandas"
        with pytest.raises(gzcm.MissingDependencyError, match="install scipy"):
            g.matrix(sparse=True)
        np.testing.assert_array_equal(g.matrix()[:5, :5], small_map[:5, :5])


def test_star_import_shadows_no_builtin() -> None:
    namespace: dict = {}
    exec("from gzcm import *", namespace)
    shadowed = sorted(name for name in namespace if name != "__builtins__" and hasattr(builtins, name))
    assert shadowed == [], shadowed
    assert gzcm.open is gzcm._file.open
    assert gzcm.FileNotFoundError is gzcm.GzcmFileNotFoundError
    assert gzcm.PermissionError is gzcm.GzcmPermissionError
    assert issubclass(gzcm.GzcmFileNotFoundError, FileNotFoundError)
    assert issubclass(gzcm.GzcmPermissionError, PermissionError)
    assert all(hasattr(gzcm, name) for name in gzcm.__all__)
