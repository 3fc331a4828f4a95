"""The HTTP layer both service clients and the downloader share.

- :func:`make_session`: a requests session that retries 429 and 5xx answers (every method: M2M is
  all POST), honours Retry-After up to a limit, and names the plugin in its User-Agent. Its retry
  waits and connections follow the cancel check bound with :func:`.inflight.interruptible`.
- :func:`parse_retry_after`: Retry-After as seconds, or None for a value to ignore (never raises).
- :func:`raise_for_status`: our typed errors from a non-JSON-envelope service's answer.
"""

from __future__ import annotations

import datetime
import email.utils
import html
import json
import logging
import re
import socket
from collections.abc import Callable
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from .connection_errors import is_certificate_failure, is_proxy_auth_failure
from .errors import (
    AuthInvalidError,
    BadInputError,
    ForbiddenError,
    NotFoundError,
    RateLimitError,
    SceneFinderError,
    ServiceUnavailableError,
)
from .inflight import wait as retry_wait
from .inflight import watch_pools
from .redact import redact, redact_url
from .redirects import PolicySession

LOG = logging.getLogger(__name__)

RETRY_STATUSES = (429, 500, 502, 503, 504)
# Seconds to wait for a connection, and for the next bytes of an answer.
DEFAULT_TIMEOUT = (15.0, 60.0)


def _plugin_version() -> str:
    try:
        text = (Path(__file__).resolve().parents[1] / "metadata.txt").read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    match = re.search(r"^version\s*=\s*(\S+)", text, re.MULTILINE)
    return match.group(1) if match else "unknown"


USER_AGENT = f"SceneFinder/{_plugin_version()} (QGIS plugin)"


class _Retry(Retry):
    """urllib3 Retry that reads Retry-After with :func:`parse_retry_after` (an unreadable one means our
    backoff), waits with the interruptible :func:`.inflight.wait`, and gives up (returns the answer)
    when Retry-After is longer than we wait."""

    max_retry_after: float = 120.0

    def new(self, **kw):
        retry = super().new(**kw)
        retry.max_retry_after = self.max_retry_after
        return retry

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        if error is not None and (is_proxy_auth_failure(error) or is_certificate_failure(error)):
            raise MaxRetryError(_pool, url, error)  # trying again cannot help: say what to do at once
        if response is not None and response.status in RETRY_STATUSES:
            wait = self.get_retry_after(response)
            if wait is not None and wait > self.max_retry_after:
                LOG.info("Retry-After %s s is longer than %s s: not retrying", wait, self.max_retry_after)
                raise MaxRetryError(_pool, url, None)
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def get_retry_after(self, response) -> float | None:
        return parse_retry_after(response.headers.get("Retry-After"))

    def sleep_for_retry(self, response=None) -> bool:
        wait = self.get_retry_after(response) if response is not None else None
        if wait:
            retry_wait(wait)
            return True
        return False

    def _sleep_backoff(self) -> None:
        retry_wait(self.get_backoff_time())  # also when 0: a cancel ends the retries here


def make_retry(retries: int = 4, backoff: float = 1.0, max_retry_after: float = 120.0) -> Retry:
    """The retry policy of :func:`make_session` (429 and 5xx for every method, connect and read errors)."""
    retry = _Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=None,  # every method (urllib3 1.26 and 2; QGIS ships no older one)
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
    )
    retry.max_retry_after = max_retry_after
    return retry


class _TimeoutAdapter(HTTPAdapter):
    """Applies :data:`DEFAULT_TIMEOUT` when a caller gives none, so no request can hang for ever."""

    def send(self, request, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = DEFAULT_TIMEOUT
        return super().send(request, **kwargs)

    # Connections in use are shut on cancel (see :mod:`.inflight`), through a proxy too.
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        watch_pools(self.poolmanager)

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        watch_pools(manager)
        return manager


def make_session(
    *,
    proxies: dict | None = None,
    retries: int = 4,
    backoff: float = 1.0,
    max_retry_after: float = 120.0,
    redirects: str = "same-origin",
) -> requests.Session:
    """A session with retries on 429/5xx (every method), our User-Agent and ``proxies``.

    ``redirects``: the redirect policy of :mod:`.redirects` (``"same-origin"`` for the JSON APIs,
    ``"files"`` for file hosts).
    """
    session = PolicySession(redirects)
    adapter = _TimeoutAdapter(
        max_retries=make_retry(retries, backoff, max_retry_after), pool_connections=4, pool_maxsize=16
    )
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    if proxies:
        session.proxies.update(proxies)
    return session


def retry_after_seconds(response: requests.Response) -> float | None:
    """Retry-After (seconds or an HTTP date) as seconds, or None (absent or unreadable)."""
    return parse_retry_after(response.headers.get("Retry-After"))


_SECONDS = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*")
RETRY_AFTER_CAP = 1e6  # seconds: anything longer reads as this (far beyond any wait we make)


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds to wait (>= 0): whole or fractional seconds, or an HTTP date (a past
    date is 0). None when absent or unreadable (``soon``, ``-5``, ``1e999``): then our backoff applies."""
    if value is None:
        return None
    text = str(value)
    match = _SECONDS.fullmatch(text)
    if match:
        return min(float(match.group(1)), RETRY_AFTER_CAP)
    try:
        when = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    try:
        seconds = (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds()
    except OverflowError:
        return None
    return min(max(0.0, seconds), RETRY_AFTER_CAP)


_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.IGNORECASE | re.DOTALL)


def response_detail(response: requests.Response, limit: int = 300) -> str | None:
    """What the service said, as short text: a JSON ``detail``/``message``/``errors``, or the body's text.

    HTML pages are reduced to their text; nothing here raises on a body that is not JSON.
    """
    try:  # at most 64 KiB: enough for any message, and a streamed error page is not read whole
        body = next(response.iter_content(64 << 10), b"")
        text = body.decode(response.encoding or "utf-8", errors="replace")
    except Exception:  # a body that cannot be read (connection gone): say nothing
        return None
    text = text.strip()
    if not text:
        return None
    said = None
    if text[:1] in "{[":
        try:
            said = _detail_from_json(json.loads(text))
        except (ValueError, RecursionError):  # RecursionError: nested deeper than the decoder or _flatten goes
            said = None
    if said is None:
        said = html.unescape(_TAGS.sub(" ", text))
    said = " ".join(said.split())
    if len(said) > limit:
        said = said[: limit - 1] + "…"
    return redact(said) or None


def _detail_from_json(payload) -> str | None:
    if isinstance(payload, dict):
        for key in ("detail", "message", "error", "errors", "errorMessage", "title"):
            if key in payload and payload[key]:
                return _flatten(payload[key])
        return None
    return _flatten(payload)


def _flatten(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if "msg" in value:  # pydantic validation error item
            where = ".".join(str(p) for p in value.get("loc", []) if p != "body")
            return f"{where}: {value['msg']}" if where else str(value["msg"])
        return "; ".join(f"{k}: {_flatten(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_flatten(v) for v in value)
    return str(value)


def error_for_status(response: requests.Response, service: str = "The service") -> SceneFinderError | None:
    """The typed error for a failed answer (status >= 400), or None when it succeeded."""
    status = response.status_code
    if status < 400:
        return None
    said = response_detail(response)
    common = dict(service_message=said, status=status, service=service, code=str(status))
    if status == 401:
        return AuthInvalidError(
            f"{service} did not accept the credentials (HTTP 401). Check the token in the Scene Finder settings.",
            **common,
        )
    if status == 403:
        return ForbiddenError(f"{service} refused access (HTTP 403): your account is not allowed to do this.",
                              **common)
    if status == 404:
        return NotFoundError(f"{service} did not find what was asked for (HTTP 404).", **common)
    if status in (400, 422):
        return BadInputError(f"{service} refused the request's parameters (HTTP {status}).", **common)
    if status == 429:
        wait = retry_after_seconds(response)
        hint = f" Try again in {int(wait + 0.999)} s." if wait else " Wait a few minutes and try again."
        return RateLimitError(f"{service} is limiting requests (HTTP 429).{hint}", retry_after=wait, **common)
    if status >= 500:
        return ServiceUnavailableError(
            f"{service} is unavailable (HTTP {status}). Try again later.", **common
        )
    return SceneFinderError(f"{service} answered HTTP {status}.", **common)


def raise_for_status(response: requests.Response, service: str = "The service") -> None:
    """Raise our typed error (with what the service said, secrets redacted) unless the answer succeeded."""
    error = error_for_status(response, service)
    if error is not None:
        LOG.debug("%s %s -> %s", response.request.method if response.request else "?",
                  redact_url(response.url or ""), error.details())
        raise error


def body_reader(response: requests.Response, chunk_size: int) -> Callable[[], bytes | memoryview]:
    """A read of whatever arrived (up to ``chunk_size`` bytes) in one system call: as fast as curl,
    never blocked filling a big buffer from a slow server (so a cancel is seen at once), and with
    one reused buffer when the length is known (flat memory: a chunk is valid until the next read).
    Returns an empty chunk at the end."""
    inner = getattr(response.raw, "_fp", None)  # http.client.HTTPResponse under urllib3 1.26 and 2
    stream = getattr(inner, "fp", None)
    length = getattr(inner, "length", None)
    if hasattr(stream, "readinto1") and length is not None and getattr(inner, "chunked", True) is False:
        view = memoryview(bytearray(chunk_size))
        left = length  # counted here: http.client's count goes stale, so the connection is not reused

        def read_into() -> memoryview:
            nonlocal left
            if left <= 0:
                return view[:0]
            count = stream.readinto1(view[: min(chunk_size, left)])
            left -= count
            return view[:count]

        return read_into
    if hasattr(inner, "read1"):
        return lambda: inner.read1(chunk_size)
    raw = response.raw
    if hasattr(raw, "read1"):  # urllib3 2
        return lambda: raw.read1(chunk_size, decode_content=False)
    return lambda: raw.read(chunk_size, decode_content=False)


def abort_response(response: requests.Response) -> None:
    """Shut the socket of a streamed answer, so that a read blocked in another thread returns at once."""
    connection = getattr(response.raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
