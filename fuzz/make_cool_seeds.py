"""Writes the committed cool_file fuzz seeds (fuzz/seeds/cool_file): two tiny coolers with
variable-width bins over two chromosomes, one with int counts and a balancing `weight` column,
one with float counts. Needs the `cooler` package (a throwaway venv: pip install cooler).

    python fuzz/make_cool_seeds.py fuzz/seeds/cool_file
"""

import sys

import cooler
import pandas as pd

out = sys.argv[1]
bins = pd.DataFrame(
    {
        "chrom": ["chrA"] * 4 + ["chrB"] * 2,
        "start": [0, 10, 20, 30, 0, 10],
        "end": [10, 20, 30, 35, 10, 15],
    }
)
pixels = pd.DataFrame({"bin1_id": [0, 0, 1, 2, 4], "bin2_id": [0, 5, 3, 2, 4], "count": [5, 1, 2, 7, 3]})
cooler.create_cooler(f"{out}/tiny-int.cool", bins, pixels, assembly="synth1")
cooler.balance_cooler(cooler.Cooler(f"{out}/tiny-int.cool"), store=True, ignore_diags=0, min_nnz=0, mad_max=0)
floats = pixels.assign(count=pixels["count"] * 0.5)
cooler.create_cooler(f"{out}/tiny-float.cool", bins, floats, dtypes={"count": float}, symmetric_upper=True)
