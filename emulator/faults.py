"""Scriptable fault injection, per test and per request.

A test adds rules; each incoming request takes the first rule that matches its service and
route and still has uses left. For example::

    emulator.faults.add("m2m", "scene-search", "status", status=503, times=2)
    emulator.faults.add("m2m", "*", "m2m_error", code="RATE_LIMIT")
    emulator.faults.add("files", "*", "drop_at", byte=5_000_000)

Kinds and their parameters:

- ``status``: answer ``status`` (429, 500, 502, 503...) with an empty JSON body; ``retry_after``
  adds a Retry-After header, any text at all (``soon``, ``-5``, ``1.5``: sent as its UTF-8 bytes);
  ``body`` replaces the body.
- ``m2m_error``: an M2M error envelope with ``code`` and ``message`` (HTTP ``status``, default 200).
- ``html``: an HTML maintenance page with HTTP ``status`` (default 503).
- ``drop_at``: send the response up to ``byte`` of its body, then close the connection.
- ``short_body``: announce the full Content-Length but send only ``byte`` bytes, then close.
- ``delay``: wait ``seconds`` before answering (the answer itself is normal).
- ``throttle``: send the body at ``bytes_per_second``.
- ``ignore_range``: answer a Range request with the whole file and status 200.
- ``expire_key``: the M2M API key in use expires now (the request then fails with AUTH_EXPIRED).
- ``prepare_fail``: the next M2M download being prepared fails instead of becoming available.
- ``malformed_json``: the real answer, still valid JSON, made wrong as ``variant`` says:
  ``error_message`` (an error message that is not text), ``huge_number`` / ``infinity`` / ``nan``
  (``1e999``, ``Infinity`` or ``NaN`` in the sizes and counts, or in a GeoPackage page's
  ``pagination-count``), ``secondary_int`` (an integer ``secondaryDownloads``),
  ``plume_geometry`` (a plume point with text coordinates, or ``geometry``), ``containers`` (the
  objects of the main list become lists). Details in :mod:`.malformed`; e.g.
  ``emulator.faults.add("m2m", "download-options", "malformed_json", variant="secondary_int")``.

Two clients on one file, and credentials that die during a long queue:

- ``pause_at``: send the response up to ``byte`` of its body, then hold it until the test calls the
  fault's ``release()`` (or ``timeout`` seconds pass, default 60), then send the rest. The fault's
  ``reached`` event is set when the pause begins, so a test can start a second client at a known point.
- ``expire_token``: the Carbon Mapper access token (JWT) of the matching request expires now: that request
  and every later one with it get 401 ``token_not_valid``, as after its hour of life.

Hostile networks (what sits between the user and the service):

- ``proxy_auth``: answer 407 Proxy Authentication Required with ``Proxy-Authenticate: NTLM,
  Negotiate``, as an intercepting proxy that wants Windows sign-in does (a proxy server that
  answers 407 to everything, CONNECT included, is :class:`.proxy.AuthRequiredProxy`).
- ``browse_url``: the browse and thumbnail URLs of the scenes of an M2M ``scene-search`` page become
  ``urls`` in turn (for example ``file:///etc/passwd`` and ``http://example.org/t.png``).

Hostile services (applied by :mod:`.hostile`; the other host is :attr:`.server.Emulator.other_base_url`,
the same emulator listening on 127.0.0.2, whose requests are logged with ``host="127.0.0.2"``):

- ``redirect``: answer ``status`` (301, 302, 303, 307 or 308; default 302) with ``Location: to``.
- ``next_link``: in a JSON answer with ``links`` (a STAC search page), the ``next`` link's ``href``
  becomes ``href``, and its ``body`` becomes ``body`` when given (the page itself is unchanged).
- ``ignore_offset``: the request's paging parameter ``param`` (default ``offset``; ``startingNumber``
  for M2M, ``token`` for a STAC page) is dropped from its query and its JSON body before it is
  handled: every page is the first page.
- ``drop_header``: the answer goes without its ``header`` (for example ``pagination-limit``).
- ``drop_key``: a JSON object answer goes without its top-level ``keys`` (a name or a list, for
  example ``["bbox_count", "total_count"]`` on a plume page).

Hostile mode, calls that hang (applied by the server):

- ``stall``: take the request, then send nothing for ``seconds`` (default 60, at most
  :data:`MAX_STALL`), or ``after="headers"``: send the status line and headers, then stall the
  body. The stall ends early when the client goes away or the emulator stops; then the
  connection is closed without (the rest of) an answer.

A realistic network and a connection torn down (the link's latency and bandwidth are not faults
but a setting, :mod:`.link`):

- ``reset_at``: send the response up to ``byte`` of its body, then abort the connection with a TCP
  reset (RST), as a crashing proxy does. The request log's ``bytes_sent`` counts what was handed to
  the socket, also when the client resets or is killed mid-transfer.
- ``prepare``: the next M2M download requested is prepared first (whatever its scene), for
  ``config.prepare_polls`` download-retrieve calls and ``config.prepare_seconds`` (read by the service).

USGS's download limits, standing rules for a whole test (add them with ``times=None``):

- ``user_download_limit``: ``download-request`` counts the downloads each user asked for in the past
  ``window`` seconds (default 900, the emulator's clock) and answers USGS's ``RATE_LIMIT_USER_DL``
  ("You have exceeded the number of downloads allowed in 15 minutes") when a call would pass
  ``downloads`` (default 15000); nothing of that call is queued.
- ``concurrent_downloads``: at most ``limit`` file transfers (default 1) at once from one client; the
  next one is answered HTTP 429 with ``Retry-After: retry_after`` (default 5) and the M2M envelope
  ``RATE_LIMIT`` "Rate limit exceeded" (applied by the server, see :mod:`.limits`; a transfer that is
  ending frees its place within half a second).

A page cut short (a failure mid-way through a paged search): any rule takes ``skip=N``, and the
first ``N`` requests it matches pass it by untouched; it applies from the ``N+1``-th on (e.g.
``faults.add("m2m", "scene-search", "m2m_error", code="DATABASE_ERROR", skip=1, times=None)``
answers the first page and fails every later one).

Service handlers read ``expire_key``, ``prepare_fail``, ``expire_token`` and ``browse_url`` through
:meth:`FaultPlan.take`; the server applies the rest.
"""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import dataclass, field

RESPONSE_FAULTS = {"status", "m2m_error", "html"}
TRANSFER_FAULTS = {"drop_at", "short_body", "throttle", "ignore_range"}
KINDS = RESPONSE_FAULTS | TRANSFER_FAULTS | {"delay", "expire_key", "prepare_fail"}
# Two clients on one file; credentials that die during a long queue (``expire_token`` is read by the
# Carbon Mapper bearer check).
KINDS = KINDS | {"pause_at", "expire_token"}

# Hostile networks: a proxy in front of the service.
NETWORK_FAULTS = {"proxy_auth"}
RESPONSE_FAULTS = RESPONSE_FAULTS | NETWORK_FAULTS
KINDS = KINDS | NETWORK_FAULTS | {"browse_url"}

# Hostile redirects and paging (:mod:`.hostile`)
HOSTILE_REQUEST_FAULTS = {"redirect", "ignore_offset"}
HOSTILE_RESPONSE_FAULTS = {"next_link", "drop_header", "drop_key"}
KINDS = KINDS | HOSTILE_REQUEST_FAULTS | HOSTILE_RESPONSE_FAULTS

# Applied by the server to the service's answer (see .malformed).
ANSWER_FAULTS = {"malformed_json"}
KINDS = KINDS | ANSWER_FAULTS

# Hostile mode: calls that hang (bounded, so that no test or shutdown waits long on one).
STALL_FAULTS = {"stall"}
MAX_STALL = 300.0
KINDS = KINDS | STALL_FAULTS

# A realistic network: a connection reset mid-stream.
RESET_FAULTS = {"reset_at"}
TRANSFER_FAULTS = TRANSFER_FAULTS | RESET_FAULTS
KINDS = KINDS | RESET_FAULTS | {"prepare"}

# USGS's download limits (:mod:`.limits`): downloads per user per 15 minutes, transfers at once.
LIMIT_FAULTS = {"user_download_limit", "concurrent_downloads"}
KINDS = KINDS | LIMIT_FAULTS


@dataclass
class Fault:
    service: str
    route: str
    kind: str
    times: int | None = 1  # None: for ever
    params: dict = field(default_factory=dict)
    used: int = 0
    skipped: int = 0  # requests passed by (the ``skip`` parameter)
    reached: threading.Event = field(default_factory=threading.Event)  # pause_at: the pause began
    resume: threading.Event = field(default_factory=threading.Event)  # pause_at: go on

    def release(self) -> None:
        """Let a paused response (``pause_at``) go on."""
        self.resume.set()

    def matches(self, service: str, route: str) -> bool:
        return (self.service in ("*", service)) and fnmatch.fnmatchcase(route, self.route)

    def exhausted(self) -> bool:
        return self.times is not None and self.used >= self.times


class FaultPlan:
    def __init__(self):
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, service: str, route: str, kind: str, times: int | None = 1, **params) -> Fault:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {sorted(KINDS)}")
        if kind == "malformed_json":
            from .malformed import check_variant

            check_variant(params)
        fault = Fault(service, route, kind, times, params)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            for fault in self._faults:
                fault.release()  # no response stays paused once its test is over
            self._faults.clear()

    def take(self, service: str, route: str, kinds: set[str] | str) -> Fault | None:
        """Consume and return the first live fault of one of ``kinds`` for this request."""
        wanted = {kinds} if isinstance(kinds, str) else kinds
        with self._lock:
            for fault in self._faults:
                if fault.kind in wanted and not fault.exhausted() and fault.matches(service, route):
                    if fault.params.get("skip", 0) > fault.skipped:  # passes this request by
                        fault.skipped += 1
                        continue
                    fault.used += 1
                    return fault
        return None

    def peek(self, service: str, route: str, kind: str) -> Fault | None:
        """The first live fault of ``kind`` for this request, not consumed (standing rules)."""
        with self._lock:
            for fault in self._faults:
                if fault.kind == kind and not fault.exhausted() and fault.matches(service, route):
                    return fault
        return None

    def pending(self) -> list[Fault]:
        with self._lock:
            return [f for f in self._faults if not f.exhausted()]
