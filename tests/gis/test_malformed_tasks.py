"""The panel's tasks on a malformed service answer: our clear message, never "Unexpected error"."""

from __future__ import annotations

from shapely.geometry import box
from support.tasks import run_sync

from scene_finder.core.errors import MalformedAnswerError
from scene_finder.gis.tasks.carbonmapper import CarbonMapperPlumeSearchTask
from scene_finder.gis.tasks.m2m import M2MSearchTask, SearchParams


def test_m2m_search_task_with_an_integer_where_results_should_be(emulator, tmp_path, qgis_app):
    emulator.faults.add("m2m", "scene-search", "malformed_json", variant="containers")
    errors = []
    task = M2MSearchTask(("demo", "demo-application-token"),
                         SearchParams(aoi=box(-76.6, 35.8, -75.6, 36.3), start="2023-03-01", end="2023-04-01"),
                         tmp_path / "search.gpkg", base_url=emulator.m2m_url, on_error=errors.append)
    run_sync(task)
    assert isinstance(task.error, MalformedAnswerError) and errors == [task.error]
    assert str(task.error).startswith("USGS M2M answered with data Scene Finder cannot read (field results[])")
    assert not (tmp_path / "search.gpkg").exists()


def test_plume_search_task_with_text_coordinates(emulator, tmp_path, qgis_app):
    emulator.faults.add("carbonmapper", "catalog/plumes/annotated", "malformed_json", variant="plume_geometry")
    task = run_sync(CarbonMapperPlumeSearchTask({"gas": "CH4"}, tmp_path / "plumes.gpkg",
                                                token="demo-carbonmapper-token", base_url=emulator.carbonmapper_url))
    assert isinstance(task.error, MalformedAnswerError)
    assert "Unexpected error" not in str(task.error) and "geometry_json" in str(task.error)
