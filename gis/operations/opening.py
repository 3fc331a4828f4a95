"""Opening what was downloaded: which loader takes which file."""

from __future__ import annotations

from pathlib import Path


def files_to_open(paths: list[Path]) -> dict[str, list[Path]]:
    """Sort downloaded files into what the loaders take: bundles, band files, plume rasters."""
    from .. import loaders

    bundles, bands, plumes, rasters = [], [], [], []
    for path in paths:
        name = path.name
        if loaders.is_bundle(name):
            bundles.append(path)
        elif loaders.is_band_file(name):
            bands.append(path)
        elif name.lower().endswith((".tif", ".tiff")):
            (rasters if "rgb" in name.lower() else plumes).append(path)
    return {"bundles": bundles, "band_files": bands, "plumes": plumes, "rasters": rasters}
