"""GzcmFile: properties, cooler-style slicing, tiles, verify, genome errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import gzcm

from conftest import contact_map


@pytest.fixture
def written(tmp_path: Path, small_map: np.ndarray) -> Path:
    out = tmp_path / "m.gzcm"
    gzcm.convert_to_gzcm(small_map, out, version=4, tile_size=128)
    return out


def test_properties_and_info(written: Path, small_map: np.ndarray) -> None:
    with gzcm.open(written) as f:
        assert f.shape == (300, 300)
        assert f.dtype == np.dtype("uint32")
        assert f.version == 4
        assert f.tile_shape == (128, 128)
        assert f.tile_grid == (3, 3)
        assert f.symmetric
        assert f.codecs == [("zstd", "opaque")]
        stats = f.stats()
        assert stats["tiles_stored"] == 6 and stats["file_bytes"] == written.stat().st_size
        assert stats["codecs"][0]["name"] == "zstd"
        upper = int(np.count_nonzero(np.triu(small_map)))
        assert f.info == {
            "format": "gzcm",
            "format-version": 4,
            "storage-mode": "symmetric-upper",
            "nbins": 300,
            "nnz": upper,
        } | ({"generated-by": f.header["metadata"]["writer"]} if f.header["metadata"].get("writer") else {})
        assert f.verify() == {"ok": True, "tiles_checked": 6, "failures": []}
        assert "GzcmFile" in repr(f)


@pytest.mark.parametrize(
    "key",
    [
        (slice(None), slice(None)),
        (slice(10, 200), slice(50, 299)),
        (slice(-50, None), slice(None, -100)),
        (slice(250, 1000), slice(-1000, 20)),
        (slice(100, 50), slice(0, 10)),
        (7, slice(0, 300)),
        (-1, -1),
        slice(5, 9),
    ],
)
def test_slicing_follows_numpy(written: Path, small_map: np.ndarray, key) -> None:
    with gzcm.open(written) as f:
        got = f.matrix()[key]
    full_key = key if isinstance(key, tuple) else (key, slice(None))
    expected = small_map[tuple(slice(k, k + 1 if k != -1 else None) if isinstance(k, int) else k for k in full_key)]
    np.testing.assert_array_equal(got, expected)


def test_step_and_bad_indices_raise(written: Path) -> None:
    with gzcm.open(written) as f:
        with pytest.raises(gzcm.InvalidInputError, match="step"):
            f.matrix()[::2, :]
        with pytest.raises(IndexError):
            f.matrix()[300, :]
        with pytest.raises(IndexError):
            f.matrix()[1, 2, 3]
        with pytest.raises(TypeError):
            f.matrix()["a", :]


def test_tiles_and_out_of_grid(written: Path, small_map: np.ndarray) -> None:
    with gzcm.open(written) as f:
        np.testing.assert_array_equal(f.tile(0, 1), small_map[0:128, 128:256])
        np.testing.assert_array_equal(f.tile(2, 0), small_map[256:300, 0:128])
        with pytest.raises(gzcm.OutOfBoundsError):
            f.tile(3, 0)


def test_genomic_coordinates_raise_a_clear_error(written: Path) -> None:
    with gzcm.open(written) as f:
        for call in (lambda: f.chromnames, lambda: f.chromsizes, f.bins, lambda: f.fetch("chr1:1,000,000-2,000,000", "chr2"),
                     lambda: f.matrix(balance=True)):
            with pytest.raises(gzcm.NoGenomeError, match="no genomic coordinates"):
                call()


def test_closed_file_refuses_reads(written: Path) -> None:
    f = gzcm.open(written)
    f.close()
    with pytest.raises(ValueError, match="closed"):
        f.matrix()[0:1, 0:1]


def test_missing_and_non_gzcm_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        gzcm.open(tmp_path / "nope.gzcm")
    assert isinstance(caught.value, gzcm.GzcmError)
    assert caught.value.errno == 2
    junk = tmp_path / "junk.gzcm"
    junk.write_bytes(b"this is not a gzcm file at all" * 10)
    with pytest.raises(gzcm.FormatError):
        gzcm.open(junk)


def test_cache_is_used(written: Path) -> None:
    with gzcm.open(written) as f:
        f.matrix()[0:10, 0:10]
        f.matrix()[0:10, 0:10]
        stats = f.cache_stats()
        assert stats["hits"] >= 1 and stats["misses"] >= 1
    with gzcm.open(written, cache_bytes=0) as f:
        f.matrix()[0:10, 0:10]
        assert f.cache_stats()["bytes"] == 0


def test_float_dtype_is_kept(tmp_path: Path) -> None:
    m = contact_map(50).astype(np.float32) / 3
    gzcm.convert_to_gzcm(m, tmp_path / "f.gzcm")
    with gzcm.open(tmp_path / "f.gzcm") as f:
        assert f.dtype == np.float32
        np.testing.assert_array_equal(f.matrix()[:], m)
