"""Datasets, filters and scene-search of the M2M emulator over plain HTTP, at the real catalog scale."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import requests
from shapely.geometry import Polygon, shape
from support.m2m_api import ALBEMARLE, DATASET, M2MApi

from scene_finder.emulator import Emulator
from scene_finder.emulator.m2m.catalog import Catalog

SATELLITE = "61af9273566bb9a8"
WRS_PATH, WRS_ROW = "5e83d14fb9436d88", "5e83d14ff1eda1b8"
PRODUCT_L2, CATEGORY = "5e83d14f567d0086", "5f6a6fb2137a3c00"
DISPLAY_ID = re.compile(r"^LC0[89]_L2SP_\d{6}_\d{8}_\d{8}_02_T[12]$")
ENTITY_ID = re.compile(r"^LC[89]\d{13}LGN00$")


class Api(M2MApi):
    def search(self, scene_filter=None, **options) -> dict:
        payload = {"datasetName": DATASET, **options}
        if scene_filter is not None:
            payload["sceneFilter"] = scene_filter
        return self.call("scene-search", payload)


@pytest.fixture()
def api(emulator):
    return Api(emulator)


def test_dataset_search_matches_collection_names_in_order(api):
    found = api.call("dataset-search", {"datasetName": "Landsat 8-9"})
    assert [d["datasetAlias"] for d in found] == ["landsat_ot_c2_l1", DATASET]
    assert found[1]["sceneCount"] == api.emulator.config.landsat_scenes
    assert found[1]["collectionName"] == "Landsat 8-9 OLI/TIRS C2 L2"
    every = {d["datasetAlias"] for d in api.call("dataset-search", {})}
    assert {"landsat_ot_c2_l1", DATASET, "landsat_etm_c2_l2"} <= every
    assert api.call("dataset-search", {"datasetName": "no such thing"}) == []


def test_dataset_filters_describe_text_select_and_range_fields(api):
    filters = {f["fieldLabel"]: f for f in api.call("dataset-filters", {"datasetName": DATASET})}
    satellite = filters["Satellite"]
    assert satellite["id"] == SATELLITE and satellite["fieldConfig"]["type"] == "Select"
    assert set(satellite["valueList"]) == {"8", "9"}
    assert set(filters["Collection Category"]["valueList"]) == {"T1", "T2", "RT"}
    assert filters["WRS Path"]["fieldConfig"]["type"] == "Range"
    assert filters["WRS Row"]["fieldConfig"]["type"] == "Range"
    assert filters["Landsat Product Identifier L2"]["fieldConfig"]["type"] == "Text"
    assert "Sensor Identifier" in filters


def test_the_seed_notebook_search_finds_a_handful_of_landsat_9_scenes(api):
    aoi = Polygon([(-76.9196, 35.5713), (-75.446, 35.5713), (-75.446, 36.3793), (-76.9196, 36.3793)])
    data = api.search({
        "metadataFilter": {"filterType": "value", "filterId": SATELLITE, "value": "9"},
        "spatialFilter": ALBEMARLE,
        "acquisitionFilter": {"start": "2023-03-01", "end": "2023-04-01"},
        "cloudCoverFilter": {"min": 0, "max": 20},
    })
    assert 1 <= data["totalHits"] <= 10
    assert data["recordsReturned"] == len(data["results"]) == data["totalHits"]
    assert data["startingNumber"] == 1 and data["nextRecord"] == 1  # last page: nextRecord does not advance
    dates = []
    for scene in data["results"]:
        assert ENTITY_ID.match(scene["entityId"]) and scene["entityId"].startswith("LC9")
        assert DISPLAY_ID.match(scene["displayId"]) and scene["displayId"].startswith("LC09_L2SP_")
        assert isinstance(scene["cloudCover"], str) and 0 <= float(scene["cloudCover"]) <= 20
        day = dt.date.fromisoformat(scene["temporalCoverage"]["startDate"][:10])
        assert dt.date(2023, 3, 1) <= day <= dt.date(2023, 4, 1)
        dates.append(day)
        coverage = shape(scene["spatialCoverage"])
        assert coverage.intersects(aoi)
        assert shape(scene["spatialBounds"]).equals(coverage.envelope)
        assert scene["metadata"] == [] and scene["browse"][0]["thumbnailPath"].startswith(api.emulator.base_url)
    assert dates == sorted(dates, reverse=True)
    seed = {"LC90130352023085LGN00": "13.27", "LC90150352023083LGN00": "14.02", "LC90150352023067LGN00": "0.18"}
    assert {s["entityId"]: s["cloudCover"] for s in data["results"] if s["entityId"] in seed} == seed
    assert "LC09_L2SP_013035_20230326_20230328_02_T1" in {s["displayId"] for s in data["results"]}


def test_geojson_filter_intersects_the_real_footprints(api):
    sliver = {"type": "Polygon", "coordinates": [[[-77.5, 34.6], [-74.8, 37.2], [-74.75, 37.2], [-77.45, 34.6],
                                                  [-77.5, 34.6]]]}
    dates = {"start": "2022-01-01", "end": "2022-12-31"}
    box_filter = {"filterType": "mbr", "lowerLeft": {"latitude": 34.6, "longitude": -77.5},
                  "upperRight": {"latitude": 37.2, "longitude": -74.75}}
    in_box = api.search({"spatialFilter": box_filter, "acquisitionFilter": dates}, maxResults=1000)["results"]
    found = api.search({"spatialFilter": {"filterType": "geojson", "geoJson": sliver}, "acquisitionFilter": dates},
                       maxResults=1000)["results"]
    expected = {s["entityId"] for s in in_box if shape(s["spatialCoverage"]).intersects(shape(sliver))}
    assert {s["entityId"] for s in found} == expected
    assert 0 < len(expected) < len(in_box)


def test_cloud_cover_filter_and_unknown_cloud_cover(api):
    window = {"start": "2013-01-01", "end": "2025-12-31"}
    everything = api.search({"acquisitionFilter": window}, maxResults=1)["totalHits"]
    known = api.search({"acquisitionFilter": window, "cloudCoverFilter": {"min": 0, "max": 100}},
                       maxResults=1)["totalHits"]
    with_unknown = api.search({"acquisitionFilter": window, "cloudCoverFilter": {
        "min": 0, "max": 100, "includeUnknown": True}}, maxResults=1)["totalHits"]
    assert known < with_unknown == everything == api.emulator.config.landsat_scenes
    clear = api.search({"cloudCoverFilter": {"min": 0, "max": 10}}, maxResults=500)["results"]
    assert clear and all(0 <= float(s["cloudCover"]) <= 10 for s in clear)
    unknown = api.search({"spatialFilter": ALBEMARLE, "cloudCoverFilter": {"min": 0, "max": 0, "includeUnknown": True}},
                         maxResults=500)["results"]
    assert any(s["cloudCover"] is None for s in unknown)


def test_metadata_filters_value_like_between_and_or(api):
    like = api.search({"metadataFilter": {"filterType": "value", "filterId": PRODUCT_L2,
                                          "value": "LC09_L2SP_014035%", "operand": "like"}}, maxResults=1000)
    assert like["totalHits"] > 10
    assert all(s["displayId"].startswith("LC09_L2SP_014035_") for s in like["results"])
    between = api.search({"metadataFilter": {"filterType": "and", "childFilters": [
        {"filterType": "between", "filterId": WRS_PATH, "firstValue": "13", "secondValue": "14"},
        {"filterType": "between", "filterId": WRS_ROW, "firstValue": 35, "secondValue": 35},
        {"filterType": "value", "filterId": CATEGORY, "value": "T2"},
    ]}}, maxResults=1000)
    assert between["totalHits"] > 0
    assert {s["displayId"][10:16] for s in between["results"]} <= {"013035", "014035"}
    assert all(s["displayId"].endswith("_T2") for s in between["results"])
    either = api.search({"metadataFilter": {"filterType": "or", "childFilters": [
        {"filterType": "value", "filterId": SATELLITE, "value": "8"},
        {"filterType": "value", "filterId": SATELLITE, "value": 9}]}}, maxResults=1)
    assert either["totalHits"] == api.emulator.config.landsat_scenes


def test_unknown_filter_id_is_an_input_error(api):
    answer = api.answer("scene-search", {"datasetName": DATASET, "sceneFilter": {
        "metadataFilter": {"filterType": "value", "filterId": "nope", "value": "1"}}})
    assert answer["errorCode"] == "INPUT_PARAMETER_INVALID"


def test_pages_cover_every_result_once(api):
    scene_filter = {"spatialFilter": ALBEMARLE, "acquisitionFilter": {"start": "2020-01-01", "end": "2022-12-31"}}
    first = api.search(scene_filter, maxResults=200)
    total = first["totalHits"]
    assert total > 400
    seen, start, page = [], 1, first
    while True:
        seen += [s["entityId"] for s in page["results"]]
        assert page["startingNumber"] == start
        if page["nextRecord"] == start:
            break
        assert page["nextRecord"] == start + page["recordsReturned"]
        start = page["nextRecord"]
        page = api.search(scene_filter, maxResults=200, startingNumber=start)
    assert len(seen) == len(set(seen)) == total
    beyond = api.search(scene_filter, maxResults=200, startingNumber=total + 1)
    assert beyond["results"] == [] and beyond["nextRecord"] == total + 1


def test_default_page_size_and_sorting(api):
    page = api.search()
    assert page["recordsReturned"] == 100 and page["nextRecord"] == 101
    newest = [s["temporalCoverage"]["startDate"] for s in page["results"]]
    assert newest == sorted(newest, reverse=True)
    oldest = api.search(sortDirection="ASC", maxResults=50)["results"]
    dates = [s["temporalCoverage"]["startDate"] for s in oldest]
    assert dates == sorted(dates) and dates[0] < newest[-1]
    by_cloud = api.search({"spatialFilter": ALBEMARLE}, sortField="cloudCover", sortDirection="DESC")["results"]
    clouds = [float(s["cloudCover"] or -1) for s in by_cloud]
    assert clouds == sorted(clouds, reverse=True)


def test_full_metadata_and_scene_metadata(api):
    scene = api.search({"spatialFilter": ALBEMARLE}, maxResults=1, metadataType="full")["results"][0]
    fields = {m["fieldName"]: m["value"] for m in scene["metadata"]}
    assert fields["Landsat Product Identifier L2"] == scene["displayId"]
    assert fields["Landsat Scene Identifier"] == scene["entityId"]
    assert all(isinstance(m["value"], str) for m in scene["metadata"])
    by_entity = api.call("scene-metadata", {"datasetName": DATASET, "entityId": scene["entityId"]})
    by_display = api.call("scene-metadata", {"datasetName": DATASET, "entityId": scene["displayId"],
                                             "idType": "displayId"})
    assert by_entity == by_display
    assert by_entity["metadata"] == scene["metadata"]
    missing = api.answer("scene-metadata", {"datasetName": DATASET, "entityId": "LC90000002023001LGN00"})
    assert missing["errorCode"] is not None


def test_browse_images_are_served(api):
    scene = api.search({"spatialFilter": ALBEMARLE}, maxResults=1)["results"][0]
    for key, content_type, magic in (("thumbnailPath", "image/png", b"\x89PNG"),
                                     ("browsePath", "image/jpeg", b"\xff\xd8")):
        response = requests.get(scene["browse"][0][key], timeout=60)
        assert response.status_code == 200, key
        assert response.headers["Content-Type"] == content_type
        assert response.content.startswith(magic)


def test_no_record_beyond_fifty_thousand(tmp_path):
    with Emulator(landsat_scenes=50_200, cache_dir=tmp_path) as own:
        api = Api(own)
        page = api.search(maxResults=200, startingNumber=49_901)
        assert page["totalHits"] == 50_200
        assert page["recordsReturned"] == 100 and page["nextRecord"] == 49_901
        assert api.search(maxResults=10, startingNumber=50_001)["recordsReturned"] == 0


def test_the_catalog_is_seeded_and_deterministic():
    first = Catalog(3000, seed=7).ensure()
    again = Catalog(3000, seed=7).ensure()
    other = Catalog(3000, seed=8).ensure()
    assert [s.display_id for s in first.scenes] == [s.display_id for s in again.scenes]
    assert [s.cloud for s in first.scenes] == [s.cloud for s in again.scenes]
    assert [s.display_id for s in first.scenes] != [s.display_id for s in other.scenes]
    assert len(first.scenes) == len({s.entity_id for s in first.scenes}) == 3000
    assert all(s.acquired >= dt.date(2021, 10, 31) for s in first.scenes if s.satellite == 9)
    assert sum(s.cloud is None for s in first.scenes) < 200
