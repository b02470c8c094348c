"""The measurements of scripts/bench-multires (see there): prints a Markdown table."""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Tuple

import cooler
import h5py


def run(args: List[str]) -> Tuple[float, float]:
    """Runs `args` in a child process; its wall seconds and peak RSS in MiB. Each measurement
    runs in a fresh `python -c` wrapper, so the peak is that child's alone."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *args], check=True, capture_output=True, text=True)
    seconds, kib = out.stdout.split()
    return float(seconds), int(kib) / 1024


def cooler_copy(mcool: Path, dst: Path) -> List[str]:
    """A child command copying every resolution of `mcool` into `dst` with cooler."""
    code = (
        "import sys, cooler\n"
        "src, dst = sys.argv[1], sys.argv[2]\n"
        "import h5py\n"
        "with h5py.File(src, 'r') as h5:\n"
        "    groups = sorted(h5['resolutions'], key=int)\n"
        "for r in groups:\n"
        "    cooler.fileops.cp(f'{src}::/resolutions/{r}', f'{dst}::/resolutions/{r}')\n"
    )
    return [sys.executable, "-c", code, str(mcool), str(dst)]


def main() -> None:
    data, gzcm = Path(sys.argv[1]), str(Path(sys.argv[2]).resolve())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for mcool in sorted(data.glob("*.mcool")):
            copy_s, copy_mib = run(cooler_copy(mcool, out / "copy.mcool"))
            # Every /resolutions/R group (cooler's list_coolers skips one without a `format`
            # attribute, as the shared yeast file's 10 kb group is; its `cp` copies it anyway).
            with h5py.File(mcool, "r") as h5:
                resolutions = sorted(int(name) for name in h5["resolutions"])
            for source in [mcool, mcool.with_suffix(".hic")]:
                if not source.exists():
                    continue
                whole = out / f"{source.name}.gzcm"
                seconds, mib = run([gzcm, "convert", str(source), str(whole), "--codec", "zstd", "--overwrite"])
                singles, single_peak = 0, 0.0
                for r in resolutions:
                    one = out / f"{source.name}.{r}.gzcm"
                    _, peak = run([gzcm, "convert", str(source), str(one), "--resolution", str(r), "--codec", "zstd", "--overwrite"])
                    singles += one.stat().st_size
                    single_peak = max(single_peak, peak)
                rows.append(
                    (
                        source.name,
                        len(resolutions),
                        seconds,
                        mib,
                        single_peak,
                        copy_s,
                        copy_mib,
                        whole.stat().st_size,
                        singles,
                        mcool.stat().st_size,
                    )
                )
    print(
        "| input | resolutions | gzcm convert s | gzcm peak MiB | largest single-resolution peak MiB "
        "| cooler copy s | cooler peak MiB | × cooler time | multi-resolution bytes | sum of single files "
        "| × sum | .mcool bytes | × .mcool |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, n, s, mib, peak1, cs, cmib, whole, singles, mc in rows:
        print(
            f"| {name} | {n} | {s:.2f} | {mib:.0f} | {peak1:.0f} | {cs:.2f} | {cmib:.0f} | {s / cs:.2f}× "
            f"| {whole:,} | {singles:,} | {whole / singles:.3f} | {mc:,} | {whole / mc:.3f} |"
        )


if __name__ == "__main__":
    main()
