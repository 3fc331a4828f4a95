"""The ``intersects`` AOI parameter of the Carbon Mapper catalog, under the URL size limit.

The catalog takes the AOI as GeoJSON in the query string and refuses URLs longer than 8,192
bytes. :func:`fit_intersects` sends the exact AOI (compact GeoJSON, coordinates rounded to
5 decimals, about 1 m) when the whole URL fits. Otherwise it sends a simpler geometry that
still COVERS the AOI, so that no scene or plume is missed:

1. holes dropped, outline buffered outward by the tolerance and simplified, with a growing
   tolerance (a Douglas-Peucker line stays within the tolerance of its input, so the
   buffer keeps the AOI inside);
2. the convex hull (itself simplified the same way when it has too many vertices);
3. the bounding box, rounded outward.

The answer then holds extra features near the AOI: :meth:`IntersectsParam.keeps` tells
which ones intersect the exact AOI, for the caller to filter client-side.

AOIs are made valid (``make_valid``); longitudes past +-180 (an AOI drawn across the
antimeridian) are split into parts on both sides; latitudes outside +-90 are refused.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import requests
from shapely.affinity import translate
from shapely.geometry import GeometryCollection, MultiPolygon, Polygon, box, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import unary_union
from shapely.prepared import prep
from shapely.validation import make_valid

from ..errors import BadInputError

MAX_URL_BYTES = 8192
DEFAULT_PRECISION = 5
# Room kept for parameters that grow while paging (offset digits).
DEFAULT_RESERVE = 16


class IntersectsError(BadInputError):
    default_message = "The area of interest cannot be used for a Carbon Mapper search."


@dataclass(frozen=True)
class IntersectsParam:
    """The geometry sent as ``intersects`` and how it relates to the exact AOI."""

    value: str  # the compact GeoJSON text sent
    geometry: BaseGeometry  # what ``value`` describes (rounded)
    exact: BaseGeometry  # the AOI, valid and within +-180
    method: str  # "exact", "simplified", "convex hull" or "bounding box"
    url_bytes: int  # length of the request URL with this value
    _prepared: Any = field(default=None, repr=False, compare=False)

    @property
    def shrunk(self) -> bool:
        """True when a covering geometry was sent: results must be filtered with :meth:`keeps`."""
        return self.method != "exact"

    def keeps(self, geometry: BaseGeometry | dict | None) -> bool:
        """Whether a feature's geometry intersects the exact AOI (always True when not shrunk)."""
        if not self.shrunk:
            return True
        if geometry is None:
            return False
        if isinstance(geometry, dict):
            geometry = shape(geometry)
        prepared = self._prepared
        if prepared is None:
            prepared = prep(self.exact)
            object.__setattr__(self, "_prepared", prepared)
        return prepared.intersects(geometry)


def normalise_aoi(aoi: BaseGeometry | dict) -> BaseGeometry:
    """The AOI made valid, with longitudes in [-180, 180] (split at the antimeridian)."""
    geometry = shape(aoi) if isinstance(aoi, dict) else aoi
    if geometry is None or geometry.is_empty:
        raise IntersectsError("The area of interest is empty.")
    if not geometry.is_valid:
        geometry = make_valid(geometry)
        if isinstance(geometry, GeometryCollection) and not isinstance(geometry, MultiPolygon):
            # make_valid may add collapsed lines next to the polygons: the areas are what matter
            polygons = [g for g in geometry.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
            geometry = unary_union(polygons) if polygons else geometry
    minx, miny, maxx, maxy = geometry.bounds
    if miny < -90 or maxy > 90:
        raise IntersectsError(
            "The area of interest has latitudes outside -90..90: it must be in EPSG:4326 (longitude, latitude)."
        )
    if maxx - minx > 360:
        raise IntersectsError("The area of interest is wider than the whole world: check its coordinates.")
    if minx < -180 or maxx > 180:
        geometry = _split_at_antimeridian(geometry)
    return _orient(geometry)


def fit_intersects(
    aoi: BaseGeometry | dict,
    endpoint_url: str,
    params: dict | None = None,
    *,
    max_url_bytes: int = MAX_URL_BYTES,
    precision: int = DEFAULT_PRECISION,
    reserve: int = DEFAULT_RESERVE,
) -> IntersectsParam:
    """The ``intersects`` value for a GET of ``endpoint_url`` with ``params`` that fits the URL limit."""
    exact = normalise_aoi(aoi)
    budget = max_url_bytes - reserve
    step = 10.0 ** -precision
    candidates = _candidates(exact, step)
    overshoot = None  # how much too long the last candidate was: lets the next one be coarser at once
    while True:
        try:
            method, candidate = candidates.send(overshoot)
        except StopIteration:
            break
        rounded = _round_geometry(candidate, precision)
        if method != "exact" and not prep(rounded).covers(exact):
            overshoot = None
            continue  # rounding moved an edge inward: the next, coarser candidate will do
        value = geojson_text(rounded, precision)
        length = url_length(endpoint_url, {**(params or {}), "intersects": value})
        if length <= budget:
            return IntersectsParam(value, rounded, exact, method, length)
        overshoot = length / budget
    raise IntersectsError(
        "Even the bounding box of the area of interest does not fit the Carbon Mapper URL limit: "
        "shorten the other search parameters."
    )


def url_length(endpoint_url: str, params: dict) -> int:
    """Bytes of the URL requests sends for a GET of ``endpoint_url`` with ``params``."""
    prepared = requests.Request("GET", endpoint_url, params=params).prepare()
    return len(prepared.url.encode("utf-8"))


def geojson_text(geometry: BaseGeometry, precision: int = DEFAULT_PRECISION) -> str:
    """Compact GeoJSON (no spaces) with coordinates rounded to ``precision`` decimals."""
    return json.dumps(_round_mapping(mapping(geometry), precision), separators=(",", ":"))


# --- candidates, finest first ---------------------------------------------------------
def _candidates(exact: BaseGeometry, step: float):
    """Covering candidates, finest first. The caller sends back how many times too long the last
    one was (or None); the simplification tolerance then grows by at least as much."""
    yield "exact", exact
    minx, miny, maxx, maxy = exact.bounds
    extent = max(maxx - minx, maxy - miny, step)
    outline = _without_holes(exact)
    # 1.5 steps: rounding to ``step`` moves a vertex by at most half a step in x and in y
    margin = 1.5 * step
    tolerance = max(extent / 4000.0, step)
    while tolerance < extent / 4.0:
        overshoot = yield "simplified", _covering_simplification(outline, tolerance, margin)
        tolerance *= max(2.0, overshoot or 2.0)
    hull = exact.convex_hull
    yield "convex hull", hull.buffer(margin, 2, join_style=2)
    tolerance = extent / 200.0
    while tolerance < extent:
        yield "convex hull", _covering_simplification(hull, tolerance, margin)
        tolerance *= 2.0
    yield "bounding box", _outward_box(exact.bounds, step)


def _covering_simplification(geometry: BaseGeometry, tolerance: float, margin: float) -> BaseGeometry:
    # Simplify first (buffering a many-vertex outline is slow), grow by both simplifications'
    # tolerances, simplify the grown outline; fit_intersects checks that the result covers the AOI.
    coarse = geometry.simplify(tolerance, preserve_topology=True)
    grown = coarse.buffer(2 * tolerance + margin, 2)
    return _without_holes(grown.simplify(tolerance, preserve_topology=True))


def _without_holes(geometry: BaseGeometry) -> BaseGeometry:
    if geometry.geom_type == "Polygon":
        return Polygon(geometry.exterior) if geometry.interiors else geometry
    if geometry.geom_type == "MultiPolygon":
        if not any(p.interiors for p in geometry.geoms):
            return geometry
        # a part may lie in another's hole: union the filled parts
        return unary_union([Polygon(p.exterior) for p in geometry.geoms])
    return geometry


def _outward_box(bounds: tuple[float, float, float, float], step: float) -> BaseGeometry:
    minx, miny, maxx, maxy = bounds
    scale = 1.0 / step
    return box(
        max(-180.0, math.floor(minx * scale - 1e-9) / scale),
        max(-90.0, math.floor(miny * scale - 1e-9) / scale),
        min(180.0, math.ceil(maxx * scale + 1e-9) / scale),
        min(90.0, math.ceil(maxy * scale + 1e-9) / scale),
    )


# --- geometry helpers -----------------------------------------------------------------
def _split_at_antimeridian(geometry: BaseGeometry) -> BaseGeometry:
    parts = []
    for shift in (-360.0, 0.0, 360.0):
        window = box(-180.0 - shift, -90.0, 180.0 - shift, 90.0)
        piece = geometry.intersection(window)
        if not piece.is_empty:
            parts.append(translate(piece, xoff=shift))
    return unary_union(parts)


def _orient(geometry: BaseGeometry) -> BaseGeometry:
    """Exterior rings counter-clockwise (the GeoJSON right-hand rule)."""
    if geometry.geom_type == "Polygon":
        return orient(geometry, 1.0)
    if geometry.geom_type == "MultiPolygon":
        return MultiPolygon([orient(p, 1.0) for p in geometry.geoms])
    return geometry


def _round_geometry(geometry: BaseGeometry, precision: int) -> BaseGeometry:
    rounded = shape(_round_mapping(mapping(geometry), precision))
    return rounded if rounded.is_valid else make_valid(rounded)


def _round_mapping(data: dict, precision: int) -> dict:
    if data["type"] == "GeometryCollection":
        return {"type": data["type"], "geometries": [_round_mapping(g, precision) for g in data["geometries"]]}
    return {"type": data["type"], "coordinates": _round_coords(data["coordinates"], precision)}


def _round_coords(coords, precision: int):
    if isinstance(coords, (int, float)):
        return round(float(coords), precision)
    if coords and isinstance(coords[0], (int, float)):
        return [round(float(c), precision) for c in coords[:2]]
    return [_round_coords(c, precision) for c in coords]
