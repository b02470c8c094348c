"""`gzcm export FILE.gzcm OUT.cool` against cooler: each shared `.cool` (and an `.mcool`
resolution) is converted with the `gzcm` CLI and exported back to a cooler file, which
`cooler.Cooler` must open with the source's chromosomes, bins (weights included), pixels and
matrices, raw and balanced. Absent or corrupt input is an error (exit status 1, no output).
`gzcm export FILE.gzcm OUT.mcool` writes a multi-resolution cooler file that cooler lists,
opens at `OUT.mcool::/resolutions/R` with the source's pixels and ICE weights, and that the
`cooler ls` / `cooler info` commands read.

The CLI binary is `$GZCM_BIN`, else the workspace's `target/debug/gzcm` (`scripts/test-python`
builds it); the tests skip with a reason when neither exists.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import List

import numpy as np

from conftest import gzcm_bin, require_module, shared_files

cooler = require_module("cooler", "it is the oracle")
h5py = require_module("h5py", "cooler reads through it; it shows the .mcool's root attributes")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(gzcm_bin()), *args], capture_output=True, text=True)


def uris(data: Path) -> List[str]:
    """Every shared `.cool`, and the `.mcool` resolution that carries a `weight` column."""
    (mcool,) = shared_files(data, "gm12878_rao2014_2500kb.mcool")
    return [str(p) for p in sorted(data.glob("*.cool"))] + [f"{mcool}::/resolutions/2500000"]


def export(uri: str, tmp_path: Path, k: int) -> Path:
    gz, out = tmp_path / f"{k}.gzcm", tmp_path / f"{k}.cool"
    done = run("convert", uri, str(gz), "--weights", "all")
    assert done.returncode == 0, f"gzcm convert {uri} failed:\n{done.stderr}"
    done = run("export", str(gz), str(out))
    assert done.returncode == 0, f"gzcm export {uri} failed:\n{done.stderr}"
    return out


def windows(n: int) -> List[tuple]:
    """A corner, a window across the diagonal and an off-diagonal block (kept small: the
    mouse file has ~10,000 bins)."""
    a = min(n, 400)
    mid = n // 2
    return [(0, a, 0, a), (max(0, mid - 150), min(n, mid + 150), max(0, mid - 100), min(n, mid + 200)), (max(0, n - 200), n, 0, min(n, 300))]


def test_exported_coolers_equal_their_sources(shared_data: Path, tmp_path: Path) -> None:
    found = uris(shared_data)
    assert found, "the shared data has no .cool files"
    balanced_checked = 0
    for k, uri in enumerate(found):
        name = Path(uri.split("::")[0]).name
        src = cooler.Cooler(uri)
        out = export(uri, tmp_path, k)
        assert cooler.fileops.is_cooler(str(out)), name
        got = cooler.Cooler(str(out))

        assert got.chromnames == src.chromnames, name
        assert got.chromsizes.to_dict() == src.chromsizes.to_dict(), name
        assert got.binsize == src.binsize, name
        assert got.info["format"] == "HDF5::Cooler" and got.info["format-version"] == 3, name
        assert got.storage_mode == src.storage_mode, name
        assert got.info["nbins"] == src.info["nbins"] and got.info["nnz"] == src.info["nnz"], name

        want_bins, got_bins = src.bins()[:], got.bins()[:]
        assert list(got_bins["chrom"].astype(str)) == list(want_bins["chrom"].astype(str)), name
        for column in ("start", "end"):
            np.testing.assert_array_equal(got_bins[column].to_numpy(), want_bins[column].to_numpy(), err_msg=name)
        weight_columns = [c for c in want_bins.columns if c not in ("chrom", "start", "end")]
        assert sorted(c for c in got_bins.columns if c not in ("chrom", "start", "end")) == sorted(weight_columns), name
        for column in weight_columns:
            assert got_bins[column].dtype == np.float64, f"{name} {column}"
            # KR/VC/VC_SQRT (divisive in cooler) pass through 1/w twice: equal within an ulp or two.
            np.testing.assert_allclose(
                got_bins[column].to_numpy(), want_bins[column].to_numpy(), rtol=1e-15, atol=0, equal_nan=True, err_msg=f"{name} {column}"
            )

        want_px = src.pixels()[:].sort_values(["bin1_id", "bin2_id"], kind="stable").reset_index(drop=True)
        got_px = got.pixels()[:]
        for column in ("bin1_id", "bin2_id", "count"):
            np.testing.assert_array_equal(got_px[column].to_numpy(), want_px[column].to_numpy(), err_msg=f"{name} {column}")

        n = src.info["nbins"]
        for r0, r1, c0, c1 in windows(n):
            np.testing.assert_array_equal(
                got.matrix(balance=False)[r0:r1, c0:c1], src.matrix(balance=False)[r0:r1, c0:c1], err_msg=f"{name} [{r0}:{r1}, {c0}:{c1}]"
            )
        chrom = src.chromnames[len(src.chromnames) // 2]
        np.testing.assert_array_equal(got.matrix(balance=False).fetch(chrom), src.matrix(balance=False).fetch(chrom), err_msg=f"{name} {chrom}")
        if "weight" in weight_columns:
            for r0, r1, c0, c1 in windows(n):
                np.testing.assert_array_equal(
                    got.matrix(balance=True)[r0:r1, c0:c1], src.matrix(balance=True)[r0:r1, c0:c1], err_msg=f"{name} balanced [{r0}:{r1}, {c0}:{c1}]"
                )
            balanced_checked += 1
        for column in [c for c in weight_columns if c in ("KR", "VC", "VC_SQRT")]:
            r0, r1, c0, c1 = windows(n)[0]
            np.testing.assert_allclose(
                got.matrix(balance=column)[r0:r1, c0:c1], src.matrix(balance=column)[r0:r1, c0:c1], rtol=1e-12, equal_nan=True, err_msg=f"{name} {column}"
            )
    assert balanced_checked >= 1, "no exported file carried cooler's `weight` column"


def test_divisive_weights_balance_as_cooler_does(shared_data: Path, tmp_path: Path) -> None:
    """cooler reads KR/VC/VC_SQRT columns as divisive: gzcm's count·w_i·w_j must equal
    `matrix(balance="KR")`, in the converted file and in its export."""
    (cool,) = shared_files(shared_data, "gm12878_rao2014_2500kb.cool")
    src = cooler.Cooler(str(cool))
    gz = tmp_path / "g.gzcm"
    assert run("convert", str(cool), str(gz), "--weights", "all").returncode == 0
    chrom = src.chromnames[1]
    for column in ("KR", "VC", "VC_SQRT"):
        npy = tmp_path / f"{column}.npy"
        done = run("extract", str(gz), "--range", chrom, f"--balance={column}", "-o", str(npy))
        assert done.returncode == 0, done.stderr
        np.testing.assert_allclose(np.load(npy), src.matrix(balance=column).fetch(chrom), rtol=1e-12, equal_nan=True, err_msg=column)


def test_absent_or_corrupt_input_is_an_error(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.cool"
    done = run("export", str(tmp_path / "absent.gzcm"), str(out))
    assert done.returncode == 1 and "absent.gzcm" in done.stderr, done.stderr
    assert not out.exists()

    (cool,) = shared_files(shared_data, "yeast_duan2009_10kb.cool")
    gz = tmp_path / "y.gzcm"
    assert run("convert", str(cool), str(gz)).returncode == 0
    data = gz.read_bytes()
    cut = tmp_path / "cut.gzcm"
    cut.write_bytes(data[: len(data) // 3])
    done = run("export", str(cut), str(out))
    assert done.returncode == 1 and "error" in done.stderr and "panicked" not in done.stderr, done.stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "a temporary file was left behind"


def test_exported_mcool_equals_its_source_at_every_resolution(shared_data: Path, tmp_path: Path) -> None:
    """Every resolution of each shared `.mcool`, converted and exported to a `.mcool`: cooler
    lists exactly that resolution and reads the source's pixels and `weight` column there.
    (The yeast file's base group lacks the `format` attribute, copied from a schema-2 `.cool`,
    so `list_coolers` skips it in the source; the resolutions are read from `/resolutions`.)"""
    checked = 0
    for source in shared_files(shared_data, "yeast_10kb.mcool", "gm12878_rao2014_2500kb.mcool"):
        with h5py.File(source, "r") as f:
            resolutions = sorted(int(r) for r in f["resolutions"])
        assert len(resolutions) == 3, f"{source.name}: {resolutions}"
        for resolution in resolutions:
            uri = f"{source}::/resolutions/{resolution}"
            gz, out = tmp_path / f"{resolution}.gzcm", tmp_path / f"{resolution}.mcool"
            done = run("convert", uri, str(gz), "--weights", "all", "--overwrite")
            assert done.returncode == 0, f"gzcm convert {uri} failed:\n{done.stderr}"
            done = run("export", str(gz), str(out), "--force")
            assert done.returncode == 0, f"gzcm export {uri} failed:\n{done.stderr}"
            assert f"{out}::/resolutions/{resolution}: " in done.stdout, done.stdout

            assert cooler.fileops.list_coolers(str(out)) == [f"/resolutions/{resolution}"], uri
            assert cooler.fileops.is_multires_file(str(out)), uri
            with h5py.File(out, "r") as f:
                assert f.attrs["format"] == "HDF5::MCOOL" and f.attrs["format-version"] == 2, uri
            same_cooler(cooler.Cooler(f"{out}::/resolutions/{resolution}"), cooler.Cooler(uri), uri)
            checked += 1
    assert checked == 6


def same_cooler(got, want, name: str) -> None:
    """The same bins, pixels (bin1_id, bin2_id, count) and `weight` column (float tolerance,
    same NaN mask)."""
    assert got.binsize == want.binsize and got.info["bin-size"] == want.binsize, name
    assert got.info["format"] == "HDF5::Cooler" and got.info["format-version"] == 3, name
    assert got.info["nbins"] == want.info["nbins"] and got.info["nnz"] == want.info["nnz"], name
    assert got.chromnames == want.chromnames, name
    want_px, got_px = want.pixels()[:], got.pixels()[:]
    for column in ("bin1_id", "bin2_id", "count"):
        np.testing.assert_array_equal(got_px[column].to_numpy(), want_px[column].to_numpy(), err_msg=f"{name} {column}")
    want_w, got_w = want.bins()[:]["weight"].to_numpy(), got.bins()[:]["weight"].to_numpy()
    np.testing.assert_array_equal(np.isnan(got_w), np.isnan(want_w), err_msg=f"{name} weight NaN mask")
    np.testing.assert_allclose(got_w, want_w, rtol=1e-12, atol=0, equal_nan=True, err_msg=f"{name} weight")


def test_cooler_commands_read_an_exported_mcool(shared_data: Path, tmp_path: Path) -> None:
    """`cooler ls` lists the exported `.mcool`'s resolution, `cooler info` reads its group."""
    (source,) = shared_files(shared_data, "yeast_10kb.mcool")
    gz, out = tmp_path / "y.gzcm", tmp_path / "y.mcool"
    assert run("convert", f"{source}::/resolutions/20000", str(gz), "--weights", "all").returncode == 0
    assert run("export", str(gz), str(out)).returncode == 0
    done = subprocess.run([sys.executable, "-m", "cooler", "ls", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [f"{out}::/resolutions/20000"], done.stdout
    done = subprocess.run([sys.executable, "-m", "cooler", "info", f"{out}::/resolutions/20000"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert '"bin-size": 20000' in done.stdout and '"format": "HDF5::Cooler"' in done.stdout, done.stdout


def test_mcool_of_variable_bins_is_refused(tmp_path: Path) -> None:
    """A `.mcool` holds fixed bins per resolution: a map with variable bins is an error and
    leaves no output."""
    (tmp_path / "v.bins.tsv").write_text("chrom\tstart\tend\na\t0\t6\na\t6\t15\nb\t0\t10\n")
    (tmp_path / "v.tsv").write_text("0\t0\t5\n0\t2\t2\n")
    gz, out = tmp_path / "v.gzcm", tmp_path / "v.mcool"
    assert run("convert", str(tmp_path / "v.tsv"), "--bins", str(tmp_path / "v.bins.tsv"), str(gz)).returncode == 0
    done = run("export", str(gz), str(out))
    assert done.returncode == 1 and "bins of varying size" in done.stderr, done.stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "a temporary file was left behind"
