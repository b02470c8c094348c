"""GzcmDataset / GzcmRandomWindows: order, pickling, multiprocessing (fork and spawn), torch."""

from __future__ import annotations

import functools
import multiprocessing as mp
import pickle
from pathlib import Path

import numpy as np
import pytest

import gzcm
from gzcm import dataset as ds

from conftest import contact_map

N = 520
_INHERITED = None  # set before forking: the child inherits the dataset object, not a pickle


@pytest.fixture(scope="module")
def map_and_file(tmp_path_factory: pytest.TempPathFactory):
    matrix = contact_map(N, seed=31)
    out = tmp_path_factory.mktemp("d") / "d.gzcm"
    gzcm.convert_to_gzcm(matrix, out, version=4, tile_size=64)
    return matrix, out


def read_item(dataset, index: int) -> np.ndarray:
    return dataset[index]


def read_inherited(index: int) -> np.ndarray:
    return _INHERITED[index]


def test_windows_are_in_a_fixed_order(map_and_file) -> None:
    matrix, path = map_and_file
    data = gzcm.GzcmDataset(path, window=128, stride=96)
    starts = list(range(0, N - 128 + 1, 96))
    assert len(data) == len(starts) ** 2
    assert data.origin(0) == (0, 0) and data.origin(1) == (0, 96)
    for i in (0, 7, len(data) - 1, -1):
        r, c = data.origin(i)
        np.testing.assert_array_equal(data[i], matrix[r : r + 128, c : c + 128])
    with pytest.raises(IndexError):
        data[len(data)]


def test_regions(map_and_file) -> None:
    _, path = map_and_file
    diagonal = gzcm.GzcmDataset(path, window=128, region="diagonal")
    assert [diagonal.origin(i) for i in range(len(diagonal))] == [(0, 0), (128, 128), (256, 256), (384, 384)]
    near = gzcm.GzcmDataset(path, window=128, region="near-diagonal")
    assert all(abs(r - c) <= 128 for r, c in near.origins) and len(near) == 10
    with pytest.raises(gzcm.InvalidInputError):
        gzcm.GzcmDataset(path, region="everywhere")
    with pytest.raises(gzcm.InvalidInputError):
        gzcm.GzcmDataset(path, window=N + 1)


def test_transform_and_pickle(map_and_file) -> None:
    matrix, path = map_and_file
    data = gzcm.GzcmDataset(path, window=64, transform=np.log1p)
    clone = pickle.loads(pickle.dumps(data))
    assert len(pickle.dumps(data)) < 2000  # (path, parameters) only, no reader state
    np.testing.assert_allclose(clone[3], np.log1p(matrix[0:64, 192:256]))


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_multiprocessing_equals_direct_reads(map_and_file, method: str) -> None:
    global _INHERITED
    if method not in mp.get_all_start_methods():
        pytest.skip(f"start method {method} is not available here")
    _, path = map_and_file
    data = gzcm.GzcmDataset(path, window=100, stride=70)
    data[0]  # the parent has an open reader before the children start
    indices = list(range(len(data)))
    direct = [data[i] for i in indices]
    ctx = mp.get_context(method)
    with ctx.Pool(2) as pool:
        pickled = pool.map(functools.partial(read_item, data), indices)
    assert all(np.array_equal(a, b) for a, b in zip(direct, pickled))
    if method == "fork":
        _INHERITED = data
        with ctx.Pool(2) as pool:
            inherited = pool.map(read_inherited, indices)
        assert all(np.array_equal(a, b) for a, b in zip(direct, inherited))


def test_random_windows_are_reproducible(map_and_file) -> None:
    matrix, path = map_and_file
    a = list(gzcm.GzcmRandomWindows(path, 64, 10, seed=5))
    b = list(gzcm.GzcmRandomWindows(path, 64, 10, seed=5))
    c = gzcm.GzcmRandomWindows(path, 64, 10, seed=6)
    assert len(a) == 10 and all(np.array_equal(x, y) for x, y in zip(a, b))
    assert [o for o in c.origins] != gzcm.GzcmRandomWindows(path, 64, 10, seed=5).origins
    r, col = gzcm.GzcmRandomWindows(path, 64, 10, seed=5).origins[0]
    np.testing.assert_array_equal(a[0], matrix[r : r + 64, col : col + 64])


def test_without_torch_the_datasets_duck_type(map_and_file) -> None:
    if ds.TORCH_AVAILABLE:
        pytest.skip("torch is installed; the torch tests cover the real base classes")
    _, path = map_and_file
    with pytest.raises(gzcm.InvalidInputError, match="torch"):
        gzcm.GzcmDataset(path, window=64, as_tensor=True)[0]


@pytest.mark.parametrize("workers", [0, 2])
def test_torch_dataloader(map_and_file, workers: int) -> None:
    torch = pytest.importorskip("torch", reason="torch is not installed (scripts/test-python --with-torch)")
    matrix, path = map_and_file
    data = gzcm.GzcmDataset(path, window=64, stride=64, as_tensor=True)
    assert isinstance(data, torch.utils.data.Dataset)
    loader = torch.utils.data.DataLoader(data, batch_size=4, num_workers=workers, shuffle=False)
    batches = torch.cat(list(loader))
    assert batches.shape == (len(data), 64, 64)
    for i in (0, 5, len(data) - 1):
        r, c = data.origin(i)
        np.testing.assert_array_equal(batches[i].numpy(), matrix[r : r + 64, c : c + 64])
    windows = gzcm.GzcmRandomWindows(path, 32, 12, seed=1)
    loaded = list(torch.utils.data.DataLoader(windows, batch_size=None, num_workers=workers))
    assert len(loaded) == 12
