"""A synthetic Earth surface for the emulated Landsat products: land, water, vegetation and clouds.

The surface is a function of longitude and latitude (so overlapping scenes agree) and the clouds
of the acquisition too, thresholded to the scene's cloud cover. Written with GDAL (GeoTIFF in
the scene's UTM zone, PNG browse through the MEM driver).
"""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import numpy as np
from osgeo import gdal, osr

from ..vsimem import take
from . import wrs
from .catalog import Scene

# Surface reflectance of B1..B7 for vegetation, bare soil, water and cloud
_VEG = np.array([0.03, 0.04, 0.07, 0.05, 0.32, 0.18, 0.09])
_SOIL = np.array([0.09, 0.10, 0.14, 0.18, 0.26, 0.32, 0.27])
_WATER = np.array([0.05, 0.05, 0.04, 0.02, 0.012, 0.006, 0.004])
_CLOUD = np.array([0.55, 0.56, 0.57, 0.59, 0.62, 0.45, 0.33])


def waves(lon, lat, seed: int, scale: float, terms: int = 12):
    """Smooth noise in [-1.5, 1.5]-ish: random plane waves (wavelengths from scale/4 to scale), warped."""
    rng = random.Random(seed)
    warp_x = 0.15 * scale * np.sin(2 * np.pi * (lat / scale + rng.random()))
    warp_y = 0.15 * scale * np.sin(2 * np.pi * (lon / scale + rng.random()))
    x, y = lon + warp_x, lat + warp_y
    total = np.zeros_like(lon)
    weight = 0.0
    for _ in range(terms):
        wavelength = scale * 4 ** -rng.random()
        angle = rng.uniform(0, np.pi)
        amplitude = wavelength / scale
        phase = (np.cos(angle) * x + np.sin(angle) * y) / wavelength
        total += amplitude * np.sin(2 * np.pi * phase + rng.uniform(0, 2 * np.pi))
        weight += amplitude * amplitude
    return total / np.sqrt(weight / 2)


# The emulated ground, the same under every dataset (Landsat, NAIP, Sentinel-2, elevation), so that their
# files of one place show the same lakes and fields
def water_mask(lon, lat):
    """True where the ground is water."""
    return waves(lon, lat, 11, 0.8) < -0.9


def soil_share(lon, lat):
    """How bare the ground is, from 0 (vegetation) to 1 (soil)."""
    return np.clip((waves(lon, lat, 23, 0.5) + 1.5) / 3.0, 0, 1)


def _inside(quad, lon, lat):
    inside = np.ones(lon.shape, dtype=bool)
    for (ax, ay), (bx, by) in zip(quad, quad[1:] + quad[:1], strict=False):
        inside &= (bx - ax) * (lat - ay) - (by - ay) * (lon - ax) >= 0
    return inside


def cloud_field(scene: Scene, lon, lat):
    return waves(lon, lat, scene.ordinal * 7 + scene.path, 0.5, 16)


def surface(scene: Scene, lon, lat, cloud_threshold: float | None = None):
    """(reflectance B1..B7 array [7, h, w], temperature K, water mask, cloud mask, inside mask).

    The clouds are the cloudiest ``cloud cover`` share of the points inside the footprint, or, with
    ``cloud_threshold``, the points whose cloudiness exceeds it (the same clouds whatever the window)."""
    water = water_mask(lon, lat)
    soil = soil_share(lon, lat)
    land = _VEG[:, None, None] * (1 - soil) + _SOIL[:, None, None] * soil
    refl = np.where(water, _WATER[:, None, None], land)
    inside = _inside(scene.quad, lon, lat)
    cover = (scene.cloud or 0.0) / 100.0
    cloudiness = cloud_field(scene, lon, lat)
    if cloud_threshold is not None:
        clouds = inside & (cloudiness > cloud_threshold) if cover > 0 else np.zeros(lon.shape, dtype=bool)
    elif cover <= 0 or not inside.any():
        clouds = np.zeros(lon.shape, dtype=bool)
    elif cover >= 1:
        clouds = inside.copy()
    else:
        clouds = cloudiness > np.quantile(cloudiness[inside], 1 - cover)
    refl = np.where(clouds, _CLOUD[:, None, None], refl)
    temp = np.where(water, 284.0, 296.0 + 6 * soil) - 2 * waves(lon, lat, 5, 0.4, 3)
    temp = np.where(clouds, 258.0, temp)
    return refl, temp, water, clouds, inside


def utm_transforms(epsg: int):
    """The UTM zone's spatial reference, and the transforms lon/lat -> UTM and back (x, y order)."""
    wgs84, utm = osr.SpatialReference(), osr.SpatialReference()
    wgs84.ImportFromEPSG(4326)
    utm.ImportFromEPSG(epsg)
    for srs in (wgs84, utm):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return utm, osr.CoordinateTransformation(wgs84, utm), osr.CoordinateTransformation(utm, wgs84)


def pixel_lonlat(back, x0: float, top: float, pixel: float, pixels: int):
    """Longitude and latitude of the pixel centres of a square UTM grid (``back``: UTM -> lon/lat)."""
    cols, rows = np.meshgrid(np.arange(pixels) + 0.5, np.arange(pixels) + 0.5)
    points = np.column_stack([(x0 + cols * pixel).ravel(), (top - rows * pixel).ravel()])
    lonlat = np.array(back.TransformPoints(points.tolist()))
    return lonlat[:, 0].reshape(pixels, pixels), lonlat[:, 1].reshape(pixels, pixels)


def _utm_grid(scene: Scene, pixels: int):
    west, south, east, north = scene.bounds
    epsg = wrs.utm_epsg((west + east) / 2, (south + north) / 2)
    utm, forward, back = utm_transforms(epsg)
    xs, ys = zip(*[forward.TransformPoint(lon, lat)[:2] for lon, lat in scene.quad], strict=False)
    pixel = max(max(xs) - min(xs), max(ys) - min(ys)) / pixels
    x0 = (min(xs) + max(xs)) / 2 - pixel * pixels / 2
    y0 = (min(ys) + max(ys)) / 2 + pixel * pixels / 2
    lon, lat = pixel_lonlat(back, x0, y0, pixel, pixels)
    return utm, (x0, pixel, 0.0, y0, 0.0, -pixel), lon, lat, epsg, pixel


def _write_tif(path: Path, data, srs, transform, nodata: int) -> None:
    driver = gdal.GetDriverByName("GTiff")
    dataset = driver.Create(str(path), data.shape[1], data.shape[0], 1, gdal.GDT_UInt16,
                            options=["COMPRESS=NONE", "TILED=NO"])
    if dataset is None:
        raise RuntimeError(f"GDAL could not create {path.name}")
    dataset.SetGeoTransform(transform)
    dataset.SetProjection(srs.ExportToWkt())
    band = dataset.GetRasterBand(1)
    band.SetNoDataValue(nodata)
    band.WriteArray(data)
    dataset.FlushCache()
    dataset = None


def scene_bands(scene: Scene, folder: Path, pixels: int) -> dict:
    """Write SR_B1..SR_B7, ST_B10 and QA_PIXEL GeoTIFFs into ``folder``; returns grid facts."""
    srs, transform, lon, lat, epsg, pixel = _utm_grid(scene, pixels)
    refl, temp, water, clouds, inside = surface(scene, lon, lat)
    noise = np.random.default_rng(scene.index + 1).normal(0, 0.004, refl.shape)
    prefix = folder / scene.display_id
    for i in range(7):
        dn = np.clip((refl[i] + noise[i] + 0.2) / 2.75e-5, 1, 65535).astype(np.uint16)
        _write_tif(Path(f"{prefix}_SR_B{i + 1}.TIF"), np.where(inside, dn, 0).astype(np.uint16), srs, transform, 0)
    st = np.clip((temp - 149.0) / 0.00341802, 1, 65535).astype(np.uint16)
    _write_tif(Path(f"{prefix}_ST_B10.TIF"), np.where(inside, st, 0).astype(np.uint16), srs, transform, 0)
    qa = np.where(clouds, 22280, np.where(water, 21952, 21824))
    _write_tif(Path(f"{prefix}_QA_PIXEL.TIF"), np.where(inside, qa, 1).astype(np.uint16), srs, transform, 1)
    return {"epsg": epsg, "pixel": pixel}


def browse_png(scene: Scene, kind: str, pixels: int) -> bytes:
    """A north-up PNG (RGBA, transparent outside the footprint) of the scene's bounding box."""
    west, south, east, north = scene.bounds
    cols, rows = np.meshgrid(np.arange(pixels) + 0.5, np.arange(pixels) + 0.5)
    lon = west + cols * (east - west) / pixels
    lat = north - rows * (north - south) / pixels
    refl, temp, _water, _clouds, inside = surface(scene, lon, lat)
    return encode(browse_channels(kind, refl, temp) + [np.where(inside, 255, 0).astype(np.uint8)], "PNG")


def browse_channels(kind: str, refl, temp) -> list:
    """A browse image's red, green and blue (uint8): grey from temperature ("therm"), else true colour."""
    if kind == "therm":
        grey = np.clip((temp - 250.0) / 60.0, 0, 1)
        rgb = [grey, grey, grey]
    else:
        rgb = [np.clip(refl[b] / 0.3, 0, 1) ** 0.6 for b in (3, 2, 1)]
    return [(c * 255).astype(np.uint8) for c in rgb]


def encode(channels: list, driver: str, options: list[str] | None = None) -> bytes:
    """Bands (uint8 arrays of one shape) as a PNG or JPEG file's bytes, through GDAL."""
    rows, cols = channels[0].shape
    memory = gdal.GetDriverByName("MEM").Create("", cols, rows, len(channels), gdal.GDT_Byte)
    for i, channel in enumerate(channels):
        memory.GetRasterBand(i + 1).WriteArray(channel)
    name = f"/vsimem/image_{uuid.uuid4().hex}.{driver.lower()}"
    gdal.GetDriverByName(driver).CreateCopy(name, memory, options=options or [])
    memory = None
    return take(name)
