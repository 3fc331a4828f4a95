"""The server's generic faults on the Carbon Mapper routes."""

from __future__ import annotations

import pytest
import requests

HEADERS = {"Authorization": "Bearer demo-carbonmapper-token"}
GPKG = "catalog/download/scenes.gpkg"


def _asset_href(emulator) -> str:
    result = requests.post(emulator.carbonmapper_url + "stac/search",
                           json={"collections": ["l2b-ch4-mfa-v3a"], "limit": 1}, timeout=30).json()
    return result["features"][0]["assets"]["cmf.tif"]["href"]


def test_429_with_retry_after_then_normal(emulator):
    emulator.faults.add("carbonmapper", GPKG, "status", status=429, retry_after=1)
    url = emulator.carbonmapper_url + GPKG
    limited = requests.get(url, params={"limit": 0}, headers=HEADERS, timeout=10)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    assert "detail" in limited.json()
    assert requests.get(url, params={"limit": 0}, headers=HEADERS, timeout=10).status_code == 200
    assert emulator.log.count("carbonmapper", GPKG) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_on_plumes(emulator, status):
    emulator.faults.add("carbonmapper", "catalog/plumes/annotated", "status", status=status, times=2)
    url = emulator.carbonmapper_url + "catalog/plumes/annotated"
    assert [requests.get(url, timeout=10).status_code for _ in range(3)] == [status, status, 200]


def test_html_error_page_on_stac_search(emulator):
    emulator.faults.add("carbonmapper", "stac/search", "html", status=502)
    response = requests.post(emulator.carbonmapper_url + "stac/search", json={}, timeout=10)
    assert response.status_code == 502 and response.headers["Content-Type"].startswith("text/html")


def test_wildcard_route_matches_every_catalog_route(emulator):
    emulator.faults.add("carbonmapper", "catalog/*", "status", status=503, times=None)
    url = emulator.carbonmapper_url
    assert requests.get(url + "catalog/plume-csv", timeout=10).status_code == 503
    assert requests.get(url + GPKG, headers=HEADERS, timeout=10).status_code == 503
    assert requests.get(url + "stac/", timeout=10).status_code == 200


def _cut_short(url: str) -> bool:
    """True when the body ended before its Content-Length (urllib3 1.26 does not check it itself)."""
    try:
        response = requests.get(url, params={"limit": 100}, headers=HEADERS, timeout=30)
    except requests.exceptions.RequestException:
        return True
    return len(response.content) < int(response.headers["Content-Length"])


@pytest.mark.parametrize("kind", ["short_body", "drop_at"])
def test_cut_connections_on_the_geopackage(emulator, kind):
    url = emulator.carbonmapper_url + GPKG
    emulator.faults.add("carbonmapper", GPKG, kind, byte=1000)
    assert _cut_short(url)
    assert not _cut_short(url), "the fault was used once"


def test_delay_and_throttle_still_deliver_the_asset(emulator):
    href = _asset_href(emulator)
    route = href.split(emulator.carbonmapper_prefix, 1)[1]
    whole = requests.get(href, headers=HEADERS, timeout=30).content
    emulator.faults.add("carbonmapper", route, "delay", seconds=0.2)
    emulator.faults.add("carbonmapper", "catalog/asset/*", "throttle", bytes_per_second=2_000_000)
    assert requests.get(href, headers=HEADERS, timeout=30).content == whole
    assert not emulator.faults.pending()


def test_ignore_range_answers_the_whole_asset(emulator):
    href = _asset_href(emulator)
    emulator.faults.add("carbonmapper", "catalog/asset/*", "ignore_range")
    response = requests.get(href, headers={**HEADERS, "Range": "bytes=10-19"}, timeout=30)
    assert response.status_code == 200 and len(response.content) > 10
    again = requests.get(href, headers={**HEADERS, "Range": "bytes=10-19"}, timeout=30)
    assert again.status_code == 206 and again.content == response.content[10:20]


def test_faults_for_another_service_leave_carbon_mapper_alone(emulator):
    emulator.faults.add("m2m", "*", "status", status=503, times=None)
    assert requests.get(emulator.carbonmapper_url + "catalog/plumes/annotated", timeout=10).status_code == 200


def test_expire_token_kills_the_access_token_of_the_matching_request(emulator):
    pair = requests.post(emulator.carbonmapper_url + "token/pair",
                         json={"email": "demo@example.com", "password": "demo-password"}, timeout=10).json()
    bearer = {"Authorization": f"Bearer {pair['access']}"}
    url = emulator.carbonmapper_url + "catalog/scenes/annotated"
    assert requests.get(url, params={"limit": 1}, headers=bearer, timeout=10).status_code == 200
    emulator.faults.add("carbonmapper", "catalog/scenes/annotated", "expire_token")
    refused = requests.get(url, params={"limit": 1}, headers=bearer, timeout=10)
    assert refused.status_code == 401 and refused.json()["code"] == "token_not_valid"
    assert requests.get(url, params={"limit": 1}, headers=bearer, timeout=10).status_code == 401  # for good
    renewed = requests.post(emulator.carbonmapper_url + "token/refresh", json={"refresh": pair["refresh"]},
                            timeout=10).json()
    fresh = {"Authorization": f"Bearer {renewed['access']}"}
    assert requests.get(url, params={"limit": 1}, headers=fresh, timeout=10).status_code == 200
    assert requests.get(url, params={"limit": 1}, headers=HEADERS, timeout=10).status_code == 200  # scoped: untouched


def test_pause_at_holds_a_transfer_until_released(emulator):
    fault = emulator.faults.add("files", "*", "pause_at", byte=1000)
    response = requests.get(emulator.generated_file_url(5000), stream=True, timeout=10)
    first = response.raw.read(1000)
    assert fault.reached.wait(10) and len(first) == 1000
    fault.release()
    rest = response.raw.read()
    assert len(first + rest) == 5000
    assert requests.get(emulator.generated_file_url(5000), timeout=10).content == first + rest
