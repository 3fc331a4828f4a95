"""The emulator's hostile mode, over plain HTTP: redirects, the other host, ignored paging, dropped headers
and keys, next links elsewhere."""

from __future__ import annotations

import pytest
import requests

from scene_finder.emulator.server import OTHER_HOST

TIMEOUT = 30
HEADERS = {"Authorization": "Bearer demo-carbonmapper-token"}


@pytest.fixture()
def other(emulator):
    try:
        return emulator.other_base_url
    except OSError as error:  # pragma: no cover
        pytest.skip(f"127.0.0.2 cannot be bound here: {error}")


@pytest.mark.parametrize("status", (301, 302, 303, 307, 308))
def test_redirect_answers_the_status_and_location(emulator, status):
    emulator.faults.add("m2m", "login-token", "redirect", status=status, to="http://example.invalid/x")
    response = requests.post(emulator.m2m_url + "login-token", json={}, allow_redirects=False, timeout=TIMEOUT)
    assert response.status_code == status and response.headers["Location"] == "http://example.invalid/x"
    assert emulator.log.entries("m2m", "login-token")[0].status == status


def test_redirect_refuses_a_status_that_is_no_redirect(emulator):
    emulator.faults.add("m2m", "login-token", "redirect", status=200, to="http://example.invalid/x")
    response = requests.post(emulator.m2m_url + "login-token", json={}, allow_redirects=False, timeout=TIMEOUT)
    assert response.status_code == 500  # the emulator's own error


def test_the_other_host_serves_the_same_services_and_logs_where_requests_arrived(emulator, other):
    assert other.startswith(f"http://{OTHER_HOST}:")
    there = requests.get(other + emulator.carbonmapper_prefix + "stac/", timeout=TIMEOUT)
    here = requests.get(emulator.carbonmapper_url + "stac/", timeout=TIMEOUT)
    assert there.status_code == here.status_code == 200
    assert OTHER_HOST in there.text and OTHER_HOST not in here.text  # its links name the host asked
    hosts = [e.host for e in emulator.log.entries("carbonmapper")]
    assert hosts == [OTHER_HOST, "127.0.0.1"]


def test_ignore_offset_drops_the_parameter_from_the_query_and_the_json_body(emulator):
    emulator.faults.add("carbonmapper", "catalog/plumes/annotated", "ignore_offset", times=2)
    url = emulator.carbonmapper_url + "catalog/plumes/annotated"
    first = requests.get(url, params={"limit": 5, "offset": 0}, timeout=TIMEOUT).json()
    again = requests.get(url, params={"limit": 5, "offset": 5}, timeout=TIMEOUT).json()
    assert [i["id"] for i in again["items"]] == [i["id"] for i in first["items"]] and again["offset"] == 0
    emulator.faults.add("m2m", "scene-search", "ignore_offset", param="startingNumber")
    key = requests.post(emulator.m2m_url + "login-token", json={"username": "demo",
                        "token": "demo-application-token"}, timeout=TIMEOUT).json()["data"]
    data = requests.post(emulator.m2m_url + "scene-search", headers={"X-Auth-Token": key}, timeout=TIMEOUT, json={
        "datasetName": "landsat_ot_c2_l2", "maxResults": 3, "startingNumber": 7}).json()["data"]
    assert data["startingNumber"] == 1


def test_drop_header_and_drop_key(emulator):
    emulator.faults.add("carbonmapper", "catalog/download/scenes.gpkg", "drop_header", header="pagination-limit")
    response = requests.get(emulator.carbonmapper_url + "catalog/download/scenes.gpkg", params={"limit": 0},
                            headers=HEADERS, timeout=TIMEOUT)
    assert response.status_code == 200
    assert "pagination-limit" not in response.headers and "pagination-count" in response.headers
    emulator.faults.add("carbonmapper", "catalog/plumes/annotated", "drop_key", keys=["bbox_count", "total_count"])
    page = requests.get(emulator.carbonmapper_url + "catalog/plumes/annotated", params={"limit": 2},
                        timeout=TIMEOUT).json()
    assert "bbox_count" not in page and "total_count" not in page and len(page["items"]) == 2


def test_next_link_points_elsewhere(emulator, other):
    elsewhere = other + emulator.carbonmapper_prefix + "stac/search"
    emulator.faults.add("carbonmapper", "stac/search", "next_link", href=elsewhere, body={"limit": 1})
    page = requests.post(emulator.carbonmapper_url + "stac/search", json={"limit": 2}, timeout=TIMEOUT).json()
    [link] = [link for link in page["links"] if link["rel"] == "next"]
    assert link["href"] == elsewhere and link["body"] == {"limit": 1}
    assert len(page["features"]) == 2
