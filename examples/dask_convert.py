#!/usr/bin/env python3
"""Batch conversion on Dask: a portal's worth of Hi-C files into .gzcm, one task per file.

    python examples/dask_convert.py OUT FILE... [--scheduler ADDRESS | --workers N]
                                    [--resolutions 1000,5000,...] [--overwrite]

Each FILE becomes ``OUT/<name>.gzcm``: ``.mcool``/``.hic``/``.cool`` through
``gzcm.convert_to_gzcm`` (every resolution of a multi-resolution input), pairs files
(``.pairs``, ``.pairs.gz``, ``validPairs``, ``.bg2``) through ``gzcm.load_pairs`` at
``--resolutions`` (default 1 kb to 1 Mb). OUT is a directory, or ``s3://bucket/prefix``: each
task then writes to a temporary file on its worker and uploads it with boto3 (the endpoint
from ``$AWS_ENDPOINT_URL``, credentials from the usual AWS variables).

The tasks run on a ``dask.distributed`` cluster: the one at ``--scheduler``, or a
``LocalCluster`` of ``--workers`` processes (one thread each: gzcm uses the cores itself). A
failed file is reported with its error and does not stop the others; the exit status is 1 when
any failed. From Python, ``convert_all(files, out, client)`` returns one result dict per file.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import gzcm

PAIRS_SUFFIXES = (".pairs", ".pairs.gz", "validpairs", ".bg2", ".bg2.gz")
DEFAULT_RESOLUTIONS = [1000, 2000, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000]


def output_name(src: str) -> str:
    """``<name>.gzcm`` for an input path (its compression and format suffixes dropped)."""
    name = Path(src.split("::")[0]).name
    for suffix in (".gz", ".pairs", ".mcool", ".cool", ".hic", ".bg2"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name + ".gzcm"


def convert_one(src: str, out: str, resolutions: Optional[Sequence[int]] = None, overwrite: bool = False) -> Dict[str, Any]:
    """Converts one file into ``out`` (a directory or ``s3://bucket/prefix``); returns
    ``{"src", "dst", "bytes", "seconds", "error"}`` (``error`` is ``None`` on success)."""
    start = time.perf_counter()
    name = output_name(src)
    remote = out.startswith("s3://")
    dst = f"{out.rstrip('/')}/{name}"
    try:
        with tempfile.TemporaryDirectory(prefix="gzcm-dask-") as scratch:
            local = Path(scratch) / name if remote else Path(out) / name
            if src.lower().endswith(PAIRS_SUFFIXES):
                gzcm.load_pairs(src, local, resolutions=list(resolutions or DEFAULT_RESOLUTIONS), overwrite=overwrite)
            else:
                gzcm.convert_to_gzcm(src, local, overwrite=overwrite)
            size = local.stat().st_size
            if remote:
                upload(local, dst)
        return {"src": src, "dst": dst, "bytes": size, "seconds": time.perf_counter() - start, "error": None}
    except Exception as error:  # noqa: BLE001 - one file's failure is reported, not raised
        return {"src": src, "dst": dst, "bytes": 0, "seconds": time.perf_counter() - start, "error": f"{type(error).__name__}: {error}"}


def upload(local: Path, url: str) -> None:
    """Uploads ``local`` to ``s3://bucket/key`` with boto3."""
    import boto3

    bucket, _, key = url[len("s3://") :].partition("/")
    boto3.client("s3", endpoint_url=os.environ.get("AWS_ENDPOINT_URL")).upload_file(str(local), bucket, key)


def convert_all(files: Sequence[str], out: str, client: Any, resolutions: Optional[Sequence[int]] = None, overwrite: bool = False) -> List[Dict[str, Any]]:
    """Converts every file on ``client``'s cluster, one task each; results in input order."""
    if not out.startswith("s3://"):
        Path(out).mkdir(parents=True, exist_ok=True)
    futures = client.map(convert_one, list(files), out=out, resolutions=resolutions, overwrite=overwrite, pure=False)
    return client.gather(futures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", help="output directory, or s3://bucket/prefix")
    parser.add_argument("files", nargs="+", help=".mcool, .hic, .cool or pairs files")
    parser.add_argument("--scheduler", help="a dask scheduler's address (default: a LocalCluster)")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster processes (default 2)")
    parser.add_argument("--resolutions", help="for pairs inputs, comma-separated bp (default 1 kb to 1 Mb)")
    parser.add_argument("--overwrite", action="store_true", help="replace existing outputs")
    args = parser.parse_args()
    from dask.distributed import Client, LocalCluster

    resolutions = [int(r) for r in args.resolutions.split(",")] if args.resolutions else None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        client = Client(LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True))
    with client:
        results = convert_all(args.files, args.out, client, resolutions, args.overwrite)
    failed = 0
    for result in results:
        if result["error"]:
            failed += 1
            print(f"FAILED {result['src']}: {result['error']}", file=sys.stderr)
        else:
            print(f"{result['src']} -> {result['dst']} ({result['bytes']} bytes, {result['seconds']:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
