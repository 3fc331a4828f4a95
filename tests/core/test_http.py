"""The shared HTTP layer against the emulator: URL policy, retries, typed errors."""

from __future__ import annotations

import threading

import pytest

from scene_finder.core import cancel as cancel_mod
from scene_finder.core.errors import (
    AuthError,
    BadInputError,
    CancelledError,
    ForbiddenError,
    InsecureUrlError,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
)
from scene_finder.core.http import USER_AGENT, make_session, raise_for_status
from scene_finder.core.urls import check_url_allowed


@pytest.mark.parametrize(
    "url",
    [
        "https://m2m.cr.usgs.gov/api/api/json/stable/",
        "http://127.0.0.1:8080/api/v1/",
        "http://127.1.2.3/x",
        "http://localhost:9000/files/a.bin",
        "http://[::1]:8000/",
        "HTTPS://API.CARBONMAPPER.ORG/api/v1/",
    ],
)
def test_allowed_urls(url):
    check_url_allowed(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://m2m.cr.usgs.gov/api/",
        "http://10.0.0.1/",
        "http://localhost.example.com/",
        "http://127.0.0.1.nip.io/",
        "ftp://127.0.0.1/file",
        "file:///etc/passwd",
        "https:///no-host",
        "not a url",
        "",
    ],
)
def test_refused_urls(url):
    with pytest.raises(InsecureUrlError) as info:
        check_url_allowed(url)
    assert "https://" in str(info.value)


def test_refusal_message_hides_signed_query():
    with pytest.raises(InsecureUrlError) as info:
        check_url_allowed("http://example.com/file.tif?Signature=abcdef123456&Key-Pair-Id=K1")
    assert "abcdef123456" not in str(info.value)
    assert "example.com/file.tif" in str(info.value)


def test_session_sends_user_agent(emulator):
    session = make_session(retries=0)
    response = session.get(emulator.generated_file_url(1000))
    assert response.status_code == 200
    assert emulator.log.entries("files")[0].headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("SceneFinder/") and "QGIS plugin" in USER_AGENT


def test_session_applies_proxies():
    session = make_session(proxies={"https": "http://proxy.example:3128"})
    assert session.proxies["https"] == "http://proxy.example:3128"


def test_retries_429_honouring_retry_after(emulator):
    emulator.faults.add("files", "*", "status", status=429, retry_after=1)
    session = make_session(backoff=0.01)
    response = session.get(emulator.generated_file_url(1000))
    assert response.status_code == 200
    entries = emulator.log.entries("files")
    assert [e.status for e in entries] == [429, 200]
    assert entries[1].started - entries[0].started >= 0.9


def test_retries_503_burst_for_post(emulator):
    emulator.faults.add("files", "*", "status", status=503, times=3)
    session = make_session(backoff=0.01)
    response = session.post(emulator.base_url + "/files/nothing-here", json={"a": 1})
    assert response.status_code == 404  # reached the service after three 503s
    assert [e.status for e in emulator.log.entries("files")] == [503, 503, 503, 404]


def test_gives_up_after_retries_and_returns_last_answer(emulator):
    emulator.faults.add("files", "*", "status", status=502, times=None)
    session = make_session(retries=2, backoff=0.01)
    response = session.get(emulator.generated_file_url(1000))
    assert response.status_code == 502
    assert emulator.log.count("files") == 3
    with pytest.raises(ServiceUnavailableError) as info:
        raise_for_status(response, service="Carbon Mapper")
    assert "Carbon Mapper" in str(info.value)
    assert info.value.status == 502


def test_long_retry_after_is_not_waited_for(emulator):
    emulator.faults.add("files", "*", "status", status=429, retry_after=3600, times=None)
    session = make_session(backoff=0.01, max_retry_after=5)
    response = session.get(emulator.generated_file_url(1000))
    assert response.status_code == 429
    assert emulator.log.count("files") == 1
    with pytest.raises(RateLimitError) as info:
        raise_for_status(response, service="Carbon Mapper")
    assert info.value.retry_after == 3600


@pytest.mark.parametrize(
    ("status", "error_class"),
    [(400, BadInputError), (401, AuthError), (403, ForbiddenError), (404, NotFoundError),
     (422, BadInputError), (500, ServiceUnavailableError), (503, ServiceUnavailableError)],
)
def test_status_maps_to_typed_error(emulator, status, error_class):
    emulator.faults.add("files", "*", "status", status=status, body='{"detail": "Emulated problem."}')
    response = make_session(retries=0).get(emulator.generated_file_url(1000))
    with pytest.raises(error_class) as info:
        raise_for_status(response, service="Carbon Mapper")
    assert info.value.status == status
    assert info.value.service_message == "Emulated problem."
    assert "Carbon Mapper" in str(info.value)


def test_html_page_gives_text_not_json_error(emulator):
    emulator.faults.add("files", "*", "html", status=503)
    response = make_session(retries=0).get(emulator.generated_file_url(1000))
    with pytest.raises(ServiceUnavailableError) as info:
        raise_for_status(response, service="Carbon Mapper")
    assert "scheduled maintenance" in info.value.service_message
    assert "<" not in info.value.service_message


def test_error_detail_is_redacted(emulator):
    body = '{"detail": "Bad token: Bearer abc.def.ghi for https://x.example/a?Signature=zzz"}'
    emulator.faults.add("files", "*", "status", status=401, body=body)
    response = make_session(retries=0).get(emulator.generated_file_url(1000))
    with pytest.raises(AuthError) as info:
        raise_for_status(response, service="Carbon Mapper")
    text = info.value.details()
    assert "abc.def.ghi" not in text and "zzz" not in text


def test_validation_errors_are_flattened(emulator):
    body = '{"detail": [{"loc": ["query", "limit"], "msg": "must be positive", "type": "value_error"}]}'
    emulator.faults.add("files", "*", "status", status=422, body=body)
    response = make_session(retries=0).get(emulator.generated_file_url(1000))
    with pytest.raises(BadInputError) as info:
        raise_for_status(response)
    assert info.value.service_message == "query.limit: must be positive"


def test_success_does_not_raise(emulator):
    raise_for_status(make_session(retries=0).get(emulator.generated_file_url(10)))


# -- cancel -------------------------------------------------------------------------------

def test_raise_if_cancelled_accepts_callables_events_and_none():
    cancel_mod.raise_if_cancelled(None)
    cancel_mod.raise_if_cancelled(lambda: False)
    event = threading.Event()
    cancel_mod.raise_if_cancelled(event)
    event.set()
    with pytest.raises(CancelledError):
        cancel_mod.raise_if_cancelled(event)
    with pytest.raises(CancelledError):
        cancel_mod.raise_if_cancelled(lambda: True)


@pytest.mark.parametrize("kind", ["event", "callable"])
def test_sleep_wakes_up_on_cancel(kind):
    event = threading.Event()
    cancel = event if kind == "event" else event.is_set
    threading.Timer(0.2, event.set).start()
    with pytest.raises(CancelledError):
        cancel_mod.sleep(60, cancel)
    assert event.is_set()


def test_sleep_without_cancel_returns():
    cancel_mod.sleep(0.05, None)
    cancel_mod.sleep(0, lambda: False)
