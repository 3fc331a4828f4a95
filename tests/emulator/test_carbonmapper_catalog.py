"""The synthetic Carbon Mapper catalog: seeded, shaped like the service's, where emissions are."""

from __future__ import annotations

import re

import numpy as np
from shapely.geometry import Point, Polygon

from scene_finder.emulator.carbonmapper.catalog import INSTRUMENTS, REGIONS, SECTORS, build_catalog, plume_letter

NAME_PATTERNS = {
    "GAO": r"GAO\d{8}t\d{6}p0000",
    "ang": r"ang\d{8}t\d{6}",
    "emi": r"emi\d{8}t\d{6}p\d{5}",
    "tan": r"tan\d{8}t\d{6}c\d{2}s4001",
    "ssc": r"ssc\d{8}t\d{6}",
}


def test_same_seed_same_catalog_other_seed_other_catalog():
    first, again, other = build_catalog(5, 800, 200), build_catalog(5, 800, 200), build_catalog(6, 800, 200)
    assert first.scenes.names == again.scenes.names
    assert first.plumes.ids == again.plumes.ids
    assert np.array_equal(first.plumes.emission, again.plumes.emission, equal_nan=True)
    assert first.scenes.names != other.scenes.names


def test_counts_names_and_instruments():
    catalog = build_catalog(1, 3000, 700)
    scenes, plumes = catalog.scenes, catalog.plumes
    assert len(scenes) == 3000 and len(plumes) == 700
    assert len(set(scenes.names)) == 3000 and len(set(scenes.ids)) == 3000
    assert set(scenes.instruments) == set(INSTRUMENTS)
    for name, instrument in zip(scenes.names, scenes.instruments, strict=True):
        assert re.fullmatch(NAME_PATTERNS[instrument], name), name
    years = {int(name[3:7]) for name in scenes.names}
    assert min(years) >= 2016 and max(years) <= 2026
    assert scenes.cloud.min() >= 0 and scenes.cloud.max() <= 100


def test_plumes_sit_in_their_scene_and_are_named_after_it():
    catalog = build_catalog(2, 2000, 500)
    scenes, plumes = catalog.scenes, catalog.plumes
    assert len(set(plumes.names)) == len(plumes)
    for j in range(len(plumes)):
        i = int(plumes.scene[j])
        scene, _, letter = plumes.names[j].rpartition("-")
        assert scene == scenes.names[i] and letter.isalpha() and letter.isupper()
        assert Polygon(scenes.rings[i]).buffer(0.01).contains(Point(plumes.lon[j], plumes.lat[j]))
        west, south, east, north = plumes.bounds[j]
        assert west < plumes.lon[j] < east and south < plumes.lat[j] < north
    assert set(plumes.sector) <= set(SECTORS) and set(plumes.gas) == {"CH4", "CO2"}
    assert np.isnan(plumes.emission).any(), "some plumes have no emission estimate"
    assert np.nanmin(plumes.emission) > 0


def test_scenes_cluster_over_emission_regions():
    catalog = build_catalog(3, 5000, 1000)
    permian = next(r for r in REGIONS if r.name == "Permian").bbox
    centres = catalog.scenes.bbox[:, :2] / 2 + catalog.scenes.bbox[:, 2:] / 2
    inside = ((centres[:, 0] > permian[0] - 0.5) & (centres[:, 0] < permian[2] + 0.5)
              & (centres[:, 1] > permian[1] - 0.5) & (centres[:, 1] < permian[3] + 0.5))
    # the Permian is ~0.004 % of the globe's area but hosts far more scenes than that
    assert inside.mean() > 0.1
    assert (centres[:, 0] > 0).any(), "a worldwide scatter too"
    width = catalog.scenes.bbox[:, 2] - catalog.scenes.bbox[:, 0]
    assert width.max() < 2.0, "footprints are small polygons"


def test_plume_letters():
    assert [plume_letter(i) for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]
