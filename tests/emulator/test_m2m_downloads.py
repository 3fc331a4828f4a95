"""download-options, the download queue and the emulated download hosts, over plain HTTP.

Each test signs in as a user of its own, so that the download queue starts empty for it.
"""

from __future__ import annotations

import re

import pytest
import requests
from support.m2m_api import BUNDLE, DATASET, DownloadUser

BUNDLE_MS = "632210d4770592cf"




@pytest.fixture()
def api(emulator):
    return DownloadUser(emulator)


def _options(api: DownloadUser, entity_id: str) -> dict:
    return {o["id"]: o for o in api.call("download-options", {"datasetName": DATASET, "entityIds": [entity_id]})}


def test_download_options_list_bundles_and_band_files(api):
    entity_id = api.scene_ids(1, preparing=False)[0]
    options = _options(api, entity_id)
    bundle = options[BUNDLE]
    assert bundle["downloadSystem"] == "ls_zip" and bundle["available"] is True
    assert bundle["productName"] == "Landsat Collection 2 Level-2 Product Bundle"
    assert options[BUNDLE_MS]["downloadSystem"] == "dds_ms" and options[BUNDLE_MS]["available"] is False
    folders = [o for o in options.values() if o["downloadSystem"] == "folder"]
    assert len(folders) == 2 and all(f["filesize"] == 0 for f in folders)
    files = {f["downloadName"]: f for folder in folders for f in folder["secondaryDownloads"]}
    display_id = bundle["displayId"]
    band = files["SR_B4.TIF"]
    assert band["entityId"] == f"L2SR_{display_id}_SR_B4_TIF"
    assert band["displayId"] == f"{display_id}_SR_B4.TIF"
    assert band["available"] is True and band["filesize"] > 0 and band["downloadSystem"] == "dds"
    assert files["ST_B10.TIF"]["entityId"] == f"L2ST_{display_id}_ST_B10_TIF"
    assert {"SR_B1.TIF", "SR_B7.TIF", "QA_PIXEL.TIF", "MTL.txt", "MTL.json"} <= set(files)
    assert any(not f["available"] for f in files.values())
    assert len({f["id"] for f in files.values()}) == len(files)
    as_text = api.call("download-options", {"datasetName": DATASET, "entityIds": f"{entity_id},NOPE"})
    assert [o["id"] for o in as_text] == list(options)


def test_available_bundle_downloads_with_its_announced_size(api):
    entity_id = api.scene_ids(1, preparing=False)[0]
    size = _options(api, entity_id)[BUNDLE]["filesize"]
    answer = api.request([entity_id], label="bundles")
    assert answer["preparingDownloads"] == [] and answer["failed"] == [] and answer["numInvalidScenes"] == 0
    assert answer["duplicateProducts"] == []
    (available,) = answer["availableDownloads"]
    assert answer["newRecords"] == {str(available["downloadId"]): "bundles"}
    assert {r["limitType"] for r in answer["remainingLimits"]} == {"user", "ip"}
    url = available["url"]
    match = re.match(r"^http://127\.0\.0\.1:\d+/landsatlook/gen-bundle\?landsat_product_id=(\w+)&requestSignature=",
                     url)
    assert match
    response = requests.get(url, timeout=60)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="{match.group(1)}.tar"'
    assert len(response.content) == int(response.headers["Content-Length"]) == size
    partial = requests.get(url, headers={"Range": "bytes=100-199"}, timeout=60)
    assert partial.status_code == 206 and partial.content == response.content[100:200]
    forged = url[:-8] + "AAAAAAA="
    assert requests.get(forged, timeout=60).status_code == 403


def test_preparing_bundle_becomes_available_after_polls(api):
    entity_id = api.scene_ids(1, preparing=True)[0]
    answer = api.request([entity_id], label="slow")
    assert answer["availableDownloads"] == []
    (preparing,) = answer["preparingDownloads"]
    assert "/dds/download-staging/" in preparing["url"]
    assert requests.get(preparing["url"], timeout=60).status_code == 404
    polls = api.emulator.config.prepare_polls
    for _ in range(polls - 1):
        waiting = api.retrieve("slow")
        assert waiting["available"] == [] and waiting["queueSize"] == 1
        assert [r["statusCode"] for r in waiting["requested"]] == ["S"]
    ready = api.retrieve("slow")
    (item,) = ready["available"]
    assert ready["queueSize"] == 0
    assert item["downloadId"] == preparing["downloadId"] and item["statusCode"] == "A" and item["label"] == "slow"
    assert item["entityId"] == entity_id and item["filesize"] > 0
    assert [r["downloadId"] for r in ready["requested"]] == [item["downloadId"]]  # in both lists, as recorded
    response = requests.get(item["url"], timeout=60)
    assert response.status_code == 200 and len(response.content) == item["filesize"]


def test_band_files_are_available_at_once(api):
    entity_id = api.scene_ids(1, preparing=True)[0]
    files = {f["downloadName"]: f for o in _options(api, entity_id).values() for f in o["secondaryDownloads"]}
    wanted = [files["SR_B4.TIF"], files["MTL.txt"]]
    answer = api.call("download-request", {"downloads": [{"entityId": f["entityId"], "productId": f["id"]}
                                                         for f in wanted]})
    assert answer["preparingDownloads"] == [] and len(answer["availableDownloads"]) == 2
    for band, available in zip(wanted, answer["availableDownloads"], strict=True):
        assert "/dds/download/" in available["url"]
        response = requests.get(available["url"], timeout=60)
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == f'attachment; filename="{band["displayId"]}"'
        assert len(response.content) == band["filesize"]
    assert b"LANDSAT_PRODUCT_ID" in requests.get(answer["availableDownloads"][1]["url"], timeout=60).content


def test_requesting_again_gives_duplicates_with_the_first_label(api):
    entity_id = api.scene_ids(1, preparing=False)[0]
    first = api.request([entity_id], label="first")
    again = api.request([entity_id], label="second")
    download_id = str(first["availableDownloads"][0]["downloadId"])
    assert again["newRecords"] == []
    assert again["duplicateProducts"] == {download_id: "first"}
    assert [a["downloadId"] for a in again["availableDownloads"]] == [int(download_id)]


def test_labels_top_level_item_and_server_made(api):
    one, two, three = api.scene_ids(3, preparing=False)
    top = api.call("download-request", {"label": "top", "downloads": [
        {"entityId": one, "productId": BUNDLE, "label": "item"}]})
    assert list(top["newRecords"].values()) == ["top"]
    item = api.call("download-request", {"downloads": [{"entityId": two, "productId": BUNDLE, "label": "item"}]})
    assert list(item["newRecords"].values()) == ["item"]
    server = api.request([three])
    (label,) = server["newRecords"].values()
    assert re.match(r"^m2m_\d+_\d{14}$", label)


def test_unknown_scenes_and_unavailable_products(api):
    entity_id = api.scene_ids(1, preparing=False)[0]
    answer = api.call("download-request", {"downloads": [
        {"entityId": "LC90000002023001LGN00", "productId": BUNDLE},
        {"entityId": entity_id, "productId": BUNDLE_MS},
        {"entityId": entity_id, "productId": "no-such-product"},
    ]})
    assert answer["numInvalidScenes"] == 1
    assert len(answer["failed"]) == 2 and answer["newRecords"] == []
    empty = api.call("download-request", {"downloads": []})
    assert empty == {**empty, "availableDownloads": [], "preparingDownloads": [], "newRecords": [],
                     "duplicateProducts": [], "failed": []}


@pytest.mark.parametrize("route", ["*", "download-request", "download-retrieve"])
def test_prepare_fail_fault_fails_the_next_prepared_download(api, route):
    one, two = api.scene_ids(2, preparing=True)
    api.emulator.faults.add("m2m", route, "prepare_fail")
    api.request([one, two], label="doomed")
    for _ in range(api.emulator.config.prepare_polls):
        answer = api.retrieve("doomed")
    assert [r["statusCode"] for r in answer["requested"]].count("F") == 1
    failed = next(r for r in answer["requested"] if r["statusCode"] == "F")
    assert failed["statusText"] == "Failed" and failed["url"] is None
    assert len(answer["available"]) == 1 and answer["available"][0]["downloadId"] != failed["downloadId"]
    again = api.request([failed["entityId"]], label="retry")
    assert list(again["newRecords"].values()) == ["retry"] and again["duplicateProducts"] == []


def test_search_labels_remove_and_rate_limits(api):
    one, two, three = api.scene_ids(3, preparing=False)
    first = api.request([one, two], label="pair")
    api.request([three], label="single")
    listed = api.call("download-search", {"label": "pair"})
    assert sorted(d["entityId"] for d in listed) == sorted([one, two])
    assert {d["statusCode"] for d in listed} == {"A"}
    labels = {entry["label"]: entry for entry in api.call("download-labels", {})}
    assert set(labels) == {"pair", "single"} and labels["pair"]["downloadCount"] == 2
    download_id = first["availableDownloads"][0]["downloadId"]
    assert api.call("download-remove", {"downloadId": download_id}) is True
    assert api.call("download-remove", {"downloadId": download_id}) is False
    assert api.call("download-order-remove", {"label": "pair"}) == 1
    assert api.retrieve("pair") == {"available": [], "queueSize": 0, "requested": [], "eulas": []}
    summary = api.call("rate-limit-summary", {})
    assert summary["initialLimits"] == [{"recentDownloadCount": 15000, "pendingDownloadCount": 20000,
                                         "unattemptedDownloadCount": 20000}]
    assert [limit["limitType"] for limit in summary["remainingLimits"]] == ["user", "ip"]


def test_scene_lists_feed_download_options(api):
    ids = api.scene_ids(2, preparing=False)
    assert api.call("scene-list-add", {"listId": "mine", "datasetName": DATASET, "entityIds": ids}) == 2
    assert [e["entityId"] for e in api.call("scene-list-get", {"listId": "mine"})] == ids
    options = api.call("download-options", {"datasetName": DATASET, "listId": "mine"})
    assert {o["entityId"] for o in options} == set(ids)
    assert api.call("scene-list-remove", {"listId": "mine"}) is None
    assert api.call("scene-list-get", {"listId": "mine"}) == []


def test_download_hosts_take_transfer_faults(api):
    """The download hosts are services of their own ("landsatlook", "dds") that faults can target."""
    entity_id = api.scene_ids(1, preparing=False)[0]
    files = {f["downloadName"]: f for o in _options(api, entity_id).values() for f in o["secondaryDownloads"]}
    band = files["SR_B2.TIF"]
    band_url = api.call("download-request", {"downloads": [
        {"entityId": band["entityId"], "productId": band["id"]}]})["availableDownloads"][0]["url"]
    bundle = api.request([entity_id])["availableDownloads"][0]["url"]
    api.emulator.faults.add("landsatlook", "gen-bundle", "drop_at", byte=1000)
    api.emulator.faults.add("dds", "download/*", "status", status=503, retry_after=3)
    try:
        cut = requests.get(bundle, timeout=60).content
    except requests.exceptions.ChunkedEncodingError:
        cut = b""
    assert len(cut) <= 1000
    refused = requests.get(band_url, timeout=60)
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "3"
    assert len(requests.get(bundle, timeout=60).content) > 1000
    assert requests.get(band_url, timeout=60).status_code == 200


def test_html_outage_page_on_the_api(api):
    api.emulator.faults.add("m2m", "scene-search", "html", status=503)
    response = requests.post(api.emulator.m2m_url + "scene-search", json={"datasetName": DATASET},
                             headers={"X-Auth-Token": api.key}, timeout=60)
    assert response.status_code == 503 and response.headers["Content-Type"].startswith("text/html")
