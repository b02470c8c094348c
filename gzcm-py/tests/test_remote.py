"""gzcm.open and GzcmDataset on s3:// URLs, against a real S3 server (moto on 127.0.0.1).

Skips, saying why, when moto (``pip install "moto[server]"``) is not installed or does not start;
fails instead under ``GZCM_REQUIRE_TEST_DATA=1``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest

import gzcm

from conftest import contact_map, require_module, unavailable

N = 700
BUCKET = "pytest"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory, monkeypatch_module):
    """A moto server with a bucket holding one .gzcm file; yields (endpoint, url, matrix, local path)."""
    require_module("moto.server", 'the S3 test server (pip install "moto[server]")')
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(endpoint, timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            unavailable(f"moto ({sys.executable} -m moto.server) did not answer on {endpoint} within 30 s")
        urllib.request.urlopen(urllib.request.Request(f"{endpoint}/{BUCKET}", method="PUT"), timeout=10)
        for key, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
        }.items():
            monkeypatch_module.setenv(key, value)
        matrix = contact_map(N, seed=5)
        local = tmp_path_factory.mktemp("s3") / "m.gzcm"
        gzcm.convert_to_gzcm(matrix, local, version=4, tile_size=64)
        import boto3  # a dependency of moto

        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )
        client.put_object(Bucket=BUCKET, Key="maps/m.gzcm", Body=local.read_bytes())
        yield endpoint, f"s3://{BUCKET}/maps/m.gzcm", matrix, local
    finally:
        server.kill()
        server.wait()


@pytest.fixture(scope="module")
def monkeypatch_module():
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


def test_open_reads_windows_like_the_local_file(s3) -> None:
    endpoint, url, matrix, local = s3
    with gzcm.open(url, endpoint=endpoint) as remote, gzcm.open(local) as near:
        assert remote.shape == near.shape == (N, N)
        assert remote.path == url
        np.testing.assert_array_equal(remote.matrix()[100:356, 300:556], matrix[100:356, 300:556])
        np.testing.assert_array_equal(remote.matrix()[:, :], near.matrix()[:, :])


def test_endpoint_from_the_environment_and_missing_objects(s3, monkeypatch) -> None:
    endpoint, url, matrix, _ = s3
    monkeypatch.setenv("GZCM_ENDPOINT", endpoint)
    with gzcm.open(url) as remote:
        np.testing.assert_array_equal(remote.matrix()[0:10, 0:10], matrix[0:10, 0:10])
    with pytest.raises(FileNotFoundError, match="does not exist"):
        gzcm.open(f"s3://{BUCKET}/maps/none.gzcm", endpoint=endpoint)


def test_a_stalled_server_fails_within_the_timeout_and_bad_timeouts_are_refused(monkeypatch) -> None:
    # Test credentials, so the store asks nothing of the environment's credential services.
    for key, value in [("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing")]:
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    # Accepts connections and never answers.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        endpoint = f"http://127.0.0.1:{listener.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(gzcm.GzcmError, match="did not finish within 1s"):
            gzcm.open(f"s3://{BUCKET}/m.gzcm", endpoint=endpoint, timeout=1)
        # Not a timing benchmark: the default (60 s) would be far above this bound.
        assert time.monotonic() - started < 30
        with pytest.raises(gzcm.GzcmError, match="timeout"):
            gzcm.open(f"s3://{BUCKET}/m.gzcm", endpoint=endpoint, timeout=-1)


def test_dataset_over_s3_reopens_in_each_worker(s3) -> None:
    endpoint, url, matrix, _ = s3
    data = gzcm.GzcmDataset(url, window=128, stride=100, endpoint=endpoint)
    expected = [matrix[r : r + 128, c : c + 128] for r, c in data.origins]
    assert all(np.array_equal(data[i], expected[i]) for i in range(len(data)))
    methods = [m for m in ("fork", "spawn") if m in mp.get_all_start_methods()]
    for method in methods:
        with mp.get_context(method).Pool(2) as pool:
            windows = pool.map(data.__getitem__, range(len(data)))
        assert all(np.array_equal(a, b) for a, b in zip(windows, expected)), method


def test_random_windows_over_s3_equal_the_local_ones_after_pickling(s3) -> None:
    endpoint, url, _, local = s3
    remote = gzcm.GzcmRandomWindows(url, 96, 12, seed=3, endpoint=endpoint)
    near = gzcm.GzcmRandomWindows(local, 96, 12, seed=3)
    assert remote.origins == near.origins
    copy = pickle.loads(pickle.dumps(remote))
    assert copy.endpoint == endpoint
    for a, b, c in zip(remote, near, copy):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(c, b)
