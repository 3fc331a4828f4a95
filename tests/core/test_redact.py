"""Secrets never survive redact() / redact_url(); ordinary text does."""

from __future__ import annotations

import threading

import pytest

from scene_finder.core.errors import SceneFinderError
from scene_finder.core.redact import REDACTED, redact, redact_url, register_secret


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://dds.cr.usgs.gov/download/abc?id=1&Signature=s3cr3t", "https://dds.cr.usgs.gov/download/abc?***"),
        ("https://api.carbonmapper.org/api/v1/stac/", "https://api.carbonmapper.org/api/v1/stac/"),
        ("http://user:p%40ss@proxy.example:3128/", "http://***@proxy.example:3128/"),
        ("https://token@host/x?y=1", "https://***@host/x?***"),
        ("", ""),
    ],
)
def test_redact_url(url, shown):
    assert redact_url(url) == shown


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("GET https://catalog.carbonmapper.org/a/b.tif?c=opaque&Expires=1&Signature=sig&Key-Pair-Id=K", "opaque"),
        ("s3: https://bucket.s3.amazonaws.com/x.tif?AWSAccessKeyId=AKIA123&Signature=sig9", "AKIA123"),
        ('{"username": "demo", "token": "app-token-123"}', "app-token-123"),
        ('{"apiKey": "eyJhbGciOi.key"}', "eyJhbGciOi.key"),
        ('{"refresh": "refresh-jwt", "access": "access-jwt"}', "access-jwt"),
        ('{"refresh": "refresh-jwt", "access": "access-jwt"}', "refresh-jwt"),
        ('{"token_value": "stac-scoped-token"}', "stac-scoped-token"),
        ('{"access_token": "oauth-access"}', "oauth-access"),
        ('{"password": "pa\\"ss-word"}', "ss-word"),
        ("{'password': 'py-repr-secret', 'email': 'a@b.c'}", "py-repr-secret"),
        ("{'headers': {'Authorization': 'Bearer repr-bearer-token'}}", "repr-bearer-token"),
        ("Authorization: Bearer eyJ0eXAi.payload.sig", "eyJ0eXAi.payload.sig"),
        ("Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="),
        ("X-Auth-Token: m2m-api-key-123", "m2m-api-key-123"),
        ("password=hunter22&user=me", "hunter22"),
        ("proxy http://bob:proxy-pass@10.0.0.1:3128 refused", "proxy-pass"),
        (
            "HTTPSConnectionPool(host='x.org', port=443): Max retries exceeded with url: "
            "/files/a.tif?c=opaque-cred&Expires=9 (Caused by NewConnectionError)",
            "opaque-cred",
        ),
    ],
)
def test_redact_masks_secrets(text, secret):
    redacted = redact(text)
    assert secret not in redacted
    assert REDACTED in redacted


@pytest.mark.parametrize(
    "text",
    [
        "Scene LC09_L2SP_044034_20230326_20230328_02_T1 has 12% cloud cover.",
        "Rate limit exceeded",
        "https://m2m.cr.usgs.gov/api/api/json/stable/scene-search",
        '{"entityId": "LC90440342023085LGN00", "cloudCover": 12.5}',
        "Basic information about the dataset",
        "",
    ],
)
def test_redact_keeps_ordinary_text(text):
    assert redact(text) == text


def test_redact_keeps_the_rest_of_the_message():
    text = 'login failed for demo: {"token": "app-token-123"} at https://h/x?k=1 (HTTP 401)'
    assert redact(text) == 'login failed for demo: {"token": "***"} at https://h/x?*** (HTTP 401)'


def test_registered_secrets_are_masked_anywhere():
    register_secret("registered-secret-value-42")
    register_secret("short")  # too short to mask safely: ignored
    assert redact("the key is registered-secret-value-42!") == "the key is ***!"
    assert redact("short answer") == "short answer"


def test_errors_never_carry_secrets():
    register_secret("api-key-in-an-error-0987")
    error = SceneFinderError("failed with api-key-in-an-error-0987",
                             service_message='{"password": "letmein1"}', code="X")
    assert "api-key-in-an-error-0987" not in str(error)
    assert "letmein1" not in error.details()


def test_register_and_redact_from_many_threads():
    failures = []

    def register(start: int) -> None:
        for i in range(start, start + 50):
            register_secret(f"thread-secret-{i:06d}")

    def read() -> None:
        try:
            for _ in range(200):
                redact("nothing secret here thread-secret-000001")
        except RuntimeError as exc:  # "Set changed size during iteration"
            failures.append(exc)

    threads = [threading.Thread(target=register, args=(n * 1000,)) for n in range(4)]
    threads += [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert redact("thread-secret-000001") == REDACTED
