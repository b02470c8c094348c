"""Window origins for scripts/bench-codecs, and cooler's time for each window when cooler is
installed. Prints `matrix<TAB>row<TAB>col[<TAB>cooler ms]` lines.

Origins: numpy.random.default_rng(1).integers(0, N - 256 + 1, size=(25, 2)) per matrix, N its
edge (from the `.json` sidecar); a matrix smaller than a window is read whole from (0, 0). Cooler: one open Cooler, matrix(balance=False)[r:r+256, c:c+256].
"""

import json
import sys
import time
from pathlib import Path

import numpy as np

MATRICES = [
    "gm12878_rao2014_2500kb",
    "yeast_10kb",
    "mouse_mm9_chr1_20kb",
    "yeast_duan2009_10kb",
    "gm12878_chr22_250kb",
]
WINDOW = 256
WINDOWS = 25


def main(data: Path) -> None:
    try:
        import cooler
    except ImportError:
        cooler = None
        print("bench-codecs: no `cooler` in this Python; cooler is not timed", file=sys.stderr)
    for name in MATRICES:
        sidecar = data / f"{name}.json"
        if not sidecar.is_file():
            print(f"bench-codecs: skipping {name}: no {sidecar}", file=sys.stderr)
            continue
        n = int(json.loads(sidecar.read_text())["shape"][0])
        if n < WINDOW:
            # Smaller than one window: the whole matrix, once per draw.
            origins = np.zeros((WINDOWS, 2), dtype=np.int64)
        else:
            origins = np.random.default_rng(1).integers(0, n - WINDOW + 1, size=(WINDOWS, 2))
        cool = data / f"{name}.cool"
        matrix = cooler.Cooler(str(cool)).matrix(balance=False) if cooler and cool.is_file() else None
        for r, c in origins:
            line = f"{name}\t{r}\t{c}"
            if matrix is not None:
                start = time.perf_counter()
                matrix[r : r + WINDOW, c : c + WINDOW]
                line += f"\t{(time.perf_counter() - start) * 1e3:.3f}"
            print(line)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
