"""Annotated plumes and scenes, the plume CSV and the sources endpoints."""

from __future__ import annotations

import csv
import io
import json

import pytest
import requests
from shapely.geometry import Point, shape

from scene_finder.emulator.carbonmapper.records import PLUME_CSV_COLUMNS

HEADERS = {"Authorization": "Bearer demo-carbonmapper-token"}
SJV_BBOX = [-120.6, 34.9, -118.7, 37.2]


def _plumes(emulator, **params) -> dict:
    response = requests.get(emulator.carbonmapper_url + "catalog/plumes/annotated", params=params, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.json()


def test_page_shape_and_bbox_as_repeated_key(emulator):
    page = _plumes(emulator, bbox=SJV_BBOX, limit=4)
    assert set(page) == {"bbox_count", "total_count", "limit", "offset", "items"}
    assert page["limit"] == 4 and page["offset"] == 0 and len(page["items"]) == 4
    assert 0 < page["bbox_count"] < page["total_count"]
    for item in page["items"]:
        lon, lat = item["geometry_json"]["coordinates"]
        assert SJV_BBOX[0] <= lon <= SJV_BBOX[2] and SJV_BBOX[1] <= lat <= SJV_BBOX[3]
        assert item["status"] == "published"
        assert item["plume_id"].rpartition("-")[0]


def test_paging_covers_the_bbox_count_once(emulator):
    first = _plumes(emulator, bbox=SJV_BBOX, limit=1000)
    names = [item["plume_id"] for item in first["items"]]
    offset = 1000
    while offset < first["bbox_count"]:
        names += [item["plume_id"] for item in _plumes(emulator, bbox=SJV_BBOX, limit=1000, offset=offset)["items"]]
        offset += 1000
    assert len(names) == len(set(names)) == first["bbox_count"]


def test_filters(emulator):
    page = _plumes(emulator, plume_gas="CH4", emission_min=1000, emission_max=5000, sectors="1B2",
                   instrument="tan", datetime="2025-01-01/2026-12-31", limit=200)
    assert page["items"]
    for item in page["items"]:
        assert item["gas"] == "CH4" and item["sector"] == "1B2" and item["instrument"] == "tan"
        assert 1000 <= item["emission_auto"] <= 5000
        assert "2025-01-01" <= item["scene_timestamp"][:10] <= "2026-12-31"
    co2 = _plumes(emulator, plume_gas="CO2", limit=50)["items"]
    assert co2 and {item["gas"] for item in co2} == {"CO2"}
    area = {"type": "Polygon", "coordinates": [[[-104, 31], [-102, 31], [-102, 33], [-104, 33], [-104, 31]]]}
    for item in _plumes(emulator, intersects=json.dumps(area), limit=100)["items"]:
        assert shape(area).intersects(Point(item["geometry_json"]["coordinates"]))


def test_status_defaults_to_published_and_can_be_widened(emulator):
    published = _plumes(emulator, limit=0)["total_count"]
    not_deleted = _plumes(emulator, status="not_deleted", limit=0)["total_count"]
    assert 0 < published < not_deleted < emulator.config.carbonmapper_plumes
    hidden = _plumes(emulator, status="hidden", limit=20)["items"]
    assert hidden and {item["status"] for item in hidden} == {"hidden"}


@pytest.mark.parametrize(("sort", "key", "descending"), [
    ("desc", "scene_timestamp", True), ("asc", "scene_timestamp", False),
    ("emissions_desc", "emission_auto", True), ("published_asc", "published_at", False),
])
def test_sort(emulator, sort, key, descending):
    items = _plumes(emulator, sort=sort, limit=100, emission_min=0)["items"]
    values = [item[key] for item in items]
    assert values == sorted(values, reverse=descending)


def test_plume_names_and_scene_name_filters(emulator):
    some = _plumes(emulator, limit=3)["items"]
    names = [item["plume_id"] for item in some]
    found = _plumes(emulator, plume_names=names)["items"]
    assert sorted(item["plume_id"] for item in found) == sorted(names)
    scene = names[0].rpartition("-")[0]
    assert all(item["plume_id"].startswith(scene) for item in _plumes(emulator, scene_name=scene)["items"])


def test_scenes_annotated_needs_a_token_and_pages(emulator):
    url = emulator.carbonmapper_url + "catalog/scenes/annotated"
    assert requests.get(url, timeout=10).status_code == 401
    page = requests.get(url, params={"limit": 5, "instrument": "ang", "bbox": SJV_BBOX}, headers=HEADERS,
                        timeout=10).json()
    assert page["limit"] == 5 and len(page["items"]) == 5 and page["bbox_count"] < page["total_count"]
    for item in page["items"]:
        assert item["instrument"] == "ang" and item["name"].startswith("ang")
        assert shape(item["geometry_json"]).is_valid


def test_plume_csv_columns_and_crlf_rows(emulator):
    response = requests.get(emulator.carbonmapper_url + "catalog/plume-csv", params={"limit": 25, "plume_gas": "CH4"},
                            timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    lines = response.content.decode().split("\r\n")
    assert lines[-1] == "" and len(lines) == 27
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert tuple(rows[0]) == PLUME_CSV_COLUMNS
    assert all(row["gas"] == "CH4" for row in rows)
    assert json.loads(rows[0]["plume_bounds"])[0] < float(rows[0]["plume_longitude"])
    narrow = requests.get(emulator.carbonmapper_url + "catalog/plume-csv",
                          params={"limit": 2, "exclude_columns": ["plume_tif", "rgb_tif"]}, timeout=30)
    header = narrow.text.split("\r\n")[0].split(",")
    assert "plume_tif" not in header and "rgb_tif" not in header and "plume_png" in header


def test_signed_plume_urls_download_without_a_token_until_they_expire(tmp_path):
    from scene_finder.emulator import Emulator

    with Emulator(cache_dir=tmp_path, carbonmapper_scenes=300, carbonmapper_plumes=60) as running:
        item = _plumes(running, limit=1)["items"][0]
        response = requests.get(item["plume_tif"], timeout=10)
        assert response.status_code == 200 and response.content[:4] in (b"II*\x00", b"MM\x00*")
        tampered = item["plume_tif"].replace("Signature=", "Signature=0")
        assert requests.get(tampered, timeout=10).status_code == 403
        running.clock.advance(8 * 86400)
        expired = requests.get(item["plume_tif"], timeout=10)
        assert expired.status_code == 403 and "AccessDenied" in expired.text


def test_sources_endpoints(emulator):
    url = emulator.carbonmapper_url
    collection = requests.get(url + "catalog/sources.geojson", params={"bbox": SJV_BBOX}, timeout=30).json()
    assert collection["type"] == "FeatureCollection" and collection["features"]
    feature = collection["features"][0]
    assert feature["properties"]["plume_count"] == len(feature["properties"]["plume_ids"])
    text = requests.get(url + "catalog/sources-csv", params={"bbox": SJV_BBOX}, timeout=30).text
    assert text.startswith("source_name,source_latitude,source_longitude,gas,")
    plume = feature["properties"]["plume_ids"][0]
    source = requests.get(url + f"catalog/source/plume/name/{plume}", timeout=30).json()
    assert source["source_name"] == feature["properties"]["source_name"]
    assert plume in [p["plume_id"] for p in source["plumes"]]
    assert set(source["detection_dates"]) <= set(source["observation_dates"])
    assert requests.get(url + "catalog/source/plume/name/nope-A", timeout=10).status_code == 404


def test_unknown_route_and_method(emulator):
    url = emulator.carbonmapper_url
    assert requests.get(url + "catalog/nothing", timeout=10).json() == {"detail": "Not Found"}
    assert requests.post(url + "catalog/plumes/annotated", timeout=10).status_code == 405


def test_unknown_instrument_is_422(emulator):
    url = emulator.carbonmapper_url + "catalog/plumes/annotated"
    response = requests.get(url, params={"instrument": "hubble"}, timeout=10)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "instrument"]


def test_catalog_scenes_items_and_count(emulator):
    page = requests.get(emulator.carbonmapper_url + "catalog/scenes", params={"limit": 3, "instrument": "emi"},
                        headers=HEADERS, timeout=10).json()
    assert set(page) == {"items", "count"} and len(page["items"]) == 3 and page["count"] > 3
    assert {item["instrument"] for item in page["items"]} == {"emi"}
