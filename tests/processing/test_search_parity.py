"""The panel and Processing search the same way: for the same inputs, the panel's search task (made
from the source registry, as the dock makes it) and the Processing algorithm find the same records.

Both run for real against the emulator, whose catalogs hold scenes with unknown cloud cover
(USGS M2M: about 2 %; Carbon Mapper: one scene in 40), so the cloud rule is exercised both ways.
"""

from __future__ import annotations

import datetime

import processing
import pytest
from osgeo import ogr
from shapely.geometry import box
from support.tasks import run_sync

from scene_finder.gis.operations.search import SearchRequest
from scene_finder.gis.sources import SOURCES
from scene_finder.ui.dock import UI_PAGE_SIZE

from .conftest import CM_TOKEN, M2M_TOKEN, M2M_USER

# (xmin, ymin, xmax, ymax) in EPSG:4326
NORTH_CAROLINA = (-78.5, 34.5, -75.5, 36.5)
SAN_JOAQUIN = (-120.6, 34.9, -118.7, 37.2)


def _extent(bounds) -> str:
    xmin, ymin, xmax, ymax = bounds
    return f"{xmin},{xmax},{ymin},{ymax} [EPSG:4326]"


def _ids(path, field: str) -> set[str]:
    dataset = ogr.Open(str(path))
    assert dataset is not None, path
    layer = dataset.GetLayer(0)
    ids = {str(feature.GetField(field)) for feature in layer}
    dataset = None
    return ids


def _panel(source_id: str, request: SearchRequest, credentials, output) -> set[str]:
    source = SOURCES[source_id]
    task = run_sync(source.search_task(request, credentials, output, "parity"))
    assert task.error is None, task.error
    return task.result


def _processing(algorithm: str, parameters: dict, context, feedback) -> str:
    return processing.run(algorithm, parameters, context=context, feedback=feedback)["OUTPUT"]


M2M_CASES = [(cloud, unknown, metadata) for cloud in (0, 40, 100) for unknown in (True, False)
             for metadata in (None, {"Satellite": "9"})]


@pytest.mark.parametrize(("cloud", "unknown", "metadata"), M2M_CASES)
def test_landsat_panel_and_m2msearch_find_the_same_scenes(provider, services, context, feedback, tmp_path, qgis_app,
                                                          cloud, unknown, metadata):
    start, end = datetime.date(2022, 6, 1), datetime.date(2023, 5, 31)
    request = SearchRequest(aoi=box(*NORTH_CAROLINA), start=start, end=end, cloud_max=float(cloud),
                            include_unknown_cloud=unknown, dataset="landsat_ot_c2_l2", metadata=metadata, limit=5000,
                            page_size=UI_PAGE_SIZE)
    result = _panel("landsat", request, (M2M_USER, M2M_TOKEN), tmp_path / "panel.gpkg")
    output = _processing("scenefinder:m2msearch", {
        "EXTENT": _extent(NORTH_CAROLINA), "START_DATE": start.isoformat(), "END_DATE": end.isoformat(),
        "CLOUD_MAX": cloud, "INCLUDE_UNKNOWN_CLOUD": unknown, "METADATA_FILTERS": "" if metadata is None else
        '{"Satellite": "9"}', "MAX_RESULTS": 5000, "OUTPUT": str(tmp_path / "processing.gpkg")}, context, feedback)
    panel_ids, processing_ids = _ids(result.path, "entity_id"), _ids(output, "entity_id")
    assert panel_ids == processing_ids
    assert panel_ids or (cloud == 0 and not unknown)  # no cloudless scene there: nothing is a fair answer


def test_landsat_unknown_cloud_cover_makes_a_difference(provider, services, context, feedback, tmp_path):
    """The parity above is meaningful: the area and dates hold scenes whose cloud cover is unknown."""
    found = {}
    for unknown in (True, False):
        found[unknown] = _ids(_processing("scenefinder:m2msearch", {
            "EXTENT": _extent(NORTH_CAROLINA), "START_DATE": "2022-06-01", "END_DATE": "2023-05-31",
            "CLOUD_MAX": 100, "INCLUDE_UNKNOWN_CLOUD": unknown, "MAX_RESULTS": 5000,
            "OUTPUT": str(tmp_path / f"unknown_{unknown}.gpkg")}, context, feedback), "entity_id")
    assert found[False] < found[True]


CM_SCENE_CASES = [(cloud, unknown) for cloud in (30, 100) for unknown in (True, False)]


@pytest.mark.parametrize(("cloud", "unknown"), CM_SCENE_CASES)
def test_carbonmapper_scenes_panel_and_cmscenes_find_the_same_scenes(provider, services, context, feedback,
                                                                     tmp_path, qgis_app, cloud, unknown):
    start, end = datetime.date(2023, 1, 1), datetime.date(2024, 12, 31)
    request = SearchRequest(aoi=box(*SAN_JOAQUIN), start=start, end=end, cloud_max=float(cloud),
                            include_unknown_cloud=unknown)
    result = _panel("cm_scenes", request, ("token", CM_TOKEN), tmp_path / "panel.gpkg")
    output = _processing("scenefinder:cmscenes", {
        "EXTENT": _extent(SAN_JOAQUIN), "START_DATE": start.isoformat(), "END_DATE": end.isoformat(),
        "CLOUD_MAX": cloud, "INCLUDE_UNKNOWN_CLOUD": unknown, "OUTPUT": str(tmp_path / "processing.gpkg")},
        context, feedback)
    panel_ids, processing_ids = _ids(result.path, "id"), _ids(output, "id")
    assert panel_ids and panel_ids == processing_ids
    if cloud == 100 and unknown:  # meaningful: some of them have no cloud cover
        dataset = ogr.Open(str(result.path))
        assert any(feature.GetField("cloud_cover_pct") is None for feature in dataset.GetLayer(0))
        dataset = None


@pytest.mark.parametrize(("gas", "gas_index"), [(None, 0), ("CH4", 1)])
def test_carbonmapper_plumes_panel_and_cmplumes_find_the_same_plumes(provider, services, context, feedback,
                                                                     tmp_path, qgis_app, gas, gas_index):
    start, end = datetime.date(2016, 1, 1), datetime.date(2026, 1, 1)
    request = SearchRequest(aoi=box(*SAN_JOAQUIN), start=start, end=end, gas=gas, limit=300)
    result = _panel("cm_plumes", request, ("token", CM_TOKEN), tmp_path / "panel.gpkg")
    output = _processing("scenefinder:cmplumes", {
        "EXTENT": _extent(SAN_JOAQUIN), "START_DATE": start.isoformat(), "END_DATE": end.isoformat(),
        "GAS": gas_index, "MAX_RESULTS": 300, "OUTPUT": str(tmp_path / "processing.gpkg")}, context, feedback)
    panel_ids, processing_ids = _ids(result.path, "plume_id"), _ids(output, "plume_id")
    assert panel_ids and panel_ids == processing_ids
