"""Tokens and bearer authentication of the emulated Carbon Mapper API."""

from __future__ import annotations

import pytest
import requests

from scene_finder.emulator import Emulator
from scene_finder.emulator.carbonmapper.auth import NO_SCOPE_TOKEN

TOKEN = "demo-carbonmapper-token"
GPKG = "catalog/download/scenes.gpkg"


@pytest.fixture()
def own_emulator(tmp_path):
    """An emulator whose clock this test may move."""
    with Emulator(cache_dir=tmp_path, carbonmapper_scenes=300, carbonmapper_plumes=60,
                  carbonmapper_tokens={TOKEN, "noscope-analyst"}) as running:
        yield running


def _login(url: str) -> dict:
    response = requests.post(url + "token/pair", json={"email": "demo@example.com", "password": "demo-password"},
                             timeout=10)
    assert response.status_code == 200
    return response.json()


def test_token_pair_gives_jwts_groups_and_permissions(emulator):
    pair = _login(emulator.carbonmapper_url)
    assert set(pair) == {"refresh", "access", "groups", "permissions"}
    assert pair["access"].count(".") == 2 and pair["refresh"].count(".") == 2
    assert isinstance(pair["groups"], str) and isinstance(pair["permissions"], list)


@pytest.mark.parametrize("body", [
    {"email": "demo@example.com", "password": "wrong"},
    {"email": "nobody@example.com", "password": "demo-password"},
])
def test_token_pair_refuses_bad_credentials(emulator, body):
    response = requests.post(emulator.carbonmapper_url + "token/pair", json=body, timeout=10)
    assert response.status_code == 401
    assert response.json() == {"detail": "No active account found with the given credentials"}


def test_token_pair_needs_both_fields(emulator):
    response = requests.post(emulator.carbonmapper_url + "token/pair", json={"email": "x"}, timeout=10)
    assert response.status_code == 422


def test_scoped_token_and_access_token_both_authenticate(emulator):
    url = emulator.carbonmapper_url + GPKG
    access = _login(emulator.carbonmapper_url)["access"]
    for token in (TOKEN, access):
        response = requests.get(url, params={"limit": 0}, headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert response.status_code == 200, token


def test_missing_or_unknown_token_is_401(emulator):
    url = emulator.carbonmapper_url + GPKG
    missing = requests.get(url, timeout=10)
    assert missing.status_code == 401
    assert missing.json() == {"detail": "Authentication credentials were not provided."}
    unknown = requests.get(url, headers={"Authorization": "Bearer not-a-token"}, timeout=10)
    assert unknown.status_code == 401
    assert unknown.json()["code"] == "token_not_valid"
    assert unknown.json()["detail"] == "Given token not valid for any token type"


def test_token_without_permission_is_403(own_emulator):
    for token in (NO_SCOPE_TOKEN, "noscope-analyst"):
        response = requests.get(own_emulator.carbonmapper_url + GPKG, headers={"Authorization": f"Bearer {token}"},
                                timeout=10)
        assert response.status_code == 403, token
        assert response.json() == {"detail": "You do not have permission to perform this action."}


def test_access_token_expires_after_an_hour_and_refresh_renews_it(own_emulator):
    url = own_emulator.carbonmapper_url
    pair = _login(url)
    headers = {"Authorization": f"Bearer {pair['access']}"}
    assert requests.get(url + GPKG, params={"limit": 0}, headers=headers, timeout=10).status_code == 200
    own_emulator.clock.advance(3601)
    expired = requests.get(url + GPKG, params={"limit": 0}, headers=headers, timeout=10)
    assert expired.status_code == 401 and expired.json()["code"] == "token_not_valid"
    verify = requests.post(url + "token/verify", json={"token": pair["access"]}, timeout=10)
    assert verify.status_code == 401
    renewed = requests.post(url + "token/refresh", json={"refresh": pair["refresh"]}, timeout=10)
    assert renewed.status_code == 200 and set(renewed.json()) >= {"access", "refresh"}
    headers = {"Authorization": f"Bearer {renewed.json()['access']}"}
    assert requests.get(url + GPKG, params={"limit": 0}, headers=headers, timeout=10).status_code == 200
    own_emulator.clock.advance(86401)
    stale = requests.post(url + "token/refresh", json={"refresh": renewed.json()["refresh"]}, timeout=10)
    assert stale.status_code == 401


def test_tampered_access_token_is_refused(emulator):
    access = _login(emulator.carbonmapper_url)["access"]
    header, payload, signature = access.split(".")
    forged = f"{header}.{payload}.{signature[::-1]}"
    response = requests.get(emulator.carbonmapper_url + GPKG, headers={"Authorization": f"Bearer {forged}"},
                            timeout=10)
    assert response.status_code == 401


def test_create_stac_token_needs_a_session_and_then_works(emulator):
    url = emulator.carbonmapper_url
    body = {"name": "qgis", "expiration_date": "2030-01-01"}
    assert requests.post(url + "account/tokens/create-stac", json=body, timeout=10).status_code == 401
    access = _login(url)["access"]
    made = requests.post(url + "account/tokens/create-stac", json=body,
                         headers={"Authorization": f"Bearer {access}"}, timeout=10)
    assert made.status_code == 200
    token = made.json()["token_value"]
    response = requests.get(url + GPKG, params={"limit": 0}, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code == 200


def test_token_endpoints_only_take_post(emulator):
    assert requests.get(emulator.carbonmapper_url + "token/pair", timeout=10).status_code == 405
