"""``catalog/download/scenes.gpkg``: real GeoPackage pages, paging headers, filters, the URL limit."""

from __future__ import annotations

import json
import uuid

import pytest
import requests
from osgeo import gdal, ogr
from shapely.geometry import shape

GPKG = "catalog/download/scenes.gpkg"
HEADERS = {"Authorization": "Bearer demo-carbonmapper-token"}
CALIFORNIA = {"type": "MultiPolygon", "coordinates": [[[[-124.346415, 42.041457], [-125.981193, 41.962186],
              [-124.607620, 31.606420], [-114.338004, 32.468868], [-114.068746, 41.913432],
              [-124.346415, 42.041457]]]]}


def _get(emulator, **params) -> requests.Response:
    response = requests.get(emulator.carbonmapper_url + GPKG, params=params, headers=HEADERS, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response


def _features(content: bytes) -> tuple[ogr.Layer, list[dict]]:
    name = f"/vsimem/test-{uuid.uuid4().hex}.gpkg"
    gdal.FileFromMemBuffer(name, content)
    try:
        dataset = ogr.Open(name)
        assert dataset is not None and dataset.GetDriver().GetName() == "GPKG"
        layer = dataset.GetLayerByName("scenes")
        assert layer is not None
        definition = layer.GetLayerDefn()
        fields = {definition.GetFieldDefn(k).GetName(): definition.GetFieldDefn(k).GetTypeName()
                  for k in range(definition.GetFieldCount())}
        rows = []
        for feature in layer:
            row = {name: feature.GetField(name) for name in fields}
            row["geometry"] = shape(json.loads(feature.GetGeometryRef().ExportToJson()))
            rows.append(row)
        epsg = layer.GetSpatialRef().GetAuthorityCode(None)
        return {"fields": fields, "epsg": epsg, "geometry": ogr.GeometryTypeToName(layer.GetGeomType())}, rows
    finally:
        dataset = None
        gdal.Unlink(name)


def test_limit_zero_is_the_empty_schema(emulator):
    response = _get(emulator, limit=0)
    assert response.headers["Content-Type"] == "application/geopackage+sqlite3"
    assert "scenes.gpkg" in response.headers["Content-Disposition"]
    assert response.headers["pagination-limit"] == "0"
    assert int(response.headers["pagination-count"]) == emulator.config.carbonmapper_scenes
    layer, rows = _features(response.content)
    assert rows == []
    assert layer["epsg"] == "4326" and layer["geometry"] == "Polygon"
    assert layer["fields"] == {
        "id": "String", "scene_id": "String", "public": "Integer64", "published_plume_count": "Integer64",
        "timestamp": "DateTime", "created": "DateTime", "instrument": "String", "not_cloudy": "Integer64",
        "cloud_cover_pct": "Integer64",
    }


def test_pages_follow_the_tutorials_loop_without_gaps_or_repeats(emulator):
    params = {"intersects": json.dumps(CALIFORNIA), "datetime": "2020-01-01/2023-12-31", "offset": 0}
    seen: list[str] = []
    pages = 0
    while True:
        response = _get(emulator, **params)
        count = int(response.headers["pagination-count"])
        limit = int(response.headers["pagination-limit"])
        offset = int(response.headers["pagination-offset"])
        assert offset == params["offset"] and limit == 1000
        seen.extend(row["id"] for row in _features(response.content)[1])
        pages += 1
        params["offset"] = offset + limit
        if params["offset"] >= count:
            break
    assert len(seen) == count == len(set(seen))
    assert pages >= 2, "the California query spans several pages at the default scale"


def test_filters_select_what_they_say(emulator):
    response = _get(emulator, instrument="tan", cloud_cover_pct_max=10, datetime="2025-01-01/..", limit=200)
    rows = _features(response.content)[1]
    assert rows and len(rows) <= 200
    for row in rows:
        assert row["instrument"] == "tan" and row["cloud_cover_pct"] <= 10
        assert row["timestamp"] >= "2025/01/01"
    area = shape(CALIFORNIA)
    for row in _features(_get(emulator, intersects=json.dumps(CALIFORNIA), limit=300).content)[1]:
        assert row["geometry"].intersects(area)


def test_count_is_total_matching_and_pages_are_newest_first(emulator):
    everything = int(_get(emulator, limit=0).headers["pagination-count"])
    tanager = int(_get(emulator, limit=0, instrument="tan").headers["pagination-count"])
    assert 0 < tanager < everything
    rows = _features(_get(emulator, limit=50).content)[1]
    stamps = [row["timestamp"] for row in rows]
    assert stamps == sorted(stamps, reverse=True)


def test_limit_is_capped_at_1000_and_last_page_is_short(emulator):
    response = _get(emulator, limit=5000, instrument="ssc")
    assert response.headers["pagination-limit"] == "1000"
    count = int(response.headers["pagination-count"])
    last = _get(emulator, instrument="ssc", offset=count - 3)
    assert len(_features(last.content)[1]) == 3


def test_same_page_twice_is_identical(emulator):
    assert _get(emulator, limit=20, offset=40).content == _get(emulator, limit=20, offset=40).content


@pytest.mark.parametrize("params", [{"limit": "many"}, {"intersects": "{not json"}, {"instrument": "xyz"},
                                    {"intersects": "{\"type\": \"Foo\"}"}, {"limit": "-1"},
                                    {"datetime": "yesterday"}])
def test_bad_parameters_are_422(emulator, params):
    response = requests.get(emulator.carbonmapper_url + GPKG, params=params, headers=HEADERS, timeout=10)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_request_target_over_8192_bytes_is_414(emulator):
    ring = [[-120 + k * 0.0001, 35.0] for k in range(400)] + [[-119.9, 36.0], [-120, 35.0]]
    geometry = json.dumps({"type": "Polygon", "coordinates": [ring]})
    response = requests.get(emulator.carbonmapper_url + GPKG, params={"intersects": geometry}, headers=HEADERS,
                            timeout=10)
    assert len(response.request.path_url) > 8192
    assert response.status_code == 414
    assert response.headers["Content-Type"].startswith("text/html")
    assert "414 Request-URI Too Large" in response.text


def test_request_target_just_under_the_limit_is_served(emulator):
    path = emulator.carbonmapper_prefix + GPKG + "?limit=0&search="
    padding = 8192 - len(path)
    response = requests.get(emulator.base_url + path + "x" * padding, headers=HEADERS, timeout=10)
    assert response.status_code == 200


def test_concurrent_pages_are_all_complete(emulator):
    from concurrent.futures import ThreadPoolExecutor

    def page(offset: int) -> list[str]:
        return [row["id"] for row in _features(_get(emulator, limit=300, offset=offset, instrument="ang").content)[1]]

    with ThreadPoolExecutor(6) as pool:
        pages = list(pool.map(page, range(0, 1800, 300)))
    ids = [i for p in pages for i in p]
    assert len(ids) == len(set(ids)) == 1800


def test_default_page_size_comes_from_the_config(tmp_path):
    from scene_finder.emulator import Emulator

    with Emulator(cache_dir=tmp_path, carbonmapper_scenes=120, carbonmapper_plumes=20,
                  carbonmapper_page_limit=50) as running:
        response = _get(running)
        assert response.headers["pagination-limit"] == "50" and response.headers["pagination-count"] == "120"
        assert len(_features(response.content)[1]) == 50


def test_some_scenes_have_unknown_cloud_cover_and_a_cloud_filter_drops_them(emulator):
    from scene_finder.emulator.carbonmapper.catalog import UNKNOWN_CLOUD_EVERY

    query = {"instrument": "tan", "datetime": "2025-01-01/2025-04-01", "limit": 1000}
    everything = _features(_get(emulator, **query).content)[1]
    assert len(everything) < query["limit"]  # all of them
    unknown = [row for row in everything if row["cloud_cover_pct"] is None]
    assert unknown and len(unknown) <= len(everything) // UNKNOWN_CLOUD_EVERY + 1
    assert all(row["not_cloudy"] is None for row in unknown)
    filtered = _features(_get(emulator, **query, cloud_cover_pct_max=100).content)[1]
    assert {row["id"] for row in filtered} == {row["id"] for row in everything} - {row["id"] for row in unknown}
