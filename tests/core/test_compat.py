"""The core-side run-time choices between library versions (shapely 1.8 and 2.x)."""

from __future__ import annotations

import sys
import warnings

from shapely import wkb
from shapely.geometry import MultiPolygon, Polygon, box

from scene_finder.core import compat
from scene_finder.core.models import Scene


def test_wkb_writer_writes_the_same_wkb_as_shapely_without_a_deprecation():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # shapely 2 deprecates the shapely.geos module that 1.8 needs
        write = compat.wkb_writer()
    shapes = [box(0, 0, 1, 1), MultiPolygon([box(0, 0, 1, 1), box(2, 2, 3, 3)]),
              Polygon([(0, 0, 1), (1, 0, 2), (1, 1, 3)])]
    for shape in shapes:
        assert write(shape) == shape.wkb
        assert wkb.loads(write(shape)).equals(shape)


def test_scenes_have_slots_where_python_has_dataclass_slots():
    scene = Scene("E", "D", "landsat_ot_c2_l2")
    if sys.version_info >= (3, 10):
        assert compat.DATACLASS_SLOTS == {"slots": True}
        assert not hasattr(scene, "__dict__")
    else:
        assert compat.DATACLASS_SLOTS == {}
    assert scene == Scene("E", "D", "landsat_ot_c2_l2") and hash(scene) == hash(Scene("E", "D", "landsat_ot_c2_l2"))
