"""Plain polygon rings: read as the service sent them, made into the same geometry and WKB as shapely's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Polygon

from scene_finder.core.compat import wkb_writer
from scene_finder.core.models import Scene, scene_from_result
from scene_finder.core.rings import PolygonRing, plain_ring

numbers = st.one_of(st.floats(-180, 180, allow_nan=False), st.integers(-180, 180))
points = st.lists(st.lists(numbers, min_size=2, max_size=2), min_size=4, max_size=12)


@given(points, st.booleans())
def test_the_wkb_is_what_geos_writes(ring, closed):
    if closed:
        ring = [*ring, list(ring[0])]
    made = plain_ring([ring])
    assert isinstance(made, PolygonRing)
    assert made.wkb() == wkb_writer()(Polygon(ring))
    assert made.polygon().wkb == Polygon(ring).wkb
    assert list(made.polygon().exterior.coords) == list(Polygon(ring).exterior.coords)


def test_other_shapes_are_left_to_the_general_reader():
    assert plain_ring([[[0, 0], [1, 0], [1, 1]], [[0.2, 0.2], [0.3, 0.2], [0.3, 0.3]]]) is None  # a hole
    assert plain_ring([[[0, 0, 5], [1, 0, 5], [1, 1, 5]]]) is None  # 3D
    assert plain_ring([[[0, 0], [1, 0], [0, 0]]]) is None  # too short: for the general reader


def test_a_position_that_is_no_pair_of_finite_numbers_is_malformed():
    for bad in (float("nan"), float("inf"), "1", True, None, 2 ** 60):
        assert plain_ring([[[0, 0], [1, bad], [1, 1], [0, 0]]]) is False


def test_a_scene_makes_its_polygon_once_and_only_when_asked():
    ring = [[-76.0, 35.0], [-75.0, 35.0], [-75.0, 36.0], [-76.0, 36.0], [-76.0, 35.0]]
    scene = scene_from_result({"entityId": "E", "displayId": "D", "temporalCoverage": {},
                               "spatialCoverage": {"type": "Polygon", "coordinates": [ring]}}, "ds")
    assert isinstance(scene.stored_footprint, PolygonRing)
    polygon = scene.footprint
    assert polygon.equals(Polygon(ring)) and scene.footprint is polygon
    assert scene == Scene("E", "D", "ds") and hash(scene) == hash(Scene("E", "D", "ds"))


def test_an_unreadable_footprint_keeps_the_scene():
    ring = [[0, 0], [1, "x"], [1, 1], [0, 0]]
    scene = scene_from_result({"entityId": "E", "displayId": "D", "temporalCoverage": {},
                               "spatialCoverage": {"type": "Polygon", "coordinates": [ring]}}, "ds")
    assert scene.entity_id == "E" and scene.footprint is None


def test_positions_that_only_look_like_pairs_take_the_careful_way():
    # the one-pass check unpacks each position into two values: text or an object of two keys
    # unpack too, and must not pass for coordinates
    assert plain_ring([[[0.0, 0.0], "ab", [1.0, 1.0], [0.0, 0.0]]]) is None
    assert plain_ring([[[0.0, 0.0], {"x": 1.0, "y": 0.0}, [1.0, 1.0], [0.0, 0.0]]]) is None
    assert plain_ring([[[0.0, 0.0], 7, [1.0, 1.0], [0.0, 0.0]]]) is None
    assert plain_ring([[[0.0, 0.0], [1.0, -float("inf")], [1.0, 1.0], [0.0, 0.0]]]) is False
    mixed = plain_ring([[[0, 0.0], [1.0, 0], [1, 1], [0.0, 0]]])  # ints among floats: read, as GEOS reads them
    assert mixed.wkb() == wkb_writer()(Polygon([[0, 0], [1, 0], [1, 1], [0, 0]]))
