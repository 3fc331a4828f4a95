"""Opening what was downloaded: which loader takes which file.

Landsat bundles and band files go to :mod:`..loaders`; the products of other datasets (archives,
JPEG2000, HDF, DEMs, NAIP...) to :mod:`..product_files`; other GeoTIFFs are Carbon Mapper rasters.
"""

from __future__ import annotations

from pathlib import Path


def files_to_open(paths: list[Path]) -> dict[str, list[Path]]:
    """Sort downloaded files into what the loaders take: bundles, band files, plume rasters."""
    from .. import loaders, product_files

    bundles, bands, plumes, rasters, products = [], [], [], [], []
    for path in paths:
        name = path.name
        if loaders.is_bundle(name):
            bundles.append(path)
        elif loaders.is_band_file(name):
            bands.append(path)
        elif product_files.is_product(name):
            products.append(path)
        elif name.lower().endswith((".tif", ".tiff")):
            (rasters if "rgb" in name.lower() else plumes).append(path)
    return {"bundles": bundles, "band_files": bands, "plumes": plumes, "rasters": rasters, "products": products}
