"""SavedSearch: from a request and back, its JSON in the project, what a new run found, the keys of a run."""

from __future__ import annotations

import datetime
import json

from qgis.core import QgsProject
from shapely.geometry import box

from scene_finder.core.models import Scene
from scene_finder.gis.footprints import write_footprints
from scene_finder.gis.operations.search import SearchRequest
from scene_finder.gis.saved_searches import (
    PROJECT_KEY,
    PROJECT_SCOPE,
    SavedSearch,
    read_saved,
    result_keys,
    write_saved,
)

KEYS = ("entity_id", "plume_id", "id", "name")


def _request(**changes) -> SearchRequest:
    values = dict(aoi=box(-76.9196, 35.5713, -75.446, 36.3793), start=datetime.date(2023, 3, 1),
                  end=datetime.date(2023, 4, 1), cloud_max=60.0, include_unknown_cloud=False,
                  dataset="landsat_ot_c2_l2", metadata={"5e83d14fb9436d88": "T1", "5e83d1e5e2f6a8e5": ("10", "20")},
                  limit=500)
    values.update(changes)
    return SearchRequest(**values)


def test_a_request_is_saved_and_given_back():
    saved = SavedSearch.from_request("Albemarle", "landsat", _request())
    assert (saved.start, saved.end, saved.cloud_max, saved.include_unknown_cloud) == ("2023-03-01", "2023-04-01",
                                                                                        60.0, False)
    assert saved.metadata == {"5e83d14fb9436d88": "T1", "5e83d1e5e2f6a8e5": ["10", "20"]}
    again = saved.request()
    assert again.aoi.equals(box(-76.9196, 35.5713, -75.446, 36.3793))
    assert (again.start, again.end, again.limit, again.dataset) == (datetime.date(2023, 3, 1),
                                                                    datetime.date(2023, 4, 1), 500, "landsat_ot_c2_l2")
    assert saved.same_search(SavedSearch.from_request("other name", "landsat", _request()))
    assert not saved.same_search(SavedSearch.from_request("Albemarle", "landsat", _request(cloud_max=70.0)))
    assert not saved.same_search(SavedSearch.from_request("Albemarle", "cm_scenes", _request()))


def test_a_run_says_which_scenes_are_new():
    saved = SavedSearch.from_request("Albemarle", "landsat", _request())
    assert saved.ran(["A", "B", "C"], "/data/landsat_1.gpkg", datetime.datetime(2026, 11, 2, 10, 0)) == ["A", "B", "C"]
    assert saved.last_run == "2026-11-02T10:00:00" and saved.last_file == "/data/landsat_1.gpkg"
    assert saved.ran(["D", "A", "B", "C", "E", "D"], None) == ["D", "E"]
    assert saved.last_keys == ["D", "A", "B", "C", "E"] and saved.last_file is None


def test_the_project_keeps_only_the_searchs_fields(qgis_new_project):
    saved = SavedSearch.from_request("Albemarle", "landsat", _request())
    saved.ran(["A"], "/data/landsat_1.gpkg")
    write_saved([saved])
    text, found = QgsProject.instance().readEntry(PROJECT_SCOPE, PROJECT_KEY, "")
    assert found
    entry = json.loads(text)["searches"][0]
    assert set(entry) == {"name", *SavedSearch.PARAMETERS, "saved_at", "last_run", "last_keys", "last_file"}
    assert read_saved() == [saved]
    write_saved([])
    assert read_saved() == [] and QgsProject.instance().readEntry(PROJECT_SCOPE, PROJECT_KEY, "")[0] == ""


def test_the_keys_of_a_run_come_from_its_geopackage(tmp_path, qgis_app):
    path = tmp_path / "landsat_20261102_100000_1.gpkg"
    write_footprints([Scene(f"E{i}", f"D{i}", "landsat_ot_c2_l2", footprint=box(i, 0, i + 1, 1)) for i in range(3)],
                     path)
    assert result_keys(path, "footprints", KEYS) == ["E0", "E1", "E2"]
    assert result_keys(tmp_path / "gone.gpkg", "footprints", KEYS) == []
    assert not (tmp_path / "gone.gpkg").exists()
