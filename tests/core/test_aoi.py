"""AOI preparation and M2M spatial filters: rectangles, polygons, repairs, limits, antimeridian."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box, shape

from scene_finder.core.aoi import (
    MAX_VERTICES,
    AoiError,
    prepare_aoi,
    split_antimeridian,
    to_m2m_spatial_filter,
    to_m2m_spatial_filters,
    vertex_count,
)
from scene_finder.core.errors import BadInputError

SEED_AOI = Polygon([(-75.4460, 36.3793), (-76.9196, 36.3793), (-76.9196, 35.5713), (-75.4460, 35.5713)])


def wiggly(cx: float, cy: float, radius: float, vertices: int) -> Polygon:
    return Polygon([(cx + radius * (1 + 0.2 * math.sin(41 * a)) * math.cos(a),
                     cy + radius * (1 + 0.2 * math.sin(41 * a)) * math.sin(a))
                    for a in (2 * math.pi * i / vertices for i in range(vertices))])


def is_ccw(ring) -> bool:
    coords = list(ring)
    return sum((x2 - x1) * (y2 + y1) for (x1, y1), (x2, y2) in zip(coords, coords[1:], strict=False)) < 0


def test_seed_rectangle_becomes_an_mbr():
    assert to_m2m_spatial_filter(SEED_AOI) == {
        "filterType": "mbr",
        "lowerLeft": {"latitude": 35.5713, "longitude": -76.9196},
        "upperRight": {"latitude": 36.3793, "longitude": -75.446},
    }


def test_geojson_mapping_and_feature_are_accepted():
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [list(SEED_AOI.exterior.coords)]}}
    assert to_m2m_spatial_filter(feature)["filterType"] == "mbr"


def test_polygon_becomes_closed_ccw_geojson():
    clockwise = Polygon([(0, 0), (0, 1), (1, 2), (2, 1), (1, 0)])
    spatial = to_m2m_spatial_filter(clockwise)
    assert spatial["filterType"] == "geojson"
    ring = spatial["geoJson"]["coordinates"][0]
    assert spatial["geoJson"]["type"] == "Polygon" and ring[0] == ring[-1] and is_ccw(ring)


def test_multipolygon_with_hole_keeps_parts_and_orientation():
    outer = Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (1, 2), (2, 2), (2, 1)]])
    spatial = to_m2m_spatial_filter(MultiPolygon([outer, box(10, 10, 11, 11)]))
    geo = spatial["geoJson"]
    assert geo["type"] == "MultiPolygon" and len(geo["coordinates"]) == 2
    assert is_ccw(geo["coordinates"][0][0]) and not is_ccw(geo["coordinates"][0][1])


def test_self_intersecting_polygon_is_repaired():
    bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    prepared = prepare_aoi(bowtie)
    assert prepared.is_valid and prepared.area == pytest.approx(2.0)
    assert to_m2m_spatial_filter(bowtie)["geoJson"]["type"] == "MultiPolygon"


def test_point_and_line_are_buffered_a_little():
    point = to_m2m_spatial_filter(Point(-76, 36))
    assert point["filterType"] == "mbr"
    assert point["upperRight"]["longitude"] - point["lowerLeft"]["longitude"] == pytest.approx(0.002)
    corridor = prepare_aoi(LineString([(0, 0), (1, 1)]))
    assert corridor.area > 0 and corridor.covers(LineString([(0, 0), (1, 1)]))


def test_projected_coordinates_are_refused_with_a_hint():
    with pytest.raises(AoiError, match="projected") as caught:
        prepare_aoi(box(500000, 4000000, 510000, 4010000))
    assert isinstance(caught.value, BadInputError)


@pytest.mark.parametrize("bad", [None, Polygon(), "POLYGON", {"type": "Polygon", "coordinates": "x"}])
def test_unusable_input_is_refused(bad):
    with pytest.raises(AoiError):
        prepare_aoi(bad)


def test_too_many_vertices_are_simplified_and_still_cover_the_aoi():
    coast = wiggly(-76, 36, 0.5, 5000)
    spatial = to_m2m_spatial_filter(coast)
    simplified = shape(spatial["geoJson"])
    assert vertex_count(simplified) <= MAX_VERTICES
    assert simplified.buffer(1e-9).covers(coast)
    assert simplified.area < coast.envelope.area  # still follows the shape, not a box


def test_many_small_islands_fall_back_but_still_cover():
    islands = MultiPolygon([wiggly(x * 0.3, y * 0.3, 0.1, 60) for x in range(10) for y in range(10)])
    spatial = to_m2m_spatial_filter(islands, max_vertices=50)
    covering = shape(spatial["geoJson"]) if spatial["filterType"] == "geojson" else box(
        spatial["lowerLeft"]["longitude"], spatial["lowerLeft"]["latitude"],
        spatial["upperRight"]["longitude"], spatial["upperRight"]["latitude"])
    assert vertex_count(covering) <= 50 and covering.buffer(1e-9).covers(islands)


def test_antimeridian_in_0_360_numbers_is_split():
    parts = split_antimeridian(box(170, -20, 190, -10))
    assert sorted(p.bounds for p in parts) == [(-180, -20, -170, -10), (170, -20, 180, -10)]


def test_antimeridian_drawn_across_in_minus_180_numbers_is_split():
    fiji = Polygon([(177, -19), (-179, -19), (-179, -16), (177, -16)])
    filters = to_m2m_spatial_filters(fiji)
    assert len(filters) == 2 and {f["filterType"] for f in filters} == {"mbr"}
    west = sorted(f["lowerLeft"]["longitude"] for f in filters)
    assert west == [-180, 177]
    with pytest.raises(AoiError, match="antimeridian"):
        to_m2m_spatial_filter(fiji)


def test_span_over_180_degrees_is_read_as_crossing_unless_it_is_wide_either_way():
    # corners at -170 and 170: the 20° across the date line, not 340° around the world
    assert sorted(p.bounds for p in split_antimeridian(box(-170, 0, 170, 10))) == [
        (-180, 0, -170, 10), (170, 0, 180, 10)]
    assert len(split_antimeridian(box(-100, 0, 60, 10))) == 1
    assert len(split_antimeridian(box(-180, -60, 180, 60))) == 1  # the whole world stays one box


def test_crossing_multipolygon_with_a_hole_keeps_its_parts_and_hole_when_split():
    # drawn in -180..180 numbers: the date-line crossing part wraps to the east, its hole with it
    crossing = Polygon([(175, 0), (-175, 0), (-175, 10), (175, 10)], [[(178, 4), (-178, 4), (-178, 6), (178, 6)]])
    apart = Polygon([(170, -10), (172, -10), (172, -8), (170, -8)])
    parts = split_antimeridian(MultiPolygon([crossing, apart]))
    assert sum(part.area for part in parts) == pytest.approx(10 * 10 - 4 * 2 + 2 * 2)
    assert sorted(tuple(round(v, 9) for v in part.bounds) for part in parts) == [
        (-180, 0, -175, 10), (170, -10, 180, 10)]


def test_mixed_numbers_beyond_180_are_split_at_180():
    parts = sorted(p.bounds for p in split_antimeridian(box(-10, 0, 190, 10)))
    assert parts == [(-180, 0, -170, 10), (-10, 0, 180, 10)]
