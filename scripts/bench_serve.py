"""The measurements of scripts/bench-serve (see there): prints a Markdown table."""

from __future__ import annotations

import http.client
import multiprocessing
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np

CLIENTS = 8


def gzcm(binary: str, *args: str) -> None:
    subprocess.run([binary, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def tile_ids(info: Dict, n: int, seed: int) -> List[str]:
    """`n` random ids `map.z.x.y` on or above the diagonal (x <= y), as HiGlass asks them."""
    rng = random.Random(seed)
    resolutions = sorted(info["resolutions"], reverse=True)
    ids = []
    for _ in range(n):
        zoom = rng.randrange(len(resolutions))
        side = -(-info["max_pos"][0] // (resolutions[zoom] * 256))
        x, y = sorted((rng.randrange(side), rng.randrange(side)))
        ids.append(f"map.{zoom}.{x}.{y}")
    return ids


def figures(latencies: List[float], wall: float) -> Tuple[float, float, float]:
    ms = np.array(latencies) * 1000
    return len(latencies) / wall, float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def run_gzcm(binary: str, path: Path, ids: List[str], cache: str) -> Tuple[float, float, float]:
    server = subprocess.Popen(
        [binary, "serve", str(path), "--port", "0", "--cache", cache], stdout=subprocess.PIPE, text=True
    )
    try:
        host, port = re.search(r"http://([0-9.]+):(\d+)/", server.stdout.readline()).groups()
        latencies: List[float] = []
        lock = threading.Lock()

        def client(part: List[str]) -> None:
            connection = http.client.HTTPConnection(host, int(port), timeout=60)
            mine = []
            for tile_id in part:
                start = time.perf_counter()
                connection.request("GET", f"/api/v1/tiles/?d={tile_id}")
                response = connection.getresponse()
                body = response.read()
                mine.append(time.perf_counter() - start)
                assert response.status == 200 and tile_id.encode() in body, (response.status, body[:200])
            with lock:
                latencies.extend(mine)

        errors: List[BaseException] = []

        def guarded(part: List[str]) -> None:
            try:
                client(part)
            except BaseException as error:  # noqa: BLE001 - reported after the join
                errors.append(error)

        threads = [threading.Thread(target=guarded, args=(ids[i::CLIENTS],)) for i in range(CLIENTS)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        return figures(latencies, time.perf_counter() - start)
    finally:
        server.terminate()
        server.wait()


def clodius_tile(args: Tuple[str, str]) -> float:
    import clodius.tiles.cooler as cc

    mcool, tile_id = args
    start = time.perf_counter()
    (found,) = cc.tiles(mcool, [tile_id])
    assert found[0] == tile_id
    return time.perf_counter() - start


def run_clodius(mcool: Path, ids: List[str]) -> Tuple[float, float, float]:
    with multiprocessing.get_context("fork").Pool(CLIENTS) as pool:
        pool.map(clodius_tile, [(str(mcool), ids[0])] * CLIENTS)  # each worker opens the file
        start = time.perf_counter()
        latencies = pool.map(clodius_tile, [(str(mcool), t) for t in ids], chunksize=1)
        return figures(latencies, time.perf_counter() - start)


def main() -> None:
    import clodius.tiles.cooler as cc

    data, binary, n = Path(sys.argv[1]), str(Path(sys.argv[2]).resolve()), int(sys.argv[3])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        maps = {}
        yeast = data / "yeast_10kb.mcool"
        # Each served as `map`: its file is map.gzcm in a directory of its own.
        if yeast.exists():
            (out / "yeast").mkdir()
            gzcm(binary, "convert", str(yeast), str(out / "yeast" / "map.gzcm"), "--codec", "zstd")
            maps["yeast_10kb (10–40 kb, 3 zooms)"] = out / "yeast" / "map.gzcm"
        mouse = data / "mouse_mm9_chr1_20kb.cool"
        if mouse.exists():
            gzcm(binary, "convert", str(mouse), str(out / "mouse.base.gzcm"), "--codec", "zstd")
            resolutions = ",".join(str(20000 * 2**k) for k in range(1, 6))
            (out / "mouse").mkdir()
            zoomed = out / "mouse" / "map.gzcm"
            gzcm(binary, "zoomify", str(out / "mouse.base.gzcm"), str(zoomed), "--resolutions", resolutions)
            maps["mouse_mm9_chr1 (20–640 kb, 6 zooms)"] = zoomed
        for name, path in maps.items():
            mcool = path.with_suffix(".mcool")
            gzcm(binary, "export", str(path), str(mcool))
            ids = tile_ids(cc.tileset_info(str(mcool)), n, seed=27)
            ours = run_gzcm(binary, path, ids, "256M")
            cold = run_gzcm(binary, path, ids, "0")
            theirs = run_clodius(mcool, ids)
            rows.append((name, ours, cold, theirs))
    print(f"{n} random tile requests, {CLIENTS} concurrent clients\n")
    print("| map | server | tiles/s | p50 ms | p99 ms | tiles/s vs clodius |")
    print("|---|---|---:|---:|---:|---:|")
    for name, ours, cold, theirs in rows:
        for label, (rate, p50, p99) in (
            ("gzcm serve", ours),
            ("gzcm serve --cache 0", cold),
            ("clodius `tiles.cooler.tiles`", theirs),
        ):
            print(f"| {name} | {label} | {rate:.0f} | {p50:.1f} | {p99:.1f} | {rate / theirs[0]:.1f}× |")


if __name__ == "__main__":
    main()
