"""Emulated ``srtm_v3`` ("SRTM 1 Arc-Second Global") one-degree cells and their DEM files.

Ids as EarthExplorer has them: entity ``SRTM1N35W077V3``, display ``n35_w077_1arc_v3``, all
acquired 2000-02-11. download-options lists "BIL 1 Arc-second" (a zip of the ESRI .bil/.hdr/.prj),
"DTED 1 Arc-second" (listed, not available here) and "GeoTIFF 1 Arc-second" (``n35_w077_1arc_v3.tif``),
in that order. The DEM is Int16 metres in EPSG:4326 with nodata -32767 (a small void in every
cell, as SRTM has), tiny: 121 x 121 pixels over the cell (pixel centres on the cell's edges).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
from osgeo import gdal

from ..vsimem import take
from . import archives
from .extra import OtherDataset, OtherScene, Product, filter_entry
from .texture import water_mask, waves

ALIAS = "srtm_v3"
DATASET_ID = "5e83a3ee1af480c5"
FORMAT_VERSION = 2  # part of the cache path: bump it when the generated files change
PIXELS = 121
NODATA = -32767
ACQUIRED = dt.date(2000, 2, 11)
CELLS = [(lat, lon) for lat in (35, 36) for lon in (-78, -77, -76, -75)]  # south-west corners
GEOTIFF_PRODUCT_ID, BIL_PRODUCT_ID, DTED_PRODUCT_ID = "5e83a3efe0103743", "5e83a3ef8f4c6dd2", "5e83a3f0a0b44a60"
TIF_SIZE = PIXELS * PIXELS * 2 + 8192
BIL_ZIP_SIZE = PIXELS * PIXELS * 2 + 8192
DTED_SIZE = 25_934_402


def _display_id(lat: int, lon: int) -> str:
    return f"{'n' if lat >= 0 else 's'}{abs(lat):02d}_{'e' if lon >= 0 else 'w'}{abs(lon):03d}_1arc_v3"


def _make_scenes() -> list[OtherScene]:
    scenes = []
    for lat, lon in CELLS:
        entity = f"SRTM1{'N' if lat >= 0 else 'S'}{abs(lat):02d}{'E' if lon >= 0 else 'W'}{abs(lon):03d}V3"
        quad = [(lon, lat), (lon + 1, lat), (lon + 1, lat + 1), (lon, lat + 1)]
        scenes.append(OtherScene(entity, _display_id(lat, lon), ACQUIRED, quad, None,
                                 {"lat": lat, "lon": lon}, publish_delay=5000))
    return scenes


def _heights(scene: OtherScene) -> tuple[np.ndarray, tuple]:
    step = 1.0 / (PIXELS - 1)
    transform = (scene.lon - step / 2, step, 0.0, scene.lat + 1 + step / 2, 0.0, -step)
    cols, rows = np.meshgrid(np.arange(PIXELS), np.arange(PIXELS))
    lon, lat = scene.lon + cols * step, scene.lat + 1 - rows * step
    water = water_mask(lon, lat)
    hills = 500 * (waves(lon, lat, 41, 1.2) + 1.5) + 150 * (waves(lon, lat, 43, 0.6) + 1.5)
    height = 10 + hills + 60 * (-75 - lon)  # rolling hills, rising inland
    data = np.where(water, 0, np.clip(height, 1, 2500)).astype(np.int16)
    data[50:54, 60:66] = NODATA  # a void
    return data, transform


def _write(path: str, driver: str, scene: OtherScene) -> None:
    data, transform = _heights(scene)
    dataset = gdal.GetDriverByName(driver).Create(path, PIXELS, PIXELS, 1, gdal.GDT_Int16)
    dataset.SetGeoTransform(transform)
    dataset.SetProjection('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
                          'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]')
    band = dataset.GetRasterBand(1)
    band.SetNoDataValue(NODATA)
    band.WriteArray(data)
    dataset = None


def _tif_name(scene: OtherScene) -> str:
    return f"{scene.display_id}.tif"


def _bil_name(scene: OtherScene) -> str:
    return f"{scene.display_id}_bil.zip"


def _folder(cache_dir: Path) -> Path:
    return Path(cache_dir) / "m2m" / "srtm" / f"v{FORMAT_VERSION}"


def _make_tif(cache_dir: Path, scene: OtherScene) -> Path:
    def make(tmp: Path) -> None:
        _write(str(tmp), "GTiff", scene)
        archives.pad_file(tmp, TIF_SIZE)

    return archives.cached(_folder(cache_dir) / _tif_name(scene), make)


def _make_bil(cache_dir: Path, scene: OtherScene) -> Path:
    def make(tmp: Path) -> None:
        stem = f"/vsimem/scene_finder_emulator_{scene.display_id}"
        _write(f"{stem}.bil", "EHdr", scene)
        members = []
        for extension in ("bil", "hdr", "prj"):
            name = f"{stem}.{extension}"
            if gdal.VSIStatL(name) is not None:
                members.append((f"{scene.display_id}.{extension}", take(name)))
        if gdal.VSIStatL(f"{stem}.bil.aux.xml") is not None:
            gdal.Unlink(f"{stem}.bil.aux.xml")
        archives.write_zip(tmp, members, f"{scene.display_id}.hdr", BIL_ZIP_SIZE)

    return archives.cached(_folder(cache_dir) / _bil_name(scene), make)


def _metadata(scene: OtherScene) -> list[tuple[str, str]]:
    return [("Entity ID", scene.entity_id), ("Acquisition Date", f"{ACQUIRED:%Y/%m/%d}"),
            ("Resolution", "1-ARC"), ("Center Latitude dec", f"{scene.lat + 0.5:.4f}"),
            ("Center Longitude dec", f"{scene.lon + 0.5:.4f}")]


DATASET = OtherDataset(
    alias=ALIAS, dataset_id=DATASET_ID, collection_name="SRTM 1 Arc-Second Global",
    filters=[(filter_entry(ALIAS, "Entity ID", "ENTITY_ID like ?", "Text", "entity_id"), "entity_id")],
    products=[
        Product(BIL_PRODUCT_ID, "D544", "BIL 1 Arc-second", BIL_ZIP_SIZE, _bil_name, _make_bil, "application/zip"),
        Product(DTED_PRODUCT_ID, "D545", "DTED 1 Arc-second", DTED_SIZE, lambda s: f"{s.display_id}.dt2", None),
        Product(GEOTIFF_PRODUCT_ID, "D546", "GeoTIFF 1 Arc-second", TIF_SIZE, _tif_name, _make_tif, "image/tiff"),
    ],
    make_scenes=_make_scenes, metadata=_metadata,
)
