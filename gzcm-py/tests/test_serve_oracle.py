"""`gzcm serve` answers HiGlass as clodius does for the `.mcool` exported from the same file.

A shared `.mcool` is converted to `.gzcm` (every resolution), exported back with `gzcm export`,
and served by `gzcm serve` on 127.0.0.1 (a free port). clodius (`clodius.tiles.cooler`, the
tile function of the HiGlass server) reads the exported `.mcool`: its `tileset_info` must equal
the server's, and its tiles the server's — same dtype (float16/float32), same NaN pixels,
same `min_value`/`max_value`, values equal to float16 precision — at every zoom level, with
the default transform, a named weight vector and raw counts (`none`), on and below the
diagonal, one tile per request and HiGlass's batched requests (several `d=`).
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import numpy as np
import pytest

from conftest import gzcm_bin, require_module, shared_files

clodius_cooler = require_module("clodius.tiles.cooler", "it is the HiGlass tile oracle of `gzcm serve`")


def run(*args: str) -> None:
    done = subprocess.run([str(gzcm_bin()), *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


class Served:
    """`gzcm serve FILE --port 0`, stopped at teardown."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [str(gzcm_bin()), "serve", str(path), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if found is None:
            self.stop()
            pytest.fail(f"gzcm serve did not print its address: {line!r} {self.process.stderr.read()}")
        self.url = found.group(0)

    def get(self, path: str):
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return json.load(response)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def served(data: Path, name: str, tmp: Path, suffix: str = "") -> Iterator[Tuple[Served, Path]]:
    """The shared `.mcool` `name` (`+ suffix`: one resolution) converted, exported back as an
    `.mcool`, and served: (server, exported)."""
    (source,) = shared_files(data, name)
    gz = tmp / "map.gzcm"
    exported = tmp / "map.mcool"
    run("convert", f"{source}{suffix}", str(gz))
    run("export", str(gz), str(exported))
    server = Served(gz)
    try:
        yield server, exported
    finally:
        server.stop()


@pytest.fixture(scope="module")
def yeast(shared_data, tmp_path_factory) -> Iterator[Tuple[Served, Path]]:
    yield from served(shared_data, "yeast_10kb.mcool", tmp_path_factory.mktemp("yeast"))


@pytest.fixture(scope="module")
def gm(shared_data, tmp_path_factory) -> Iterator[Tuple[Served, Path]]:
    # One resolution: Juicer's vectors (KR, VC, VC_SQRT) are at 2.5 Mb only, and a transform
    # is offered when every resolution has it. A single-resolution file is one zoom level.
    tmp = tmp_path_factory.mktemp("gm")
    yield from served(shared_data, "gm12878_rao2014_2500kb.mcool", tmp, "::/resolutions/2500000")


def values(tile: Dict) -> np.ndarray:
    dtype = {"float16": np.float16, "float32": np.float32}[tile["dtype"]]
    return np.frombuffer(base64.b64decode(tile["dense"]), dtype=dtype).astype(np.float32)


def assert_same_tile(tile_id: str, ours: Dict, theirs: Dict) -> None:
    assert ours["dtype"] == theirs["dtype"], tile_id
    a, b = values(ours), values(theirs)
    assert a.shape == b.shape == (256 * 256,), tile_id
    assert np.array_equal(np.isnan(a), np.isnan(b)), f"{tile_id}: NaN pixels differ"
    np.testing.assert_allclose(a, b, rtol=2.0**-11, atol=0, equal_nan=True, err_msg=tile_id)
    for key in ("min_value", "max_value"):
        if isinstance(theirs[key], str):
            assert ours[key] == theirs[key], (tile_id, key)
        else:
            assert ours[key] == pytest.approx(theirs[key], rel=1e-6), (tile_id, key)


def tiles_per_side(info: Dict, zoom: int) -> int:
    resolution = sorted(info["resolutions"], reverse=True)[zoom]
    return -(-info["max_pos"][0] // (resolution * 256))


def compare(server: Served, mcool: Path, tile_ids: List[str]) -> None:
    theirs = dict(clodius_cooler.tiles(str(mcool), tile_ids))
    assert sorted(theirs) == sorted(tile_ids)
    query = "&".join(f"d={t}" for t in tile_ids)
    batched = server.get(f"api/v1/tiles/?{query}")
    assert sorted(batched) == sorted(tile_ids)
    for tile_id in tile_ids:
        assert_same_tile(tile_id, batched[tile_id], theirs[tile_id])
    one = tile_ids[len(tile_ids) // 2]
    assert server.get(f"api/v1/tiles/?d={one}") == {one: batched[one]}


def check_info(server: Served, mcool: Path) -> Dict:
    theirs = clodius_cooler.tileset_info(str(mcool))
    ours = server.get("api/v1/tileset_info/?d=map")["map"]
    for key in ("min_pos", "max_pos", "chromsizes"):
        assert ours[key] == [list(x) if isinstance(x, tuple) else x for x in theirs[key]], key
    assert ours["resolutions"] == list(theirs["resolutions"])
    as_set = lambda transforms: sorted((t["name"], t["value"]) for t in transforms)  # noqa: E731
    assert as_set(ours["transforms"]) == as_set(theirs["transforms"])
    assert ours.get("mirror_tiles") == theirs.get("mirror_tiles")
    extra = set(ours) - set(theirs)
    assert extra == {"name", "datatype", "coordSystem", "coordSystem2"}, extra
    assert ours["datatype"] == "matrix"
    return ours


def test_yeast_tileset_info_and_tiles_at_every_zoom_equal_clodius(yeast):
    server, mcool = yeast
    info = check_info(server, mcool)
    assert len(info["resolutions"]) >= 2, "several zoom levels"
    ids = []
    for zoom in range(len(info["resolutions"])):
        side = tiles_per_side(info, zoom)
        upper = [(x, y) for x in range(side) for y in range(x, side)]
        ids += [f"map.{zoom}.{x}.{y}" for x, y in upper]
        ids += [f"map.{zoom}.{x}.{y}.weight" for x, y in upper[::2]]
        ids += [f"map.{zoom}.{x}.{y}.none" for x, y in upper[1::3]]
        ids.append(f"map.{zoom}.{side - 1}.0")  # below the diagonal
    compare(server, mcool, ids)


def test_gm12878_juicer_vectors_as_transforms_equal_clodius(gm):
    server, mcool = gm
    info = check_info(server, mcool)
    names = {t["value"] for t in info["transforms"]}
    assert {"weight", "KR", "VC", "VC_SQRT"} <= names, names
    assert info["resolutions"] == [2500000]
    side = tiles_per_side(info, 0)
    upper = [(x, y) for x in range(side) for y in range(x, side)]
    ids = [f"map.0.{x}.{y}.KR" for x, y in upper]
    ids += [f"map.0.{x}.{y}{t}" for x, y in upper[::4] for t in ("", ".VC", ".VC_SQRT")]
    compare(server, mcool, ids)


def test_bad_tile_ids_are_refused_with_4xx(yeast):
    server, _ = yeast
    for query in ("d=map.-1.0.0", "d=map.0.9999.0", "d=map.x.0.0", "d=nope.0.0.0", "d=map.0.0.0.nosuch"):
        with pytest.raises(urllib.error.HTTPError) as error:
            server.get(f"api/v1/tiles/?{query}")
        assert 400 <= error.value.code < 500, query
        assert "error" in json.load(error.value), query
