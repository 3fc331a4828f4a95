"""The intersects AOI: compact, rounded, and when shrunk still covering the AOI and under the URL limit."""

from __future__ import annotations

import json
import math
import random

import pytest
from shapely.geometry import MultiPolygon, Point, Polygon, box, shape

from scene_finder.core.carbonmapper.intersects import (
    DEFAULT_RESERVE,
    MAX_URL_BYTES,
    IntersectsError,
    fit_intersects,
    geojson_text,
    normalise_aoi,
    url_length,
)
from scene_finder.core.carbonmapper.intersects import _outward_box as _outward_box

ENDPOINT = "https://api.carbonmapper.org/api/v1/catalog/download/scenes.gpkg"
PARAMS = {"datetime": "2020-01-01/2023-12-31", "limit": 1000, "offset": 0}


def wiggly(cx: float, cy: float, radius: float, vertices: int, seed: int = 1) -> Polygon:
    """A coastline-like polygon with many vertices."""
    rng = random.Random(seed)
    points = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = radius * (1 + 0.15 * math.sin(37 * angle) + 0.05 * rng.random())
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return Polygon(points)


def test_small_aoi_is_sent_exactly_compact_and_rounded():
    aoi = box(-119.123456789, 35.987654321, -118.5, 36.5)
    fit = fit_intersects(aoi, ENDPOINT, PARAMS)
    assert fit.method == "exact" and not fit.shrunk
    assert " " not in fit.value
    data = json.loads(fit.value)
    assert data["type"] == "Polygon"
    flat = [c for ring in data["coordinates"] for point in ring for c in point]
    assert all(round(c, 5) == c for c in flat)
    assert -119.12346 in flat
    assert fit.keeps(Point(0, 0))  # not shrunk: nothing to filter


@pytest.mark.parametrize("vertices", [2_000, 20_000])
def test_big_aoi_is_shrunk_to_a_covering_geometry_that_fits(vertices):
    aoi = wiggly(-120, 36, 3, vertices)
    assert url_length(ENDPOINT, {**PARAMS, "intersects": geojson_text(aoi)}) > MAX_URL_BYTES
    fit = fit_intersects(aoi, ENDPOINT, PARAMS)
    assert fit.shrunk
    assert fit.geometry.covers(aoi)
    assert shape(json.loads(fit.value)).covers(aoi)
    assert url_length(ENDPOINT, {**PARAMS, "intersects": fit.value}) <= MAX_URL_BYTES
    # still a useful shape, not the bounding box
    assert fit.method == "simplified"
    assert fit.geometry.area < aoi.envelope.area


def test_shrunk_fit_filters_against_the_exact_aoi():
    aoi = wiggly(-120, 36, 3, 5_000)
    fit = fit_intersects(aoi, ENDPOINT, PARAMS)
    inside = aoi.representative_point()
    outside_but_in_sent = next(
        p for p in (Point(x / 100, y / 100) for x in range(-12400, -11600, 7) for y in range(3200, 4000, 7))
        if fit.geometry.contains(p) and not aoi.intersects(p)
    )
    assert fit.keeps(inside)
    assert fit.keeps({"type": "Point", "coordinates": [inside.x, inside.y]})
    assert not fit.keeps(outside_but_in_sent)


def test_multipolygon_with_holes_is_covered_and_fits():
    parts = []
    for i in range(6):
        outer = wiggly(-110 + 4 * i, 40, 1.5, 1_500, seed=i)
        hole = wiggly(-110 + 4 * i, 40, 0.5, 300, seed=10 + i)
        parts.append(Polygon(outer.exterior, [hole.exterior]))
    aoi = MultiPolygon(parts)
    fit = fit_intersects(aoi, ENDPOINT, PARAMS)
    assert fit.shrunk and fit.geometry.covers(aoi)
    assert fit.url_bytes <= MAX_URL_BYTES
    # holes were dropped: a point in a hole is in the sent geometry but not kept
    in_hole = parts[0].interiors[0].centroid
    assert fit.geometry.contains(in_hole) and not fit.keeps(in_hole)


def test_a_tight_limit_falls_back_to_hull_then_bounding_box():
    aoi = wiggly(-120, 36, 3, 3_000)
    bbox_text = geojson_text(_outward_box(aoi.bounds, 1e-5))
    bbox_url = url_length(ENDPOINT, {**PARAMS, "intersects": bbox_text})
    hull_fit = fit_intersects(aoi, ENDPOINT, PARAMS, max_url_bytes=bbox_url + DEFAULT_RESERVE + 40)
    assert hull_fit.method == "convex hull" and hull_fit.geometry.covers(aoi)
    box_fit = fit_intersects(aoi, ENDPOINT, PARAMS, max_url_bytes=bbox_url + DEFAULT_RESERVE)
    assert box_fit.method == "bounding box" and box_fit.value == bbox_text
    assert box_fit.geometry.covers(aoi)
    with pytest.raises(IntersectsError, match="URL limit"):
        fit_intersects(aoi, ENDPOINT, PARAMS, max_url_bytes=bbox_url - 10)


def test_invalid_bowtie_is_made_valid():
    bowtie = Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    assert not bowtie.is_valid
    fit = fit_intersects(bowtie, ENDPOINT, PARAMS)
    assert fit.exact.is_valid and fit.exact.area == pytest.approx(0.5)
    assert shape(json.loads(fit.value)).is_valid


def test_antimeridian_crossing_is_split_into_both_sides():
    aoi = box(170, -20, 190, -10)
    exact = normalise_aoi(aoi)
    assert exact.geom_type == "MultiPolygon"
    assert exact.bounds == (-180, -20, 180, -10)
    assert exact.area == pytest.approx(aoi.area)
    fit = fit_intersects(aoi, ENDPOINT, PARAMS)
    assert fit.keeps(Point(-175, -15)) and fit.keeps(Point(175, -15))
    assert json.loads(fit.value)["type"] == "MultiPolygon"


def test_bad_coordinates_are_refused_with_a_clear_message():
    with pytest.raises(IntersectsError, match="EPSG:4326"):
        normalise_aoi(box(500000, 4000000, 510000, 4010000))
    with pytest.raises(IntersectsError, match="whole world"):
        normalise_aoi(box(-200, 0, 200, 10))
    with pytest.raises(IntersectsError, match="empty"):
        normalise_aoi(Polygon())


def test_geojson_dict_input_and_right_hand_rule():
    clockwise = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    fit = fit_intersects(clockwise, ENDPOINT, PARAMS)
    assert fit.geometry.exterior.is_ccw


def star(vertices: int, seed: int) -> Polygon:
    rng = random.Random(seed)
    points = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = 0.5 + rng.random() * 2
        points.append((10 + r * math.cos(angle), 45 + r * math.sin(angle)))
    return Polygon(points)


def islands(count: int, seed: int) -> MultiPolygon:
    rng = random.Random(seed)
    squares = [box(x, y, x + 0.01, y + 0.01) for x, y in
               ((rng.uniform(-5, 5), rng.uniform(50, 55)) for _ in range(count))]
    return MultiPolygon([s for s in squares])


@pytest.mark.parametrize(
    "aoi",
    [star(3000, 1), star(8000, 2), islands(400, 3), islands(2000, 4),
     Polygon([(175 + i * 0.001, 10 + 0.5 * math.sin(i / 50)) for i in range(10_000)] + [(185, -10), (175, -10)])],
    ids=["star-3000", "star-8000", "islands-400", "islands-2000", "antimeridian-strip"],
)
def test_any_shrunk_geometry_covers_the_aoi_and_fits(aoi):
    fit = fit_intersects(aoi, ENDPOINT, PARAMS)
    assert fit.shrunk
    sent = shape(json.loads(fit.value))
    assert sent.covers(fit.exact)
    assert url_length(ENDPOINT, {**PARAMS, "intersects": fit.value, "offset": 10**9}) <= MAX_URL_BYTES
