"""Scene and download-option records built from M2M answers, quirks included."""

from __future__ import annotations

import datetime
import json

import pytest
from support.conformance import FIXTURES

from scene_finder.core.landsat_ids import parse_landsat_id
from scene_finder.core.models import (
    FOOTPRINT_FIELDS,
    Scene,
    download_option_from_json,
    parse_checksum,
    parse_date,
    parse_float,
    scene_from_result,
)

M2M_FIXTURES = FIXTURES / "m2m"


def recorded(relative: str) -> dict:
    path = M2M_FIXTURES / relative
    if not path.exists():
        pytest.skip(f"recorded fixture {relative} not available")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("raw, expected", [
    ("44.79", 44.79), (13, 13.0), (0, 0.0), (None, None), ("", None), ("-1", None), (-1, None), ("n/a", None),
    (True, None),
])
def test_cloud_cover_in_every_shape_the_service_sends(raw, expected):
    assert parse_float(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("2023-03-26 00:00:00", datetime.date(2023, 3, 26)),
    ("2000-12-10 00:00:00-06", datetime.date(2000, 12, 10)),
    ("2023/03/26", datetime.date(2023, 3, 26)),
    (None, None), ("", None), ("garbage", None),
])
def test_dates(raw, expected):
    assert parse_date(raw) == expected
    assert parse_date(raw) == expected  # the second time from the texts already read


def test_texts_already_read_are_kept_within_bounds(monkeypatch):
    from scene_finder.core import models

    monkeypatch.setattr(models, "_TEXTS_KEPT", 10)
    models._DATE_TEXTS.clear()
    for day in range(1, 29):
        assert parse_date(f"2023-02-{day:02d} 00:00:00") == datetime.date(2023, 2, day)
        assert len(models._DATE_TEXTS) <= 10
    assert parse_float("12.5") == 12.5 and parse_float("12.5") == 12.5
    assert parse_float("-1") is None and parse_float("-1") is None


def test_landsat_ids_give_path_row_satellite_and_date():
    by_display = parse_landsat_id("LC09_L2SP_013035_20230326_20230328_02_T1", None)
    assert by_display == {"satellite": 9, "wrs_path": 13, "wrs_row": 35, "acquired": datetime.date(2023, 3, 26)}
    by_entity = parse_landsat_id("not-landsat", "LC90130352023085LGN00")
    assert by_entity == {"satellite": 9, "wrs_path": 13, "wrs_row": 35, "acquired": datetime.date(2023, 3, 26)}
    assert parse_landsat_id("P203R042_7X20001210", "P203R042_7X20001210") == {}


def test_scene_from_a_seed_like_result():
    result = {
        "browse": [{"browsePath": "https://example.org/b.jpg", "thumbnailPath": "https://example.org/t.jpg"},
                   {"browsePath": "https://example.org/second.jpg"}],
        "cloudCover": 13, "entityId": "LC90130352023085LGN00", "displayId": "LC09_L2SP_013035_20230326_20230328_02_T1",
        "metadata": [], "publishDate": "2023-03-28 00:03:28-05",
        "spatialBounds": {"type": "Polygon", "coordinates": [[[-76, 35], [-76, 37], [-74, 37], [-74, 35], [-76, 35]]]},
        "spatialCoverage": {"type": "Polygon", "coordinates": [[[-75.9, 35.4], [-73.9, 35], [-74, 37], [-75.9, 35.4]]]},
        "temporalCoverage": {"startDate": "2023-03-26 00:00:00", "endDate": "2023-03-26 00:00:00"},
    }
    scene = scene_from_result(result, "landsat_ot_c2_l2")
    assert scene.acquired == datetime.date(2023, 3, 26) and scene.cloud_cover == 13.0
    assert (scene.wrs_path, scene.wrs_row, scene.satellite) == (13, 35, 9)
    assert scene.browse_url.endswith("b.jpg") and scene.thumbnail_url.endswith("t.jpg")
    assert scene.footprint.bounds == (-75.9, 35.0, -73.9, 37.0)  # spatialCoverage, not spatialBounds
    assert scene.publish_date.startswith("2023-03-28")
    assert all(hasattr(scene, name) for name in FOOTPRINT_FIELDS)


def test_scene_with_nulls_falls_back_sensibly():
    result = {"entityId": "X1", "cloudCover": None, "browse": None, "spatialCoverage": None,
              "spatialBounds": {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]},
              "temporalCoverage": None,
              "metadata": [{"fieldName": "Acquisition Date", "value": "2001-02-03"},
                           {"fieldName": "WRS Path", "value": " 013"}, {"fieldName": "Satellite", "value": "7"}]}
    scene = scene_from_result(result, "d")
    assert scene.display_id == "X1" and scene.cloud_cover is None and scene.browse_url is None
    assert scene.footprint.bounds == (0, 0, 1, 1)
    assert scene.acquired == datetime.date(2001, 2, 3) and scene.wrs_path == 13 and scene.satellite == 7


def test_scene_is_frozen_and_hashable():
    scene = Scene("E", "D", "ds")
    with pytest.raises(AttributeError):
        scene.entity_id = "other"  # type: ignore[misc]
    assert {scene, Scene("E", "D", "ds")} == {scene}


def test_recorded_scene_search_results_parse():
    for relative in ("kapadia_usgs/scene-search.json", "usgs_docs_samples/scene-search_FIXED.json",
                     "castuofa_usgs_m2m_api/scene-search.json"):
        for result in recorded(relative)["data"]["results"]:
            scene = scene_from_result(result, "ds")
            assert scene.entity_id and scene.footprint is not None
            assert scene.cloud_cover is None or isinstance(scene.cloud_cover, float)
    kapadia = scene_from_result(recorded("kapadia_usgs/scene-search.json")["data"]["results"][0], "ds")
    assert kapadia.cloud_cover == 44.79 and (kapadia.wrs_path, kapadia.wrs_row, kapadia.satellite) == (233, 83, 8)
    docs = scene_from_result(recorded("usgs_docs_samples/scene-search_FIXED.json")["data"]["results"][0], "ds")
    assert docs.cloud_cover is None and docs.acquired == datetime.date(2000, 12, 10)


def test_recorded_download_options_parse():
    trimmed = recorded("usgs_docs_samples/download-options_TRIMMED.json")["data"]
    options = [download_option_from_json(i) for i in trimmed]
    folder = options[0]
    assert folder.download_system == "folder" and folder.filesize is None  # 0 means unknown
    assert folder.secondary[0].display_id.endswith("_ANG.txt") and folder.secondary[0].filesize == 117391
    kapadia = [download_option_from_json(i) for i in recorded("kapadia_usgs/download-options.json")["data"]]
    assert {o.download_system for o in kapadia} >= {"dds"}


def test_checksums():
    assert parse_checksum([{"id": "cksum", "value": "123"}, {"id": "sha256sum", "value": "AB"}]) == ("sha256", "ab")
    assert parse_checksum([{"id": "cksum", "value": "123"}]) is None
    assert parse_checksum(None) is None


def test_overlay_is_the_first_browse_entry_with_a_known_overlay_type():
    from scene_finder.core.models import pick_overlay

    tiles = {"overlayType": "ls_chs", "overlayPath": "https://landsatlook.usgs.gov/dynamic-tiler/{z}/{x}/{y}.png"}
    wms = {"overlayType": "dmid_wms", "overlayPath": "https://ims.cr.usgs.gov/wms/landsat_8_c1?sceneId=lc8"}
    jpeg = {"overlayType": "file", "overlayPath": "https://ims.cr.usgs.gov/browse/DIT/DS1117.jpg"}
    assert pick_overlay([tiles, wms, jpeg]) == ("dmid_wms", wms["overlayPath"])
    assert pick_overlay([{"overlayType": "file", "overlayPath": None}, jpeg]) == ("file", jpeg["overlayPath"])
    assert pick_overlay([tiles]) == (None, None)
    scene = scene_from_result({"entityId": "E", "browse": [tiles, jpeg]}, "ds")
    assert (scene.overlay_type, scene.overlay_url) == ("file", jpeg["overlayPath"])


@pytest.mark.parametrize(("relative", "overlay_type"), [
    ("kapadia_usgs/scene-search.json", "dmid_wms"), ("usgs_docs_samples/scene-search_FIXED.json", "dmid_wms"),
    ("castuofa_usgs_m2m_api/scene-search.json", "file"), ("usgs_docs_samples/scene-metadata.json", None),
])
def test_recorded_results_give_their_overlay(relative, overlay_type):
    answer = recorded(relative)
    data = answer.get("data", answer)
    results = data["results"] if isinstance(data, dict) and "results" in data else [data]
    scene = scene_from_result(results[0], "ds")
    assert scene.overlay_type == overlay_type  # ls_chs (LandsatLook tiles) is not one Scene Finder places
    if overlay_type:
        assert scene.overlay_url == next(b["overlayPath"] for b in results[0]["browse"]
                                         if b["overlayType"] == overlay_type)
