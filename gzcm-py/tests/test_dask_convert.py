"""examples/dask_convert.py on a LocalCluster of 2 workers: every output equals the serial
conversion of the same file, a bad file is reported without stopping the others."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import gzcm
from conftest import REPO, require_module, shared_files


def example():
    spec = importlib.util.spec_from_file_location("dask_convert", REPO / "examples" / "dask_convert.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_local_cluster_outputs_equal_serial_conversions(shared_data: Path, tmp_path: Path) -> None:
    require_module("dask.distributed", "the batch-conversion example's engine (pip install dask distributed)")
    from dask.distributed import Client, LocalCluster

    inputs = shared_files(shared_data, "yeast_10kb.mcool", "gm12878_rao2014_2500kb.hic", "yeast_duan2009_10kb.cool")
    pairs = tmp_path / "toy.pairs"
    pairs.write_text("## pairs format v1.0\n#chromsize: chr1 5000\n#chromsize: chr2 3000\n" + "".join(f"r{i}\tchr{1 + i % 2}\t{1 + (i * 97) % 3000}\tchr1\t{1 + (i * 31) % 5000}\t+\t-\n" for i in range(500)))
    files = [str(p) for p in inputs] + [str(pairs), str(tmp_path / "missing.mcool")]
    dask_convert = example()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        results = dask_convert.convert_all(files, str(tmp_path / "out"), client, resolutions=[1000, 2000])
    assert [r["src"] for r in results] == files
    *good, bad = results
    assert bad["error"] and "missing.mcool" in bad["error"]
    for result in good:
        assert result["error"] is None, result
        serial = tmp_path / "serial" / Path(result["dst"]).name
        serial.parent.mkdir(exist_ok=True)
        if result["src"].endswith(".pairs"):
            gzcm.load_pairs(result["src"], serial, resolutions=[1000, 2000])
        else:
            gzcm.convert_to_gzcm(result["src"], serial)
        assert gzcm.resolutions(result["dst"]) == gzcm.resolutions(serial)
        for r in gzcm.resolutions(serial) or [None]:
            with gzcm.open(result["dst"], resolution=r) as a, gzcm.open(serial, resolution=r) as b:
                assert a.pixels()[:].equals(b.pixels()[:]), (result["src"], r)
