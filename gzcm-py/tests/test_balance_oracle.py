"""`gzcm.balance` equals `cooler.balance_cooler`, `gzcm.expected` equals
`cooltools.expected_cis`, on every shared `.cool`, every resolution of the yeast `.mcool` and
the resolutions `gzcm.zoomify` builds (against cooler's balance of `cooler.zoomify_cooler`'s).

- ICE, in every mode (genome-wide, `cis_only`, `trans_only`): the same NaN mask and the
  unmasked weights to rtol 1e-4 (the two differ only in summation order), the same
  `converged`; where cooler masks every bin (trans mode on a one-chromosome map), gzcm refuses
  to store a NaN-only vector and leaves the file byte-identical.
- VC and VC_SQRT, exact: equal to Juicer's own vectors where the shared data has them (the
  `VC`/`VC_SQRT` columns hic2cool copied into `gm12878_rao2014_2500kb.cool`, divisors, per
  chromosome: gzcm's cis mode) to rtol 1e-12, and to the numpy definition everywhere.
- SCALE: equal to Juicer's own `SCALE` vector of `straw_test_v8_2500kb.hic` (Juicer Tools
  1.22.01, per chromosome: cis mode), with the same NaN mask, to rtol 1e-9 (see
  `test_scale_is_juicers`); the same file's `VC`/`VC_SQRT` to rtol 1e-12.
- expected: `expected_cis(clr, smooth=False, ignore_diags=2)` to rtol 1e-6 with the same
  `n_valid`, on the file's `weight` (balanced by cooler first where the `.cool` has none).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

import gzcm

from conftest import balanced_cooler, require_module, shared_files

cooler = require_module("cooler", "it is the balancing oracle")
cooltools = require_module("cooltools", "it is the expected oracle")

COOLS = [
    "gm12878_chr22_250kb.cool",
    "gm12878_rao2014_2500kb.cool",
    "mouse_mm9_chr1_20kb.cool",
    "yeast_10kb.cool",
    "yeast_duan2009_10kb.cool",
    "yeast_duan2009_10kb.unsorted.cool",
]
MODES = {"genome-wide": {}, "cis": {"cis_only": True}, "trans": {"trans_only": True}}


def converted(src: str, dst: Path) -> Path:
    # One codec: the subject is the weights; balancing files of the default (per-region) codecs
    # is covered by the CLI's balance tests, and choosing codecs cost this file 8 s.
    gzcm.convert_to_gzcm(src, dst, overwrite=True, codec="zstd")
    return dst


def stored_weights(path: Path, name: str) -> np.ndarray:
    with gzcm.open(path) as f:
        return np.asarray(f.bins()[:][name], dtype=float)


def cooler_weights(clr, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cooler.balance_cooler(clr, **options)


def assert_same_vector(ours: np.ndarray, theirs: np.ndarray, rtol: float, what: str) -> None:
    mask = np.isnan(theirs)
    assert np.array_equal(np.isnan(ours), mask), f"{what}: NaN masks differ at bins {np.flatnonzero(np.isnan(ours) != mask)[:10]}"
    np.testing.assert_allclose(ours[~mask], theirs[~mask], rtol=rtol, err_msg=what)


def check_ice(src: str, clr, tmp_path: Path, label: str) -> None:
    path = converted(src, tmp_path / f"{label}.gzcm")
    for mode, options in MODES.items():
        theirs, their_stats = cooler_weights(clr, **options)
        what = f"{label} {mode}"
        if np.isnan(theirs).all():
            before = path.read_bytes()
            with pytest.raises(gzcm.InvalidInputError, match="every one of the"):
                gzcm.balance(path, mode=mode, name=f"ice_{mode}")
            assert path.read_bytes() == before, f"{what}: the refused balance changed the file"
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", gzcm.ConvergenceWarning)
            stats = gzcm.balance(path, mode=mode, name=f"ice_{mode}")
        ours = stored_weights(path, f"ice_{mode}")
        assert_same_vector(ours, theirs, 1e-4, what)
        np.testing.assert_allclose(stats["weights"], ours, rtol=0, err_msg=what)
        assert stats["converged"] == bool(np.all(their_stats["converged"])), what
        if mode != "cis":
            np.testing.assert_allclose(stats["scale"], their_stats["scale"], rtol=1e-4, err_msg=what)
    with gzcm.open(path) as f:
        assert f.verify()["ok"], label


@pytest.mark.parametrize("name", COOLS)
def test_ice_equals_cooler_in_every_mode(shared_data: Path, tmp_path: Path, name: str) -> None:
    (cool,) = shared_files(shared_data, name)
    check_ice(str(cool), cooler.Cooler(str(cool)), tmp_path, cool.stem)


def test_ice_equals_cooler_at_every_resolution_of_the_yeast_mcool(shared_data: Path, tmp_path: Path) -> None:
    (mcool,) = shared_files(shared_data, "yeast_10kb.mcool")
    resolutions = sorted(int(p.rsplit("/", 1)[-1]) for p in cooler.fileops.list_coolers(str(mcool)))
    assert len(resolutions) > 1
    for resolution in resolutions:
        uri = f"{mcool}::/resolutions/{resolution}"
        check_ice(uri, cooler.Cooler(uri), tmp_path, f"yeast_mcool_{resolution}")


def test_ice_on_zoomified_resolutions_equals_cooler_on_its_zoomify(shared_data: Path, tmp_path: Path) -> None:
    """The resolutions `gzcm.zoomify` builds balance as cooler balances the same resolutions of
    `cooler.zoomify_cooler` (their pixels are equal: test_zoomify.py), in every mode, through
    `gzcm.balance(path, resolution=R)` and `f.balance(...)` on a file opened at R."""
    (cool,) = shared_files(shared_data, "yeast_10kb.cool")
    base = converted(str(cool), tmp_path / "base.gzcm")
    zoomed = tmp_path / "zoom.gzcm"
    gzcm.zoomify(base, zoomed, resolutions=[20_000, 40_000])
    mcool = tmp_path / "zoom.mcool"
    cooler.zoomify_cooler(str(cool), str(mcool), [10_000, 20_000, 40_000], chunksize=10_000_000)
    for resolution in (20_000, 40_000):
        clr = cooler.Cooler(f"{mcool}::/resolutions/{resolution}")
        for mode, options in MODES.items():
            theirs, _ = cooler_weights(clr, **options)
            what = f"zoomified {resolution} {mode}"
            if np.isnan(theirs).all():
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", gzcm.ConvergenceWarning)
                if mode == "genome-wide":
                    with gzcm.open(zoomed, resolution=resolution) as f:
                        f.balance(mode=mode, name=f"ice_{mode}")
                else:
                    gzcm.balance(zoomed, resolution=resolution, mode=mode, name=f"ice_{mode}")
            with gzcm.open(zoomed, resolution=resolution) as f:
                ours = np.asarray(f.bins()[:][f"ice_{mode}"], dtype=float)
            assert_same_vector(ours, theirs, 1e-4, what)


def test_vc_and_vc_sqrt_are_juicers(shared_data: Path, tmp_path: Path) -> None:
    (cool,) = shared_files(shared_data, "gm12878_rao2014_2500kb.cool")
    clr = cooler.Cooler(str(cool))
    bins = clr.bins()[:]
    path = converted(str(cool), tmp_path / "gm.gzcm")
    for method, column in (("vc", "VC"), ("vc_sqrt", "VC_SQRT")):
        gzcm.balance(path, method=method, mode="cis", name=f"gz_{column}")
        ours = stored_weights(path, f"gz_{column}")
        juicer = bins[column].to_numpy(dtype=float)
        theirs = np.where(juicer > 0, 1.0 / juicer, np.nan)
        assert_same_vector(ours, theirs, 1e-12, f"{method} against Juicer's {column}")


def test_scale_is_juicers(shared_data: Path, tmp_path: Path) -> None:
    """SCALE, VC and VC_SQRT against the vectors Juicer Tools 1.22.01 wrote into straw's v8
    test file (read by gzcm as weights `1 / v`). gzcm runs Juicer's own SCALE iterations (same
    mask, updates and stopping rule, f64), so only summation order differs (measured ~1e-15);
    rtol 1e-9 leaves room for that rounding over up to 300 iterations while staying far below
    Juicer's own tolerance (vector change 5e-4, row sums within 2.5e-3 of 1), which another
    balancing would not meet. Juicer's chromosome Y misses Juicer's stopping rule: gzcm says so
    (a ConvergenceWarning naming Y) and stores the vector, as Juicer did."""
    (hic,) = shared_files(shared_data, "straw_test_v8_2500kb.hic")
    path = converted(str(hic), tmp_path / "straw.gzcm")
    with pytest.warns(gzcm.ConvergenceWarning, match=r"Juicer's stopping rule.*chromosome\(s\) Y\)"):
        stats = gzcm.balance(path, method="scale", mode="cis", name="gz_SCALE")
    assert stats["method"] == "scale" and stats["converged"] is False
    assert stats["unconverged_chroms"] == ["Y"]
    assert_same_vector(stored_weights(path, "gz_SCALE"), stored_weights(path, "SCALE"), 1e-9, "SCALE against Juicer's")
    for method, column in (("vc", "VC"), ("vc_sqrt", "VC_SQRT")):
        gzcm.balance(path, method=method, mode="cis", name=f"gz_{column}")
        # `bins()` shows the columns named KR, VC and VC_SQRT as cooler reads them: divisors.
        assert_same_vector(stored_weights(path, f"gz_{column}"), 1.0 / stored_weights(path, column), 1e-12, column)
    with gzcm.open(path) as f:
        record = [w for w in f.header["genome"]["weights"] if w["name"] == "gz_SCALE"][0]["balance"]
        assert f.verify()["ok"]
    assert record["method"] == "scale" and record["mode"] == "cis" and record["converged"] is False
    assert record["options"]["max_iters"] == 100 and record["iterations"] == 300


def test_scale_in_every_mode_balances_rows(shared_data: Path, tmp_path: Path) -> None:
    """Genome-wide (Juicer's GW_SCALE), cis and trans (INTER_SCALE) SCALE on a real map: the
    unmasked balanced rows sum to the same value (each chromosome's own in cis mode) within
    Juicer's row-sum tolerance, and the balanced map keeps the raw map's sum."""
    (cool,) = shared_files(shared_data, "gm12878_rao2014_2500kb.cool")
    clr = cooler.Cooler(str(cool))
    counts = clr.matrix(balance=False)[:].astype(float)
    chrom = np.repeat(np.arange(len(clr.chromnames)), np.diff(clr._load_dset("indexes/chrom_offset")))
    same = chrom[:, None] == chrom[None, :]
    path = converted(str(cool), tmp_path / "gm.gzcm")
    for mode, keep in (("genome-wide", np.ones_like(same)), ("cis", same), ("trans", ~same)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", gzcm.ConvergenceWarning)
            stats = gzcm.balance(path, method="scale", mode=mode, name=f"scale_{mode}")
        w = stored_weights(path, f"scale_{mode}")
        ok = ~np.isnan(w)
        kept = np.where(keep, counts, 0.0)
        assert np.all(kept.sum(axis=1)[~ok] >= 0) and ok.sum() > 0.9 * len(w), mode
        balanced = kept[np.ix_(ok, ok)] * np.outer(w[ok], w[ok])
        np.testing.assert_allclose(balanced.sum(), kept[np.ix_(ok, ok)].sum(), rtol=1e-9, err_msg=mode)
        rows = balanced.sum(axis=1)
        groups = [chrom[ok] == c for c in range(len(clr.chromnames))] if mode == "cis" else [np.ones(ok.sum(), bool)]
        unconverged = set(stats["unconverged_chroms"])
        for c, group in enumerate(groups):
            if not group.any() or (mode == "cis" and clr.chromnames[c] in unconverged):
                continue
            if mode != "cis" and not stats["converged"]:
                continue
            spread = np.abs(rows[group] / rows[group].mean() - 1).max()
            assert spread < 2 * 5 * stats["tol"], f"{mode} {c}: balanced rows vary by {spread}"


@pytest.mark.parametrize("name", COOLS)
def test_vc_is_exact_in_every_mode(shared_data: Path, tmp_path: Path, name: str) -> None:
    (cool,) = shared_files(shared_data, name)
    clr = cooler.Cooler(str(cool))
    counts = clr.matrix(balance=False)[:].astype(float)
    chrom = np.repeat(np.arange(len(clr.chromnames)), np.diff(clr._load_dset("indexes/chrom_offset")))
    same = chrom[:, None] == chrom[None, :]
    path = converted(str(cool), tmp_path / "m.gzcm")
    for mode, keep in (("genome-wide", np.ones_like(same)), ("cis", same), ("trans", ~same)):
        kept = np.where(keep, counts, 0.0)
        rowsum = kept.sum(axis=1)
        if not rowsum.any():
            continue
        for method, divisor in (("vc", rowsum), ("vc_sqrt", np.sqrt(rowsum))):
            name_ = f"{method}_{mode}"
            gzcm.balance(path, method=method, mode=mode, name=name_)
            expected = np.full(len(rowsum), np.nan)
            groups = [chrom == c for c in range(len(clr.chromnames))] if mode == "cis" else [np.ones(len(chrom), bool)]
            for group in groups:
                good = group & (divisor > 0)
                block = np.triu(kept[np.ix_(good, good)])
                block = block - np.diag(np.diag(block)) / 2
                d = divisor[good]
                factor = np.sqrt((block / np.outer(d, d)).sum() / block.sum())
                expected[good] = 1.0 / (d * factor)
            assert_same_vector(stored_weights(path, name_), expected, 1e-12, f"{name} {name_}")


@pytest.mark.parametrize("name", COOLS)
def test_expected_equals_cooltools(shared_data: Path, tmp_path: Path, name: str) -> None:
    (cool,) = shared_files(shared_data, name)
    clr = balanced_cooler(cool, tmp_path)
    path = converted(clr.uri, tmp_path / "e.gzcm")
    theirs = cooltools.expected_cis(clr, smooth=False, ignore_diags=2)
    with gzcm.open(path) as f:
        ours = f.expected(ignore_diags=2)
    assert list(ours.columns) == list(theirs.columns)
    assert list(ours["region1"]) == list(theirs["region1"])
    for column in ("dist", "dist_bp", "n_total", "n_valid"):
        np.testing.assert_array_equal(ours[column].to_numpy(), theirs[column].to_numpy(), err_msg=column)
    for column in ("count.sum", "balanced.sum", "count.avg", "balanced.avg", "contact_frequency"):
        a, b = ours[column].to_numpy(dtype=float), theirs[column].to_numpy(dtype=float)
        assert np.array_equal(np.isnan(a), np.isnan(b)), column
        np.testing.assert_allclose(a, b, rtol=1e-6, equal_nan=True, err_msg=column)


def test_expected_over_a_view_equals_cooltools(shared_data: Path, tmp_path: Path) -> None:
    (cool,) = shared_files(shared_data, "yeast_10kb.cool")
    clr = cooler.Cooler(str(cool))
    sizes = clr.chromsizes
    rows = []
    for chrom in clr.chromnames[:4]:
        mid = (sizes[chrom] // 2 // 10_000) * 10_000
        rows += [(chrom, 0, mid, f"{chrom}_p"), (chrom, mid, int(sizes[chrom]), f"{chrom}_q")]
    bed = tmp_path / "arms.bed"
    bed.write_text("".join(f"{c}\t{s}\t{e}\t{n}\n" for c, s, e, n in rows))
    import pandas as pd

    view = pd.DataFrame(rows, columns=["chrom", "start", "end", "name"])
    theirs = cooltools.expected_cis(clr, view_df=view, smooth=False, ignore_diags=2)
    path = converted(str(cool), tmp_path / "v.gzcm")
    ours = gzcm.expected(path, view=bed)
    assert list(ours["region1"]) == list(theirs["region1"])
    np.testing.assert_array_equal(ours["n_valid"].to_numpy(), theirs["n_valid"].to_numpy())
    np.testing.assert_allclose(ours["balanced.avg"].to_numpy(dtype=float), theirs["balanced.avg"].to_numpy(dtype=float), rtol=1e-6, equal_nan=True)


def test_bad_input_is_a_clear_error_and_the_file_is_untouched(tmp_path: Path) -> None:
    bins = tmp_path / "b.bins.tsv"
    bins.write_text("".join(f"chr1\t{i * 10}\t{i * 10 + 10}\n" for i in range(6)))
    coo = tmp_path / "m.coo.tsv"
    coo.write_text("0\t3\t5\n1\t4\t2\n")
    path = tmp_path / "m.gzcm"
    gzcm.convert_to_gzcm(str(coo), path, bins=str(bins), overwrite=True)
    before = path.read_bytes()
    # Fewer nonzero pixels per bin than min_nnz allows: every bin masked.
    with pytest.raises(gzcm.InvalidInputError, match="fewer than 10 nonzero"):
        gzcm.balance(path)
    # Nothing left once the diagonals are ignored: an all-zero map.
    with pytest.raises(gzcm.InvalidInputError, match="no contacts"):
        gzcm.balance(path, ignore_diags=4)
    with pytest.raises(gzcm.InvalidInputError, match="unknown method"):
        gzcm.balance(path, method="kr")
    with pytest.raises(gzcm.InvalidInputError, match="invalid option `tol`"):
        gzcm.balance(path, method="scale", tol=-1)
    with pytest.raises(gzcm.InvalidInputError, match="no weight vector `weight`"):
        gzcm.expected(path)
    assert path.read_bytes() == before
    # Two disjoint pixels: the marginals swap back and forth for ever, as in cooler.
    with pytest.warns(gzcm.ConvergenceWarning):
        stats = gzcm.balance(path, min_nnz=1, mad_max=0, ignore_diags=0, name="w")
    assert stats["masked_bins"] == 2 and not stats["converged"]  # bins 2 and 5 have no contacts
    with pytest.raises(gzcm.InvalidInputError, match="already has a weight vector named `w`"):
        gzcm.balance(path, min_nnz=1, mad_max=0, ignore_diags=0, name="w")
    gzcm.balance(path, method="vc", name="w", force=True)
    # A one-chromosome map has no trans contacts.
    with pytest.raises(gzcm.InvalidInputError, match="no contacts"):
        gzcm.balance(path, method="vc", mode="trans")
    assert path.read_bytes() != before and gzcm.open(path).verify()["ok"]


def test_a_nan_only_weight_is_a_clear_error(tmp_path: Path) -> None:
    import pandas as pd

    bins = pd.DataFrame({"chrom": ["chr1"] * 4, "start": [0, 10, 20, 30], "end": [10, 20, 30, 40]})
    bins["weight"] = np.nan
    pixels = pd.DataFrame({"bin1_id": [0, 0, 1], "bin2_id": [1, 3, 3], "count": [4, 2, 7]})
    cool = tmp_path / "nan.cool"
    cooler.create_cooler(str(cool), bins, pixels)
    path = converted(str(cool), tmp_path / "nan.gzcm")
    before = path.read_bytes()
    with pytest.raises(gzcm.InvalidInputError, match="`weight` masks every bin"):
        gzcm.expected(path)
    assert path.read_bytes() == before


def test_non_convergence_is_reported(shared_data: Path, tmp_path: Path) -> None:
    (cool,) = shared_files(shared_data, "yeast_10kb.cool")
    path = converted(str(cool), tmp_path / "y.gzcm")
    with pytest.warns(gzcm.ConvergenceWarning, match="did not converge in 3 iterations"):
        stats = gzcm.balance(path, max_iters=3, name="short")
    assert stats["converged"] is False and stats["iterations"] == 3
    with gzcm.open(path) as f:
        record = [w for w in f.header["genome"]["weights"] if w["name"] == "short"][0]["balance"]
    assert record["converged"] is False and record["iterations"] == 3 and record["method"] == "ice"
