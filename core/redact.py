"""Keeps secrets out of logs and error messages.

Tokens, API keys, passwords and the query strings of signed URLs are replaced before any
text built from a request or a response is logged or raised.
"""

from __future__ import annotations

import re
import threading

REDACTED = "***"

# The query string of any URL: signed download URLs carry their credentials there.
_URL_QUERY = re.compile(r"(?P<url>\bhttps?://[^\s?#\"'<>]+)\?[^\s\"'<>]*", re.IGNORECASE)
# urllib3's "Max retries exceeded with url: /path?query" names the URL without its host.
_PATH_QUERY = re.compile(r"(?P<url>\burl:\s*/[^\s?#\"'<>]*)\?[^\s\"'<>)]*", re.IGNORECASE)
# user:password@ in a URL (proxies, basic-auth URLs).
_URL_USERINFO = re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.-]*://)[^\s/@\"'<>]+@", re.IGNORECASE)
# "key": "value" pairs in JSON and key=value pairs in forms or logs.
_SECRET_KEYS = (
    "token|apikey|api_key|api-key|x-auth-token|password|passwd|secret|access|refresh|"
    "authorization|signature|key-pair-id|awsaccesskeyid|requestsignature"
)
# Keys that name a secret wherever they appear inside a longer key (access_token, token_value, apiKey...).
_SECRET_KEY_PARTS = "token|apikey|api_key|api-key|password|passwd|secret|signature|credential"
_QUOTED_KEY = (
    r"(?:" + _SECRET_KEYS + r"|[\w-]*(?:" + _SECRET_KEY_PARTS + r")[\w-]*)"
)
# "key": "value" in JSON, 'key': 'value' in Python reprs (escaped quotes inside the value included).
_JSON_SECRET = re.compile(
    r"""(?P<key>(?P<q>["'])""" + _QUOTED_KEY + r"""(?P=q)\s*:\s*)(?P<v>["'])(?:\\.|(?!(?P=v)).)*(?P=v)""",
    re.IGNORECASE,
)
_ASSIGN_SECRET = re.compile(
    r"(?P<key>\b(?:" + _SECRET_KEYS + r")\s*[=:]\s*)(?!\*\*\*)[^\s&,;'\"]+", re.IGNORECASE
)
# An Authorization header's scheme and credentials ("Authorization: Basic dXNlcjpwYXNz").
_AUTH_HEADER = re.compile(
    r"(?P<key>\b(?:proxy-)?authorization[\"']?\s*[=:]\s*[\"']?)(?:[A-Za-z]+\s+)?[^\s&,;'\"]+", re.IGNORECASE
)
_BEARER = re.compile(r"(?P<key>\bBearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE)

_known_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Remember a secret value (API key, token) so that it is masked wherever it appears."""
    if value and len(value) >= 6:
        with _lock:
            _known_secrets.add(value)


def redact_url(url: str) -> str:
    """The URL without its query string (signed URLs carry credentials there) and user:password@."""
    if not url:
        return url
    base, has_query, _ = url.partition("?")
    base = _URL_USERINFO.sub(lambda m: m.group("scheme") + REDACTED + "@", base)
    return base + ("?" + REDACTED if has_query else "")


def redact(text: str) -> str:
    """Mask every secret this module knows how to recognise in ``text``."""
    if not text:
        return text
    with _lock:
        secrets = sorted(_known_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _URL_USERINFO.sub(lambda m: m.group("scheme") + REDACTED + "@", text)
    text = _URL_QUERY.sub(lambda m: m.group("url") + "?" + REDACTED, text)
    text = _PATH_QUERY.sub(lambda m: m.group("url") + "?" + REDACTED, text)
    text = _JSON_SECRET.sub(lambda m: m.group("key") + m.group("v") + REDACTED + m.group("v"), text)
    text = _AUTH_HEADER.sub(lambda m: m.group("key") + REDACTED, text)
    text = _BEARER.sub(lambda m: m.group("key") + REDACTED, text)
    text = _ASSIGN_SECRET.sub(lambda m: m.group("key") + REDACTED, text)
    return text
