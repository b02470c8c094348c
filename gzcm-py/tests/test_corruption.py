"""Corrupted or truncated files raise gzcm errors; they never crash the interpreter."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import gzcm

from conftest import contact_map


def read_everything(path: Path) -> None:
    with gzcm.open(path) as f:
        f.matrix()[:]
        report = f.verify()
        if not report["ok"]:
            raise gzcm.CorruptTileError(str(report["failures"][0]))


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("c") / "m.gzcm"
    gzcm.convert_to_gzcm(contact_map(200, seed=8), out, version=3, codec="zstd", tile_size=64)
    return out.read_bytes()


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_truncations_raise(tmp_path: Path, version: int) -> None:
    src = tmp_path / "src.gzcm"
    gzcm.convert_to_gzcm(contact_map(100, seed=version), src, version=version, tile_size=32)
    data = src.read_bytes()
    for cut in sorted({0, 1, 7, 8, 16, 64, len(data) // 3, len(data) // 2, len(data) - 100, len(data) - 1}):
        bad = tmp_path / f"cut{cut}.gzcm"
        bad.write_bytes(data[:cut])
        with pytest.raises(gzcm.GzcmError):
            read_everything(bad)


def test_flipped_bytes_raise_or_read_correctly(tmp_path: Path, original: bytes) -> None:
    rng = np.random.default_rng(0)
    expected = contact_map(200, seed=8)
    raised = 0
    for k, pos in enumerate(rng.integers(0, len(original), size=150)):
        data = bytearray(original)
        data[pos] ^= 0xFF
        bad = tmp_path / f"flip{k}.gzcm"
        bad.write_bytes(bytes(data))
        try:
            with gzcm.open(bad) as f:
                got = f.matrix()[:]
                ok = f.verify()["ok"]
        except gzcm.GzcmError:
            raised += 1
            continue
        # A flip that no check notices must not change what is read (e.g. JSON whitespace).
        if ok:
            np.testing.assert_array_equal(got, expected)
    assert raised > 100


def test_corrupt_tile_payload_is_a_corrupt_tile_error(tmp_path: Path, original: bytes) -> None:
    data = bytearray(original)
    data[-200] ^= 0x55  # inside the last tiles' payloads (the index precedes them or follows: either fails)
    bad = tmp_path / "payload.gzcm"
    bad.write_bytes(bytes(data))
    with pytest.raises((gzcm.CorruptTileError, gzcm.FormatError)):
        read_everything(bad)
