"""Codecs written in Python: registered, used by writer and reader, framed by their wire format."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest

import gzcm
from gzcm import _native

from conftest import contact_map

MAGIC = b"PYSD"


def zlib_encode(tile: np.ndarray) -> bytes:
    return zlib.compress(tile.tobytes())


def zlib_decode(data: bytes, shape, dtype: str) -> np.ndarray:
    return np.frombuffer(zlib.decompress(data), dtype=dtype).reshape(shape)


def sd_encode(tile: np.ndarray) -> bytes:
    """Self-describing: magic, rows, cols, then zlib of the cells."""
    rows, cols = tile.shape
    return MAGIC + struct.pack("<II", rows, cols) + zlib.compress(tile.tobytes())


def sd_shape(data: bytes):
    if data[:4] != MAGIC:
        raise ValueError("not a PYSD payload")
    return struct.unpack("<II", data[4:12])


def sd_decode(data: bytes, shape, dtype: str) -> np.ndarray:
    assert tuple(sd_shape(data)) == tuple(shape)
    return np.frombuffer(zlib.decompress(data[12:]), dtype=dtype).reshape(shape)


@pytest.fixture(scope="module", autouse=True)
def registered() -> None:
    gzcm.register_codec("py-zlib", zlib_encode, zlib_decode)
    gzcm.register_codec("py-selfdesc", sd_encode, sd_decode, wire="self", shape_of=sd_shape)


def test_python_codecs_are_listed_like_builtins() -> None:
    assert {"py-zlib", "py-selfdesc"} <= set(gzcm.list_codecs())
    assert gzcm.get_codec("py-zlib").wire == "opaque"
    assert gzcm.get_codec("py-selfdesc").wire == "self"
    assert gzcm.get_codec("py-selfdesc").origin == "python"


@pytest.mark.parametrize("version", [3, 4])
def test_opaque_python_codec_writes_a_file_that_reads_back(tmp_path: Path, version: int) -> None:
    matrix = contact_map(300, seed=11)
    out = tmp_path / "z.gzcm"
    summary = gzcm.convert_to_gzcm(matrix, out, codec="py-zlib", version=version, tile_size=64)
    assert summary["codecs"] == {"py-zlib": summary["tiles"]}
    with gzcm.open(out) as f:
        assert f.codecs == [("py-zlib", "opaque")]
        np.testing.assert_array_equal(f.matrix()[:], matrix)
        assert f.verify()["ok"]


def test_self_describing_python_codec_is_never_double_framed(tmp_path: Path) -> None:
    matrix = contact_map(300, seed=12)
    out = tmp_path / "sd.gzcm"
    summary = gzcm.convert_to_gzcm(matrix, out, codec="py-selfdesc", tile_size=64)
    raw = out.read_bytes()
    starts = [i for i in range(len(raw)) if raw.startswith(MAGIC, i)]
    assert len(starts) == summary["tiles"]
    for start in starts:
        rows, cols = struct.unpack("<II", raw[start + 4 : start + 12])
        # An opaque frame would put the 8-byte shape header (rows, cols as i32) right before
        # the payload; a self-describing codec's payload must be stored as is.
        assert raw[start - 8 : start] != struct.pack("<ii", rows, cols)
    with gzcm.open(out) as f:
        assert f.codecs == [("py-selfdesc", "self")]
        np.testing.assert_array_equal(f.matrix()[:], matrix)


def test_float_tiles_reach_python_codecs(tmp_path: Path) -> None:
    matrix = (contact_map(100, seed=3) / 7).astype(np.float32)
    gzcm.convert_to_gzcm(matrix, tmp_path / "f.gzcm", codec="py-zlib", tile_size=32)
    with gzcm.open(tmp_path / "f.gzcm") as f:
        np.testing.assert_array_equal(f.matrix()[:], matrix)


def test_registration_rules() -> None:
    with pytest.raises(gzcm.CodecNameTakenError):
        gzcm.register_codec("zstd", zlib_encode, zlib_decode)
    with pytest.raises(gzcm.CodecNameTakenError):
        gzcm.register_codec("py-zlib", zlib_encode, zlib_decode)
    with pytest.raises(gzcm.InvalidCodecNameError):
        gzcm.register_codec("Bad Name", zlib_encode, zlib_decode)
    with pytest.raises(gzcm.InvalidInputError, match="shape_of"):
        gzcm.register_codec("py-noshape", zlib_encode, zlib_decode, wire="self")
    with pytest.raises(gzcm.InvalidInputError, match="wire"):
        gzcm.register_codec("py-badwire", zlib_encode, zlib_decode, wire="both")
    assert "py-noshape" not in gzcm.list_codecs()


def test_a_raising_encoder_fails_the_write_cleanly(tmp_path: Path) -> None:
    def broken(tile: np.ndarray) -> bytes:
        raise RuntimeError("encoder exploded")

    gzcm.register_codec("py-broken-enc", broken, zlib_decode)
    out = tmp_path / "b.gzcm"
    with pytest.raises(gzcm.GzcmError, match="encoder exploded"):
        gzcm.convert_to_gzcm(contact_map(100), out, codec="py-broken-enc", tile_size=32)
    assert not out.exists()


def test_bad_decoder_results_raise(tmp_path: Path) -> None:
    def wrong_shape(data: bytes, shape, dtype: str) -> np.ndarray:
        return np.zeros((1, 1), dtype=dtype)

    def returns_text(tile: np.ndarray) -> bytes:
        return "not bytes"  # type: ignore[return-value]

    gzcm.register_codec("py-wrong-shape", zlib_encode, wrong_shape)
    out = tmp_path / "w.gzcm"
    gzcm.convert_to_gzcm(contact_map(64), out, codec="py-wrong-shape", tile_size=32)
    with gzcm.open(out) as f, pytest.raises(gzcm.CorruptTileError, match="bad array"):
        f.matrix()[:]
    gzcm.register_codec("py-text", returns_text, zlib_decode)
    with pytest.raises(gzcm.GzcmError, match="must return bytes"):
        gzcm.convert_to_gzcm(contact_map(64), tmp_path / "t.gzcm", codec="py-text", tile_size=32)


def test_a_rust_panic_surfaces_as_an_exception() -> None:
    with pytest.raises(BaseException, match="deliberate panic") as caught:
        _native._panic_for_test("deliberate panic")
    assert type(caught.value).__name__ == "PanicException"
    assert gzcm.list_codecs()  # the interpreter is alive and usable
