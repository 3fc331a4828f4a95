"""Areas of interest: from any shapely geometry in EPSG:4326 to M2M spatial filters.

Decisions, so callers know what they get:

- Coordinates must be longitude/latitude (EPSG:4326). Latitudes outside [-90, 90] or
  longitudes outside [-180, 360] are refused with a message that suggests the layer is in a
  projected CRS (metres) and must be reprojected.
- Points and lines are buffered by :data:`POINT_BUFFER_DEGREES` (about 100 m) with square
  ends, so a point becomes a small rectangle (an ``mbr`` filter) and a line a thin corridor.
- Invalid polygons are repaired with ``make_valid``; only their polygonal parts are kept.
- Axis-aligned rectangles become an ``mbr`` filter, everything else a ``geojson`` Polygon or
  MultiPolygon: exterior rings counter-clockwise, holes clockwise, rings closed.
- More than :data:`MAX_VERTICES` vertices (the service has no published limit; large bodies
  slow it down or are refused): the AOI is simplified with topology preserved and grown
  by the same tolerance (mitred corners), the tolerance doubling until it fits and the result
  covers the original AOI (checked); the convex hull, then the bounding box, are the last resorts.
- The antimeridian: a geometry with longitudes beyond 180 (0..360 convention), or one whose
  longitude span exceeds 180° but fits in less once negative longitudes are shifted by 360
  (a polygon drawn across the date line in -180..180 numbers), is split at 180° into an
  eastern and a western part. :func:`to_m2m_spatial_filters` returns one filter per part;
  the search runs them one after the other and drops duplicate scenes.
"""

from __future__ import annotations

import logging
from typing import Any

from shapely.affinity import translate
from shapely.geometry import GeometryCollection, MultiPolygon, Polygon, box, mapping, shape
from shapely.geometry.polygon import orient
from shapely.validation import make_valid

from .errors import BadInputError

LOG = logging.getLogger(__name__)

MAX_VERTICES = 1000
POINT_BUFFER_DEGREES = 0.001
_RECTANGLE_TOLERANCE = 1e-9


class AoiError(BadInputError):
    default_message = "The area of interest cannot be used for a search."


def _as_geometry(geom: Any):
    if geom is None:
        raise AoiError("No area of interest was given.")
    if isinstance(geom, dict):
        if geom.get("type") == "Feature":
            geom = geom.get("geometry") or {}
        try:
            geom = shape(geom)
        except Exception as exc:  # noqa: BLE001 - any malformed GeoJSON is the user's input
            raise AoiError(f"The area of interest is not valid GeoJSON: {exc}") from exc
    if not hasattr(geom, "geom_type"):
        raise AoiError(f"The area of interest must be a geometry, not {type(geom).__name__}.")
    if geom.is_empty:
        raise AoiError("The area of interest is empty.")
    return geom


def _check_range(geom) -> None:
    minx, miny, maxx, maxy = geom.bounds
    if miny < -90 or maxy > 90 or minx < -180 or maxx > 360:
        raise AoiError(
            f"The area of interest has coordinates outside longitude/latitude ranges "
            f"(x {minx:.6g}..{maxx:.6g}, y {miny:.6g}..{maxy:.6g}). It looks like projected coordinates "
            "(metres); reproject it to WGS 84 (EPSG:4326) first."
        )


def _polygonal(geom):
    """The polygonal part of ``geom`` as a Polygon or MultiPolygon, or None."""
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    if isinstance(geom, GeometryCollection) or geom.geom_type == "GeometryCollection":
        polygons = []
        for part in geom.geoms:
            part = _polygonal(part)
            if part is not None:
                polygons.extend(part.geoms if isinstance(part, MultiPolygon) else [part])
        if polygons:
            return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
    return None


def prepare_aoi(geom: Any):
    """A valid Polygon or MultiPolygon in lon/lat from any shapely geometry or GeoJSON mapping."""
    geom = _as_geometry(geom)
    _check_range(geom)
    if geom.geom_type in ("Point", "MultiPoint", "LineString", "MultiLineString", "LinearRing"):
        # square caps and mitred joins keep the vertex count tiny (a point becomes a rectangle)
        geom = geom.buffer(POINT_BUFFER_DEGREES, cap_style=3, join_style=2)
    elif not geom.is_valid:
        geom = make_valid(geom)
    polygonal = _polygonal(geom)
    if polygonal is None:
        polygonal = _polygonal(geom.buffer(POINT_BUFFER_DEGREES, cap_style=3, join_style=2))
    if polygonal is None or polygonal.is_empty:
        raise AoiError(f"The area of interest ({geom.geom_type}) has no area that can be searched.")
    if not polygonal.is_valid:
        polygonal = _polygonal(make_valid(polygonal)) or polygonal.buffer(0)
    return polygonal


def _crosses_antimeridian(geom) -> bool:
    minx, _, maxx, _ = geom.bounds
    if maxx > 180:
        return True
    if maxx - minx <= 180:
        return False
    shifted_minx, _, shifted_maxx, _ = _shift_west(geom).bounds
    return shifted_maxx - shifted_minx <= 180


def _shift_west(geom):
    """Negative longitudes shifted by +360 (a date-line crossing drawn in -180..180 numbers).

    ``geom`` is a Polygon or MultiPolygon; rebuilt from its rings with the plain constructors,
    which behave the same on shapely 1.8 and 2.x (``shapely.ops.transform`` does not)."""

    def ring(coords) -> list:
        return [(x + 360 if x < 0 else x, *rest) for x, *rest in coords]

    def polygon(part: Polygon) -> Polygon:
        return Polygon(ring(part.exterior.coords), [ring(hole.coords) for hole in part.interiors])

    if isinstance(geom, MultiPolygon):
        return MultiPolygon([polygon(part) for part in geom.geoms])
    return polygon(geom)


def split_antimeridian(geom) -> list:
    """One geometry, or two (east of 180° shifted back to negative longitudes) for a crossing AOI."""
    geom = prepare_aoi(geom)
    if not _crosses_antimeridian(geom):
        return [geom]
    shifted = geom if geom.bounds[2] > 180 else _shift_west(geom)  # already in 0..360 numbers, or not
    if not shifted.is_valid:
        shifted = _polygonal(make_valid(shifted)) or shifted
    west = _polygonal(shifted.intersection(box(-180, -90, 180, 90)))
    east = _polygonal(shifted.intersection(box(180, -90, 360, 90)))
    parts = []
    if west is not None and not west.is_empty:
        parts.append(west)
    if east is not None and not east.is_empty:
        parts.append(translate(east, xoff=-360))
    return parts or [geom]


def _is_rectangle(geom) -> bool:
    if not isinstance(geom, Polygon) or len(geom.interiors):
        return False
    envelope = box(*geom.bounds)
    return abs(envelope.area - geom.area) <= _RECTANGLE_TOLERANCE * max(envelope.area, 1e-12) \
        and geom.symmetric_difference(envelope).area <= _RECTANGLE_TOLERANCE * max(envelope.area, 1e-12)


def vertex_count(geom) -> int:
    polygons = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    return sum(len(p.exterior.coords) + sum(len(r.coords) for r in p.interiors) for p in polygons)


def _reduce_vertices(geom, limit: int):
    """A geometry with at most ``limit`` vertices that covers ``geom``."""
    minx, miny, maxx, maxy = geom.bounds
    extent = max(maxx - minx, maxy - miny) or 1e-6
    tolerance = extent / 10_000
    while tolerance < extent / 8:  # beyond that the hull is the better shape
        # simplify first (cheap on many vertices), then grow by the same tolerance so it covers
        candidate = _polygonal(geom.simplify(tolerance, preserve_topology=True).buffer(tolerance, join_style=2))
        if candidate is not None and vertex_count(candidate) <= limit and candidate.covers(geom):
            LOG.info("AOI simplified from %d to %d vertices (tolerance %.3g°)",
                     vertex_count(geom), vertex_count(candidate), tolerance)
            return candidate
        tolerance *= 2
    hull = geom.convex_hull
    if isinstance(hull, Polygon) and vertex_count(hull) <= limit:
        LOG.info("AOI replaced by its convex hull (%d vertices)", vertex_count(hull))
        return hull
    LOG.info("AOI replaced by its bounding box")
    return box(*geom.bounds)


def _oriented(geom):
    if isinstance(geom, MultiPolygon):
        return MultiPolygon([orient(p, 1.0) for p in geom.geoms])
    return orient(geom, 1.0)


def _geojson(geom) -> dict:
    data = mapping(_oriented(geom))
    rings = data["coordinates"] if data["type"] == "Polygon" else [r for p in data["coordinates"] for r in p]
    for ring in rings:
        if ring and tuple(ring[0]) != tuple(ring[-1]):  # mapping closes rings; be sure anyway
            ring.append(ring[0])
    return {"type": data["type"], "coordinates": _lists(data["coordinates"])}


def _lists(value):
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (int, float)):
            return [float(value[0]), float(value[1])]
        return [_lists(v) for v in value]
    return value


def _filter_for(geom, max_vertices: int) -> dict:
    if _is_rectangle(geom):
        minx, miny, maxx, maxy = geom.bounds
        return {"filterType": "mbr",
                "lowerLeft": {"latitude": miny, "longitude": minx},
                "upperRight": {"latitude": maxy, "longitude": maxx}}
    if vertex_count(geom) > max_vertices:
        geom = _reduce_vertices(geom, max_vertices)
        if _is_rectangle(geom):
            return _filter_for(geom, max_vertices)
    return {"filterType": "geojson", "geoJson": _geojson(geom)}


def to_m2m_spatial_filters(geom: Any, max_vertices: int = MAX_VERTICES) -> list[dict]:
    """One spatial filter per side of the antimeridian (usually just one)."""
    return [_filter_for(part, max_vertices) for part in split_antimeridian(geom)]


def to_m2m_spatial_filter(geom: Any, max_vertices: int = MAX_VERTICES) -> dict:
    """The M2M ``spatialFilter`` for an AOI that does not cross the antimeridian.

    A crossing AOI needs two filters: use :func:`to_m2m_spatial_filters` (``search_scenes``
    does this by itself).
    """
    filters = to_m2m_spatial_filters(geom, max_vertices)
    if len(filters) > 1:
        raise AoiError("The area of interest crosses the antimeridian (180°): it needs two searches. "
                       "Use to_m2m_spatial_filters, or search_scenes which splits it by itself.")
    return filters[0]
