"""The M2M emulator's envelope, authentication, key expiry and M2M-specific faults, over plain HTTP."""

from __future__ import annotations

import uuid

import pytest
import requests

from scene_finder.emulator import Emulator

TIMEOUT = 60


def _post(emulator, endpoint: str, payload=None, key: str | None = None, **kwargs) -> requests.Response:
    headers = {"X-Auth-Token": key} if key else {}
    return requests.post(emulator.m2m_url + endpoint, json=payload, headers=headers, timeout=TIMEOUT, **kwargs)


def _login(emulator, username: str = "demo", token: str = "demo-application-token") -> str:
    answer = _post(emulator, "login-token", {"username": username, "token": token}).json()
    assert answer["errorCode"] is None, answer
    return answer["data"]


def test_login_answers_an_api_key_in_the_envelope(emulator):
    response = _post(emulator, "login-token", {"username": "demo", "token": "demo-application-token"})
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"requestId", "version", "sessionId", "data", "errorCode", "errorMessage"}
    assert answer["version"] == "stable" and answer["errorCode"] is None
    assert isinstance(answer["data"], str) and len(answer["data"]) > 20
    assert isinstance(answer["requestId"], int) and isinstance(answer["sessionId"], int)


@pytest.mark.parametrize(("username", "token"), [("demo", "wrong"), ("nobody", "demo-application-token"),
                                                 ("", ""), (None, None)])
def test_bad_credentials_are_auth_invalid(emulator, username, token):
    answer = _post(emulator, "login-token", {"username": username, "token": token}).json()
    assert answer["errorCode"] == "AUTH_INVALID"
    assert answer["data"] is None


def test_user_without_m2m_access_is_unauthorized(emulator):
    answer = _post(emulator, "login-token", {"username": "pending", "token": "pending-token"}).json()
    assert answer["errorCode"] == "AUTH_UNAUTHROIZED"
    assert answer["errorMessage"] == "Your account does not have access to this endpoint"


def test_missing_and_unknown_keys_are_refused(emulator):
    assert _post(emulator, "dataset-search", {}).json()["errorCode"] == "AUTH_INVALID"
    assert _post(emulator, "dataset-search", {}, key="not-a-key").json()["errorCode"] == "AUTH_KEY_INVALID"


def test_logout_ends_the_key(emulator):
    key = _login(emulator)
    answer = _post(emulator, "logout", None, key=key).json()
    assert answer["errorCode"] is None and answer["data"] is None
    assert _post(emulator, "dataset-search", {}, key=key).json()["errorCode"] == "AUTH_KEY_INVALID"


def test_key_expires_after_two_hours_of_inactivity(tmp_path):
    with Emulator(landsat_scenes=200, cache_dir=tmp_path) as own:
        key = _login(own)
        own.clock.advance(7100)
        assert _post(own, "dataset-search", {}, key=key).json()["errorCode"] is None  # restarts the two hours
        own.clock.advance(7100)
        assert _post(own, "dataset-search", {}, key=key).json()["errorCode"] is None
        own.clock.advance(7300)
        answer = _post(own, "dataset-search", {}, key=key).json()
        assert answer == {"errorCode": "AUTH_EXPIRED", "errorMessage": "API key has expired due to inactivity",
                          "data": None, "requestId": 0, "sessionId": None, "version": None}
        assert _post(own, "dataset-search", {}, key=_login(own)).json()["errorCode"] is None


def test_expire_key_fault_expires_the_key_in_use(emulator):
    key = _login(emulator)
    emulator.faults.add("m2m", "scene-search", "expire_key")
    assert _post(emulator, "dataset-search", {}, key=key).json()["errorCode"] is None
    answer = _post(emulator, "scene-search", {"datasetName": "landsat_ot_c2_l2"}, key=key).json()
    assert answer["errorCode"] == "AUTH_EXPIRED"
    assert _post(emulator, "dataset-search", {}, key=key).json()["errorCode"] == "AUTH_EXPIRED"
    assert _post(emulator, "dataset-search", {}, key=_login(emulator)).json()["errorCode"] is None


def test_unknown_endpoint_is_not_found(emulator):
    key = _login(emulator)
    for endpoint in ("no-such-endpoint", "login"):
        response = _post(emulator, endpoint, {}, key=key)
        assert response.status_code == 404
        assert response.json()["errorCode"] == "NOT_FOUND"
        assert response.json()["errorMessage"] == "Invalid Endpoint"


def test_malformed_json_is_input_format(emulator):
    key = _login(emulator)
    response = requests.post(emulator.m2m_url + "scene-search", data=b"{not json", timeout=TIMEOUT,
                             headers={"X-Auth-Token": key, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["errorCode"] == "INPUT_FORMAT"


@pytest.mark.parametrize("endpoint", ["scene-search", "dataset-filters", "download-options", "scene-metadata"])
def test_missing_dataset_name_is_an_input_error(emulator, endpoint):
    answer = _post(emulator, endpoint, {}, key=_login(emulator)).json()
    assert answer["errorCode"] == "INPUT_PARAMETER_INVALID"
    assert "datasetName" in answer["errorMessage"]


def test_unknown_dataset_is_refused(emulator):
    answer = _post(emulator, "scene-search", {"datasetName": "no_such_dataset"}, key=_login(emulator)).json()
    assert answer["errorCode"] == "DATASET_INVALID"


@pytest.mark.parametrize(("route", "code", "payload"), [
    ("scene-search", "RATE_LIMIT", {"datasetName": "landsat_ot_c2_l2"}),
    ("download-request", "RATE_LIMIT_USER_DL", {"downloads": []}),
])
def test_m2m_error_faults_answer_the_error_once(emulator, route, code, payload):
    key = _login(emulator)
    emulator.faults.add("m2m", route, "m2m_error", code=code)
    answer = _post(emulator, route, payload, key=key).json()
    assert answer["errorCode"] == code and answer["data"] is None and answer["errorMessage"]
    assert _post(emulator, route, payload, key=key).json()["errorCode"] is None


def test_download_request_limit_is_rate_limit_user_dl(emulator):
    username = f"user-{uuid.uuid4().hex[:8]}"
    emulator.config.m2m_accounts[username] = "token"
    try:
        key = _login(emulator, username, "token")
    finally:
        del emulator.config.m2m_accounts[username]
    downloads = [{"entityId": f"X{i}", "productId": "5e83d14fec7cae84"} for i in range(15001)]
    answer = _post(emulator, "download-request", {"downloads": downloads}, key=key).json()
    assert answer["errorCode"] == "RATE_LIMIT_USER_DL"
