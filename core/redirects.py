"""Where a redirect may take a request, and what goes along with it: one policy for every request.

Two modes, chosen per session (:func:`.http.make_session` ``redirects=``, or :func:`with_redirects`
for a view of a session over the same connections):

- :data:`SAME_ORIGIN`, for the JSON APIs (USGS M2M, the Carbon Mapper API with its email/password
  sign-in, the STAC API): a redirect is followed only to the same origin (scheme, host and port).
  Any other redirect raises :class:`.errors.RedirectRefusedError`, so the ``X-Auth-Token`` or
  ``Authorization`` header, the cookies and the body (a 307/308 re-sends it: ``login-token``
  carries the username and the application token, ``token/pair`` the email and password) never
  reach another host.
- :data:`FILES`, for file hosts (M2M download URLs go on to CDN or S3 hosts; Carbon Mapper's asset
  gateway answers with a signed CloudFront URL): a redirect may go to another host, but once a
  request leaves the origin it was first sent to, every header not known to be harmless
  (``Authorization``, ``X-Auth-Token``, ``Cookie`` and any other) is dropped, and a redirect that
  would re-send a body to another origin is refused. ``Range``/``If-Range`` go along (resuming).

In both modes every hop must pass :func:`.urls.check_url_allowed` (https://, or http:// to this
computer: loopback to loopback is what the emulator does), a redirect never goes from https:// down
to http://, nor from another host to this computer (a remote server must not steer us at local
services), and at most :data:`MAX_REDIRECTS` hops are followed. ``Proxy-Authorization`` (for our
own proxy) is rebuilt by requests for every hop, and kept.

The hook: for every hop, requests' ``Session.resolve_redirects`` rebuilds the method, the body and
the cookies, then calls ``Session.rebuild_auth(prepared_request, response)``, then sends.
:class:`PolicySession` overrides ``rebuild_auth``: it sees the hop about to be sent (and the origin
of the first request, carried along the chain) and can refuse it or strip it before it is sent.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import requests

from .errors import InsecureUrlError, RedirectRefusedError
from .redact import redact_url
from .urls import check_url_allowed, is_loopback_host

SAME_ORIGIN = "same-origin"
FILES = "files"
MODES = (SAME_ORIGIN, FILES)
MAX_REDIRECTS = 10
# Headers that may follow a file request to another host; every other one is dropped there.
HARMLESS_HEADERS = frozenset({
    "user-agent", "accept", "accept-encoding", "accept-language", "connection", "range", "if-range",
    "cache-control", "pragma",
    "proxy-authorization",  # for our own proxy, not the host: requests rebuilds it for every hop
})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_FIRST_ORIGIN = "_scene_finder_first_origin"  # carried on each hop's PreparedRequest
_HOPS = "_scene_finder_hops"


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of ``url``, with the scheme's default port filled in; lower-cased."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ("", "", None)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), port if port is not None else _DEFAULT_PORTS.get(scheme)


def same_origin(url: str, other: str) -> bool:
    """True when both URLs have the same scheme, host and port."""
    first = origin(url)
    return bool(first[1]) and first == origin(other)


def _shown(url: str) -> str:
    """An address for a message: scheme, host, port and path, never the query (signed URLs)."""
    return redact_url(url).split("?", 1)[0]


def check_redirect(previous_url: str, next_url: str, first_origin: tuple, mode: str, has_body: bool) -> bool:
    """Raise :class:`RedirectRefusedError` unless ``mode`` allows the hop ``previous_url`` -> ``next_url``.

    Returns True when the hop leaves ``first_origin`` (its credentials must then be dropped).
    """
    where = origin(previous_url)[1] or "The server"
    try:
        check_url_allowed(next_url)
    except InsecureUrlError as error:
        raise RedirectRefusedError(f"{where} redirected the request elsewhere. {error.message}") from None
    if origin(previous_url)[0] == "https" and origin(next_url)[0] != "https":
        raise RedirectRefusedError(
            f"{where} redirected the request from https:// down to {_shown(next_url)}. Scene Finder does not "
            "follow it: nothing is sent unencrypted."
        )
    if is_loopback_host(origin(next_url)[1]) and not is_loopback_host(origin(previous_url)[1]):
        raise RedirectRefusedError(
            f"{where} redirected the request to this computer ({_shown(next_url)}). Scene Finder does not follow it."
        )
    leaves = origin(next_url) != first_origin
    if not leaves:
        return False
    if mode != FILES:
        raise RedirectRefusedError(
            f"{where} redirected the request to another host ({_shown(next_url)}). Scene Finder does not follow "
            "it, so that your credentials stay with the service. If the service has moved, check its address "
            "in the Scene Finder settings."
        )
    if has_body:
        raise RedirectRefusedError(
            f"{where} redirected a request with a body to another host ({_shown(next_url)}). Scene Finder does "
            "not send it there."
        )
    return True


class PolicySession(requests.Session):
    """A requests session whose redirects follow :data:`redirects` (see the module docstring)."""

    def __init__(self, redirects: str = SAME_ORIGIN):
        super().__init__()
        if redirects not in MODES:
            raise ValueError(f"redirects must be one of {MODES}")
        self.redirects = redirects
        self.max_redirects = MAX_REDIRECTS + 1  # ours (a typed error) comes first

    def rebuild_auth(self, prepared_request, response) -> None:
        previous = response.request
        first = getattr(previous, _FIRST_ORIGIN, None) or origin(previous.url)
        setattr(prepared_request, _FIRST_ORIGIN, first)
        hops = getattr(previous, _HOPS, 0) + 1
        setattr(prepared_request, _HOPS, hops)
        if hops > MAX_REDIRECTS:
            raise RedirectRefusedError(
                f"{first[1] or 'The server'} redirected the request more than {MAX_REDIRECTS} times (a loop). "
                "Try again later."
            )
        has_body = prepared_request.body not in (None, b"", "")
        if check_redirect(previous.url, prepared_request.url, first, self.redirects, has_body):
            headers = prepared_request.headers
            for name in [n for n in headers if n.lower() not in HARMLESS_HEADERS]:
                del headers[name]
            prepared_request._cookies.clear()  # cookies of the first origin stay there
        super().rebuild_auth(prepared_request, response)  # a ~/.netrc entry for the new host, as requests does


def with_redirects(session: requests.Session, redirects: str) -> requests.Session:
    """``session`` itself when it already follows ``redirects``, else a view of it that does.

    The view shares the session's connections (adapters: retries, proxies, timeouts), headers,
    TLS settings, proxies and cookies; only the redirect policy differs. Closing either closes
    the shared connections.
    """
    if isinstance(session, PolicySession) and session.redirects == redirects:
        return session
    view = PolicySession(redirects)
    for name in requests.Session.__attrs__:
        if name != "max_redirects":
            setattr(view, name, getattr(session, name))
    return view
