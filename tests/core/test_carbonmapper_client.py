"""CarbonMapperClient against the emulator: token and email/password sign-in, typed errors."""

from __future__ import annotations

import logging

import pytest

from scene_finder.core.carbonmapper import DEFAULT_CARBONMAPPER_URL, carbonmapper_url_from_env
from scene_finder.core.carbonmapper.client import CarbonMapperClient
from scene_finder.core.errors import (
    AuthExpiredError,
    AuthInvalidError,
    BadInputError,
    ForbiddenError,
    InsecureUrlError,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
)
from scene_finder.core.http import make_session

TOKEN = "demo-carbonmapper-token"
EMAIL, PASSWORD = "demo@example.com", "demo-password"
SCENES = "catalog/scenes/annotated"
ACCESS_LIFETIME = 3600
REFRESH_LIFETIME = 86400


def fast_session():
    return make_session(retries=2, backoff=0.0, max_retry_after=3.0)


def test_base_url_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("SCENE_FINDER_CARBONMAPPER_URL", raising=False)
    assert carbonmapper_url_from_env() == DEFAULT_CARBONMAPPER_URL
    monkeypatch.setenv("SCENE_FINDER_CARBONMAPPER_URL", "http://127.0.0.1:9/api/v1")
    assert CarbonMapperClient(TOKEN).base_url == "http://127.0.0.1:9/api/v1/"


def test_plain_http_to_another_host_is_refused():
    with pytest.raises(InsecureUrlError):
        CarbonMapperClient(TOKEN, base_url="http://api.carbonmapper.org/api/v1/")


def test_no_credentials_says_where_to_get_a_token():
    with pytest.raises(AuthInvalidError, match="platform.carbonmapper.org"):
        CarbonMapperClient(base_url="https://api.carbonmapper.org/api/v1/")


def test_scoped_token_is_sent_as_bearer(emulator):
    client = CarbonMapperClient(TOKEN, base_url=emulator.carbonmapper_url)
    page = client.get_json(SCENES, {"limit": 2})
    assert len(page["items"]) == 2
    (entry,) = emulator.log.entries("carbonmapper", SCENES)
    assert entry.headers["authorization"] == f"Bearer {TOKEN}"
    assert client.auth_headers() == {"Authorization": f"Bearer {TOKEN}"}


def test_wrong_token_gives_a_clear_message_without_the_token(emulator, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "wrong-token-123456"
    client = CarbonMapperClient(secret, base_url=emulator.carbonmapper_url)
    with pytest.raises(AuthInvalidError) as caught:
        client.get_json(SCENES)
    message = str(caught.value)
    assert "platform.carbonmapper.org" in message and "API token" in message
    assert "Given token not valid" in message  # the service's detail
    assert caught.value.status == 401 and caught.value.code == "token_not_valid"
    assert secret not in message and secret not in caught.value.details()
    assert secret not in caplog.text


def test_token_without_catalog_scope_is_forbidden(emulator):
    client = CarbonMapperClient("demo-carbonmapper-noscope-token", base_url=emulator.carbonmapper_url)
    with pytest.raises(ForbiddenError) as caught:
        client.get_json(SCENES)
    assert "do not have permission" in str(caught.value)
    assert "scoped token tutorial" in str(caught.value)


def test_email_password_pairs_then_refreshes_an_expired_access_token(emulator):
    client = CarbonMapperClient(email=EMAIL, password=PASSWORD, base_url=emulator.carbonmapper_url)
    client.get_json(SCENES, {"limit": 1})
    assert emulator.log.count("carbonmapper", "token/pair") == 1
    emulator.clock.advance(ACCESS_LIFETIME + 60)
    client.get_json(SCENES, {"limit": 1})
    assert emulator.log.routes("carbonmapper") == ["token/pair", SCENES, SCENES, "token/refresh", SCENES]
    statuses = [e.status for e in emulator.log.entries("carbonmapper", SCENES)]
    assert statuses == [200, 401, 200]


def test_refused_refresh_pairs_again_with_the_password(emulator):
    client = CarbonMapperClient(email=EMAIL, password=PASSWORD, base_url=emulator.carbonmapper_url)
    client.get_json(SCENES, {"limit": 1})
    emulator.clock.advance(REFRESH_LIFETIME + 60)
    client.get_json(SCENES, {"limit": 1})
    assert emulator.log.routes("carbonmapper") == [
        "token/pair", SCENES, SCENES, "token/refresh", "token/pair", SCENES,
    ]


def test_refused_refresh_without_password_is_an_expired_session(emulator):
    pairing = CarbonMapperClient(email=EMAIL, password=PASSWORD, base_url=emulator.carbonmapper_url)
    pairing.auth_headers()
    refresh = pairing._refresh
    client = CarbonMapperClient(refresh_token=refresh, base_url=emulator.carbonmapper_url)
    client.get_json(SCENES, {"limit": 1})  # refresh -> access
    emulator.clock.advance(REFRESH_LIFETIME + 60)
    with pytest.raises(AuthExpiredError, match="expired"):
        client.get_json(SCENES, {"limit": 1})


def test_wrong_password_is_refused_clearly(emulator):
    client = CarbonMapperClient(email=EMAIL, password="not-the-password", base_url=emulator.carbonmapper_url)
    with pytest.raises(AuthInvalidError, match="email and password"):
        client.get_json(SCENES)


def test_not_found_and_validation_errors_carry_the_detail(emulator):
    client = CarbonMapperClient(TOKEN, base_url=emulator.carbonmapper_url)
    with pytest.raises(NotFoundError, match="Not Found"):
        client.get_json("catalog/no-such-thing")
    with pytest.raises(BadInputError) as caught:
        client.get_json(SCENES, {"instrument": "bogus"})
    assert caught.value.status == 422 and "instrument" in str(caught.value)


def test_429_with_a_short_retry_after_is_retried(emulator):
    emulator.faults.add("carbonmapper", SCENES, "status", status=429, retry_after=1)
    client = CarbonMapperClient(TOKEN, base_url=emulator.carbonmapper_url, session=fast_session())
    assert client.get_json(SCENES, {"limit": 1})["items"]
    assert [e.status for e in emulator.log.entries("carbonmapper", SCENES)] == [429, 200]


def test_429_with_a_long_retry_after_is_a_rate_limit_error(emulator):
    emulator.faults.add("carbonmapper", SCENES, "status", status=429, retry_after=600)
    client = CarbonMapperClient(TOKEN, base_url=emulator.carbonmapper_url, session=fast_session())
    with pytest.raises(RateLimitError) as caught:
        client.get_json(SCENES)
    assert emulator.log.count("carbonmapper", SCENES) == 1
    assert caught.value.retry_after == 600
    assert "Try again in 600 s" in str(caught.value) and "Emulated HTTP 429" in str(caught.value)


def test_persistent_5xx_is_service_unavailable(emulator):
    emulator.faults.add("carbonmapper", SCENES, "status", status=503, times=None)
    client = CarbonMapperClient(TOKEN, base_url=emulator.carbonmapper_url, session=fast_session())
    with pytest.raises(ServiceUnavailableError):
        client.get_json(SCENES)
    assert emulator.log.count("carbonmapper", SCENES) == 3
