"""Keeps secrets out of logs and error messages.

Tokens, API keys, passwords and the query strings of signed URLs are replaced before any
text built from a request or a response is logged or raised.
"""

from __future__ import annotations

import re

REDACTED = "***"

# The query string of any URL: signed download URLs carry their credentials there.
_URL_QUERY = re.compile(r"(?P<url>\bhttps?://[^\s?#\"'<>]+)\?[^\s\"'<>]*", re.IGNORECASE)
# "key": "value" pairs in JSON and key=value pairs in forms or logs.
_SECRET_KEYS = (
    "token|apikey|api_key|api-key|x-auth-token|password|passwd|secret|access|refresh|"
    "authorization|signature|key-pair-id|awsaccesskeyid|requestsignature"
)
_JSON_SECRET = re.compile(r'(?P<key>"(?:' + _SECRET_KEYS + r')"\s*:\s*)"[^"]*"', re.IGNORECASE)
_ASSIGN_SECRET = re.compile(
    r"(?P<key>\b(?:" + _SECRET_KEYS + r")\s*[=:]\s*)(?!\*\*\*)[^\s&,;'\"]+", re.IGNORECASE
)
_BEARER = re.compile(r"(?P<key>\bBearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE)

_known_secrets: set[str] = set()


def register_secret(value: str | None) -> None:
    """Remember a secret value (API key, token) so that it is masked wherever it appears."""
    if value and len(value) >= 6:
        _known_secrets.add(value)


def redact_url(url: str) -> str:
    """The URL without its query string (signed URLs carry credentials there)."""
    return url.split("?", 1)[0] + ("?" + REDACTED if "?" in url else "")


def redact(text: str) -> str:
    """Mask every secret this module knows how to recognise in ``text``."""
    if not text:
        return text
    for secret in sorted(_known_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _URL_QUERY.sub(lambda m: m.group("url") + "?" + REDACTED, text)
    text = _JSON_SECRET.sub(lambda m: m.group("key") + '"' + REDACTED + '"', text)
    text = _BEARER.sub(lambda m: m.group("key") + REDACTED, text)
    text = _ASSIGN_SECRET.sub(lambda m: m.group("key") + REDACTED, text)
    return text
