"""`gzcm.load_pairs` against cooler: pairs simulated from a shared map (scripts/simulate_pairs.py),
loaded by gzcm and by `cooler cload pairs` + `cooler zoomify` with the same bins, give identical
pixels at every resolution; gzip equals plain; a bad line raises naming its line; the report
counts what filters dropped."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gzcm
from conftest import REPO, require_module, shared_files

RESOLUTIONS = [1000, 2000, 5000, 10000]
PAIRS = 60_000


@pytest.fixture(scope="module")
def simulated(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60,000 pairs sampled from the shared yeast map, unsorted, in both triangles."""
    require_module("cooler", "reads the map the pairs are simulated from")
    (cool,) = shared_files(shared_data, "yeast_10kb.cool")
    out = tmp_path_factory.mktemp("pairs") / "yeast.pairs"
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "simulate_pairs.py"), str(cool), str(out), "--pairs", str(PAIRS), "--seed", "7", "--mapq"],
        check=True,
        capture_output=True,
    )
    return out


def chromsizes(pairs: Path, out: Path) -> Path:
    lines = [line.split()[1:3] for line in pairs.read_text().splitlines() if line.startswith("#chromsize:")]
    out.write_text("".join(f"{name}\t{length}\n" for name, length in lines))
    return out


def test_pixels_equal_cooler_cload_and_zoomify_at_every_resolution(simulated: Path, tmp_path: Path) -> None:
    cooler = require_module("cooler", "the oracle: cooler cload pairs + cooler zoomify")
    report = gzcm.load_pairs(simulated, tmp_path / "y.gzcm", resolutions=RESOLUTIONS)
    assert report["resolutions"] == RESOLUTIONS
    assert (report["lines"], report["contacts"]) == (PAIRS, PAIRS)
    cli = Path(sys.executable).parent / "cooler"
    sizes = chromsizes(simulated, tmp_path / "yeast.sizes")
    base = tmp_path / "y.1000.cool"
    subprocess.run([str(cli), "cload", "pairs", "-c1", "2", "-p1", "3", "-c2", "4", "-p2", "5", f"{sizes}:1000", str(simulated), str(base)], check=True, capture_output=True)
    mcool = tmp_path / "y.mcool"
    subprocess.run([str(cli), "zoomify", "-r", ",".join(map(str, RESOLUTIONS)), str(base), "-o", str(mcool)], check=True, capture_output=True)
    for r in RESOLUTIONS:
        want = cooler.Cooler(f"{mcool}::/resolutions/{r}")
        got = gzcm.open(tmp_path / "y.gzcm", resolution=r)
        a, b = want.pixels()[:], got.pixels()[:]
        assert len(a) == len(b), r
        for column in ("bin1_id", "bin2_id", "count"):
            np.testing.assert_array_equal(a[column].to_numpy(), b[column].to_numpy(), err_msg=f"{r} bp {column}")
        assert list(want.chromnames) == list(got.chromnames)
        np.testing.assert_array_equal(want.bins()[:]["start"].to_numpy(), got.bins()[:]["start"].to_numpy())


def test_gzip_equals_plain_and_filters_are_counted(simulated: Path, tmp_path: Path) -> None:
    packed = tmp_path / "yeast.pairs.gz"
    with open(simulated, "rb") as src, gzip.open(packed, "wb", compresslevel=1) as dst:
        shutil.copyfileobj(src, dst)
    plain = gzcm.load_pairs(simulated, tmp_path / "a.gzcm", resolutions=[5000], min_mapq=30, memory="176M")
    packed_report = gzcm.load_pairs(packed, tmp_path / "b.gzcm", resolutions=[5000], min_mapq=30)
    for key in ("lines", "loaded", "below_min_mapq", "base_pixels"):
        assert plain[key] == packed_report[key], key
    assert 0 < plain["below_min_mapq"] < PAIRS
    assert plain["loaded"] + plain["below_min_mapq"] == PAIRS
    a = gzcm.open(tmp_path / "a.gzcm").pixels()[:]
    b = gzcm.open(tmp_path / "b.gzcm").pixels()[:]
    assert a.equals(b)


def test_a_bad_line_raises_naming_it_or_is_counted(tmp_path: Path) -> None:
    text = "## pairs format v1.0\n#chromsize: chr1 1000\n#columns: readID chr1 pos1 chr2 pos2\nr1\tchr1\t5\tchr1\t9\nr2\tchr9\t5\tchr1\t9\n"
    (tmp_path / "bad.pairs").write_text(text)
    with pytest.raises(gzcm.InvalidInputError, match=r"line 5: chromosome `chr9` is not in the chromosome sizes"):
        gzcm.load_pairs(tmp_path / "bad.pairs", tmp_path / "bad.gzcm", resolutions=[100])
    assert not (tmp_path / "bad.gzcm").exists()
    report = gzcm.load_pairs(tmp_path / "bad.pairs", tmp_path / "ok.gzcm", resolutions=[100], skip_bad_lines=True)
    assert report["skipped"] == {"chromosome not in the chromosome sizes": 1}
    assert report["first_skipped"].startswith("line 5:")
    with pytest.raises(gzcm.GzcmFileNotFoundError):
        gzcm.load_pairs(tmp_path / "missing.pairs", tmp_path / "m.gzcm", resolutions=[100])
    with pytest.raises(gzcm.InvalidInputError, match="resolutions"):
        gzcm.load_pairs(tmp_path / "bad.pairs", tmp_path / "n.gzcm")
    with pytest.raises(gzcm.InvalidInputError, match="byte count"):
        gzcm.load_pairs(tmp_path / "bad.pairs", tmp_path / "n.gzcm", resolutions=[100], memory="lots")


def test_tile_groups_can_be_turned_off_and_the_pixels_stay(simulated: Path, tmp_path: Path) -> None:
    """`tile_groups=False` (`gzcm load --no-tile-groups`) stores every tile under its own record:
    the same pixels, no groups, a larger file."""
    grouped = tmp_path / "grouped.gzcm"
    single = tmp_path / "single.gzcm"
    gzcm.load_pairs(simulated, grouped, resolutions=[1000])
    gzcm.load_pairs(simulated, single, resolutions=[1000], tile_groups=False)
    a, b = gzcm.open(grouped), gzcm.open(single)
    assert a.stats()["tile_groups"] > 0 and b.stats()["tile_groups"] == 0
    assert a.header["arrays"]["tile_index"]["dtype"] == "gzcm-tile-index-z3"
    assert b.header["arrays"]["tile_index"]["dtype"] == "gzcm-tile-index-z2"
    assert a.pixels()[:].equals(b.pixels()[:])
    assert grouped.stat().st_size < single.stat().st_size
