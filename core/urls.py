"""Which addresses Scene Finder talks to: https://, or plain http:// to this computer only.

:func:`check_url_allowed` is asked before every request and at every redirect hop (the service
clients, the downloader, :mod:`.redirects`, the previews); plain http:// is allowed only for
loopback hosts (tests, the emulator, the demo).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from .errors import InsecureUrlError
from .redact import redact_url

LOOPBACK_NAMES = {"localhost", "localhost.", "ip6-localhost"}


def is_loopback_host(host: str | None) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url_allowed(url: str) -> None:
    """Raise :class:`InsecureUrlError` unless ``url`` is https://, or http:// to this computer."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    scheme = parts.scheme.lower() if parts else ""
    if scheme == "https" and host:
        return
    if scheme == "http" and is_loopback_host(host):
        return
    shown = redact_url(url)
    if scheme == "http":
        message = (
            f"Refusing the unencrypted address {shown}: use https://. "
            "Plain http:// is only allowed for this computer (localhost, 127.0.0.1, ::1)."
        )
    else:
        message = f"Refusing the address {shown}: only https:// addresses are allowed."
    raise InsecureUrlError(message)
