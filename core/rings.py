"""A plain polygon footprint kept as its WKB until somebody needs its geometry.

Nearly every scene-search footprint is a 2D polygon of one ring. Making 50,000 shapely polygons
costs as much as decoding the JSON that carried them, most are only ever written to a GeoPackage,
and every polygon (with its coordinate lists) is one more object for the garbage collector to scan.
:class:`PolygonRing` holds the ring as the WKB that GEOS writes for it (one bytes object, which the
collector never scans); :meth:`polygon` makes the shapely geometry when it is asked for.
"""

from __future__ import annotations

import struct
from itertools import chain
from typing import Any

from shapely import wkb as shapely_wkb

from .parsing import MAX_INT

_POLYGON_HEADER = struct.pack("<BII", 1, 3, 1)  # little endian, Polygon, one ring
_RING_FORMATS: dict[int, struct.Struct] = {}


class PolygonRing:
    """A polygon without holes, as little-endian 2D WKB (what :meth:`wkb` returns)."""

    __slots__ = ("_wkb",)

    def __init__(self, wkb: bytes) -> None:
        self._wkb = wkb

    def polygon(self):
        return shapely_wkb.loads(self._wkb)

    def wkb(self) -> bytes:
        return self._wkb


def _ring_format(points: int) -> struct.Struct:
    made = _RING_FORMATS.get(points)
    if made is None:
        made = _RING_FORMATS[points] = struct.Struct(f"<I{2 * points}d")
    return made


def plain_ring(coordinates: Any) -> PolygonRing | None | bool:
    """A GeoJSON Polygon's ``coordinates`` as a :class:`PolygonRing` when it is one ring of at least four
    [x, y] pairs; None when it is some other shape (holes, 3D, too short: the caller reads it the
    general way); False when a position is not a pair of finite numbers (the footprint is malformed)."""
    if type(coordinates) is not list or len(coordinates) != 1:
        return None
    ring = coordinates[0]
    if type(ring) is not list or len(ring) < 4:
        return None
    # every footprint of a 50,000-scene search comes through here: pairs of finite floats are the
    # rule, checked in one pass (inf - inf and anything with NaN are NaN); the rest the careful way
    try:
        for x, y in ring:
            if type(x) is not float or type(y) is not float or x - x + y - y != 0.0:
                break
        else:
            return _packed(ring)
    except (TypeError, ValueError):  # a position that is not a pair
        pass
    for point in ring:
        if type(point) is not list or len(point) != 2:
            return None
        for number in point:
            kind = type(number)
            if kind is float:
                if number - number != 0.0:  # NaN and infinities
                    return False
            elif kind is not int or not -MAX_INT <= number <= MAX_INT:
                return False
    return _packed(ring)


def _packed(ring: list) -> PolygonRing:
    if ring[0] != ring[-1]:
        ring = [*ring, ring[0]]  # closed, as shapely closes it
    return PolygonRing(_POLYGON_HEADER + _ring_format(len(ring)).pack(len(ring), *chain.from_iterable(ring)))
