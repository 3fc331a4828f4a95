"""A WRS-2-like grid: scene centres and tilted footprints from path and row.

A simple circular-orbit ground track (98.2 degree inclination, 233 paths, 248 rows, row 60 on
the descending node) calibrated so that path 13 row 35 sits off North Carolina as in the real
grid. Good to a few kilometres, which is all an emulated catalog needs.
"""

from __future__ import annotations

import math
from functools import cache

INCLINATION = math.radians(98.2)
PATHS = 233
ROWS = 248
ROW_DEGREES = 1.4585  # along-track angle between rows, fitted on real scene corners
ORBIT_MINUTES = 98.884
SIDEREAL_DAY_MINUTES = 1436.07
PATH1_NODE_LON = -64.57  # longitude where path 1 crosses the equator (descending)
KM_PER_DEG = 111.32
CROSS_TRACK_KM = 190.0
ALONG_TRACK_KM = 200.0


def _track_point(path: int, u_deg: float) -> tuple[float, float]:
    """Lon/lat at along-track angle ``u_deg`` (positive southwards) from the descending node."""
    u = math.radians(u_deg)
    lat = -math.degrees(math.asin(math.sin(INCLINATION) * math.sin(u)))
    inertial = math.degrees(math.atan2(math.cos(INCLINATION) * math.sin(u), math.cos(u)))
    earth = u_deg * ORBIT_MINUTES / SIDEREAL_DAY_MINUTES
    lon = PATH1_NODE_LON - (path - 1) * 360.0 / PATHS + inertial - earth
    return (lon + 180.0) % 360.0 - 180.0, lat


def _u(row: float) -> float:
    return (row - 60) * ROW_DEGREES


def center(path: int, row: int) -> tuple[float, float]:
    return _track_point(path, _u(row))


@cache
def footprint(path: int, row: int) -> tuple[tuple[float, float], ...]:
    """The scene quadrilateral as (lon, lat) corners LL, LR, UR, UL (counter-clockwise)."""
    lon, lat = center(path, row)
    ahead = _track_point(path, _u(row) + 0.2)
    behind = _track_point(path, _u(row) - 0.2)
    cos_lat = max(math.cos(math.radians(lat)), 0.05)
    # "up" in the image points against the motion (roughly north on a descending pass)
    d_lon = (behind[0] - ahead[0] + 540.0) % 360.0 - 180.0
    up_e, up_n = d_lon * cos_lat, behind[1] - ahead[1]
    norm = math.hypot(up_e, up_n)
    up_e, up_n = up_e / norm, up_n / norm
    right_e, right_n = up_n, -up_e
    half_w, half_h = CROSS_TRACK_KM / 2, ALONG_TRACK_KM / 2
    corners = []
    for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        east = sx * half_w * right_e + sy * half_h * up_e
        north = sx * half_w * right_n + sy * half_h * up_n
        corners.append((lon + east / (KM_PER_DEG * cos_lat), lat + north / KM_PER_DEG))
    return tuple(corners)


def utm_epsg(lon: float, lat: float) -> int:
    zone = min(60, max(1, int((lon + 180.0) // 6) + 1))
    return (32600 if lat >= 0 else 32700) + zone


def acquisition_day_offset(path: int) -> int:
    """Day (0..15) of the 16-day cycle on which Landsat 9 images ``path``.

    Adjacent paths to the west are imaged 7 days later; calibrated on Landsat 9 imaging path 15
    on 2023-03-24 (cycle day 0 here).
    """
    return (7 * (path - 15)) % 16
