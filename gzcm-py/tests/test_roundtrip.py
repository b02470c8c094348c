"""Arrays, sparse matrices and files round-trip through every codec and version."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import gzcm

from conftest import contact_map, require_module

CODECS = ["bsc", "bsc_cmc", "cmc", "cmc_zstd", "lz4", "rans", "shuffle_zstd", "zstd"]


# Versions 1 and 2 store tiles uncompressed (no codec); 3 and 4 go through every codec.
VERSION_CODECS = [(1, None), (2, None)] + [(v, c) for v in (3, 4) for c in CODECS]


@pytest.mark.parametrize("version,codec", VERSION_CODECS)
def test_dense_array_round_trips_through_every_codec_and_version(tmp_path: Path, codec, version: int) -> None:
    matrix = contact_map(300, seed=version)
    out = tmp_path / "m.gzcm"
    summary = gzcm.convert_to_gzcm(matrix, out, version=version, codec=codec, tile_size=128)
    assert summary["bytes"] == out.stat().st_size
    with gzcm.open(out) as f:
        assert f.version == version
        assert f.shape == matrix.shape
        assert f.dtype == np.uint32
        assert f.symmetric
        np.testing.assert_array_equal(f.matrix()[:, :], matrix)


@pytest.mark.parametrize("version", [1, 2])
def test_a_codec_on_an_uncompressed_version_is_refused(tmp_path: Path, version: int) -> None:
    with pytest.raises(gzcm.InvalidInputError, match="stores tiles uncompressed"):
        gzcm.convert_to_gzcm(contact_map(50), tmp_path / "m.gzcm", version=version, codec="zstd")


@pytest.mark.parametrize("codec", ["zstd", "lz4", "bsc"])
def test_float_matrix_round_trips(tmp_path: Path, codec: str) -> None:
    rng = np.random.default_rng(5)
    matrix = (rng.random((130, 210)) * (rng.random((130, 210)) < 0.3)).astype(np.float32)
    out = tmp_path / "f.gzcm"
    gzcm.convert_to_gzcm(matrix, out, codec=codec, tile_size=64)
    with gzcm.open(out) as f:
        assert f.dtype == np.float32 and not f.symmetric
        np.testing.assert_array_equal(f.matrix()[:], matrix)


@pytest.mark.parametrize("fmt", ["coo", "csr"])
@pytest.mark.parametrize("symmetric", [True, False])
def test_scipy_sparse_round_trips(tmp_path: Path, fmt: str, symmetric: bool) -> None:
    sp = require_module("scipy.sparse", "scipy.sparse matrices are an input type")
    matrix = contact_map(280, seed=9, symmetric=symmetric)
    sparse = sp.coo_matrix(matrix).asformat(fmt)
    out = tmp_path / "s.gzcm"
    summary = gzcm.convert_to_gzcm(sparse, out, tile_size=64)
    assert summary["nnz"] > 0
    with gzcm.open(out) as f:
        assert f.symmetric == symmetric
        np.testing.assert_array_equal(f.matrix()[:], matrix)


def test_sparse_upper_triangle_declared_symmetric(tmp_path: Path) -> None:
    sp = require_module("scipy.sparse", "scipy.sparse matrices are an input type")
    matrix = contact_map(100, seed=2)
    out = tmp_path / "u.gzcm"
    gzcm.convert_to_gzcm(sp.triu(sp.csr_matrix(matrix)), out, symmetric=True, tile_size=32)
    with gzcm.open(out) as f:
        np.testing.assert_array_equal(f.matrix()[:], matrix)


def test_adaptive_v4_records_the_picked_codecs(tmp_path: Path) -> None:
    matrix = contact_map(600, seed=4)
    out = tmp_path / "a.gzcm"
    summary = gzcm.convert_to_gzcm(matrix, out, version=4, adaptive_codec=True, tile_size=64)
    assert summary["picked"]
    assert set(summary["codecs"]) <= set(gzcm.list_codecs())
    with gzcm.open(out) as f:
        assert f.version == 4
        assert {name for name, _ in f.codecs} == set(summary["codecs"])
        assert f.header["codec_picker"] is not None
        np.testing.assert_array_equal(f.matrix()[:], matrix)


def test_adaptive_needs_version_4(tmp_path: Path) -> None:
    with pytest.raises(gzcm.InvalidInputError, match="version=4"):
        gzcm.convert_to_gzcm(contact_map(50), tmp_path / "x.gzcm", version=3, adaptive_codec=True)


def test_npy_path_round_trips(tmp_path: Path) -> None:
    matrix = contact_map(200, seed=6)
    npy = tmp_path / "m.npy"
    np.save(npy, matrix.astype(np.float32))
    out = tmp_path / "m.gzcm"
    gzcm.convert_to_gzcm(str(npy), out, dtype="uint32")
    with gzcm.open(out) as f:
        np.testing.assert_array_equal(f.matrix()[:], matrix)


def test_existing_output_needs_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "m.gzcm"
    gzcm.convert_to_gzcm(contact_map(40), out)
    with pytest.raises(gzcm.OutputExistsError) as caught:
        gzcm.convert_to_gzcm(contact_map(40), out)
    assert isinstance(caught.value, FileExistsError)
    gzcm.convert_to_gzcm(contact_map(40, seed=2), out, overwrite=True)


def test_progress_callback_reports_bands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gzcm.convert_to_gzcm(contact_map(300), tmp_path / "p.gzcm", tile_size=64, progress=True)
    err = capsys.readouterr().err
    assert "5/5" in err or "band" in err


def test_bad_arguments_raise_typed_errors(tmp_path: Path) -> None:
    with pytest.raises(gzcm.UnknownCodecError):
        gzcm.convert_to_gzcm(contact_map(40), tmp_path / "x.gzcm", codec="zstdd")
    with pytest.raises(gzcm.InvalidInputError):
        gzcm.convert_to_gzcm(contact_map(40), tmp_path / "x.gzcm", tile_size=3)
    with pytest.raises(gzcm.InvalidInputError, match="or 'auto'"):
        gzcm.convert_to_gzcm(contact_map(40), tmp_path / "x.gzcm", tile_size="big")
    assert gzcm.convert_to_gzcm(contact_map(40), tmp_path / "a.gzcm", tile_size="auto")["tile_size"] == 256
    with pytest.raises(gzcm.InvalidInputError):
        gzcm.convert_to_gzcm(np.full((4, 4), -1), tmp_path / "x.gzcm")
    with pytest.raises(gzcm.InvalidInputError):
        gzcm.convert_to_gzcm(np.zeros((2, 2, 2)), tmp_path / "x.gzcm")
    with pytest.raises(TypeError):
        gzcm.convert_to_gzcm([[1, 2], [3, 4]], tmp_path / "x.gzcm")
    with pytest.raises(gzcm.FileNotFoundError) as caught:
        gzcm.convert_to_gzcm(tmp_path / "missing.tsv", tmp_path / "x.gzcm")
    assert isinstance(caught.value, FileNotFoundError)
    assert not (tmp_path / "x.gzcm").exists()
