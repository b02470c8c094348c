"""``convert_to_gzcm`` under the policy it shares with ``gzcm convert``: the same defaults (the
adaptive choice's goal above all), errors that name Python parameters, the output never being the
input, and ``.gzcm`` inputs re-encoded."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict

import numpy as np
import pytest

import gzcm
from conftest import REPO, contact_map


def cli() -> Path:
    """The CLI binary: ``$GZCM_BIN``, else the workspace's ``target/debug/gzcm``; a skip when absent."""
    found = Path(os.environ.get("GZCM_BIN") or REPO / "target" / "debug" / "gzcm")
    if not found.is_file():
        pytest.skip(f"the gzcm CLI is not built ({found}); run `cargo build -p gzcm-cli` or set GZCM_BIN")
    return found


def header(binary: Path, path: Path) -> Dict[str, Any]:
    out = subprocess.run([str(binary), "info", str(path), "--json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def choice(binary: Path, path: Path) -> Dict[str, Any]:
    """The picker's settings and regions, without its timings."""
    h = header(binary, path)
    record = {k: v for k, v in h["codec_picker"].items() if k != "regions"}
    sizes = [[(c["codec"], c["bytes"]) for c in r["candidates"]] for r in h["codec_picker"]["regions"]]
    return {"record": record, "sizes": sizes, "regions": h["regions"]}


def test_the_adaptive_choice_is_the_clis(tmp_path: Path) -> None:
    binary = cli()
    spec = "synthetic:400:seed=3"

    def both(cli_args: list, **kwargs: Any) -> tuple:
        a, b = tmp_path / "cli.gzcm", tmp_path / "py.gzcm"
        subprocess.run([str(binary), "convert", spec, str(a), "--overwrite", "--tile-size", "64", "--adaptive", *cli_args], check=True, capture_output=True)
        gzcm.convert_to_gzcm(spec, b, overwrite=True, tile_size=64, adaptive_codec=True, **kwargs)
        return choice(binary, a), choice(binary, b)

    # The defaults: the same goal (balanced: its weights, normalisation and decode budget),
    # candidates, regions and sample sizes.
    by_cli, by_python = both([])
    assert by_python["record"] == by_cli["record"]
    assert by_python["record"]["decode_budget"] == 1.5
    assert by_python["record"]["candidates"] == ["rans", "shuffle_zstd", "zstd"]
    assert by_python["sizes"] == by_cli["sizes"]
    # Without a codec or a version both make the adaptive choice unasked.
    a, b = tmp_path / "plain-cli.gzcm", tmp_path / "plain-py.gzcm"
    subprocess.run([str(binary), "convert", spec, str(a), "--tile-size", "64"], check=True, capture_output=True)
    gzcm.convert_to_gzcm(spec, b, tile_size=64)
    assert choice(binary, a)["sizes"] == choice(binary, b)["sizes"] == by_cli["sizes"]
    # A size-only goal does not depend on timings: the same codec for every region.
    by_cli, by_python = both(["--picker-goal", "smallest", "--codec-candidates", "zstd,lz4,rans"], picker_goal="smallest", codec_candidates=["zstd", "lz4", "rans"])
    assert by_python == by_cli


def test_adaptive_defaults_to_version_4(tmp_path: Path) -> None:
    summary = gzcm.convert_to_gzcm(contact_map(80), tmp_path / "a.gzcm", adaptive_codec=True, tile_size=32)
    assert summary["version"] == 4 and summary["picked"]


def test_a_plain_conversion_chooses_codecs_and_a_codec_or_version_writes_one(tmp_path: Path) -> None:
    plain = gzcm.convert_to_gzcm(contact_map(80), tmp_path / "plain.gzcm", tile_size=32)
    assert plain["version"] == 4 and plain["picked"]
    assert set(plain["codecs"]) <= {"rans", "shuffle_zstd", "zstd"}, plain["codecs"]
    for kwargs, codec in [({"codec": "lz4"}, "lz4"), ({"version": 3}, "zstd"), ({"adaptive_codec": False}, "zstd")]:
        one = gzcm.convert_to_gzcm(contact_map(80), tmp_path / "one.gzcm", tile_size=32, overwrite=True, **kwargs)
        assert one["version"] == 3 and set(one["codecs"]) == {codec} and not one.get("picked"), (kwargs, one)
    floats = gzcm.convert_to_gzcm(contact_map(80).astype(np.float32) / 3, tmp_path / "f.gzcm", tile_size=32)
    assert floats["version"] == 4 and set(floats["codecs"]) <= {"shuffle_zstd", "zstd"}, floats["codecs"]


def test_errors_name_python_parameters(tmp_path: Path) -> None:
    out = tmp_path / "x.gzcm"
    with pytest.raises(gzcm.InvalidInputError) as error:
        gzcm.convert_to_gzcm(contact_map(50), out, version=3, adaptive_codec=True)
    message = str(error.value)
    assert "adaptive_codec=True needs version=4" in message and "got version=3" in message, message
    assert "--" not in message
    with pytest.raises(gzcm.InvalidInputError, match="picker_weights applies to the adaptive codec choice, which is made unless codec or version is given"):
        gzcm.convert_to_gzcm(contact_map(50), out, codec="zstd", picker_weights=(0, 1, 0))
    with pytest.raises(gzcm.InvalidInputError, match="codec=\"lz4\" and adaptive_codec=True exclude each other"):
        gzcm.convert_to_gzcm(contact_map(50), out, codec="lz4", adaptive_codec=True)
    with pytest.raises(gzcm.InvalidInputError, match="level=3 would be ignored; drop level or write version=3"):
        gzcm.convert_to_gzcm("synthetic:50", out, version=2, level=3)
    with pytest.raises(gzcm.InvalidInputError, match="dtype=\"int64\" is not a stored cell type"):
        gzcm.convert_to_gzcm("synthetic:50", out, dtype="int64")
    with pytest.raises(gzcm.InvalidInputError, match="tile_size=8 is outside 16..=4096"):
        gzcm.convert_to_gzcm("synthetic:50", out, tile_size=8)
    assert not out.exists()


def test_the_output_is_never_the_input(tmp_path: Path, shared_data: Path) -> None:
    cool = tmp_path / "x.cool"
    shutil.copy(shared_data / "gm12878_chr22_250kb.cool", cool)
    mcool = tmp_path / "x.mcool"
    shutil.copy(shared_data / "gm12878_rao2014_2500kb.mcool", mcool)
    (tmp_path / "alias.cool").symlink_to(cool)
    os.link(cool, tmp_path / "hard.gzcm")
    before = {p: p.read_bytes() for p in (cool, mcool)}
    for src, dst in [
        (cool, cool),
        (f"{cool}::/", cool),
        (cool, tmp_path / "alias.cool"),
        (cool, tmp_path / "hard.gzcm"),
        (f"{mcool}::/resolutions/2500000", mcool),
    ]:
        with pytest.raises(gzcm.InvalidInputError, match="is the input"):
            gzcm.convert_to_gzcm(src, dst, overwrite=True)
    assert {p: p.read_bytes() for p in before} == before


def test_a_gzcm_input_is_re_encoded_with_its_genome(tmp_path: Path, shared_data: Path) -> None:
    first, second = tmp_path / "a.gzcm", tmp_path / "b.gzcm"
    gzcm.convert_to_gzcm(shared_data / "gm12878_rao2014_2500kb.cool", first)
    summary = gzcm.convert_to_gzcm(first, second, codec="lz4", version=4, tile_size=64)
    assert summary["codecs"] and set(summary["codecs"]) == {"lz4"}
    with gzcm.open(first) as a, gzcm.open(second) as b:
        np.testing.assert_array_equal(a.matrix()[:], b.matrix()[:])
        assert a.chromnames == b.chromnames and a.weight_names == b.weight_names
        assert a.weight_names, "the test needs a file with weight vectors"
        for name in ["start", "end", *a.weight_names]:
            np.testing.assert_array_equal(np.asarray(a.bins()[name]), np.asarray(b.bins()[name]))
    with pytest.raises(gzcm.InvalidInputError, match="do not apply to a .gzcm input"):
        gzcm.convert_to_gzcm(first, tmp_path / "c.gzcm", symmetric=False)
