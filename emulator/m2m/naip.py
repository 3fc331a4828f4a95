"""Emulated ``naip`` (National Agriculture Imagery Program) quarter quads and their GeoTIFFs.

Scenes are digital orthophoto quarter quads (3.75' x 3.75') around Albemarle Sound, flown every
other growing season. Ids follow the NAIP file names: ``m_3607601_ne_18_060_20220612`` (latitude
and longitude of the 1-degree cell, the 7.5' quad in it, the quarter, the UTM zone, the ground
sample distance in cm/10, the flight date); the entity id is the same in capitals. The "Full
Resolution" product is a zip of the 4-band (red, green, blue, near-infrared) 8-bit GeoTIFF in
NAD83 / UTM zone 18N (EPSG:26918) and its FGDC metadata; tiny (100 x 100 pixels).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import numpy as np
from osgeo import gdal

from ..vsimem import take
from . import archives
from .extra import OtherDataset, OtherScene, Product, filter_entry
from .texture import pixel_lonlat, soil_share, utm_transforms, water_mask

ALIAS = "naip"
DATASET_ID = "5e83a340bf820c39"
FORMAT_VERSION = 2  # part of the cache path: bump it when the generated files change
TEXTURE_ZOOM = 8  # the synthetic surface is magnified so that a quarter quad shows fields and water
EPSG = 26918
PIXELS = 100
QQ = 0.0625  # degrees: a quarter quad
WEST, NORTH, COLUMNS, ROWS = -76.75, 36.25, 8, 8
YEARS = (2016, 2018, 2020, 2022)
FULL_PRODUCT_ID = "5e83a3411d4e2b7c"
ZIP_SIZE = 4 * PIXELS * PIXELS + 24_576
# Reflectance-like brightness of red, green, blue, NIR for vegetation, soil and water
_VEG, _SOIL, _WATER = np.array([0.05, 0.08, 0.04, 0.40]), np.array([0.22, 0.18, 0.14, 0.30]), \
    np.array([0.03, 0.05, 0.06, 0.02])


def _name(lat_cell: int, lon_cell: int, quad: int, quarter: str, year: int, day: dt.date) -> str:
    resolution = "060" if year >= 2018 else "100"
    return f"m_{lat_cell:02d}{lon_cell:03d}{quad:02d}_{quarter}_18_{resolution}_{day:%Y%m%d}"


def _make_scenes() -> list[OtherScene]:
    rng = random.Random(1936)
    scenes = []
    for year in YEARS:
        flown = dt.date(year, 6, 1) + dt.timedelta(days=rng.randint(0, 100))
        for row in range(ROWS):
            for column in range(COLUMNS):
                north, west = NORTH - row * QQ, WEST + column * QQ
                south, east = north - QQ, west + QQ
                lat_cell, lon_cell = int(np.floor(south)), int(np.floor(-west))
                down = round((lat_cell + 1 - north) / QQ)  # quarter quads from the cell's north-west corner
                across = round((west + lon_cell + 1) / QQ)
                quad = down // 2 * 8 + across // 2 + 1
                quarter = "ns"[down % 2] + "we"[across % 2]
                day = flown + dt.timedelta(days=column // 3)
                name = _name(lat_cell, lon_cell, quad, quarter, year, day)
                state = "VA" if south >= 36.55 else "NC"
                scenes.append(OtherScene(name.upper(), name, day, [(west, south), (east, south), (east, north),
                                                                  (west, north)], None,
                                         {"state": state, "resolution": name.split("_")[4]}, publish_delay=120))
    return scenes


def _zip_name(scene: OtherScene) -> str:
    return f"{scene.display_id}.zip"


def _geotiff(scene: OtherScene) -> bytes:
    west, south, east, north = scene.bounds
    utm, forward, back = utm_transforms(EPSG)
    corners = [forward.TransformPoint(x, y)[:2]
               for x, y in ((west, south), (east, south), (east, north), (west, north))]
    x0, y1 = min(c[0] for c in corners), max(c[1] for c in corners)
    pixel = max(max(c[0] for c in corners) - x0, y1 - min(c[1] for c in corners)) / PIXELS
    lon, lat = pixel_lonlat(back, x0, y1, pixel, PIXELS)
    lon, lat = west + (lon - west) * TEXTURE_ZOOM, north + (lat - north) * TEXTURE_ZOOM
    water = water_mask(lon, lat)
    soil = soil_share(lon, lat)[None]
    value = np.where(water[None], _WATER[:, None, None], _VEG[:, None, None] * (1 - soil) + _SOIL[:, None, None] * soil)
    data = np.clip(value / 0.5 * 255, 0, 255).astype(np.uint8)
    name = f"/vsimem/scene_finder_emulator_{scene.display_id}.tif"
    dataset = gdal.GetDriverByName("GTiff").Create(name, PIXELS, PIXELS, 4, gdal.GDT_Byte,
                                                   options=["COMPRESS=NONE", "PHOTOMETRIC=RGB", "ALPHA=NO"])
    dataset.SetGeoTransform((x0, pixel, 0.0, y1, 0.0, -pixel))
    dataset.SetProjection(utm.ExportToWkt())
    for index, colour in enumerate((gdal.GCI_RedBand, gdal.GCI_GreenBand, gdal.GCI_BlueBand, gdal.GCI_Undefined)):
        band = dataset.GetRasterBand(index + 1)
        band.WriteArray(data[index])
        band.SetColorInterpretation(colour)
    dataset = None
    return take(name)


def _make_zip(cache_dir: Path, scene: OtherScene) -> Path:
    final = Path(cache_dir) / "m2m" / "naip" / f"v{FORMAT_VERSION}" / _zip_name(scene)
    metadata = (f'<?xml version="1.0" encoding="UTF-8"?>\n<metadata><idinfo><citation><citeinfo>'
                f'<title>{scene.display_id}</title></citeinfo></citation></idinfo></metadata>\n').encode()
    members = [(f"{scene.display_id}.tif", _geotiff(scene)), (f"{scene.display_id}.xml", metadata)]
    return archives.cached(final, lambda tmp: archives.write_zip(tmp, members, f"{scene.display_id}.xml", ZIP_SIZE))


def _metadata(scene: OtherScene) -> list[tuple[str, str]]:
    return [("Entity ID", scene.entity_id), ("Acquisition Date", f"{scene.acquired:%Y/%m/%d}"),
            ("State", scene.state), ("Resolution", f"{int(scene.resolution) / 100:.1f}"), ("Bands", "4"),
            ("UTM Zone", "18")]


DATASET = OtherDataset(
    alias=ALIAS, dataset_id=DATASET_ID, collection_name="NAIP",
    filters=[
        (filter_entry(ALIAS, "Entity ID", "ENTITY_ID like ?", "Text", "entity_id"), "entity_id"),
        (filter_entry(ALIAS, "State", "STATE = ?", "Select", "state", {"NC": "North Carolina", "VA": "Virginia"}),
         "state"),
    ],
    products=[Product(FULL_PRODUCT_ID, "D447", "Full Resolution", ZIP_SIZE, _zip_name, _make_zip, "application/zip")],
    make_scenes=_make_scenes, metadata=_metadata,
)
