"""``GzcmFile.plot``: a heatmap on matplotlib. The values, their aggregation to the cells
drawn, the colour limits, ticks and title come from the extension (``gzcm-plot``, the code
behind ``gzcm plot``); this module only draws them."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Optional, Tuple, Union

from . import _native
from ._errors import InvalidInputError, MissingDependencyError

if TYPE_CHECKING:
    from ._file import GzcmFile

PlotRegion = Union[str, Tuple[str, Optional[int], Optional[int]], None]


def _matplotlib() -> Tuple[Any, Any]:
    """``matplotlib.pyplot`` and ``matplotlib.colors``, or :class:`MissingDependencyError`."""
    try:
        import matplotlib.colors as colors
        import matplotlib.pyplot as pyplot
    except ImportError:
        raise MissingDependencyError(
            "plot() draws with matplotlib: install it (`pip install matplotlib`), or use the "
            "command line's `gzcm plot`, which needs nothing",
            package="matplotlib",
        ) from None
    return pyplot, colors


def _region_text(region: PlotRegion) -> Optional[str]:
    """A region as ``gzcm plot --range`` takes it (``chr2:10M-60M``, ``1-5``; a tuple
    ``(chrom, start, end)`` too); ``None`` is the whole genome."""
    if region is None or isinstance(region, str):
        return region
    if isinstance(region, tuple) and len(region) == 3:
        chrom, start, end = region
        if start is None and end is None:
            return str(chrom)
        return f"{chrom}:{0 if start is None else int(start)}-{'' if end is None else int(end)}"
    raise InvalidInputError(f"a region is a string or (chrom, start, end), got {region!r}")


def plot(
    file: "GzcmFile",
    region: PlotRegion = None,
    region2: PlotRegion = None,
    *,
    ax: Any = None,
    balance: Union[bool, str] = False,
    oe: bool = False,
    ignore_diags: int = 2,
    scale: str = "log",
    vmin: Optional[float] = None,
    vmax: Optional[float] = None,
    percentile: Optional[Tuple[float, float]] = None,
    cmap: Optional[str] = None,
    size: int = 800,
    colorbar: bool = True,
) -> Any:
    """See :meth:`GzcmFile.plot`."""
    pyplot, colors = _matplotlib()
    if isinstance(balance, bool):
        weights = "" if (balance or oe) else None
    else:
        weights = str(balance)
    if isinstance(size, bool) or int(size) < 0:
        raise InvalidInputError(f"size is the most cells a side, between 1 and 4096; got {size!r}")
    data = _native.plot_data(
        file._reader,
        os.path.basename(file._path.split("::")[0]) or file._path,
        _region_text(region),
        _region_text(region2),
        weights,
        bool(oe),
        int(ignore_diags),
        str(scale),
        None if vmin is None else float(vmin),
        None if vmax is None else float(vmax),
        None if percentile is None else (float(percentile[0]), float(percentile[1])),
        cmap,
        int(size),
    )
    if ax is None:
        _, ax = pyplot.subplots(figsize=(7, 6))
    ramp = colors.LinearSegmentedColormap.from_list(data["cmap"], data["colours"], 256).with_extremes(bad=data["nan_colour"])
    if data["scale"] == "log":
        norm = colors.LogNorm(vmin=data["vmin"], vmax=data["vmax"], clip=True)
    else:
        norm = colors.Normalize(vmin=data["vmin"], vmax=data["vmax"], clip=True)
    image = ax.imshow(data["values"], cmap=ramp, norm=norm, extent=data["extent"], interpolation="none", aspect="equal")
    for axis, line in (("x", ax.axvline), ("y", ax.axhline)):
        for at in data[f"{axis}boundaries"]:
            line(at, color="0.35", linewidth=0.6)
    ax.set_xticks([at for at, _ in data["xticks"]], [label for _, label in data["xticks"]])
    ax.set_yticks([at for at, _ in data["yticks"]], [label for _, label in data["yticks"]])
    ax.set_xlabel(data["xlabel"])
    ax.set_ylabel(data["ylabel"])
    ax.set_title(data["title"])
    if colorbar:
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    image.gzcm = {k: data[k] for k in ("resolution", "step", "normalisation", "vmin", "vmax", "scale", "cmap")}
    return image
