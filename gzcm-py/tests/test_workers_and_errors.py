"""Datasets open their file on the first item, so DataLoader workers can register Python codecs
first (and are told how when they did not); OS errors name their cause, never "[Errno 0]";
``nnz`` is cooler's upper-triangle count in both ``info`` and ``stats()``."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

import gzcm

from conftest import contact_map

CODEC = "py-zlib-workers"


def zlib_encode(tile: np.ndarray) -> bytes:
    return zlib.compress(np.ascontiguousarray(tile).tobytes())


def zlib_decode(data: bytes, shape, dtype: str) -> np.ndarray:
    return np.frombuffer(zlib.decompress(data), dtype=dtype).reshape(shape)


def register_in_worker(_worker_id: int = 0) -> None:
    if CODEC not in gzcm.list_codecs():
        gzcm.register_codec(CODEC, zlib_encode, zlib_decode)


@pytest.fixture(scope="module")
def python_codec_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    register_in_worker()
    out = tmp_path_factory.mktemp("w") / "w.gzcm"
    gzcm.convert_to_gzcm(contact_map(96, seed=5), out, codec=CODEC, tile_size=32)
    return out


# A fresh interpreter that has not registered the codec: unpickling must not open the file;
# the first item raises UnknownCodecError saying how to register it; registering fixes it.
CHILD = """
import pickle, sys, zlib
import numpy as np
import gzcm
data = pickle.loads(sys.stdin.buffer.read())
print("unpickled", len(data))
try:
    data[0]
except gzcm.UnknownCodecError as error:
    print("needs codec:", error.name, "worker_init_fn" in str(error))
gzcm.register_codec(
    "py-zlib-workers",
    lambda t: zlib.compress(np.ascontiguousarray(t).tobytes()),
    lambda d, shape, dtype: np.frombuffer(zlib.decompress(d), dtype=dtype).reshape(shape),
)
print("item", data[0].shape)
"""


@pytest.mark.parametrize("kind", ["map", "random"])
def test_unpickling_does_not_open_the_file(python_codec_file: Path, kind: str) -> None:
    if kind == "map":
        data = gzcm.GzcmDataset(python_codec_file, window=32)
    else:
        data = gzcm.GzcmRandomWindows(python_codec_file, 32, 5, seed=1)
    run = subprocess.run(
        [sys.executable, "-c", CHILD.replace("data[0]", "data[0]" if kind == "map" else "next(iter(data))")],
        input=pickle.dumps(data),
        capture_output=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        check=False,
    )
    out = run.stdout.decode()
    assert run.returncode == 0, run.stderr.decode()
    assert f"unpickled {len(data)}" in out
    assert f"needs codec: {CODEC} True" in out, out
    assert "item (32, 32)" in out


def test_spawn_dataloader_workers_register_codecs_in_worker_init_fn(python_codec_file: Path) -> None:
    torch = pytest.importorskip("torch", reason="torch is not installed (scripts/test-python --with-torch)")
    data = gzcm.GzcmDataset(python_codec_file, window=32)
    loader = torch.utils.data.DataLoader(
        data,
        batch_size=None,
        num_workers=2,
        multiprocessing_context="spawn",
        worker_init_fn=register_in_worker,
    )
    got = list(loader)
    assert len(got) == len(data)
    np.testing.assert_array_equal(got[-1].numpy(), data[len(data) - 1])


def test_os_errors_name_their_cause(tmp_path: Path) -> None:
    out = tmp_path / "e.gzcm"
    gzcm.convert_to_gzcm(np.eye(4, dtype=np.uint32), out)
    with pytest.raises(gzcm.OutputExistsError) as exists:
        gzcm.convert_to_gzcm(np.eye(4, dtype=np.uint32), out)
    assert "[Errno 0]" not in str(exists.value) and "already exists" in str(exists.value)
    with pytest.raises(gzcm.GzcmError) as directory:
        gzcm.open(tmp_path)
    assert "[Errno 0]" not in str(directory.value), str(directory.value)
    assert "directory" in str(directory.value).lower(), str(directory.value)


def test_nnz_is_the_upper_triangle_in_info_and_stats(tmp_path: Path) -> None:
    m = np.array([[1, 2, 0], [2, 0, 3], [0, 3, 4]], dtype=np.uint32)  # 4 upper, 6 with both halves
    out = tmp_path / "n.gzcm"
    gzcm.convert_to_gzcm(m, out, symmetric=True)
    with gzcm.open(out) as f:
        assert f.info["nnz"] == 4
        stats = f.stats()
        assert stats["nnz"] == 4
        assert stats["stored_cells"] == 6
