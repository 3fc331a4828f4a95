"""M2MClient against the emulator: sign-in, the envelope, every fault the emulator injects."""

from __future__ import annotations

import json
import logging

import pytest

from scene_finder.core.errors import (
    AuthInvalidError,
    AuthUnauthorizedError,
    BadInputError,
    InsecureUrlError,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
)
from scene_finder.core.http import make_session
from scene_finder.core.m2m import DEFAULT_M2M_URL, M2MClient, m2m_url_from_env

TOKEN = "demo-application-token"
SCENE_SEARCH = {"datasetName": "landsat_ot_c2_l2", "maxResults": 2}


def make_client(emulator, username="demo", token=TOKEN, **kw) -> M2MClient:
    kw.setdefault("rate_limit_backoff", 0.01)
    session = make_session(retries=kw.pop("retries", 3), backoff=0.01)
    return M2MClient(username, token, base_url=emulator.m2m_url, session=session, **kw)


def test_session_life_cycle_and_auth_header(emulator):
    with make_client(emulator) as client:
        assert client.logged_in
        data = client.call("scene-search", SCENE_SEARCH)
        assert data["recordsReturned"] == 2
    assert not client.logged_in
    assert emulator.log.routes("m2m") == ["login-token", "scene-search", "logout"]
    search, logout = emulator.log.entries("m2m", "scene-search")[0], emulator.log.entries("m2m", "logout")[0]
    assert search.headers["x-auth-token"] and search.headers["x-auth-token"] == logout.headers["x-auth-token"]
    assert emulator.log.entries("m2m", "login-token")[0].json() == {"username": "demo", "token": TOKEN}


def test_call_signs_in_by_itself(emulator):
    client = make_client(emulator)
    client.call("scene-search", SCENE_SEARCH)
    client.logout()
    client.logout()  # twice is harmless
    assert emulator.log.routes("m2m") == ["login-token", "scene-search", "logout"]


def test_logs_out_even_after_an_error(emulator):
    with pytest.raises(RuntimeError), make_client(emulator):
        raise RuntimeError("boom")
    assert emulator.log.routes("m2m")[-1] == "logout"


def test_wrong_token_is_auth_invalid_and_secrets_stay_out(emulator, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "wrong-secret-token-123"
    with pytest.raises(AuthInvalidError) as caught, make_client(emulator, token=secret):
        pass
    assert caught.value.code == "AUTH_INVALID"
    assert secret not in caught.value.details() and secret not in caplog.text


def test_api_key_never_logged(emulator, caplog):
    caplog.set_level(logging.DEBUG)
    with make_client(emulator) as client:
        client.call("scene-search", SCENE_SEARCH)
        key = emulator.log.entries("m2m", "scene-search")[0].headers["x-auth-token"]
        with pytest.raises(BadInputError) as caught:
            client.call("scene-search", {"datasetName": key})
    assert key not in caplog.text and TOKEN not in caplog.text and key not in caught.value.details()


def test_account_without_m2m_access_says_how_to_request_it(emulator):
    with pytest.raises(AuthUnauthorizedError) as caught, make_client(emulator, "pending", "pending-token"):
        pass
    assert caught.value.code == "AUTH_UNAUTHROIZED"
    assert "Access Request" in str(caught.value) and "MACHINE" in str(caught.value)


def test_plain_http_is_refused_except_loopback(monkeypatch):
    with pytest.raises(InsecureUrlError):
        M2MClient("demo", TOKEN, base_url="http://m2m.example.org/api/api/json/stable/")
    monkeypatch.delenv("SCENE_FINDER_M2M_URL", raising=False)
    assert m2m_url_from_env() == DEFAULT_M2M_URL
    monkeypatch.setenv("SCENE_FINDER_M2M_URL", "http://127.0.0.1:9/m2m")
    assert M2MClient("demo", TOKEN).base_url == "http://127.0.0.1:9/m2m/"


def test_expired_key_mid_session_signs_in_again_once(emulator):
    with make_client(emulator) as client:
        client.call("scene-search", SCENE_SEARCH)
        emulator.faults.add("m2m", "scene-search", "expire_key")
        emulator.clock.advance(2 * 3600 + 1)
        assert client.call("scene-search", SCENE_SEARCH)["recordsReturned"] == 2
    assert emulator.log.routes("m2m") == [
        "login-token", "scene-search", "scene-search", "login-token", "scene-search", "logout"]


def test_key_invalid_mid_session_signs_in_again(emulator):
    with make_client(emulator) as client:
        client._api_key = "not-a-key-the-service-knows"
        assert client.call("scene-search", SCENE_SEARCH)["recordsReturned"] == 2
    assert emulator.log.count("m2m", "login-token") == 2


def test_expired_twice_in_a_row_gives_up(emulator):
    with make_client(emulator) as client:
        emulator.faults.add("m2m", "scene-search", "expire_key", times=None)
        with pytest.raises(Exception) as caught:
            client.call("scene-search", SCENE_SEARCH)
    assert getattr(caught.value, "code", None) == "AUTH_EXPIRED"
    assert emulator.log.count("m2m", "scene-search") == 2


def test_429_with_retry_after_is_retried(emulator):
    emulator.faults.add("m2m", "scene-search", "status", status=429, retry_after=1)
    with make_client(emulator) as client:
        assert client.call("scene-search", SCENE_SEARCH)["recordsReturned"] == 2
    assert emulator.log.count("m2m", "scene-search") == 2


def test_5xx_burst_is_retried(emulator):
    emulator.faults.add("m2m", "scene-search", "status", status=503, times=2)
    emulator.faults.add("m2m", "scene-search", "status", status=502, times=1)
    with make_client(emulator) as client:
        assert client.call("scene-search", SCENE_SEARCH)["recordsReturned"] == 2
    assert emulator.log.count("m2m", "scene-search") == 4


def test_5xx_for_ever_ends_in_a_bounded_service_unavailable(emulator):
    emulator.faults.add("m2m", "scene-search", "status", status=500, times=None)
    with make_client(emulator, retries=2) as client, pytest.raises(ServiceUnavailableError) as caught:
        client.call("scene-search", SCENE_SEARCH)
    assert caught.value.status == 500
    assert emulator.log.count("m2m", "scene-search") == 3


def test_rate_limit_envelope_is_retried_with_backoff(emulator):
    emulator.faults.add("m2m", "scene-search", "m2m_error", code="RATE_LIMIT", times=2)
    with make_client(emulator) as client:
        assert client.call("scene-search", SCENE_SEARCH)["recordsReturned"] == 2
    assert emulator.log.count("m2m", "scene-search") == 3


def test_rate_limit_for_ever_raises_after_bounded_retries(emulator):
    emulator.faults.add("m2m", "scene-search", "m2m_error", code="RATE_LIMIT", times=None)
    with make_client(emulator, rate_limit_retries=2) as client, pytest.raises(RateLimitError) as caught:
        client.call("scene-search", SCENE_SEARCH)
    assert caught.value.code == "RATE_LIMIT" and emulator.log.count("m2m", "scene-search") == 3


def test_download_rate_limit(emulator):
    emulator.faults.add("m2m", "download-request", "m2m_error", code="RATE_LIMIT_USER_DL", times=None)
    with make_client(emulator, rate_limit_retries=1) as client, pytest.raises(RateLimitError) as caught:
        client.call("download-request", {"downloads": [], "label": "x"})
    assert caught.value.code == "RATE_LIMIT_USER_DL" and "download limit" in str(caught.value)


@pytest.mark.parametrize("status", [200, 503])
def test_html_page_is_service_unavailable_never_a_json_error(emulator, status):
    emulator.faults.add("m2m", "scene-search", "html", status=status, times=None)
    with make_client(emulator, retries=1) as client, pytest.raises(ServiceUnavailableError) as caught:
        client.call("scene-search", SCENE_SEARCH)
    assert not isinstance(caught.value.__cause__, json.JSONDecodeError)
    assert "maintenance" in (caught.value.service_message or "").lower()


def test_non_200_with_an_envelope_uses_the_envelope(emulator):
    emulator.faults.add("m2m", "scene-search", "m2m_error", code="INPUT_PARAMETER_INVALID",
                        message="datasetName is invalid", status=400)
    with make_client(emulator) as client, pytest.raises(BadInputError) as caught:
        client.call("scene-search", SCENE_SEARCH)
    assert caught.value.code == "INPUT_PARAMETER_INVALID" and "datasetName is invalid" in str(caught.value)


def test_unknown_endpoint_is_not_found(emulator):
    with make_client(emulator) as client, pytest.raises(NotFoundError):
        client.call("no-such-endpoint", {})


def test_slow_answer_past_the_read_timeout_is_retried(emulator):
    emulator.faults.add("m2m", "scene-search", "delay", seconds=1.5)
    with make_client(emulator, timeout=(5, 0.5)) as client:
        assert client.call("scene-search", SCENE_SEARCH)["recordsReturned"] == 2
    assert emulator.log.count("m2m", "scene-search") == 2


def test_cancel_before_a_call():
    client = M2MClient("demo", TOKEN, base_url="http://127.0.0.1:9/", cancel=lambda: True)
    from scene_finder.core.errors import CancelledError

    with pytest.raises(CancelledError):
        client.call("scene-search", {})


def test_logout_is_sent_even_after_a_cancel(emulator):
    from scene_finder.core.errors import CancelledError

    cancelled = []
    with pytest.raises(CancelledError), make_client(emulator, cancel=lambda: bool(cancelled)) as client:
        cancelled.append(True)
        client.call("scene-search", SCENE_SEARCH)
    assert emulator.log.routes("m2m") == ["login-token", "logout"]


def test_429_asking_for_a_long_wait_is_a_rate_limit_error_at_once(emulator):
    emulator.faults.add("m2m", "scene-search", "status", status=429, retry_after=3600)
    with make_client(emulator) as client, pytest.raises(RateLimitError) as caught:
        client.call("scene-search", SCENE_SEARCH)
    assert caught.value.retry_after == 3600 and emulator.log.count("m2m", "scene-search") == 1


def test_a_client_closes_the_connections_of_the_session_it_made_and_only_those(emulator):
    # The README's `with M2MClient(user, token) as client:` must not leave a connection open.
    with M2MClient("demo", TOKEN, base_url=emulator.m2m_url) as client:
        client.call("scene-search", SCENE_SEARCH)
        own_pools = client.session.get_adapter(client.base_url).poolmanager.pools
        assert len(own_pools) == 1
    assert len(own_pools) == 0

    given = make_session()
    with M2MClient("demo", TOKEN, base_url=emulator.m2m_url, session=given) as client:
        client.call("scene-search", SCENE_SEARCH)
    caller_pools = given.get_adapter(client.base_url).poolmanager.pools
    assert len(caller_pools) == 1  # the caller's session: still the caller's to use and close
    given.close()
