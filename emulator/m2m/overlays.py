"""Browse overlays drawn from the synthetic surface: a scene-frame JPEG and WMS GetMap images.

- :func:`frame_jpeg`: the scene as the USGS browse JPEGs of ``file`` overlays show it: the image's
  four corners are the footprint's four corners (upper left = the footprint's north-west corner),
  every pixel inside the scene, no collar. A client places it with GCPs on the corners.
- :func:`wms_image`: a GetMap answer for a bounding box in EPSG:4326 or EPSG:3857, PNG (RGBA,
  transparent outside the footprint) or JPEG (``background`` outside it).
"""

from __future__ import annotations

import math

import numpy as np

from .catalog import Scene
from .texture import browse_channels, cloud_field, encode, surface

WEB_MERCATOR_RADIUS = 6378137.0


def frame_corners(scene: Scene) -> tuple[tuple[float, float], ...]:
    """The footprint's corners as (upper left, upper right, lower right, lower left) of the image."""
    ll, lr, ur, ul = scene.quad  # wrs.footprint order: LL, LR, UR, UL
    return ul, ur, lr, ll


def cloud_threshold(scene: Scene, pixels: int = 128) -> float:
    """The cloudiness above which a point is cloud, from a fixed grid over the footprint: every
    GetMap window and the browse JPEG show the same clouds, covering the scene's cloud cover."""
    ul, ur, lr, ll = (np.array(p) for p in frame_corners(scene))
    u, v = np.meshgrid((np.arange(pixels) + 0.5) / pixels, (np.arange(pixels) + 0.5) / pixels)
    u, v = u[..., None], v[..., None]
    points = (1 - v) * ((1 - u) * ul + u * ur) + v * ((1 - u) * ll + u * lr)
    cloudiness = cloud_field(scene, points[..., 0], points[..., 1])
    cover = min(max((scene.cloud or 0.0) / 100.0, 0.0), 1.0)
    return float(np.quantile(cloudiness, 1 - cover)) if cover < 1 else -np.inf


def _rgb(scene: Scene, kind: str, lon, lat):
    refl, temp, _water, _clouds, inside = surface(scene, lon, lat, cloud_threshold(scene))
    return browse_channels(kind, refl, temp), inside

def frame_jpeg(scene: Scene, kind: str = "refl", width: int = 400, height: int = 420) -> bytes:
    """The browse JPEG of a ``file`` overlay: pixel (col, row) is the bilinear blend of the corners."""
    ul, ur, lr, ll = (np.array(p) for p in frame_corners(scene))
    u, v = np.meshgrid((np.arange(width) + 0.5) / width, (np.arange(height) + 0.5) / height)
    u, v = u[..., None], v[..., None]
    points = (1 - v) * ((1 - u) * ul + u * ur) + v * ((1 - u) * ll + u * lr)
    channels, _inside = _rgb(scene, kind, points[..., 0], points[..., 1])
    return encode(channels, "JPEG", ["QUALITY=85"])


def to_lonlat(crs: str, x, y):
    """Longitude and latitude of points in ``crs`` (EPSG:4326 or EPSG:3857)."""
    if crs == "EPSG:4326":
        return x, y
    lon = np.degrees(x / WEB_MERCATOR_RADIUS)
    lat = np.degrees(2 * np.arctan(np.exp(y / WEB_MERCATOR_RADIUS)) - math.pi / 2)
    return lon, lat


def wms_image(scene: Scene, crs: str, bbox: tuple[float, float, float, float], width: int, height: int,
              image_format: str, transparent: bool = True, background: tuple[int, int, int] = (255, 255, 255),
              kind: str = "refl") -> bytes:
    """A GetMap image of ``scene`` over ``bbox`` (minx, miny, maxx, maxy in ``crs``)."""
    minx, miny, maxx, maxy = bbox
    cols, rows = np.meshgrid(np.arange(width) + 0.5, np.arange(height) + 0.5)
    lon, lat = to_lonlat(crs, minx + cols * (maxx - minx) / width, maxy - rows * (maxy - miny) / height)
    channels, inside = _rgb(scene, kind, lon, lat)
    if image_format == "image/jpeg":
        channels = [np.where(inside, c, value).astype(np.uint8) for c, value in zip(channels, background)]
        return encode(channels, "JPEG", ["QUALITY=90"])
    alpha = np.where(inside, 255, 0 if transparent else 255).astype(np.uint8)
    if not transparent:
        channels = [np.where(inside, c, value).astype(np.uint8) for c, value in zip(channels, background)]
    return encode([*channels, alpha], "PNG")
