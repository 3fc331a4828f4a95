"""Small synthetic Landsat Collection 2 bundles for the loader tests (real GeoTIFFs in a real tar), and
running the loader's task on them."""

from __future__ import annotations

import tarfile
from pathlib import Path

import numpy as np
from osgeo import gdal, osr
from qgis.core import QgsApplication

from scene_finder.gis import loaders

PRODUCT = "LC09_L2SP_013035_20230326_20230328_02_T1"
BANDS = ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "ST_B10", "QA_PIXEL")


def write_band(path: Path, seed: int, size: int = 64, nodata: float | None = 0) -> Path:
    driver = gdal.GetDriverByName("GTiff")
    data = driver.Create(str(path), size, size, 1, gdal.GDT_UInt16)
    data.SetGeoTransform((300000.0, 30.0, 0.0, 4000000.0, 0.0, -30.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32618)
    data.SetProjection(srs.ExportToWkt())
    rng = np.random.default_rng(seed)
    values = rng.integers(7000, 20000, size=(size, size), dtype=np.uint16)
    values[:4, :] = 0
    band = data.GetRasterBand(1)
    band.WriteArray(values)
    if nodata is not None:
        band.SetNoDataValue(nodata)
    data.FlushCache()
    return path


def make_bundle(folder: Path, product: str = PRODUCT, suffix: str = ".tar") -> Path:
    source = folder / f"{product}_files"
    source.mkdir(parents=True, exist_ok=True)
    files = [write_band(source / f"{product}_{band}.TIF", index) for index, band in enumerate(BANDS)]
    (source / f"{product}_MTL.txt").write_text("GROUP = LANDSAT_METADATA_FILE\nEND_GROUP\n")
    bundle = folder / f"{product}{suffix}"
    mode = "w:gz" if suffix in (".tgz", ".tar.gz") else "w"
    with tarfile.open(bundle, mode) as archive:
        for path in [*files, source / f"{product}_MTL.txt"]:
            archive.add(path, arcname=path.name)
    return bundle


def write_plume(path: Path, size: int = 32) -> Path:
    driver = gdal.GetDriverByName("GTiff")
    data = driver.Create(str(path), size, size, 1, gdal.GDT_Float32)
    data.SetGeoTransform((-119.5, 0.0001, 0.0, 35.3, 0.0, -0.0001))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    data.SetProjection(srs.ExportToWkt())
    values = np.full((size, size), -9999.0, dtype=np.float32)
    values[8:24, 8:24] = np.linspace(0, 3000, 256, dtype=np.float32).reshape(16, 16)
    band = data.GetRasterBand(1)
    band.WriteArray(values)
    band.SetNoDataValue(-9999.0)
    data.FlushCache()
    return path


def run_load_task(qtbot, **kwargs) -> dict:
    """Run a LoadLayersTask to its end; its outcome: ``names`` (the layers opened) and ``errors``."""
    outcome = {}
    task = loaders.LoadLayersTask(on_done=lambda names, errors: outcome.update(names=names, errors=errors), **kwargs)
    QgsApplication.taskManager().addTask(task)
    qtbot.waitUntil(lambda: "names" in outcome, timeout=20000)
    return outcome
