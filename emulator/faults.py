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

Service handlers read the last two through :meth:`FaultPlan.take`; the server applies the rest.

Hostile mode, calls that hang (applied by the server):

- ``stall``: take the request, then send nothing for ``seconds`` (default 60, at most
  :data:`MAX_STALL`), or ``after="headers"``: send the status line and headers, then stall the
  body. The stall ends early when the client goes away or the emulator stops; then the
  connection is closed without (the rest of) an answer.
"""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import dataclass, field

RESPONSE_FAULTS = {"status", "m2m_error", "html"}
TRANSFER_FAULTS = {"drop_at", "short_body", "throttle", "ignore_range"}
KINDS = RESPONSE_FAULTS | TRANSFER_FAULTS | {"delay", "expire_key", "prepare_fail"}
# Hostile mode: calls that hang (bounded, so that no test or shutdown waits long on one).
STALL_FAULTS = {"stall"}
MAX_STALL = 300.0
KINDS = KINDS | STALL_FAULTS


@dataclass
class Fault:
    service: str
    route: str
    kind: str
    times: int | None = 1  # None: for ever
    params: dict = field(default_factory=dict)
    used: int = 0

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
        fault = Fault(service, route, kind, times, params)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, service: str, route: str, kinds: set[str] | str) -> Fault | None:
        """Consume and return the first live fault of one of ``kinds`` for this request."""
        wanted = {kinds} if isinstance(kinds, str) else kinds
        with self._lock:
            for fault in self._faults:
                if fault.kind in wanted and not fault.exhausted() and fault.matches(service, route):
                    fault.used += 1
                    return fault
        return None

    def pending(self) -> list[Fault]:
        with self._lock:
            return [f for f in self._faults if not f.exhausted()]
