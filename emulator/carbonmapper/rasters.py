"""The catalog's assets as real files: small GeoTIFFs, PNGs and GeoJSON outlines made with GDAL.

An asset is named by its bucket key ``<coll>/<Y>/<M>/<D>/<id>/<id>_<coll>_<asset>``. Files are
made on first use under ``<cache_dir>/carbonmapper/v<version>-seed<seed>/`` (temporary name, then an atomic
rename, one lock per file) and are deterministic for a seed. Plume rasters: Float32 methane
(or CO2) enhancement in ppm·m with a plume-shaped blob and nodata -9999 outside the plume; scene
CMF rasters: background noise plus the scene's plumes; RGB: 3-band Byte; all EPSG:4326.
"""

from __future__ import annotations

import json
import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from osgeo import gdal, osr

from .catalog import Catalog
from .records import asset_path

NODATA = -9999.0
GENERATOR_VERSION = 1  # bump when the content changes, so that stale cached files are not served
PLUME_SIZE = (96, 80)  # columns, rows
SCENE_SIZE = (160, 160)
CONTENT_TYPES = {".tif": "image/tiff; application=geotiff", ".png": "image/png",
                 ".geojson": "application/geo+json", ".txt": "text/plain"}


@dataclass(frozen=True)
class AssetKey:
    collection: str
    item: str
    asset: str  # e.g. "plume.tif"
    plume: int  # plume index, or -1 for a scene asset
    scene: int


def _gas(collection: str) -> str:
    return "CO2" if "-co2-" in collection else "CH4"


def resolve(catalog: Catalog, key: str, collections: dict[str, dict]) -> AssetKey | None:
    """The catalog item behind an asset key, if the key names an asset the catalog has."""
    parts = key.split("/")
    if len(parts) != 6:
        return None
    collection, item = parts[0], parts[4]
    spec = collections.get(collection)
    prefix = f"{item}_{collection}_"
    if spec is None or not parts[5].startswith(prefix):
        return None
    asset = parts[5][len(prefix):]
    if asset not in spec["assets"]:
        return None
    if spec["kind"] == "plume":
        j = catalog.plumes.by_name.get(item)
        if j is None or catalog.plumes.gas[j] != _gas(collection):
            return None
        found = AssetKey(collection, item, asset, j, int(catalog.plumes.scene[j]))
    else:
        i = catalog.scenes.by_name.get(item)
        if i is None:
            return None
        found = AssetKey(collection, item, asset, -1, i)
    stamp = catalog.scenes.timestamps[found.scene]
    return found if asset_path(collection, stamp, item, asset) == key else None


class AssetStore:
    def __init__(self, catalog: Catalog, root: Path, seed: int):
        self.catalog = catalog
        self.root = Path(root) / "carbonmapper" / f"v{GENERATOR_VERSION}-seed{seed}"
        self.seed = seed
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def path_for(self, key: str, asset: AssetKey) -> Path:
        path = self.root / key
        if path.exists():
            return path
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
                try:
                    self._write(tmp, asset)
                    os.replace(tmp, path)
                finally:
                    for leftover in (tmp, Path(str(tmp) + ".aux.xml")):
                        if leftover.exists():
                            leftover.unlink()
        return path

    # -- content ----------------------------------------------------------------------
    def _extent(self, asset: AssetKey) -> tuple[float, float, float, float]:
        if asset.plume >= 0:
            return tuple(float(v) for v in self.catalog.plumes.bounds[asset.plume])
        return tuple(float(v) for v in self.catalog.scenes.bbox[asset.scene])

    def _grid(self, asset: AssetKey) -> tuple[np.ndarray, np.ndarray, tuple[int, int]]:
        west, south, east, north = self._extent(asset)
        columns, rows = PLUME_SIZE if asset.plume >= 0 else SCENE_SIZE
        lon = west + (np.arange(columns) + 0.5) * (east - west) / columns
        lat = north - (np.arange(rows) + 0.5) * (north - south) / rows
        grid_lon, grid_lat = np.meshgrid(lon, lat)
        return grid_lon, grid_lat, (columns, rows)

    def _blob(self, lon: np.ndarray, lat: np.ndarray, j: int) -> np.ndarray:
        """A plume: strongest at the source, stretched downwind."""
        plumes = self.catalog.plumes
        direction = math.radians(float(plumes.wind_direction[j]))
        x = (lon - plumes.lon[j]) * math.cos(math.radians(float(plumes.lat[j])))
        y = lat - plumes.lat[j]
        along = x * math.sin(direction) + y * math.cos(direction)
        across = x * math.cos(direction) - y * math.sin(direction)
        width = 0.002
        length = max(0.004, float(plumes.bounds[j][2] - plumes.bounds[j][0]) / 2)
        emission = float(np.nan_to_num(plumes.emission[j], nan=300.0))
        peak = 200.0 + min(emission, 20000.0) / 5
        spread = width + np.clip(along, 0, None) * 0.35
        return peak * np.exp(-(np.clip(-along, 0, None) / 0.001) ** 2 - (along / length) ** 2 - (across / spread) ** 2)

    def _values(self, asset: AssetKey) -> tuple[np.ndarray, tuple[int, int]]:
        lon, lat, size = self._grid(asset)
        rng = np.random.default_rng([self.seed, asset.scene, max(asset.plume, 0)])
        if asset.plume >= 0:
            values = self._blob(lon, lat, asset.plume) + rng.normal(0, 15, lon.shape)
            return values, size
        values = rng.normal(0, 80, lon.shape)
        for j in self.catalog.scenes.plumes[asset.scene]:
            if self.catalog.plumes.gas[j] == _gas(asset.collection):
                values = values + self._blob(lon, lat, j)
        return values, size

    def _geotransform(self, asset: AssetKey, size: tuple[int, int]) -> tuple:
        west, south, east, north = self._extent(asset)
        return (west, (east - west) / size[0], 0.0, north, 0.0, -(north - south) / size[1])

    def _write(self, tmp: Path, asset: AssetKey) -> None:
        name = asset.asset
        if name.endswith(".geojson"):
            tmp.write_text(json.dumps(self._outline(asset)))
        elif name.endswith(".txt"):
            tmp.write_text(f"scene {asset.item}\nemulated by Scene Finder\n")
        elif name.endswith(".png"):
            self._write_png(tmp, asset)
        elif name == "rgb.tif":
            self._write_tif(tmp, asset, self._rgb(asset), gdal.GDT_Byte, None)
        elif "mask" in name:
            values, _ = self._values(asset)
            self._write_tif(tmp, asset, [(values > 150).astype(np.uint8)], gdal.GDT_Byte, None)
        else:
            values, _ = self._values(asset)
            if "uncertainty" in name:
                values = np.abs(values) * 0.2 + 40
            elif asset.plume >= 0 and not name.startswith("ime-cmf"):
                values = np.where(values > 60, values, NODATA)
            self._write_tif(tmp, asset, [values.astype(np.float32)], gdal.GDT_Float32, NODATA)

    def _rgb(self, asset: AssetKey) -> list[np.ndarray]:
        lon, lat, _ = self._grid(asset)
        rng = np.random.default_rng([self.seed, asset.scene, 7])
        base = 90 + 40 * np.sin(lon * 900) * np.cos(lat * 700) + rng.normal(0, 10, lon.shape)
        return [np.clip(base * factor, 0, 255).astype(np.uint8) for factor in (1.1, 1.0, 0.85)]

    def _write_tif(self, tmp: Path, asset: AssetKey, bands: list[np.ndarray], data_type: int,
                   nodata: float | None) -> None:
        rows, columns = bands[0].shape
        dataset = gdal.GetDriverByName("GTiff").Create(str(tmp), columns, rows, len(bands), data_type,
                                                       ["COMPRESS=DEFLATE", "TILED=NO"])
        if dataset is None:
            raise OSError(f"GDAL could not create {tmp}")
        dataset.SetGeoTransform(self._geotransform(asset, (columns, rows)))
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(4326)
        dataset.SetProjection(srs.ExportToWkt())
        for number, values in enumerate(bands, start=1):
            band = dataset.GetRasterBand(number)
            if nodata is not None:
                band.SetNoDataValue(nodata)
            band.WriteArray(values)
        dataset.FlushCache()
        dataset = None

    def _write_png(self, tmp: Path, asset: AssetKey) -> None:
        if asset.asset.startswith("rgb") or asset.asset == "plume-rgb.png":
            bands = self._rgb(asset)
            if asset.asset == "plume-rgb.png":
                values, _ = self._values(asset)
                bands[0] = np.where(values > 60, 255, bands[0]).astype(np.uint8)
        else:  # a colour-mapped plume on a transparent background
            values, _ = self._values(asset)
            level = np.clip(values / max(1.0, float(values.max())) * 255, 0, 255).astype(np.uint8)
            bands = [level, (255 - level // 2).astype(np.uint8), np.zeros_like(level),
                     np.where(values > 60, 255, 0).astype(np.uint8)]
        rows, columns = bands[0].shape
        memory = gdal.GetDriverByName("MEM").Create("", columns, rows, len(bands), gdal.GDT_Byte)
        for number, values in enumerate(bands, start=1):
            memory.GetRasterBand(number).WriteArray(values)
        gdal.GetDriverByName("PNG").CreateCopy(str(tmp), memory)
        memory = None

    def _outline(self, asset: AssetKey) -> dict:
        west, south, east, north = self._extent(asset)
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        return {"type": "FeatureCollection", "features": [{
            "type": "Feature", "properties": {"plume_id": asset.item},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
