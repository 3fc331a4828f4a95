"""Choosing products from download-options, and reading request/retrieve answers (no server)."""

from __future__ import annotations

import json

import pytest
from support.conformance import FIXTURES

from scene_finder.core.m2m.download import _choose, _is_failed, _Matcher, band_options, bundle_option
from scene_finder.core.m2m.download_answers import entry_from_json, request_answer_from_json, retrieve_answer_from_json
from scene_finder.core.models import download_option_from_json

DISPLAY = "LC09_L2SP_013035_20230326_20230328_02_T1"


def option(product_id, system, available=True, name="Landsat Collection 2 Level-2 Product Bundle", secondary=()):
    return {"id": product_id, "entityId": "LC90130352023085LGN00", "displayId": DISPLAY, "available": available,
            "filesize": 818830718 if system != "folder" else 0, "productName": name, "productCode": "D694",
            "downloadSystem": system, "secondaryDownloads": list(secondary)}


def band(name, available=True):
    return {"id": f"id-{name}", "entityId": f"L2SR_{DISPLAY}_{name.replace('.', '_')}",
            "displayId": f"{DISPLAY}_{name}", "available": available, "filesize": 1000, "downloadSystem": "dds",
            "secondaryDownloads": []}


# the seed's download-options for one scene: ls_zip bundle, two folders, an unavailable dds_ms bundle
SEED_OPTIONS = [download_option_from_json(o) for o in (
    option("5e83d14fec7cae84", "ls_zip"),
    option("6448198cc7b442a4", "folder", name="Landsat Collection 2 Level-2 Band File",
           secondary=[band("SR_B4.TIF"), band("SR_B3.TIF"), band("SR_QA_AEROSOL.TIF", available=False)]),
    option("6448198c62023764", "folder", name="Landsat Collection 2 Level-2 Band File", secondary=[band("ST_B10.TIF")]),
    option("632210d4770592cf", "dds_ms", available=False),
)]


def test_bundle_is_the_available_non_folder_product():
    assert bundle_option(SEED_OPTIONS).product_id == "5e83d14fec7cae84"
    assert bundle_option([o for o in SEED_OPTIONS if o.download_system != "ls_zip"]) is None
    dds_only = [download_option_from_json(option("abc", "dds")), download_option_from_json(option("w", "wms"))]
    assert bundle_option(dds_only).product_id == "abc"


def test_band_files_from_folders():
    assert band_options(SEED_OPTIONS, "SR_B4").display_id.endswith("_SR_B4.TIF")
    assert band_options(SEED_OPTIONS, "st_b10").display_id.endswith("_ST_B10.TIF")
    assert band_options(SEED_OPTIONS, "SR_QA_AEROSOL") is None  # listed but not available
    assert band_options(SEED_OPTIONS, "SR_B1") is None


def test_choose_reports_why_something_cannot_be_had():
    chosen = _choose(SEED_OPTIONS, ["LC90130352023085LGN00", "LC00000000000000LGN00"], "bundle")
    assert chosen[0].failure is None and chosen[0].product_id == "5e83d14fec7cae84" and chosen[0].size == 818830718
    assert "no download" in chosen[1].failure
    bands = _choose(SEED_OPTIONS, ["LC90130352023085LGN00"], ["SR_B4", "SR_B9"])
    assert [w.key for w in bands] == ["LC90130352023085LGN00/SR_B4", "LC90130352023085LGN00/SR_B9"]
    assert bands[0].filename == f"{DISPLAY}_SR_B4.TIF" and bands[0].entity_id.startswith("L2SR_")
    assert "SR_B9" in bands[1].failure


def test_urls_without_entity_ids_are_matched_by_display_id():
    wanted = _choose(SEED_OPTIONS, ["LC90130352023085LGN00"], "bundle")
    matcher = _Matcher(wanted)
    url = f"https://landsatlook.usgs.gov/gen-bundle?landsat_product_id={DISPLAY}&requestSignature=x"
    assert matcher.match(entry_from_json({"downloadId": 1, "url": url}, "item")) is wanted[0]
    elsewhere = entry_from_json({"downloadId": 1, "url": "https://elsewhere"}, "item")
    assert matcher.match(elsewhere) is wanted[0]  # known by its id now


@pytest.mark.parametrize("item, failed", [
    ({"statusCode": "F", "statusText": "Failed"}, True), ({"statusCode": "A", "statusText": "Available"}, False),
    ({"statusCode": "S", "statusText": "Staging"}, False), ({"statusCode": "P", "statusText": "Proxied"}, False),
    ({"statusText": "Error"}, True),
])
def test_failed_statuses(item, failed):
    assert _is_failed(entry_from_json(item, "item")) is failed


def recorded(relative):
    path = FIXTURES / "m2m" / relative
    if not path.exists():
        pytest.skip("recorded fixtures not available")
    return json.loads(path.read_text())["data"]


def test_recorded_empty_maps_serialised_as_lists():
    data = recorded("observed_in_issues_and_code/download-request_empty_theia_comment.json")
    answer = request_answer_from_json(data)
    assert answer.new_records == {} and answer.duplicates == {}
    labelled = request_answer_from_json(recorded("castuofa_usgs_m2m_api/download-request.json"))
    assert labelled.new_records == {"10545324": "download-sample"}


def test_recorded_item_in_both_retrieve_lists_counts_once():
    data = recorded("castuofa_usgs_m2m_api/download-retrieve.json")
    options = [download_option_from_json(o) for o in recorded("castuofa_usgs_m2m_api/download-options.json")]
    wanted = _choose(options, ["DS1117-2086DA017"], "bundle")
    matcher = _Matcher(wanted)
    answer = retrieve_answer_from_json(data)
    found = {id(matcher.match(i)) for i in answer.available + answer.requested}
    assert found == {id(wanted[0])}


class AnsweringClient:
    """Gives one canned answer per endpoint (the protocol's bookkeeping is pure logic)."""

    def __init__(self, answers):
        self.answers, self.calls = answers, []

    def call(self, endpoint, payload):
        self.calls.append((endpoint, payload))
        return self.answers[endpoint]


def test_request_failures_and_label_reuse_are_read():
    from scene_finder.core.m2m.download import _request

    wanted = _choose(SEED_OPTIONS, ["LC90130352023085LGN00"], ["SR_B4", "SR_B3"])
    answer = {"availableDownloads": [], "preparingDownloads": [{"downloadId": 7, "entityId": wanted[1].entity_id}],
              "failed": [{"entityId": wanted[0].entity_id, "productId": "id-SR_B4.TIF", "errorMessage": "Nope"}],
              "newRecords": [], "duplicateProducts": {"7": "earlier-label"}}
    matcher = _Matcher(wanted)
    preparing, labels = _request(AnsweringClient({"download-request": answer}), wanted, "mine", matcher)
    assert wanted[0].failure == "USGS refused the download request: Nope"
    assert preparing == {"7"} and labels == {"mine", "earlier-label"} and wanted[1].download_id == "7"


def _product(product_id, name, system="dds", available=True):
    return download_option_from_json({"id": product_id, "entityId": "E", "displayId": "E", "available": available,
                                      "filesize": 10, "productName": name, "productCode": "D1",
                                      "downloadSystem": system, "secondaryDownloads": []})


@pytest.mark.parametrize(("names", "chosen"), [
    # Sentinel-2: the L1C tile, not the full-resolution browse listed before it
    (["Full Resolution Browse in GeoTIFF format", "L1C Tile in JPEG2000 format"], "L1C Tile in JPEG2000 format"),
    # NAIP: the full-resolution image
    (["Full Resolution Browse", "Full Resolution"], "Full Resolution"),
    # SRTM: GeoTIFF before BIL and DTED, whatever the order
    (["BIL 1 Arc-second", "DTED 1 Arc-second", "GeoTIFF 1 Arc-second"], "GeoTIFF 1 Arc-second"),
    (["DTED 1 Arc-second", "BIL 1 Arc-second"], "BIL 1 Arc-second"),
    # only a browse on offer: better than nothing
    (["LandsatLook Natural Color Image"], "LandsatLook Natural Color Image"),
])
def test_the_whole_product_of_any_dataset_is_chosen_over_its_previews(names, chosen):
    options = [_product(f"p{i}", name) for i, name in enumerate(names)]
    assert bundle_option(options).product_name == chosen
    assert bundle_option(list(reversed(options))).product_name == chosen


def test_recorded_landsat_collection_1_options_give_the_level_1_geotiff():
    path = FIXTURES / "m2m" / "kapadia_usgs" / "download-options.json"
    if not path.exists():
        pytest.skip("recorded fixtures not available")
    options = [download_option_from_json(o) for o in json.loads(path.read_text())["data"]]
    assert bundle_option(options).product_name == "Level-1 GeoTIFF Data Product"
