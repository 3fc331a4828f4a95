"""The emulated STAC API and the bearer-protected asset gateway."""

from __future__ import annotations

import json
import uuid

import pytest
import requests
from osgeo import gdal
from shapely.geometry import box, shape

HEADERS = {"Authorization": "Bearer demo-carbonmapper-token"}
PERMIAN = {"type": "Polygon", "coordinates": [[[-104, 31], [-102, 31], [-102, 33], [-104, 33], [-104, 31]]]}


def _stac(emulator, path: str = "", **params) -> dict:
    response = requests.get(emulator.carbonmapper_url + "stac/" + path, params=params, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.json()


def _search(emulator, body: dict) -> dict:
    response = requests.post(emulator.carbonmapper_url + "stac/search", json=body, timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.json()


def test_landing_collections_and_one_collection(emulator):
    landing = _stac(emulator)
    assert landing["type"] == "Catalog" and any("item-search" in c for c in landing["conformsTo"])
    assert {link["rel"] for link in landing["links"]} >= {"self", "root", "data", "search"}
    ids = [c["id"] for c in _stac(emulator, "collections")["collections"]]
    assert {"l2b-ch4-mfa-v3a", "l2b-rgb-v3a", "l3a-vis-ch4-mfa-v3a", "l4a-ch4-mfa-v3a"} <= set(ids)
    collection = _stac(emulator, "collections/l3a-vis-ch4-mfa-v3a")
    assert collection["type"] == "Collection" and "plume.tif" in collection["item_assets"]
    assert len(collection["extent"]["spatial"]["bbox"][0]) == 4
    missing = requests.get(emulator.carbonmapper_url + "stac/collections/nope", timeout=10)
    assert missing.status_code == 404


def test_search_post_with_query_extension_and_intersects(emulator):
    result = _search(emulator, {"collections": ["l3a-vis-ch4-mfa-v3a"], "intersects": PERMIAN,
                                "datetime": "2022-01-01T00:00:00Z/..", "query": {"cm:emission": {"gt": 3000}},
                                "limit": 50})
    assert result["type"] == "FeatureCollection"
    assert result["numberReturned"] == len(result["features"]) <= 50
    assert result["features"], "the Permian has big emitters"
    for feature in result["features"]:
        properties = feature["properties"]
        assert properties["cm:emission"] > 3000
        assert properties["datetime"] >= "2022-01-01"
        assert shape(feature["geometry"]).intersects(shape(PERMIAN))
        assert {"cm:emission_uncertainty", "cm:plume_latitude", "cm:plume_longitude", "cm:sector",
                "instruments"} <= set(properties)
        assert {"plume.tif", "rgb.tif", "plume.png"} <= set(feature["assets"])
        assert feature["assets"]["plume.tif"]["href"].startswith(emulator.carbonmapper_url + "catalog/asset/")


def test_search_pages_with_next_links_post_and_get(emulator):
    body = {"collections": ["l2b-rgb-v3a"], "bbox": [-120.6, 34.9, -118.7, 37.2], "limit": 100}
    first = _search(emulator, body)
    matched = first["numberMatched"]
    assert matched > 100
    seen = [f["id"] for f in first["features"]]
    page = first
    while True:
        following = [link for link in page["links"] if link["rel"] == "next"]
        if not following:
            break
        link = following[0]
        assert link["method"] == "POST"
        page = _search(emulator, link["body"])
        seen += [f["id"] for f in page["features"]]
    assert len(seen) == len(set(seen)) == matched
    get_page = _stac(emulator, "search", collections="l2b-rgb-v3a", bbox="-120.6,34.9,-118.7,37.2", limit=100)
    assert get_page["numberMatched"] == matched
    next_href = next(link["href"] for link in get_page["links"] if link["rel"] == "next")
    second = requests.get(next_href, timeout=30).json()
    assert [f["id"] for f in second["features"]] == seen[100:200]


def test_scene_items_and_ids(emulator):
    result = _stac(emulator, "collections/l2b-ch4-mfa-v3a/items", limit=3)
    assert len(result["features"]) == 3
    feature = result["features"][0]
    assert "cmf.tif" in feature["assets"] and feature["collection"] == "l2b-ch4-mfa-v3a"
    again = _stac(emulator, f"collections/l2b-ch4-mfa-v3a/items/{feature['id']}")
    assert again["id"] == feature["id"] and again["properties"] == feature["properties"]
    by_id = _search(emulator, {"ids": [feature["id"]], "collections": ["l2b-ch4-mfa-v3a", "l2b-rgb-v3a"]})
    assert sorted(f["collection"] for f in by_id["features"]) == ["l2b-ch4-mfa-v3a", "l2b-rgb-v3a"]
    assert requests.get(emulator.carbonmapper_url + "stac/collections/l2b-ch4-mfa-v3a/items/nope",
                        timeout=10).status_code == 404


@pytest.mark.parametrize("body", [{"collections": ["nope"]}, {"bbox": [1, 2, 3]},
                                  {"query": {"cm:emission": {"like": 1}}}, {"datetime": "garbage"}])
def test_bad_search_is_400(emulator, body):
    response = requests.post(emulator.carbonmapper_url + "stac/search", json=body, timeout=10)
    assert response.status_code == 400
    assert "description" in response.json()


def _open(content: bytes):
    name = f"/vsimem/asset-{uuid.uuid4().hex}.tif"
    gdal.FileFromMemBuffer(name, content)
    dataset = gdal.Open(name)
    gdal.Unlink(name)
    return dataset


def test_assets_need_a_bearer_token_and_are_real_rasters(emulator):
    feature = _search(emulator, {"collections": ["l3a-vis-ch4-mfa-v3a"], "limit": 1})["features"][0]
    href = feature["assets"]["plume.tif"]["href"]
    assert requests.get(href, timeout=10).status_code == 401
    response = requests.get(href, headers=HEADERS, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(len(response.content))
    assert feature["id"] in response.headers["Content-Disposition"]
    plume = _open(response.content)
    band = plume.GetRasterBand(1)
    assert gdal.GetDataTypeName(band.DataType) == "Float32" and band.GetNoDataValue() == -9999
    values = band.ReadAsArray()
    assert (values == -9999).any() and values.max() > 100, "a plume surrounded by nodata"
    west, south, east, north = feature["bbox"]
    transform = plume.GetGeoTransform()
    assert transform[0] == pytest.approx(west) and transform[3] == pytest.approx(north)
    rgb = _open(requests.get(feature["assets"]["rgb.tif"]["href"], headers=HEADERS, timeout=30).content)
    assert rgb.RasterCount == 3 and gdal.GetDataTypeName(rgb.GetRasterBand(1).DataType) == "Byte"
    png = requests.get(feature["assets"]["plume.png"]["href"], headers=HEADERS, timeout=30)
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    outline = requests.get(feature["assets"]["plume-outline.geojson"]["href"], headers=HEADERS, timeout=30).json()
    assert shape(outline["features"][0]["geometry"]).equals(box(west, south, east, north))


def test_asset_range_and_etag(emulator):
    feature = _stac(emulator, "collections/l2b-ch4-mfa-v3a/items", limit=1)["features"][0]
    href = feature["assets"]["cmf.tif"]["href"]
    whole = requests.get(href, headers=HEADERS, timeout=30)
    part = requests.get(href, headers={**HEADERS, "Range": "bytes=100-199"}, timeout=30)
    assert part.status_code == 206 and part.content == whole.content[100:200]
    assert part.headers["ETag"] == whole.headers["ETag"]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(whole.content)}"


def test_unknown_asset_is_404(emulator):
    key = "l3a-vis-ch4-mfa-v3a/2020/01/01/x-A/x-A_l3a-vis-ch4-mfa-v3a_plume.tif"
    url = emulator.carbonmapper_url + "catalog/asset/" + key
    assert requests.get(url, headers=HEADERS, timeout=10).status_code == 404


def test_assets_are_made_once_and_concurrent_requests_agree(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from scene_finder.emulator import Emulator

    with Emulator(cache_dir=tmp_path, carbonmapper_scenes=200, carbonmapper_plumes=40) as running:
        result = requests.post(running.carbonmapper_url + "stac/search",
                               json={"collections": ["l2b-ch4-mfa-v3a"], "limit": 1}, timeout=10).json()
        href = result["features"][0]["assets"]["cmf.tif"]["href"]
        with ThreadPoolExecutor(8) as pool:
            bodies = list(pool.map(lambda _: requests.get(href, headers=HEADERS, timeout=30).content, range(8)))
        assert len({len(b) for b in bodies}) == 1 and bodies[0]
        made = [p for p in tmp_path.rglob("*") if p.is_file()]
        assert len(made) == 1 and not [p for p in tmp_path.rglob("*.tmp")]
        assert json.loads(json.dumps(result))["numberMatched"] == 200
