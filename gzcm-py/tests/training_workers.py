"""What test_training.py's worker processes run: kept apart from the test module so a spawned
worker imports only gzcm and numpy (not cooler and cooltools) to unpickle its job."""

from __future__ import annotations

from typing import Any, List, Tuple

from gzcm.dataset import GzcmRandomWindows

#: The window edge of test_training.py.
W = 32


def ranked_items(path: str, rank: int, worker: int) -> List[Tuple[int, Any, Any]]:
    """What worker ``worker`` of 2 of rank ``rank`` of 4 reads (a process of its own)."""
    windows = GzcmRandomWindows(
        path, W, 40, seed=2, rank=rank, world_size=4, balance=True, transform="log1p", return_coords=True
    )
    return [(item["index"], item["origin"], item["matrix"]) for item in windows.items(worker, 2)]


def read_item(dataset: Any, index: int) -> Any:
    """Item ``index`` of ``dataset`` (pickled into the worker)."""
    return dataset[index]
