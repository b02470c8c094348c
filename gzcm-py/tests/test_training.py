"""Training windows (issue 26): what a window holds, where windows come from, coordinates,
augmentation, sharding over ranks and workers, multi-scale stacks.

Oracles: cooler's balanced windows, cooltools' ``expected_cis`` and numpy for every option of
the recipe on the same regions of a shared file; numpy for flips, shifts and placements; pure
Python for the sharding (rank and worker ids simulated, no torch).
"""

from __future__ import annotations

import functools
import multiprocessing as mp
import pickle
from pathlib import Path

import numpy as np
import pytest

import gzcm
from gzcm import _native
from gzcm._origins import shard
from gzcm.dataset import GzcmRandomWindows, _anti_transpose

from conftest import balanced_cooler, require_module, shared_files
from training_workers import W, ranked_items, read_item

cooler = require_module("cooler", "it is the balancing oracle")
cooltools = require_module("cooltools", "it is the expected oracle")


@pytest.fixture(scope="module")
def shared(shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    """yeast_10kb balanced by cooler, its cooltools expected, and the same map as .gzcm."""
    (cool,) = shared_files(shared_data, "yeast_10kb.cool")
    tmp = tmp_path_factory.mktemp("train")
    clr = balanced_cooler(cool, tmp)
    expected = cooltools.expected_cis(clr, smooth=False, ignore_diags=2)
    path = tmp / "y.gzcm"
    gzcm.convert_to_gzcm(clr.uri, path, overwrite=True)
    return clr, expected, path


def oracle(clr, expected, r: int, c: int, *, oe=True, offset=0, transform=None, clip=None, nan_to=None):
    """The window at (r, c) computed by cooler, cooltools and numpy (float64, then float32)."""
    values = clr.matrix(balance=True)[r : r + W, c : c + W]
    rows, cols = np.arange(r, r + W)[:, None], np.arange(c, c + W)[None, :]
    if oe:
        chrom = clr.bins()[r]["chrom"].iloc[0]
        table = expected[expected["region1"] == chrom].set_index("dist")["balanced.avg"].to_numpy(dtype=float)
        avg = table[np.abs(rows - cols)]
        with np.errstate(invalid="ignore", divide="ignore"):
            values = values / np.where(avg == 0, np.nan, avg)
    values = np.where(np.abs(rows - cols) < offset, np.nan, values)
    with np.errstate(invalid="ignore", divide="ignore"):
        if transform == "log":
            values = np.log(values)
        elif transform == "log1p":
            values = np.log1p(values)
    if clip is not None:
        values = np.clip(values, *clip)
    mask = np.isfinite(values)
    if nan_to is not None:
        values = np.where(mask, values, nan_to)
    return values.astype(np.float32), mask


def same(ours: np.ndarray, theirs: np.ndarray, what: str, rtol: float = 1e-6) -> None:
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype, what
    assert np.array_equal(np.isnan(ours), np.isnan(theirs)), f"{what}: NaN cells differ"
    assert np.array_equal(np.isinf(ours), np.isinf(theirs)), f"{what}: inf cells differ"
    finite = np.isfinite(theirs)
    np.testing.assert_allclose(ours[finite], theirs[finite], rtol=rtol, err_msg=what)


def test_balanced_log_oe_windows_equal_cooler_and_cooltools(shared) -> None:
    clr, expected, path = shared
    data = gzcm.GzcmDataset(
        path, window=W, stride=W // 2, cis_only=True, balance=True, oe=True, transform="log",
        diagonal_offset=2, return_mask=True,
    )
    assert len(data) > 20
    for i in range(0, len(data), 7):
        item = data[i]
        r, c = item["origin"]
        values, mask = oracle(clr, expected, r, c, offset=2, transform="log")
        same(item["matrix"], values, f"window {i} at {(r, c)}")
        assert np.array_equal(item["mask"], mask)
        assert not item["mask"][np.abs(np.subtract.outer(np.arange(W) + r, np.arange(W) + c)) < 2].any()


@pytest.mark.parametrize(
    "options, expect",
    [
        ({"transform": "log1p"}, {"transform": "log1p", "oe": False}),
        ({"transform": "log", "clip": (-2.0, 2.0), "oe": True}, {"transform": "log", "clip": (-2.0, 2.0)}),
        ({"oe": True, "nan_to": 0.0, "diagonal_offset": 3}, {"nan_to": 0.0, "offset": 3}),
        ({"oe": True, "transform": np.sqrt, "clip": (0.0, 3.0), "nan_to": -1.0}, {"transform": "sqrt", "clip": (0.0, 3.0), "nan_to": -1.0}),
    ],
)
def test_each_option_equals_numpy(shared, options, expect) -> None:
    clr, expected, path = shared
    data = gzcm.GzcmDataset(path, window=W, stride=W, cis_only=True, balance=True, **options)
    for i in (0, len(data) // 2, len(data) - 1):
        r, c = data.origin(i)
        sqrt = expect.get("transform") == "sqrt"
        kwargs = {k: v for k, v in expect.items() if not (k == "transform" and sqrt)}
        kwargs.setdefault("oe", True)
        if sqrt:  # a callable gets the float32 window after O/E
            theirs, _ = oracle(clr, expected, r, c, oe=True)
            with np.errstate(invalid="ignore"):
                theirs = np.clip(np.sqrt(theirs), 0.0, 3.0)
            theirs = np.where(np.isfinite(theirs), theirs, -1.0).astype(np.float32)
        else:
            theirs, _ = oracle(clr, expected, r, c, **kwargs)
        same(data[i], theirs, f"{options} window {i}")


def test_balance_by_name_percentile_clip_and_float16(shared) -> None:
    clr, expected, path = shared
    plain = gzcm.GzcmDataset(path, window=W, cis_only=True, balance="weight", transform="log1p")
    half = gzcm.GzcmDataset(path, window=W, cis_only=True, balance=True, transform="log1p", dtype="float16")
    pct = gzcm.GzcmDataset(path, window=W, cis_only=True, balance=True, transform="log1p", clip_percentile=(5, 95))
    for i in (1, len(plain) - 2):
        r, c = plain.origin(i)
        theirs, _ = oracle(clr, expected, r, c, oe=False, transform="log1p")
        same(plain[i], theirs, "balance='weight'")
        assert half[i].dtype == np.float16
        np.testing.assert_allclose(half[i].astype(np.float32), theirs, rtol=2e-3, equal_nan=True)
        finite = theirs[np.isfinite(theirs)]
        lo, hi = np.percentile(finite, (5, 95))
        same(pct[i], np.clip(theirs, lo, hi).astype(np.float32), "clip_percentile", rtol=1e-5)


def test_native_pass_rejects_bad_arguments() -> None:
    counts = np.ones((4, 4), dtype=np.uint32)
    w = np.ones(4)
    with pytest.raises(gzcm.InvalidInputError, match="do not match"):
        _native.prepare_window(counts, w, np.ones(3), None, 0, 0, "none", None, None)
    with pytest.raises(gzcm.InvalidInputError, match="transform"):
        _native.prepare_window(counts, None, None, None, 0, 0, "sqrt", None, None)
    with pytest.raises(gzcm.InvalidInputError, match="lo <= hi"):
        _native.prepare_window(counts, None, None, None, 0, 0, "none", (2.0, 1.0), None)
    with pytest.raises(gzcm.InvalidInputError, match="both"):
        _native.prepare_window(counts, w, None, None, 0, 0, "none", None, None)
    values, mask, nonzero = _native.prepare_window(counts, None, None, np.array([np.nan, 2.0]), 0, 1, "none", None, 0.0)
    # distance 0 masked by the offset, 1 divided by 2, >= 2 past the expected: NaN, filled.
    np.testing.assert_array_equal(values[0], [0.0, 0.5, 0.0, 0.0])
    assert nonzero == 6 and mask.sum() == 6


def test_bad_options_are_clear_errors(shared) -> None:
    _, _, path = shared
    bad = [
        ({"oe": True}, "balance"),
        ({"balance": True, "transform": "sqrt"}, "transform"),
        ({"balance": True, "clip": (1, 0)}, "lo <= hi"),
        ({"balance": True, "dtype": "int8"}, "float32 or float16"),
        ({"chroms": ["chrZ"]}, "unknown chromosome 'chrZ'"),
        ({"exclude": ["chrI"], "chroms": ["chrI"]}, "no chromosome is left"),
        ({"max_distance": 3}, "along_diagonal"),
        ({"region": "diagonal", "along_diagonal": True}, "not both"),
        ({"min_valid_fraction": 2}, "min_valid_fraction"),
    ]
    for options, message in bad:
        with pytest.raises(gzcm.InvalidInputError, match=message):
            gzcm.GzcmDataset(path, window=W, **options)
    with pytest.raises(gzcm.InvalidInputError, match="cis windows only"):
        gzcm.GzcmDataset(path, window=W, balance=True, oe=True)[1]


def test_placements_follow_the_chromosomes(shared) -> None:
    clr, _, path = shared
    extents = {name: clr.extent(name) for name in clr.chromnames}
    cis = gzcm.GzcmDataset(path, window=W, stride=8, cis_only=True)
    fits = lambda r, c, lo, hi: lo <= r and r + W <= hi and lo <= c and c + W <= hi  # noqa: E731
    assert all(any(fits(r, c, *e) for e in extents.values()) for r, c in cis.origins)
    expect = sum(len(range(lo, hi - W + 1, 8)) ** 2 for lo, hi in extents.values())
    assert len(cis) == expect
    held = gzcm.GzcmDataset(path, window=W, stride=8, cis_only=True, exclude=["chrIV", "chrXII"])
    out = [extents["chrIV"], extents["chrXII"]]
    assert held.origins and not any(fits(r, c, *e) for r, c in held.origins for e in out)
    only = gzcm.GzcmDataset(path, window=W, stride=8, chroms=["chrII", "chrIII"])
    lo, hi = extents["chrII"][0], extents["chrIII"][1]
    assert all(lo <= r <= hi - W and lo <= c <= hi - W for r, c in only.origins)
    band = gzcm.GzcmDataset(path, window=W, stride=4, cis_only=True, along_diagonal=True, max_distance=12)
    assert {c - r for r, c in band.origins} == {0, 4, 8, 12}
    # The dense window of a sparse region is dropped by min_valid_fraction, by numpy's count.
    sparse = gzcm.GzcmDataset(path, window=W, stride=W, balance=True, min_valid_fraction=0.9)
    every = gzcm.GzcmDataset(path, window=W, stride=W)
    weights = np.asarray(clr.bins()[:]["weight"])
    balanced = clr.matrix(balance=True)[:]
    kept = []
    for r, c in every.origins:
        window = balanced[r : r + W, c : c + W]
        if (np.isfinite(window) & (window != 0)).mean() >= 0.9:
            kept.append((r, c))
    assert sparse.origins == kept and 0 < len(kept) < len(every)
    assert np.isnan(weights).any()


def test_random_origins_respect_the_placement(shared) -> None:
    clr, _, path = shared
    windows = GzcmRandomWindows(path, W, 200, seed=3, cis_only=True, along_diagonal=True, max_distance=20, chroms=["chrIV", "chrVII"])
    spans = [clr.extent("chrIV"), clr.extent("chrVII")]
    for r, c in windows.origins:
        assert 0 <= c - r <= 20
        assert any(lo <= r and c + W <= hi for lo, hi in spans)
    again = GzcmRandomWindows(path, W, 200, seed=3, cis_only=True, along_diagonal=True, max_distance=20, chroms=["chrIV", "chrVII"])
    assert again.origins == windows.origins
    windows.set_epoch(1)
    assert windows.origins != again.origins


def test_coordinates_and_sequence_hook(shared) -> None:
    clr, _, path = shared
    calls = []

    def sequence(chrom: str, start: int, end: int) -> str:
        calls.append((chrom, start, end))
        return f"{chrom}:{start}-{end}"

    data = gzcm.GzcmDataset(path, window=W, stride=W, return_coords=True, sequence_fn=sequence)
    bins = clr.bins()[:]
    for i in (0, 5, len(data) - 1):
        item = data[i]
        r, c = item["origin"]
        np.testing.assert_array_equal(item["matrix"], clr.matrix(balance=False)[r : r + W, c : c + W])
        for axis, lo in (("row", r), ("col", c)):
            chroms = list(dict.fromkeys(bins["chrom"].iloc[lo : lo + W].astype(str)))
            assert item[axis] == ("|".join(chroms), int(bins["start"].iloc[lo]), int(bins["end"].iloc[lo + W - 1]))
        seq_row, seq_col = item["sequence"]
        assert seq_row.startswith(item["row"][0].split("|")[0])
    assert calls
    plain = gzcm.GzcmDataset(path, window=W)
    assert isinstance(plain[0], np.ndarray)


def test_flips_and_shifts(shared) -> None:
    clr, _, path = shared
    options = dict(window=W, stride=W, cis_only=True, balance=True, transform="log1p", return_coords=True)
    plain = gzcm.GzcmDataset(path, **options)
    flipping = gzcm.GzcmDataset(path, flip=True, seed=4, **options)
    flipped = 0
    for i in range(len(plain)):
        a, b = plain[i], flipping[i]
        if b["flipped"]:
            flipped += 1
            np.testing.assert_array_equal(b["matrix"], _anti_transpose(a["matrix"]))
            m = a["matrix"]
            np.testing.assert_array_equal(b["matrix"], np.array([[m[W - 1 - j, W - 1 - i] for j in range(W)] for i in range(W)]))
            assert (b["row"], b["col"]) == (a["col"], a["row"])
        else:
            np.testing.assert_array_equal(b["matrix"], a["matrix"])
    assert 0 < flipped < len(plain)
    assert [flipping[i]["flipped"] for i in range(10)] == [flipping[i]["flipped"] for i in range(10)]
    shifting = gzcm.GzcmDataset(path, shift=5, seed=1, **options)
    moved = 0
    for i in range(len(plain)):
        r, c = plain.origin(i)
        item = shifting[i]
        rr, cc = item["origin"]
        assert rr - r == cc - c and abs(rr - r) <= 5
        moved += rr != r
        theirs = np.log1p(clr.matrix(balance=True)[rr : rr + W, cc : cc + W]).astype(np.float32)
        same(item["matrix"], theirs, f"shifted window {i}")
        lo, hi = clr.extent(clr.bins()[r]["chrom"].iloc[0])
        assert lo <= rr and rr + W <= hi
    assert moved > 0


def test_four_ranks_of_two_workers_read_each_window_once() -> None:
    for n in (0, 1, 7, 64, 101):
        seen = []
        for rank in range(4):
            for worker in range(2):
                seen += shard(n, rank=rank, world_size=4, worker=worker, num_workers=2, seed=9, epoch=1, shuffle=True)
        assert sorted(seen) == list(range(n))
    order = lambda seed, epoch: shard(50, rank=1, world_size=4, worker=1, num_workers=2, seed=seed, epoch=epoch, shuffle=True)  # noqa: E731
    assert order(9, 1) == order(9, 1) and order(9, 1) != order(9, 2) and order(9, 1) != order(8, 1)
    with pytest.raises(gzcm.InvalidInputError):
        shard(5, rank=4, world_size=4)
    with pytest.raises(gzcm.InvalidInputError):
        shard(5, worker=2, num_workers=2)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_sharded_iteration_under_fork_and_spawn(shared, method: str) -> None:
    if method not in mp.get_all_start_methods():
        pytest.skip(f"start method {method} is not available here")
    _, _, path = shared
    jobs = [(str(path), rank, worker) for rank in range(4) for worker in range(2)]
    with mp.get_context(method).Pool(2) as pool:
        shares = pool.starmap(ranked_items, jobs)
    indices = sorted(index for share in shares for index, _, _ in share)
    assert indices == list(range(40))
    reference = GzcmRandomWindows(path, W, 40, seed=2, balance=True, transform="log1p", return_coords=True)
    direct = {item["index"]: item for item in reference}
    for share in shares:
        for index, origin, matrix in share:
            assert origin == direct[index]["origin"]
            np.testing.assert_array_equal(matrix, direct[index]["matrix"])


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_map_style_oe_dataset_in_worker_processes(shared, method: str) -> None:
    if method not in mp.get_all_start_methods():
        pytest.skip(f"start method {method} is not available here")
    _, _, path = shared
    data = gzcm.GzcmDataset(path, window=W, cis_only=True, balance=True, oe=True, transform="log", nan_to=0.0, flip=True)
    blob = pickle.dumps(data)
    assert b"_files" in blob and len(blob) < 200_000  # parameters, origins, expected; no reader
    indices = list(range(0, len(data), 3))
    with mp.get_context(method).Pool(2) as pool:
        remote = pool.map(functools.partial(read_item, data), indices)
    for i, item in zip(indices, remote):
        np.testing.assert_array_equal(item["matrix"], data[i]["matrix"])
        assert item["flipped"] == data[i]["flipped"]


def test_multi_scale_stacks(shared_data: Path, tmp_path: Path) -> None:
    (mcool,) = shared_files(shared_data, "yeast_10kb.mcool")
    path = tmp_path / "m.gzcm"
    gzcm.convert_to_gzcm(mcool, path)
    data = gzcm.GzcmDataset(
        path, window=W, stride=W, resolutions=[10_000, 20_000, 40_000], cis_only=True, balance=True,
        transform="log1p", return_coords=True, return_mask=True,
    )
    for i in (0, len(data) // 2, len(data) - 1):
        item = data[i]
        assert item["matrix"].shape == (3, W, W) and item["mask"].shape == (3, W, W)
        chrom, start, end = item["row"]
        centre = (start + end) // 2
        for k, res in enumerate((10_000, 20_000, 40_000)):
            clr = cooler.Cooler(f"{mcool}::/resolutions/{res}")
            lo, hi = clr.extent(chrom)
            first = lo + centre // res - W // 2
            col_chrom, col_start, col_end = item["col"]
            first_col = lo + ((col_start + col_end) // 2) // res - W // 2
            theirs = np.full((W, W), np.nan)
            a, b = max(first, lo), min(first + W, hi)
            a2, b2 = max(first_col, lo), min(first_col + W, hi)
            theirs[a - first : b - first, a2 - first_col : b2 - first_col] = clr.matrix(balance=True)[a:b, a2:b2]
            with np.errstate(invalid="ignore"):
                theirs = np.log1p(theirs).astype(np.float32)
            same(item["matrix"][k], theirs, f"item {i} at {res}")
    flipping = gzcm.GzcmDataset(
        path, window=W, stride=W, resolutions=[10_000, 20_000, 40_000], cis_only=True, balance=True,
        transform="log1p", flip=True, seed=2,
    )
    flips = [flipping[i] for i in range(len(flipping))]
    assert any(f["flipped"] for f in flips) and not all(f["flipped"] for f in flips)
    for i, f in enumerate(flips):
        plain = data[i]["matrix"]
        expect = np.stack([m[::-1, ::-1].T for m in plain]) if f["flipped"] else plain
        np.testing.assert_array_equal(f["matrix"], expect)


def test_torch_distributed_sampler_and_workers(shared) -> None:
    torch = pytest.importorskip("torch", reason="torch is not installed (scripts/test-python --with-torch)")
    from torch.utils.data import DataLoader, DistributedSampler

    _, _, path = shared
    data = gzcm.GzcmDataset(path, window=W, cis_only=True, balance=True, transform="log1p", nan_to=0.0, return_coords=True)
    seen = []
    for rank in range(4):
        sampler = DistributedSampler(data, num_replicas=4, rank=rank, shuffle=True, seed=3, drop_last=True)
        for batch in DataLoader(data, sampler=sampler, batch_size=4, num_workers=2):
            assert isinstance(batch["matrix"], torch.Tensor) and tuple(batch["matrix"].shape[1:]) == (W, W)
            seen += [int(i) for i in batch["index"]]
    assert len(seen) == len(set(seen)) == len(data) - len(data) % 4
    windows = GzcmRandomWindows(path, W, 30, seed=1, rank=1, world_size=2, balance=True, return_coords=True)
    loaded = [int(i) for batch in DataLoader(windows, batch_size=None, num_workers=2) for i in [batch["index"]]]
    assert sorted(loaded) == windows.indices()


def test_iteration_in_a_worker_reads_its_share(shared, monkeypatch: pytest.MonkeyPatch) -> None:
    """Iterating inside DataLoader worker 1 of 3 (torch's get_worker_info, simulated) yields that
    worker's share of this rank's windows, in order."""
    _, _, path = shared
    windows = GzcmRandomWindows(path, W, 25, seed=4, rank=1, world_size=2, cis_only=True, return_coords=True)
    monkeypatch.setattr("gzcm.dataset.worker_share", lambda: (1, 3))
    got = [item["index"] for item in windows]
    assert got == shard(25, rank=1, world_size=2, worker=1, num_workers=3) == list(range(25))[1::2][1::3]


def test_oe_uses_a_stored_expected_when_there_is_one(shared, tmp_path: Path) -> None:
    """The expected stored in the file (gzcm.expected(store=True)) gives the same windows as the
    one computed when the dataset is made."""
    import shutil

    _, _, path = shared
    copy = tmp_path / "stored.gzcm"
    shutil.copyfile(path, copy)
    computed = gzcm.GzcmDataset(copy, window=W, cis_only=True, balance=True, oe=True, transform="log1p")
    gzcm.expected(copy, store=True)
    with gzcm.open(copy) as f:
        assert [t["ignore_diags"] for t in f.stored_expected] == [2]
    stored = gzcm.GzcmDataset(copy, window=W, cis_only=True, balance=True, oe=True, transform="log1p")
    assert np.array_equal(stored.levels[0].expected, computed.levels[0].expected, equal_nan=True)
    for i in (0, len(stored) - 1):
        same(stored[i], computed[i], f"window {i}")


def test_drop_last_evens_the_ranks(shared) -> None:
    _, _, path = shared
    shares = [GzcmRandomWindows(path, W, 10, rank=r, world_size=4, drop_last=True).indices() for r in range(4)]
    assert [len(s) for s in shares] == [2, 2, 2, 2] and sorted(sum(shares, [])) == list(range(8))
    uneven = [GzcmRandomWindows(path, W, 10, rank=r, world_size=4).indices() for r in range(4)]
    assert [len(s) for s in uneven] == [3, 3, 2, 2]


def test_multi_scale_same_span_resampled(shared_data: Path, tmp_path: Path) -> None:
    """scale_mode="span": each resolution covers the first one's span in bp, every bin taking
    the value of the coarser bin holding its centre (cooler's balanced matrix, indexed by numpy)."""
    (mcool,) = shared_files(shared_data, "yeast_10kb.mcool")
    path = tmp_path / "m.gzcm"
    gzcm.convert_to_gzcm(mcool, path)
    data = gzcm.GzcmDataset(
        path, window=W, stride=W, resolutions=[10_000, 40_000], scale_mode="span", cis_only=True,
        balance=True, oe=True, transform="log1p", return_coords=True,
    )
    coarse = cooler.Cooler(f"{mcool}::/resolutions/40000")
    expected = cooltools.expected_cis(coarse, smooth=False, ignore_diags=2)
    for i in (0, len(data) // 2, len(data) - 1):
        item = data[i]
        chrom, start, _ = item["row"]
        _, col_start, _ = item["col"]
        lo, _ = coarse.extent(chrom)
        centres = np.arange(W) * 10_000 + 5_000
        rows, cols = lo + (start + centres) // 40_000, lo + (col_start + centres) // 40_000
        balanced = coarse.matrix(balance=True).fetch(chrom)
        table = expected[expected["region1"] == chrom].set_index("dist")["balanced.avg"].to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            oe = balanced / np.where(table == 0, np.nan, table)[np.abs(np.subtract.outer(np.arange(len(balanced)), np.arange(len(balanced))))]
            theirs = np.log1p(oe[np.ix_(rows - lo, cols - lo)]).astype(np.float32)
        same(item["matrix"][1], theirs, f"item {i} at 40 kb")
    with pytest.raises(gzcm.InvalidInputError, match="scale_mode"):
        gzcm.GzcmDataset(path, window=W, resolutions=[10_000], scale_mode="zoom")


@pytest.mark.parametrize("shift", [-40, -7, -1, 0, 3, 9, 40])
@pytest.mark.parametrize("length", [0, 1, 5, 60])
def test_native_pass_equals_numpy_at_any_distance(shift: int, length: int) -> None:
    """Every stage of the native pass against numpy on a 9×11 window whose first row is
    ``shift`` bins below its first column, with an expected of ``length`` distances."""
    rng = np.random.default_rng([shift + 100, length])
    counts = rng.poisson(2.0, size=(9, 11)).astype(np.uint32)
    rows_w, cols_w = rng.uniform(0.5, 2, 9), rng.uniform(0.5, 2, 11)
    rows_w[2] = np.nan
    expected = rng.uniform(0.5, 3, length)
    values, mask, nonzero = _native.prepare_window(counts, rows_w, cols_w, expected, shift, 2, "log", (-1.0, 1.5), -9.0)
    distance = np.abs(shift + np.arange(9)[:, None] - np.arange(11)[None, :])
    by_distance = np.concatenate([expected, np.full(distance.max() + 1, np.nan)])[distance]
    theirs = counts * rows_w[:, None] * cols_w[None, :] / by_distance
    theirs[distance < 2] = np.nan
    assert nonzero == int((np.isfinite(theirs) & (theirs != 0)).sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        theirs = np.clip(np.log(theirs), -1.0, 1.5)
    np.testing.assert_array_equal(mask, np.isfinite(theirs))
    np.testing.assert_allclose(values, np.where(np.isfinite(theirs), theirs, -9.0).astype(np.float32), rtol=1e-6)
